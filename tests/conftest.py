"""Shared fixtures: every test gets its own home folder, its own database, English text."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

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
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.dispose()


NOW = datetime.fromisoformat("2026-11-20T03:00:00+00:00")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite the desk's SVG snapshots in tests/tui/snapshots",
    )
