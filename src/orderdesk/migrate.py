"""Alembic, run from inside the program: upgrade on open, list known revisions.

Kept apart from `db.py` so that opening an up-to-date database never imports Alembic.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the FTS5 search index (a virtual table and its shadows) out of autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith("order_search"))


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(config()).walk_revisions()}


def head() -> str:
    head = ScriptDirectory.from_config(config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine, target: str = "head") -> None:
    cfg = config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if sqlite:
            # Batch migrations rebuild tables, so foreign keys must be off meanwhile; the
            # pragma only works outside a transaction, hence the raw connection.
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            conn.commit()
            if sqlite:
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()  # type: ignore[union-attr]
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
