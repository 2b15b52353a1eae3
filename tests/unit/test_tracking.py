"""Carrier status files and COD statements, driven by the sample files of every carrier.

Each carrier's samples (assets/samples/carriers/) tell the same five journeys in that
carrier's own words: 1 delivered, 2 failed (known by our code only until the file gives
its number), 3 refused and returned, 4 delivered but on no COD statement, 5 delivered and
paid 20,000 ₫ short. The statements also carry one line for a parcel the shop never sent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from helpers import SAMPLES, add_product, dated_sample, sample_time, stock_of
from orderdesk.carriers import REGISTRY, Outcome
from orderdesk.db import Store
from orderdesk.errors import ImportRejected
from orderdesk.formats.carrier_files import read_cod, read_status
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.models.tables import TrackingEvent
from orderdesk.services import cod, orders, problems, shipping, tracking
from orderdesk.services.problems import Rule

PREFIX = {"ghn": 1, "ghtk": 2, "viettel_post": 3, "jt": 4, "vnpost": 5, "self": 6}
NUMBERS = {
    "ghn": "GYLXD8T{i}",
    "ghtk": "137583552{i}",
    "viettel_post": "18651234560{i}",
    "jt": "84000000000{i}",
    "vnpost": "EB12345678{i}VN",
    "self": "SHIP-2611-{i:04d}",
}
COD = [350_000, 420_000, 199_000, 560_000, 275_000]
CARRIER_IDS = list(PREFIX)


def code(cid: str, i: int) -> str:
    return f"DH2611-{PREFIX[cid]}{i:03d}"


def number(cid: str, i: int) -> str:
    return NUMBERS[cid].format(i=i)


def status_file(cid: str) -> Path:
    return next((SAMPLES / "carriers").glob(f"{cid}-status.*"))


def cod_file(cid: str) -> Path:
    return next((SAMPLES / "carriers").glob(f"{cid}-cod.*"))


@dataclass
class Samples:
    """The carrier samples with their dates moved to the test's `now`."""

    now: datetime
    folder: Path

    def status(self, cid: str) -> Path:
        return dated_sample(status_file(cid), self.now, self.folder)

    def cod(self, cid: str) -> Path:
        return dated_sample(cod_file(cid), self.now, self.folder)


@pytest.fixture
def samples(now: datetime, tmp_path: Path) -> Samples:
    return Samples(now, tmp_path)


def shipped_orders(store: Store, cid: str, now: datetime) -> None:
    """Five COD orders handed to `cid`; all but order 2 already have their numbers."""
    shipped = sample_time(now, datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    add_product(store, "AT-1", on_hand=20)
    for i, amount in enumerate(COD, start=1):
        with store.write() as session:
            orders.create(
                session,
                OrderCreate(
                    name="Trần Thị Bích Ngọc",
                    phone=f"09123456{i:02d}",
                    street="12 Lý Thường Kiệt",
                    ward="Phường Cửa Nam",
                    province="Hà Nội",
                    items=[LineInput("AT-1", 1, amount)],
                    code=code(cid, i),
                ),
                now=shipped,
            )
            shipping.assign(
                session,
                code(cid, i),
                carrier=cid,
                tracking=number(cid, i) if i != 2 else None,
            )
        for action in (Action.CONFIRM, Action.PACK, Action.SHIP):
            with store.write() as session:
                orders.apply(session, code(cid, i), action, tick_all=True, now=shipped)


def import_status(store: Store, path: Path, carrier: str = "auto", **kw: object):
    with store.write() as session:
        return tracking.import_file(session, path, carrier=carrier, **kw)  # type: ignore[arg-type]


def statuses(store: Store, cid: str) -> list[OrderStatus]:
    with store.read() as session:
        return [orders.get(session, code(cid, i)).status for i in range(1, 6)]


def event_count(store: Store) -> int:
    with store.read() as session:
        return (
            session.connection()
            .execute(
                sa.select(sa.func.count()).select_from(TrackingEvent.__table__)  # type: ignore[attr-defined]
            )
            .scalar_one()
        )


@pytest.mark.dated
@pytest.mark.parametrize("cid", CARRIER_IDS)
def test_each_carriers_status_file_moves_orders_and_stock(
    store: Store, cid: str, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, cid, now)
    assert stock_of(store, "AT-1").on_hand == 15
    report = import_status(store, samples.status(cid))
    assert report.carrier == cid  # recognised from the headers alone
    assert statuses(store, cid) == [
        OrderStatus.DELIVERED,
        OrderStatus.DELIVERY_FAILED,
        OrderStatus.RETURNED,
        OrderStatus.DELIVERED,
        OrderStatus.DELIVERED,
    ]
    # The refused parcel is back on the shelf.
    assert stock_of(store, "AT-1").on_hand == 16
    assert report.numbers == 1
    with store.read() as session:
        assert orders.get(session, code(cid, 2)).code == code(cid, 2)
        line = tracking.timeline(session, code(cid, 2))
        assert line[0].outcome == Outcome.FAILED
        events = session.connection().execute(
            sa.text("SELECT tracking FROM orders WHERE code = :c"), {"c": code(cid, 2)}
        )
        assert events.scalar_one() == number(cid, 2)
        detail = orders.detail(session, code(cid, 1))
        delivered = detail.order.status_times["delivered"]
        # The order's history says when the courier delivered, not when the file was read.
        assert delivered < now
        assert delivered.date() == sample_time(now, datetime(2026, 11, 21, tzinfo=UTC)).date()
        queue = problems.queue(session)
    failed = [p for p in queue if p.rule is Rule.FAILED]
    assert [p.code for p in failed] == [code(cid, 2)]
    assert failed[0].phone == "0912 345 602"
    assert report.events == event_count(store)


@pytest.mark.parametrize("cid", CARRIER_IDS)
def test_importing_a_status_file_twice_changes_nothing(
    store: Store, cid: str, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, cid, now)
    first = import_status(store, samples.status(cid))
    before = (statuses(store, cid), stock_of(store, "AT-1"), event_count(store))
    again = import_status(store, samples.status(cid))
    assert again.events == 0 and again.repeated == first.events and not again.moved
    assert (statuses(store, cid), stock_of(store, "AT-1"), event_count(store)) == before


def _with_unknown_status(samples: Samples) -> Path:
    """GHN's sample with one status GHN's table does not have."""
    source = samples.status("ghn")
    rows = list(csv.reader(source.read_text(encoding="utf-8-sig").splitlines()))
    index = next(i for i, r in enumerate(rows) if r[2] == "delivering" and r[1].endswith("001"))
    rows[index][2] = "teleported"
    path = samples.folder / "ghn-odd.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_an_unknown_status_changes_nothing_without_skip_unknown(
    store: Store, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, "ghn", now)
    odd = _with_unknown_status(samples)
    with pytest.raises(ImportRejected) as refused:
        import_status(store, odd, "ghn")
    [error] = refused.value.errors
    assert "teleported" in error.message() and error.row > 1
    assert "--skip-unknown" in str(refused.value)
    assert statuses(store, "ghn") == [OrderStatus.SHIPPED] * 5
    assert event_count(store) == 0
    assert stock_of(store, "AT-1").on_hand == 15

    report = import_status(store, odd, "ghn", skip_unknown=True)
    assert [e.row for e in report.skipped] == [error.row]
    assert statuses(store, "ghn")[2] == OrderStatus.RETURNED


def test_a_row_for_an_order_the_shop_does_not_have_is_reported(
    store: Store, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, "ghtk", now)
    path = samples.status("ghtk")
    when = sample_time(now, datetime(2026, 11, 22, 3, tzinfo=UTC)).isoformat()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"S1.X.1999999991,DH-NONE,5,{when},,,,,,\n")
    with pytest.raises(ImportRejected) as refused:
        import_status(store, path)
    assert [e.key for e in refused.value.errors] == ["import.order_unknown"]
    assert "1999999991" in refused.value.errors[0].message()


def test_the_shop_teaches_a_new_jt_status(store: Store, now: datetime, samples: Samples) -> None:
    from openpyxl import load_workbook

    shipped_orders(store, "jt", now)
    book = load_workbook(samples.status("jt"))
    sheet = book.active
    assert sheet is not None
    when = sample_time(now, datetime(2026, 11, 26, 9)).strftime("%Y-%m-%d %H:%M:%S")
    sheet.append([number("jt", 4), code("jt", 4), when, "Bưu tá đã ký nhận"])
    path = samples.folder / "jt-taught.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected):
        import_status(store, path)
    taught = {"jt": {"buu ta da ky nhan": Outcome.DELIVERED}}
    report = import_status(store, path, extra_statuses=taught)
    assert not report.skipped and statuses(store, "jt")[3] is OrderStatus.DELIVERED


def test_older_events_arriving_later_do_not_move_the_order_back(
    store: Store, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, "ghn", now)
    with store.write() as session:
        tracking.add_event(
            session,
            code("ghn", 2),
            Outcome.DELIVERED,
            note="khách nhận tại quầy",
            at=now - timedelta(hours=18),
        )
    import_status(store, samples.status("ghn"))  # its failure for order 2 is older
    assert statuses(store, "ghn")[1] is OrderStatus.DELIVERED
    with store.read() as session:
        outcomes = [e.outcome for e in tracking.timeline(session, code("ghn", 2))]
    assert outcomes[0] == Outcome.DELIVERED and Outcome.FAILED in outcomes


@pytest.mark.parametrize("cid", CARRIER_IDS)
@pytest.mark.dated
def test_each_carriers_cod_statement_reconciles(
    store: Store, cid: str, now: datetime, samples: Samples
) -> None:
    shipped_orders(store, cid, now)
    import_status(store, samples.status(cid))
    statement = samples.cod(cid)
    with store.write() as session:
        report = cod.import_statement(session, statement, default_carrier=cid)
    assert report.carrier == cid
    by_code = {o.code: o for o in report.orders}
    assert sorted(by_code) == [code(cid, 1), code(cid, 5)]
    first, short = by_code[code(cid, 1)], by_code[code(cid, 5)]
    assert (first.expected, first.fees, first.paid, first.difference) == (
        350_000,
        25_000,
        325_000,
        0,
    )
    assert short.expected == 275_000 and short.difference == 20_000
    assert [u.ref for u in report.unmatched] != [] and len(report.unmatched) == 1
    assert [m.code for m in report.missing] == [code(cid, 4)]
    with store.read() as session:
        queue = problems.queue(session, default_carrier=cid)
        late = problems.queue(session, default_carrier=cid, now=now + timedelta(days=13))
    assert [(p.code, p.detail) for p in queue if p.rule is Rule.COD_DIFF] == [
        (code(cid, 5), "20000")
    ]
    # Order 4 is on no statement: after 10 days it becomes a problem of its own.
    assert not [p for p in queue if p.rule is Rule.COD_UNPAID]
    assert [p.code for p in late if p.rule is Rule.COD_UNPAID] == [code(cid, 4)]

    with store.write() as session:
        again = cod.import_statement(session, statement, default_carrier=cid)
    assert again.new_lines == 0 and again.repeated == report.lines
    assert [(o.code, o.paid, o.difference) for o in again.orders] == [
        (o.code, o.paid, o.difference) for o in report.orders
    ]


def test_cod_header_is_found_below_a_title_block() -> None:
    carrier, rows = read_cod(cod_file("viettel_post"))
    assert carrier.id == "viettel_post"
    # The total line under the table has no bill number and is not a line.
    assert len(rows) == 3 and rows[0].tracking == number("viettel_post", 1)


@pytest.mark.parametrize("cid", CARRIER_IDS)
def test_files_are_recognised_by_their_headers(cid: str) -> None:
    assert read_status(status_file(cid))[0].id == cid
    assert read_cod(cod_file(cid))[0].id == cid


def test_a_ghn_file_named_as_ghtk_is_refused(store: Store) -> None:
    with pytest.raises(Exception, match="GHTK"):
        read_status(status_file("ghn"), "ghtk")


@pytest.mark.parametrize(
    ("cid", "good", "bad"),
    [
        ("ghn", "GYLXD8TU", "GY-LXD8TU-LONG"),
        ("ghtk", "S22749126.SGP39-J31.1375835526", "S1234"),
        ("viettel_post", "1865123456789", "VTP12"),
        ("jt", "812345678901", "912345678901"),
        ("vnpost", "EB123456789VN", "EB12345678VN"),
    ],
)
def test_tracking_numbers_must_fit_their_carrier(
    store: Store, cid: str, good: str, bad: str
) -> None:
    add_product(store, "AT-1", on_hand=2)
    with store.write() as session:
        first = orders.create(
            session,
            OrderCreate(
                "Lan", "0912345678", "1 A", "Phường Cửa Nam", "Hà Nội", [LineInput("AT-1", 1)]
            ),
        ).code
        second = orders.create(
            session,
            OrderCreate(
                "Hà", "0912345679", "1 A", "Phường Cửa Nam", "Hà Nội", [LineInput("AT-1", 1)]
            ),
        ).code
    with store.write() as session, pytest.raises(Exception, match="not a"):
        tracking.set_number(session, first, bad, carrier=cid)
    with store.write() as session:
        stored = tracking.set_number(session, first, good, carrier=cid)
    assert REGISTRY[cid].fits(stored)
    with (
        store.write() as session,
        pytest.raises(Exception, match=f"already belongs to order {first}"),
    ):
        tracking.set_number(session, second, good, carrier=cid)


def _export(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    """A GHN order export: its number and our code, no statuses."""
    path = tmp_path / "ghn-orders.csv"
    lines = ["OrderCode,ClientOrderCode,CODAmount"] + [f"{n},{c},350000" for n, c in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tracking_numbers_from_a_carriers_order_export(
    store: Store, tmp_path: Path, now: datetime
) -> None:
    shipped_orders(store, "ghn", now)  # order 2 has no number yet
    good = _export(tmp_path, [(number("ghn", 1), code("ghn", 1)), ("GNEW0002", code("ghn", 2))])
    with store.write() as session:
        report = tracking.import_numbers(session, good)
    assert (report.carrier, report.set, report.unchanged) == (
        "ghn",
        [(code("ghn", 2), "GNEW0002")],
        1,
    )
    bad = _export(
        tmp_path,
        [
            ("GNEW0003", code("ghn", 3)),  # order 3 already has GYLXD8T3
            (number("ghn", 1), code("ghn", 4)),  # order 1's number
            ("G-1", code("ghn", 5)),  # not a GHN number
            ("GNEW0009", "DH-NOPE"),
        ],
    )
    with store.write() as session, pytest.raises(ImportRejected) as refused:
        tracking.import_numbers(session, bad)
    assert [e.row for e in refused.value.errors] == [2, 3, 4, 5]
    assert [e.key for e in refused.value.errors] == [
        "import.tracking_differs",
        "err.tracking.taken",
        "err.tracking.shape",
        "import.order_unknown",
    ]
    with store.read() as session:
        numbers = [
            session.connection()
            .execute(sa.text("SELECT tracking FROM orders WHERE code = :c"), {"c": code("ghn", i)})
            .scalar_one()
            for i in (3, 4, 5)
        ]
    assert numbers == [number("ghn", 3), number("ghn", 4), number("ghn", 5)]


def test_numeric_statuses_read_with_the_carriers_own_names() -> None:
    assert REGISTRY["viettel_post"].status_label("506") == "506 Tồn: khách vắng nhà"
    assert REGISTRY["ghtk"].status_label("9.0") == "9.0 Không giao được hàng"
    assert REGISTRY["ghn"].status_label("delivery_fail") == "delivery_fail"
