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
from datetime import UTC, datetime
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


@lru_cache(maxsize=64)
def _insert(table: sa.Table) -> sa.Insert:
    return sa.insert(table)  # one object per table: `execute_many` compiles it once


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT many rows (every row with the same keys; columns left out take their scalar
    default), through `execute_many`."""
    execute_many(conn, _insert(table), rows)


class _Plan:
    """One statement compiled for the driver: where each `?` takes its value from and the
    bind processor it goes through, as SQLAlchemy's own executemany would do it."""

    __slots__ = ("statement", "sql", "keys", "picks", "constants", "shadowed", "processors")

    def __init__(self, statement: Any, sql: str | None = None) -> None:
        self.statement = statement  # kept so that its id is never reused by another
        self.sql = sql  # None: a statement the fast path leaves to SQLAlchemy
        self.keys: list[str] = []  # every parameter's row key, when the rows give them all
        self.picks: list[tuple[int, str]] = []  # (position, row key)
        self.constants: dict[int, Any] = {}  # position → default or literal, unprocessed
        self.shadowed: frozenset[str] = frozenset()  # row keys that would replace a literal
        self.processors: list[tuple[int, Callable[[Any], Any]]] = []


# (statement id, the rows' keys, dialect class) → its plan.
_PLANS: dict[tuple[int, tuple[str, ...], type], _Plan] = {}


def _plan(dialect: Any, statement: Any, given: tuple[str, ...]) -> _Plan:
    # Compiled as `Connection.execute(statement, rows)` compiles it: the first row's keys
    # are the column keys, so an INSERT names exactly the columns the rows give.
    compiled = statement.compile(dialect=dialect, column_keys=list(given), for_executemany=True)
    if (
        not compiled.positional
        or compiled.effective_returning
        or compiled.literal_execute_params
        or compiled.post_compile_params
    ):
        return _Plan(statement)
    plan = _Plan(statement, str(compiled))
    # Python-side defaults SQLAlchemy fills in for what the rows leave out (prefetch).
    prefetch: dict[str, Any] = {}
    for column in compiled.insert_prefetch or compiled.update_prefetch:
        default = column.default if compiled.insert_prefetch else column.onupdate
        if default is None or not default.is_scalar or getattr(default, "is_sentinel", False):
            return _Plan(statement)  # a callable default runs per row: SQLAlchemy's job
        prefetch[column.key] = default.arg
    shadowed: set[str] = set()
    for i, name in enumerate(compiled.positiontup or []):
        bind = compiled.binds[name]
        if isinstance(bind.type, sa.TupleType):
            return _Plan(statement)
        # `construct_params` looks a value up by the parameter's key, then by its name.
        if bind.key in given or name in given:
            plan.picks.append((i, bind.key if bind.key in given else name))
        elif name in prefetch:
            plan.constants[i] = prefetch[name]
        elif bind.required or bind.callable:
            return _Plan(statement)  # SQLAlchemy raises (no value) or calls it per row
        else:
            plan.constants[i] = bind.value  # a literal written into the statement
            shadowed |= {bind.key, name}
        # The public form of `compiled._bind_processors`: the dialect's implementation of
        # the type (a TypeDecorator's `process_bind_param` chained with its impl's).
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            plan.processors.append((i, process))
    if not prefetch.keys() <= set(compiled.positiontup or []):
        return _Plan(statement)  # a default bound under another name: not worth guessing
    if not plan.constants:
        plan.keys = [key for _, key in plan.picks]
    plan.shadowed = frozenset(shadowed)
    return plan


def _bind(plan: _Plan, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows as the driver's tuples; raises where SQLAlchemy would refuse a value."""
    template: list[Any] = [None] * (len(plan.picks) + len(plan.constants))
    for i, value in plan.constants.items():
        template[i] = value
    processors = []
    for i, process in plan.processors:
        if i in plan.constants:
            template[i] = process(template[i])
        else:
            processors.append((i, process, {}))
    keys, picks, shadowed = plan.keys, plan.picks, plan.shadowed
    data = []
    for row in rows:
        if keys:
            values = [row[key] for key in keys]
        else:
            if shadowed and not shadowed.isdisjoint(row):
                raise KeyError("a row gives a value the statement holds")
            values = template.copy()
            for i, key in picks:
                values[i] = row[key]
        for i, process, seen in processors:
            value = values[i]
            # None and a UTC moment shared by many rows (an import's "now") are processed
            # once per column: equal values of these give equal output. Other zones do
            # not (a fold), nor other equal values (`1 == True`, a StrEnum and its value).
            if value is None or (value.__class__ is datetime and value.tzinfo is UTC):
                done = seen.get(value, seen)
                if done is seen:
                    done = seen[value] = process(value)
                values[i] = done
            else:
                values[i] = process(value)
        data.append(tuple(values))
    return data


def execute_many(conn: sa.Connection, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run one built statement (an INSERT, an UPDATE by id) for many parameter rows.

    On SQLite the statement is compiled once and the rows go to the driver as ready
    tuples: SQLAlchemy spends ~40 µs per row binding parameters, which was most of an
    import of 10,000 orders. Each value goes through its type's bind processor, as in
    SQLAlchemy, so naive datetimes and unknown enum values are refused: a batch with a
    value a processor refuses is handed whole to SQLAlchemy, which raises its own error
    (a StatementError). So is a statement the fast path does not plan (a callable default,
    RETURNING, an expanding IN); elsewhere than SQLite SQLAlchemy runs every statement.
    """
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        key = (id(statement), tuple(rows[0]), conn.dialect.__class__)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _PLANS[key] = _plan(conn.dialect, statement, key[1])
        if plan.sql is not None:
            try:
                data = _bind(plan, rows)
            except Exception:
                pass  # SQLAlchemy refuses the same value below, with its own error
            else:
                conn.exec_driver_sql(plan.sql, data)
                return
    conn.execute(statement, list(rows))


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
