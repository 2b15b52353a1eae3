"""`db.execute_many` hands rows to the driver itself: what it stores, and what it refuses,
must be exactly what SQLAlchemy's own executemany would store or refuse."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from orderdesk.db import Store, execute_many, insert_rows, open_store
from orderdesk.models.enums import Inspection, MoveKind, OrderStatus, PaymentMethod
from orderdesk.models.tables import Order, OrderEvent, StockMove
from orderdesk.services.customers import _upsert_statement
from orderdesk.services.orders.actions import FINAL, STAMP
from orderdesk.services.orders.base import SET_STATUS

_o = Order.__table__  # type: ignore[attr-defined]
_e = OrderEvent.__table__  # type: ignore[attr-defined]
_moves = StockMove.__table__  # type: ignore[attr-defined]

# A function-scoped database serves every example: each one is rolled back.
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # no lone surrogates
INT64 = st.integers(-(2**63), 2**63 - 1)
ZONES = (
    st.just(UTC)
    | st.timezones()
    | st.builds(
        timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
    )
)
# Aware moments in any zone, folds and gaps too (naive ones are refused: see below).
MOMENTS = st.datetimes(timezones=ZONES)


# Rows share a few moments, as an import's rows share its "now".
def shared(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(strategy, min_size=1, max_size=3).flatmap(st.sampled_from)


def enums(kind: type, *, nullable: bool = False) -> st.SearchStrategy[Any]:
    """Members, their values as text, and one time in twenty a value the enum does not
    have (so that most batches are stored, not refused)."""
    valid = st.sampled_from(list(kind)) | st.sampled_from([m.value for m in kind])
    if nullable:
        valid |= st.none()
    unknown = st.text("abcdefgh_", max_size=8)
    return st.integers(0, 19).flatmap(lambda n: unknown if n == 0 else valid)


def rows_of(
    fields: dict[str, st.SearchStrategy[Any]], optional: tuple[str, ...] = ()
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows with the same keys, as executemany needs; some `optional` keys left out of all."""

    def build(left_out: set[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
        row = st.fixed_dictionaries({k: v for k, v in fields.items() if k not in left_out})
        return st.lists(row, min_size=1, max_size=6)

    return st.sets(st.sampled_from(optional) if optional else st.nothing()).flatmap(build)


@pytest.fixture
def stores(store: Store, template_db: Path, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two empty databases: one written by `execute_many`, one by SQLAlchemy."""
    path = tmp_path / "other.db"
    shutil.copy(template_db, path)
    other = open_store(path)
    yield store, other
    other.dispose()


def _outcome(store: Store, table: str, write: Callable[[sa.Connection], None]) -> object:
    """The table's raw rows after `write` (rolled back), or the error it raised."""
    with store.engine.connect() as conn:
        # Checked at commit, and there is none: events need no orders here.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        try:
            write(conn)
        except Exception as error:
            orig = getattr(error, "orig", None)
            return type(error).__name__, type(orig).__name__, str(orig or error)
        else:
            # Type and value: 1 == 1.0 == True, but SQLite keeps them apart.
            found = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY rowid").all()
            return [tuple((type(v).__name__, v) for v in row) for row in found]
        finally:
            conn.rollback()


def _both_ways(
    stores: tuple[Store, Store],
    table: str,
    statement: Any,
    rows: list[dict[str, Any]],
    setup: Callable[[sa.Connection], None] = lambda conn: None,
) -> tuple[object, object]:
    fast, plain = stores

    def through_fast_path(conn: sa.Connection) -> None:
        setup(conn)
        execute_many(conn, statement, rows)

    def through_sqlalchemy(conn: sa.Connection) -> None:
        setup(conn)
        conn.execute(statement, rows)

    return _outcome(fast, table, through_fast_path), _outcome(plain, table, through_sqlalchemy)


EVENTS = rows_of(
    {
        "order_id": INT64,
        "at": shared(MOMENTS),
        "action": TEXTS,
        "from_status": enums(OrderStatus, nullable=True),
        "to_status": enums(OrderStatus, nullable=True),
        "detail": TEXTS,
    },
    optional=("from_status", "to_status", "detail"),
)


@PROPERTY
@given(rows=EVENTS)
def test_order_events_are_stored_as_sqlalchemy_stores_them(
    stores: tuple[Store, Store], rows: list[dict[str, Any]]
) -> None:
    fast, plain = _both_ways(stores, "order_events", sa.insert(_e), rows)
    assert fast == plain


MOVES = rows_of(
    {
        "product_id": INT64,
        "kind": enums(MoveKind),
        "on_hand_delta": INT64,
        "reserved_delta": INT64,
        "order_id": st.none() | INT64,
        "reason": TEXTS,
        "at": shared(MOMENTS),
    },
    optional=("on_hand_delta", "reserved_delta", "order_id", "reason"),
)


@PROPERTY
@given(rows=MOVES)
def test_stock_moves_are_stored_as_sqlalchemy_stores_them(
    stores: tuple[Store, Store], rows: list[dict[str, Any]]
) -> None:
    fast, plain = _both_ways(stores, "stock_moves", sa.insert(_moves), rows)
    assert fast == plain


MONEY = st.integers(0, 10**12)
ORDERS = st.lists(
    st.fixed_dictionaries(
        {
            "customer_id": st.integers(1, 10**6),
            "name": TEXTS,
            "phone": TEXTS,
            "ward_code": st.integers(0, 10**6),
            "ward_name": TEXTS,
            "province_code": st.integers(0, 100),
            "province_name": TEXTS,
            "subtotal": MONEY,
            "cod": MONEY,
            "payment": enums(PaymentMethod),
            "inspection": enums(Inspection),
            "deliver_by": st.none() | st.dates(),
            "status": enums(OrderStatus),
            "tracking": st.none(),
            "track_at": st.none() | shared(MOMENTS),
            "created_at": shared(MOMENTS),
            "updated_at": shared(MOMENTS),
            "confirmed_at": st.none() | shared(MOMENTS),
        }
    ),
    min_size=1,
    max_size=6,
)


@PROPERTY
@given(rows=ORDERS)
def test_orders_are_stored_as_sqlalchemy_stores_them(
    stores: tuple[Store, Store], rows: list[dict[str, Any]]
) -> None:
    rows = [dict(row, code=f"DH{i}") for i, row in enumerate(rows)]
    fast, plain = _both_ways(stores, "orders", sa.insert(_o), rows)
    assert fast == plain


def _seed_orders(conn: sa.Connection) -> None:
    """Three orders to update, written the same way in both databases."""
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    conn.execute(
        sa.insert(_o),
        [
            {
                "code": f"DH{oid}",
                "customer_id": 1,
                "name": "Lan",
                "phone": "+84901234567",
                "ward_code": 1,
                "ward_name": "Phường Ba Đình",
                "province_code": 1,
                "province_name": "Hà Nội",
                "status": OrderStatus.PENDING,
                "created_at": moment,
                "updated_at": moment,
                "pending_at": moment,
            }
            for oid in range(1, 4)
        ],
    )


@PROPERTY
@given(
    status=st.sampled_from(list(OrderStatus)),
    rows=st.lists(
        st.fixed_dictionaries(
            {"oid": st.integers(0, 4), "st": enums(OrderStatus), "t": shared(MOMENTS)}
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_updates_by_id_write_as_sqlalchemy_writes(
    stores: tuple[Store, Store], status: OrderStatus, rows: list[dict[str, Any]]
) -> None:
    # The statements `advance_many` runs: a literal status and one moment used twice,
    # a moment in the column of a status, and a status given by the row.
    stamped = [{"oid": row["oid"], "now": row["t"]} for row in rows]
    for statement, given_rows in (
        (SET_STATUS[status], stamped),
        (STAMP[status], rows),
        (FINAL, rows),
    ):
        fast, plain = _both_ways(stores, "orders", statement, given_rows, setup=_seed_orders)
        assert fast == plain


@PROPERTY
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                # A few phones: some rows update the customer an earlier one inserted.
                "phone": st.sampled_from(["+84901234567", "+84912345678", "+84387654321"]),
                "name": TEXTS,
                "email": st.sampled_from(["", "lan@example.com"]),
                "street": TEXTS,
                "ward_code": st.none() | st.integers(0, 10**6),
                "province_code": st.none() | st.integers(0, 100),
                "old_address": st.just(""),
                "notes": st.just(""),
                "search_key": TEXTS,
                "created_at": shared(MOMENTS),
                "updated_at": shared(MOMENTS),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_customer_upsert_writes_as_sqlalchemy_writes(
    stores: tuple[Store, Store], rows: list[dict[str, Any]]
) -> None:
    # Its CASE holds a literal "" the fast path binds itself.
    with Session(stores[0].engine) as session:
        statement = _upsert_statement(session)
    fast, plain = _both_ways(stores, "customers", statement, rows)
    assert fast == plain


def _event(**changes: Any) -> dict[str, Any]:
    return {
        "order_id": 1,
        "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "action": "create",
        "from_status": None,
        "to_status": OrderStatus.PENDING,
        "detail": "",
    } | changes


REFUSED = [
    pytest.param(_e, [_event(), _event(at=datetime(2026, 1, 2, 10))], ValueError, id="naive"),
    pytest.param(_e, [_event(), _event(to_status="shipping")], LookupError, id="bad-enum"),
    pytest.param(
        _moves,
        [{"product_id": 1, "kind": "borrow", "at": datetime(2026, 1, 2, tzinfo=UTC)}],
        LookupError,
        id="bad-move-kind",
    ),
]


@pytest.mark.parametrize(("table", "rows", "reason"), REFUSED)
def test_what_sqlalchemy_refuses_the_fast_path_refuses(
    store: Store, table: sa.Table, rows: list[dict[str, Any]], reason: type[Exception]
) -> None:
    for write in (
        lambda conn: insert_rows(conn, table, rows),
        lambda conn: conn.execute(sa.insert(table), rows),
    ):
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            with pytest.raises(sa.exc.StatementError) as refused:
                write(conn)
            assert isinstance(refused.value.orig, reason)
            # Nothing of the batch was written, not even its good rows.
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar() == 0
            conn.rollback()


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([{"oid": 1, "st": OrderStatus.SHIPPED, "t": datetime(2026, 1, 2, 10)}], ValueError),
        ([{"oid": 1, "st": "on_the_way", "t": datetime(2026, 1, 2, tzinfo=UTC)}], LookupError),
    ],
    ids=["naive", "bad-enum"],
)
def test_an_update_by_id_refuses_them_too(
    store: Store, rows: list[dict[str, Any]], reason: type[Exception]
) -> None:
    for write in (execute_many, sa.Connection.execute):
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            _seed_orders(conn)
            with pytest.raises(sa.exc.StatementError) as refused:
                write(conn, FINAL, rows)
            assert isinstance(refused.value.orig, reason)
            assert conn.exec_driver_sql("SELECT status FROM orders WHERE id = 1").scalar() == (
                "pending"
            )
            conn.rollback()


def test_the_statements_of_an_import_take_the_fast_path(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Good rows never reach SQLAlchemy's executemany (that is what the fast path is for)."""
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        _seed_orders(conn)

        def refuse(*args: object) -> None:
            raise AssertionError("left to SQLAlchemy")

        monkeypatch.setattr(conn, "execute", refuse)
        insert_rows(conn, _e, [_event(), _event(from_status=OrderStatus.PENDING)])
        insert_rows(conn, _moves, [{"product_id": 1, "kind": MoveKind.RESERVE, "at": moment}])
        execute_many(conn, FINAL, [{"oid": 1, "st": OrderStatus.CONFIRMED, "t": moment}])
        execute_many(conn, SET_STATUS[OrderStatus.PACKED], [{"oid": 2, "now": moment}])
        monkeypatch.undo()
        got = conn.exec_driver_sql("SELECT status, packed_at FROM orders ORDER BY id").all()
        assert got == [
            ("confirmed", None),
            ("packed", "2026-01-02 03:04:05.000000"),
            ("pending", None),
        ]
        conn.rollback()


def test_a_shared_moment_in_another_zone_is_not_mistaken_for_an_equal_one(
    stores: tuple[Store, Store],
) -> None:
    """Equal moments are processed once only when UTC: 01:30 in New York on the night
    clocks go back happens twice (fold 0 and 1), and Python finds the two equal."""
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert first == second and first.utcoffset() != second.utcoffset()
    rows = [_event(at=first), _event(at=second), _event(at=first.astimezone(UTC))]
    fast, plain = _both_ways(stores, "order_events", sa.insert(_e), rows)
    assert fast == plain
    assert isinstance(fast, list) and fast[0][2] != fast[1][2]


def test_date_columns_take_iso_dates(stores: tuple[Store, Store]) -> None:
    row = {
        "code": "DH1",
        "customer_id": 1,
        "name": "Lan",
        "phone": "+84901234567",
        "ward_code": 1,
        "ward_name": "Phường Ba Đình",
        "province_code": 1,
        "province_name": "Hà Nội",
        "status": OrderStatus.PENDING,
        "deliver_by": date(2026, 3, 4),
        "created_at": datetime(2026, 1, 2, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 2, tzinfo=UTC),
    }
    fast, plain = _both_ways(stores, "orders", sa.insert(_o), [row])
    assert fast == plain
    assert isinstance(fast, list) and ("str", "2026-03-04") in fast[0]
