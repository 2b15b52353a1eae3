"""What every command is given: the database and settings, opened on first use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orderdesk.config import Settings
    from orderdesk.db import Store


@dataclass
class Context:
    db: str | None
    lang: str | None
    _store: Store | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from orderdesk import config

            self._settings = config.load()
        return self._settings

    def store(self) -> Store:
        if self._store is None:
            from orderdesk.db import open_store
            from orderdesk.paths import db_target

            self._store = open_store(db_target(self.db))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
