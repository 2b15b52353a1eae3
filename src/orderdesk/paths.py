"""Where orderdesk keeps its files. Functions, never module constants, so tests can move them.

`ORDERDESK_HOME` puts everything (data and config) under one folder; `ORDERDESK_DB` or
`--db` points at another database.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "orderdesk"


def _home() -> Path | None:
    home = os.environ.get("ORDERDESK_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else platformdirs.user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else platformdirs.user_config_path(APP, appauthor=False)


def config_path() -> Path:
    return config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "orderdesk.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def prints_dir() -> Path:
    """Where printed batches are saved when no `--out` is given: where sellers look."""
    home = _home()
    return home / "prints" if home else platformdirs.user_documents_path() / APP


def log_path() -> Path:
    return data_dir() / "orderdesk.log"


def db_target(explicit: str | None = None) -> str:
    """The database the user asked for: `--db`, else `ORDERDESK_DB`, else the default file."""
    return explicit or os.environ.get("ORDERDESK_DB") or str(default_db_path())


def private_dir(path: Path) -> Path:
    """Create `path` (owner-only) if missing, and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
