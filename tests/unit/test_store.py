"""The database file: permissions, SQLite settings, migrations, backups, doctor."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from helpers import add_product, create
from orderdesk import db, migrate
from orderdesk.db import Store, backup_to, open_store
from orderdesk.errors import StoreError
from orderdesk.services import doctor


def test_a_new_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "new.db"
    store = open_store(path)
    add_product(store, "X-1", on_hand=1)  # a write, so the -wal and -shm files exist
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for extra in path.parent.glob("new.db-*"):
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600
    store.dispose()


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_write_takes_the_lock_when_it_begins(store: Store, db_path: Path) -> None:
    # BEGIN IMMEDIATE: a second writer waits from the very start instead of failing
    # half-way through an order with "database is locked".
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with store.write() as session:
        session.connection()  # the transaction has begun, nothing written yet
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_readers_do_not_block_writers(store: Store) -> None:
    add_product(store, "X-1", on_hand=1)
    with store.read() as reader:
        reader.connection().exec_driver_sql("SELECT count(*) FROM products").scalar()
        add_product(store, "X-2", on_hand=1)  # a writer while a read transaction is open


def test_the_models_and_the_migrations_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": migrate.include_name})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_schema_head_constant_matches_alembic() -> None:
    assert db.SCHEMA_HEAD == migrate.head()


def test_an_older_database_is_backed_up_then_upgraded(
    tmp_path: Path, template_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    shutil.copy(template_db, path)
    store = open_store(path)
    add_product(store, "OLD-1", on_hand=3)
    store.dispose()
    # A newer orderdesk: the same migrations plus one that adds a column.
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    (scripts / "versions" / "9002_test.py").write_text(
        textwrap.dedent("""
        import sqlalchemy as sa
        from alembic import op
        revision = "9002"
        down_revision = "{head}"
        branch_labels = None
        depends_on = None
        def upgrade():
            with op.batch_alter_table("products") as batch:
                batch.add_column(sa.Column("origin", sa.String(40), nullable=True))
        def downgrade():
            with op.batch_alter_table("products") as batch:
                batch.drop_column("origin")
    """).replace("{head}", db.SCHEMA_HEAD)
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    head = db.SCHEMA_HEAD
    monkeypatch.setattr(db, "SCHEMA_HEAD", "9002")
    upgraded = open_store(path)
    backups = list(tmp_path.glob("old.before-upgrade-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        assert old.execute("SELECT sku FROM products").fetchall() == [("OLD-1",)]
    with upgraded.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("products")}
        assert "origin" in columns
        assert conn.exec_driver_sql("SELECT sku FROM products").fetchall() == [("OLD-1",)]
    with upgraded.read() as session:
        assert doctor.run(session) == []
    upgraded.dispose()


def test_a_database_from_a_newer_orderdesk_is_refused(tmp_path: Path, template_db: Path) -> None:
    path = tmp_path / "newer.db"
    shutil.copy(template_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer orderdesk"):
        open_store(path)


def test_a_file_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="not an orderdesk database"):
        open_store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(path)


WRITER = """
import sys
from orderdesk.db import open_store
from orderdesk.services import stock
store = open_store(sys.argv[1])
print("ready", flush=True)
for _ in range(400):
    with store.write() as session:
        stock.receive(session, "X-1", 1)
"""


def test_backup_is_consistent_while_another_terminal_writes(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    add_product(store, "X-1", on_hand=1)
    create(store, {"X-1": 1})
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    copy = backup_to(store, tmp_path / "copies" / "backup.db")
    writer.wait(timeout=120)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    copied = open_store(copy)
    with copied.read() as session:
        assert doctor.run(session) == []
        on_hand = session.connection().exec_driver_sql("SELECT on_hand FROM stock").scalar()
    assert 1 <= on_hand <= 401
    copied.dispose()


def test_backup_refuses_to_overwrite(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    with pytest.raises(StoreError, match="already exists"):
        backup_to(store, target)
    assert target.read_text() == "keep me"


def test_doctor_notices_stock_changed_behind_the_ledgers_back(store: Store, db_path: Path) -> None:
    add_product(store, "X-1", on_hand=5)
    create(store, {"X-1": 2})
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE stock SET on_hand = 9, reserved = 1")
    with store.read() as session:
        keys = {p.key for p in doctor.run(session)}
    assert keys == {
        "doctor.on_hand_vs_ledger",
        "doctor.reserved_vs_ledger",
        "doctor.reserved_vs_orders",
    }


def test_the_search_index_follows_every_order_change(store: Store, db_path: Path) -> None:
    from orderdesk.models.inputs import OrderEdit
    from orderdesk.services import orders

    add_product(store, "X-1", on_hand=5)
    code = create(store, {"X-1": 1}, name="Nguyễn Văn Quang").code
    with store.write() as session:
        assert orders.has_search_index(session)
        orders.edit(session, code, OrderEdit(name="Trần Thị Hoa"))
    with store.read() as session:
        assert [r.code for r in orders.list_rows(session, search="tran thi hoa")] == [code]
        assert orders.list_rows(session, search="quang") == []
        assert doctor.run(session) == []
    with sqlite3.connect(db_path) as conn:  # an index out of step, as after a bad migration
        conn.execute("DROP TRIGGER orders_search_update")
        conn.execute("UPDATE orders SET search_key = 'something else'")
    with store.read() as session:
        assert [p.key for p in doctor.run(session)] == ["doctor.search_index"]
    with store.write() as session:
        assert doctor.rebuild_search(session)
    with store.read() as session:
        assert doctor.run(session) == []


def test_downgrading_the_printing_migration_keeps_the_search_triggers(
    tmp_path: Path, template_db: Path
) -> None:
    from alembic import command

    path = tmp_path / "down.db"
    shutil.copy(template_db, path)
    store = open_store(path)
    config = migrate.config()
    with store.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        conn.commit()
    store.dispose()
    with sqlite3.connect(path) as raw:
        triggers = {
            r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        columns = {r[1] for r in raw.execute("PRAGMA table_info(orders)")}
    assert triggers == {"orders_search_insert", "orders_search_delete", "orders_search_update"}
    assert not {"carrier", "service", "tracking"} & columns
