"""Shared fixtures: every test gets its own home folder, its own database, English text, and
one "now" that does not depend on the day the suite runs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from orderdesk.db import Store, open_store
from orderdesk.i18n import set_language
from orderdesk.timeutil import set_local_timezone

# Desk bindings are labelled when their module is imported: fix the language first.
set_language("en")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ORDERDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ORDERDESK_DB", raising=False)
    set_language("en")
    set_local_timezone("Asia/Ho_Chi_Minh")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database made once; tests get copies (migrating takes ~0.4 s)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = open_store(path)
    store.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    path = tmp_path / "shop.db"
    shutil.copy(template_db, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def run_cli(db_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`orderdesk --lang en --db <the test's database> ARGS…` in this process: (exit code,
    stdout, stderr)."""
    from orderdesk.cli import main

    def call(*args: str) -> tuple[int, str, str]:
        try:
            main(["--lang", "en", "--db", str(db_path), *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.dispose()


# The suite's "now": today at 10:00 in Vietnam (03:00 UTC, far from a local midnight), the
# same for every worker of one run. Every test runs with the clock travelled there (ticking
# on), so `utcnow()`, `date.today()` and the desk all agree with the `now` fixture; a test
# builds its dates from `now`, never from a date written into it. A test marked `dated`
# runs twice, today and a year ahead, which proves that no date in it goes stale;
# ORDERDESK_TEST_SHIFT_DAYS=365 moves the whole suite.
_TODAY_VAR = "ORDERDESK_TEST_TODAY"
if _TODAY_VAR not in os.environ:  # set by the first process, inherited by xdist's workers
    os.environ[_TODAY_VAR] = datetime.now(UTC).date().isoformat()
TODAY_AT_TEN = datetime.fromisoformat(os.environ[_TODAY_VAR]).replace(hour=3, tzinfo=UTC)
SHIFTS = {"today": 0, "next-year": 365}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "dated: depends on the date; runs today and again with the clock a year ahead"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("dated"):
        metafunc.parametrize("now", list(SHIFTS.values()), ids=list(SHIFTS), indirect=True)


@pytest.fixture(autouse=True)
def now(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """The moment the test runs at; the wall clock is travelled there for the whole test."""
    days = getattr(request, "param", 0) + int(os.environ.get("ORDERDESK_TEST_SHIFT_DAYS", "0"))
    moment = TODAY_AT_TEN + timedelta(days=days)
    with time_machine.travel(moment, tick=True):
        yield moment


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite the desk's SVG snapshots in tests/tui/snapshots",
    )
