"""The store: engine factory, session scopes, SQLite settings and schema upgrades.

SQLite is the default and is tuned for several terminals on one file: WAL so readers never
wait for the writer, `synchronous=FULL` so a power cut keeps the last orders, a 10 s busy
timeout, and write transactions that begin IMMEDIATE so two writers queue instead of one
failing with "database is locked" half-way through an order (see FIELD_NOTES.md).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from orderdesk.errors import StoreError
from orderdesk.paths import private_dir

# The newest migration. Checked against Alembic's scripts by a test, so opening an
# up-to-date database never has to load Alembic (a tenth of a second at every start).
SCHEMA_HEAD = "0005"
BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "orderdesk_begin"


def to_url(target: str | Path) -> str:
    """A SQLAlchemy URL from a path or URL given by the user."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The database file behind a SQLite URL, or None (in-memory, or another backend)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _create_private_file(path: Path) -> None:
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files are created owner-only and tuned as above."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    path = sqlite_path(url)
    if path is None:
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        _create_private_file(path)
        engine = sa.create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
    _tune_sqlite(engine, in_memory=path is None)
    return engine


def _tune_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from pysqlite so we can say BEGIN IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            # 32 MB of page cache instead of 2 MB: a 100,000-order shop's indexes stay in
            # memory while a big carrier file is applied (its insert took twice as long).
            cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def dialect_insert(session: Any) -> Any:
    """`insert()` of the session's backend: SQLite and PostgreSQL both give ON CONFLICT."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def sqlite_time(moment: datetime) -> str:
    """How SQLAlchemy's SQLite DateTime stores a UTC time (see `models.types`):
    `2026-11-21 07:14:00.000000`. isoformat is six times quicker than strftime."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def _converter(kind: Any) -> Callable[[Any], object] | None:
    """How a value of this column type is written to SQLite, or None when as it is."""
    if isinstance(kind, sa.Enum):
        return lambda value: value.value if isinstance(value, Enum) else value
    python = getattr(kind, "impl", kind)
    if isinstance(python, sa.DateTime):
        return sqlite_time
    if isinstance(python, sa.Date):
        return date.isoformat
    return None


@lru_cache(maxsize=64)
def _insert(table: sa.Table) -> sa.Insert:
    return sa.insert(table)  # one object per table: `execute_many` compiles it once


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT many rows (every row with the same keys; columns left out take their scalar
    default), through `execute_many`."""
    execute_many(conn, _insert(table), rows)


# (statement id, keys an INSERT's rows give) → (statement, SQL, parameter names, the
# converters of those needing one, values for parameters the rows leave out). The
# statement is kept so that its id is never reused by another.
_COMPILED: dict[
    tuple[int, tuple[str, ...]], tuple[Any, str, list[str], list[Any], dict[str, Any]]
] = {}


def execute_many(conn: sa.Connection, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run one built statement (an INSERT, an UPDATE by id) for many parameter rows.

    On SQLite the statement is compiled once and the rows go to the driver as ready
    tuples: SQLAlchemy spends ~40 µs per row binding parameters, which was most of an
    import of 10,000 orders. Values are written exactly as SQLAlchemy would write them
    (`sqlite_time`, enum values, ISO dates); elsewhere SQLAlchemy runs the statement.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(statement, list(rows))
        return
    # An INSERT names the columns its rows give (as SQLAlchemy's executemany would).
    given = tuple(rows[0]) if isinstance(statement, sa.Insert) else ()
    key = (id(statement), given)
    if key not in _COMPILED:
        compiled = statement.compile(dialect=conn.dialect, column_keys=list(given) or None)
        names = list(compiled.positiontup or [])
        kinds = [
            (i, convert)
            for i, name in enumerate(names)
            if (convert := _converter(compiled.binds[name].type))
        ]
        # Columns an INSERT fills with their scalar default, as SQLAlchemy does.
        table = getattr(statement, "table", None)
        defaults = {
            c.name: c.default.arg
            for c in (table.columns if given and table is not None else [])
            if c.name not in given and c.default is not None and c.default.is_scalar
        }
        # Values written into the statement itself (a literal in a CASE, say).
        for name in names:
            bind = compiled.binds[name]
            if name not in given and name not in defaults and not bind.required:
                defaults[name] = bind.effective_value
        _COMPILED[key] = (statement, str(compiled), names, kinds, defaults)
    _, sql, names, kinds, defaults = _COMPILED[key]
    # A moment shared by many rows (an import's "now") is formatted once.
    formatted: dict[object, object] = {}
    data = []
    for row in rows:
        values = [row[name] if name in row else defaults[name] for name in names]
        for i, convert in kinds:
            value = values[i]
            if value is not None:
                done = formatted.get(value)
                if done is None:
                    done = formatted[value] = convert(value)
                values[i] = done
        data.append(tuple(values))
    conn.exec_driver_sql(sql, data)


def _is_busy(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


class Store:
    """One database: an engine plus the two kinds of unit of work a user action needs."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._reader = self.engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as error:
            if _is_busy(error):
                raise StoreError("err.db_busy") from error
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent snapshot for reading; never blocks or is blocked by a writer."""
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(target: str | Path, *, upgrade: bool = True) -> Store:
    """Open (creating if needed) the database at `target` and bring its schema up to date."""
    url = to_url(target)
    try:
        store = Store(url)
    except sa.exc.ArgumentError as error:
        raise StoreError("err.db_url", url=url) from error
    except OSError as error:
        raise StoreError("err.db_open", url=url, reason=error.strerror or str(error)) from error
    try:
        if upgrade:
            ensure_schema(store)
    except StoreError:
        store.dispose()
        raise
    except (DBAPIError, sqlite3.DatabaseError) as error:
        store.dispose()
        raise StoreError(
            "err.db_open", url=url, reason=str(getattr(error, "orig", error))
        ) from error
    return store


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        if "alembic_version" not in tables:
            if tables:
                raise StoreError("err.db_foreign", url=store.url)
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(store: Store) -> Path | None:
    """Upgrade to the newest schema; back the file up first. Returns the backup's path."""
    revision = current_revision(store)
    if revision == SCHEMA_HEAD:
        return None
    from orderdesk import migrate

    if revision is not None and revision not in migrate.known_revisions():
        raise StoreError("err.db_newer", url=store.url, revision=revision)
    backup_path = None
    if revision is not None and store.path is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_path = store.path.with_name(f"{store.path.stem}.before-upgrade-{stamp}.db")
        backup_to(store, backup_path)
    migrate.upgrade(store.engine)
    return backup_path


def backup_to(store: Store, dest: Path) -> Path:
    """A consistent copy of a SQLite database, safe while other terminals write to it."""
    source = store.path
    if source is None:
        raise StoreError("err.backup_not_sqlite")
    dest = dest.expanduser().resolve()
    if dest == source.resolve():
        raise StoreError("err.backup_same_file")
    if dest.exists():
        raise StoreError("err.backup_exists", path=str(dest))
    private_dir(dest.parent)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    _create_private_file(tmp)
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            out = sqlite3.connect(tmp)
            try:
                # pages=-1: one step, so a busy writer cannot make it restart forever.
                src.backup(out, pages=-1)
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        os.replace(tmp, dest)
    except sqlite3.Error as error:
        tmp.unlink(missing_ok=True)
        raise StoreError("err.backup_failed", reason=str(error)) from error
    return dest
