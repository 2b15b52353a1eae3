"""Reports on a small shop whose every figure is worked out by hand below.

Range: 20–26 Nov 2026 (local days, Asia/Ho_Chi_Minh = UTC+7).
  #1 20 Nov facebook  Lan  A×2 + 20,000 shipping = 220,000  GHN, shipped 20 Nov 12:00,
                      delivered 22 Nov 12:00 (2.0 d); one A returned: wrong size
  #2 20 Nov zalo      Minh B×1 − 50,000 discount            cancelled: never counts
  #3 21 Nov facebook  Hà   A×1 + B×1 = 350,000               GHTK, failed, refused, returned
  #4 22 Nov shopee    Lan  A×1 = 100,000          GHN, 22 Nov 08:00 → 26 Nov 08:00 (4.0 d)
  #5 10 Nov web       Tú   A×1 (before the range)            delivered
  #6 23 Nov web       Tú   A×1 = 100,000                     still pending
Reviews: #1 A 4 stars (21 Nov), #4 A 2 stars (26 Nov).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from helpers import add_product
from orderdesk.db import Store
from orderdesk.errors import InvalidInput
from orderdesk.models.enums import Action
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.services import orders, reports, returns, reviews, shipping

RANGE = reports.Range(date(2026, 11, 20), date(2026, 11, 26))


def at(day: int, hour: int) -> datetime:
    """A local time (UTC+7) of November 2026, as UTC."""
    return datetime(2026, 11, day, hour, tzinfo=UTC) - timedelta(hours=7)


def order(
    store: Store,
    code: str,
    when: datetime,
    items: dict[str, int],
    *,
    phone: str,
    name: str,
    channel: str,
    **money: int,
) -> str:
    with store.write() as session:
        orders.create(
            session,
            OrderCreate(
                name=name,
                phone=phone,
                street="1 Lý Thường Kiệt",
                ward="Phường Cửa Nam",
                province="Hà Nội",
                items=[LineInput(sku, qty) for sku, qty in items.items()],
                channel=channel,
                code=code,
                **money,  # type: ignore[arg-type]
            ),
            now=when,
        )
    return code


def move(store: Store, code: str, *steps: tuple[Action, datetime]) -> None:
    for action, when in steps:
        with store.write() as session:
            orders.apply(session, code, action, tick_all=True, now=when)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "A", price=100_000, on_hand=20)
    add_product(store, "B", price=250_000, on_hand=20)
    lan, ha, minh, tu = "0912000001", "0912000002", "0912000003", "0912000004"
    one = order(
        store,
        "R1",
        at(20, 10),
        {"A": 2},
        phone=lan,
        name="Lan",
        channel="facebook",
        shipping_fee=20_000,
    )
    two = order(
        store, "R2", at(20, 11), {"B": 1}, phone=minh, name="Minh", channel="zalo", discount=50_000
    )
    three = order(store, "R3", at(21, 9), {"A": 1, "B": 1}, phone=ha, name="Hà", channel="facebook")
    four = order(store, "R4", at(22, 7), {"A": 1}, phone=lan, name="Lan", channel="shopee")
    five = order(store, "R5", at(10, 9), {"A": 1}, phone=tu, name="Tú", channel="web")
    order(store, "R6", at(23, 9), {"A": 1}, phone=tu, name="Tú", channel="web")
    with store.write() as session:
        shipping.assign(session, one, carrier="ghn")
        shipping.assign(session, three, carrier="ghtk")
        shipping.assign(session, four, carrier="ghn")
        shipping.assign(session, five, carrier="ghn")
    move(
        store,
        one,
        (Action.CONFIRM, at(20, 10)),
        (Action.PACK, at(20, 11)),
        (Action.SHIP, at(20, 12)),
        (Action.DELIVER, at(22, 12)),
    )
    move(store, two, (Action.CANCEL, at(20, 12)))
    move(
        store,
        three,
        (Action.CONFIRM, at(21, 10)),
        (Action.PACK, at(21, 11)),
        (Action.SHIP, at(21, 12)),
        (Action.FAIL_DELIVERY, at(23, 9)),
        (Action.MARK_RETURNED, at(25, 9)),
    )
    move(
        store,
        four,
        (Action.CONFIRM, at(22, 7)),
        (Action.PACK, at(22, 7)),
        (Action.SHIP, at(22, 8)),
        (Action.DELIVER, at(26, 8)),
    )
    move(
        store,
        five,
        (Action.CONFIRM, at(10, 10)),
        (Action.PACK, at(10, 11)),
        (Action.SHIP, at(10, 12)),
        (Action.DELIVER, at(12, 12)),
    )
    with store.write() as session:
        returns.create(session, one, {"A": 1}, reason="wrong_size", now=at(24, 9))
        reviews.add(session, one, 4, sku="A", at=at(21, 20), now=at(21, 20))
        reviews.add(session, four, 2, sku="A", at=at(26, 20), now=at(26, 20))
    return store


def test_daily_orders_and_revenue(shop: Store) -> None:
    with shop.read() as session:
        rows = reports.daily(session, RANGE)
    assert [(r.day.day, r.orders, r.revenue) for r in rows] == [
        (20, 1, 220_000),
        (21, 1, 350_000),
        (22, 1, 100_000),
        (23, 1, 100_000),
        (24, 0, 0),
        (25, 0, 0),
        (26, 0, 0),
    ]


def test_channels_and_products(shop: Store) -> None:
    with shop.read() as session:
        by_channel = reports.channels(session, RANGE)
        by_qty = reports.products(session, RANGE)
        by_revenue = reports.products(session, RANGE, by="revenue")
    assert [(c.channel, c.orders, c.revenue) for c in by_channel] == [
        ("facebook", 2, 570_000),
        ("shopee", 1, 100_000),
        ("web", 1, 100_000),
    ]
    assert [(p.sku, p.qty, p.revenue) for p in by_qty] == [("A", 5, 500_000), ("B", 1, 250_000)]
    assert [p.sku for p in by_revenue] == ["A", "B"]


def test_returns_by_product_and_reason(shop: Store) -> None:
    with shop.read() as session:
        found = reports.returns(session, RANGE)
    assert [(r.sku, r.sold, r.returned, r.rate) for r in found.products] == [
        ("B", 1, 1, 1.0),
        ("A", 5, 2, 0.4),
    ]
    assert found.reasons == {"refused": 2, "wrong_size": 1}
    assert (found.sold, found.returned, found.rate) == (6, 3, 0.5)


def test_ratings_carriers_repeat_and_cod(shop: Store) -> None:
    with shop.read() as session:
        stars = reports.ratings(session, RANGE)
        carriers = reports.carriers(session, RANGE)
        again = reports.repeat(session, RANGE)
        cash = reports.cod(session, now=at(27, 9))
    assert [(r.sku, r.reviews, r.average) for r in stars] == [("A", 2, 3.0)]
    assert [(c.carrier, c.shipped, c.delivered, c.failed, c.median_days) for c in carriers] == [
        ("ghn", 2, 2, 0, 3.0),
        ("ghtk", 1, 0, 1, None),
    ]
    assert carriers[1].failure_rate == 1.0
    # Lan ordered twice in the range, Tú had ordered before it, Hà is new.
    assert (again.customers, again.repeat, again.share) == (3, 2, 0.6667)
    # #1 (220,000), #4 (100,000) and #5 (100,000, delivered 12 Nov 12:00, 14 whole days
    # before 27 Nov 09:00) are on no COD statement.
    assert (cash.orders, cash.amount, cash.oldest_days) == (3, 420_000, 14)
    assert cash.by_carrier == {"ghn": 420_000}


def test_a_range_that_excludes_everything_is_empty_not_an_error(shop: Store) -> None:
    empty = reports.Range(date(2026, 12, 1), date(2026, 12, 2))
    with shop.read() as session:
        everything = reports.all_reports(session, empty)
    assert [r.orders for r in everything["daily"]] == [0, 0]
    assert everything["channels"] == [] and everything["repeat"].share == 0.0


def test_ranges_by_name_and_by_dates() -> None:
    today = date(2026, 11, 27)
    assert reports.named_range("7d", today=today) == reports.Range(date(2026, 11, 21), today)
    assert reports.named_range("month", today=today).start == date(2026, 11, 1)
    assert reports.custom_range("2026-11-01", "2026-11-30").days[-1] == date(2026, 11, 30)
    with pytest.raises(InvalidInput):
        reports.custom_range("2026-11-30", "2026-11-01")
    with pytest.raises(InvalidInput):
        reports.named_range("year")


def test_report_from_the_command_line(shop: Store, db_path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from orderdesk.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            main(["--lang", "en", "--db", str(db_path), *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, _ = run("report", "channels", "--from", "2026-11-20", "--to", "2026-11-26", "--json")
    assert code == 0
    assert [(c["channel"], c["revenue"]) for c in json.loads(out)["channels"]] == [
        ("facebook", 570_000),
        ("shopee", 100_000),
        ("web", 100_000),
    ]
    csv_file = tmp_path / "daily.csv"
    code, out, _ = run(
        "report", "daily", "--from", "2026-11-20", "--to", "2026-11-26", "--csv", str(csv_file)
    )
    assert code == 0 and "Orders and revenue per day" in out
    assert "2026-11-21" in csv_file.read_text(encoding="utf-8-sig")
    code, _, err = run("report", "daily", "--from", "2026-11-26", "--to", "2026-11-20")
    assert code == 1 and "before it starts" in err
