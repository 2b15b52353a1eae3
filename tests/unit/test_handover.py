"""Handover: 40 packed parcels, 38 go in the courier's bag; closing ships those 38 only."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers import act, add_product, create, stock_of
from orderdesk.db import Store
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.money import format_money
from orderdesk.printing.documents import Shop
from orderdesk.services import handover, orders, shipping
from orderdesk.services.handover import HandoverRefused

SHOP = Shop("Tiệm Áo Hoa Sen", "0912 345 678", "12 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội")


def packed(store: Store, count: int, carrier: str = "ghn") -> list[tuple[str, str]]:
    """`count` packed orders for `carrier`, each with a GHN number; (code, number)."""
    add_product(store, "AT-1", on_hand=count + 5, weight_g=350)
    made = []
    for i in range(count):
        code = create(store, {"AT-1": 1}, phone=f"0912{i:06d}", shipping_fee=i * 1000).code
        number = f"GHN{i:05d}"
        with store.write() as session:
            shipping.assign(session, code, carrier=carrier, tracking=number)
        act(store, code, Action.CONFIRM, tick_all=True)
        act(store, code, Action.PACK)
        made.append((code, number))
    return made


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_forty_packed_thirty_eight_scanned(store: Store, tmp_path: Path) -> None:
    parcels = packed(store, 40)
    with store.write() as session:
        opened = handover.open_handover(session, "ghn")
    assert [p.code for p in opened.parcels] == [c for c, _ in parcels]
    left_out = {parcels[7][0], parcels[31][0]}
    with store.write() as session:
        for i, (code, number) in enumerate(parcels):
            if code in left_out:
                continue
            # A scanner reads either barcode of the label: the order code or the number.
            result = handover.scan(session, opened.id, number if i % 2 else code)
            assert result.code == code and not result.again
    with store.read() as session:
        before = handover.get(session, opened.id)
    # The parcels not scanned are listed before the handover is closed.
    assert {p.code for p in before.missing} == left_out
    assert len(before.scanned) == 38
    with store.write() as session:
        draft = handover.write_files(session, opened.id, SHOP, tmp_path / "draft")
    assert all(c in text(draft.manifest) for c, _ in parcels)  # a draft lists all 40

    with store.write() as session:
        closed = handover.close(session, opened.id)
    assert set(closed.left) == left_out and len(closed.shipped) == 38
    with store.read() as session:
        for code, _ in parcels:
            expected = OrderStatus.PACKED if code in left_out else OrderStatus.SHIPPED
            assert orders.get(session, code).status is expected
        done = handover.get(session, opened.id)
        files = handover.write_files(session, opened.id, SHOP, tmp_path / "closed")
    assert stock_of(store, "AT-1").on_hand == 45 - 38
    read = text(files.manifest)
    shipped = [(c, n) for c, n in parcels if c not in left_out]
    for code, number in shipped:
        assert number in read and code in read
    for code in left_out:
        assert code not in read
    total = sum(p.cod for p in done.parcels)
    assert total == sum(100_000 + i * 1000 for i in range(40) if parcels[i][0] not in left_out)
    assert format_money(total) in read
    assert read.count("✓") == 38

    book = load_workbook(files.upload, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn riêng" and len(rows) == 1 + 38
    assert {r[0] for r in rows[1:]} == {c for c, _ in shipped}
    assert all(r[2].startswith("0912") for r in rows[1:])  # the portal's phone form

    # The two left behind wait for the next pickup.
    with store.write() as session:
        again = handover.open_handover(session, "ghn")
    assert {p.code for p in again.parcels} == left_out


def test_scans_the_handover_refuses(store: Store) -> None:
    parcels = packed(store, 3)
    other = create(store, {"AT-1": 1}, phone="0987654321").code
    with store.write() as session:
        opened = handover.open_handover(session, "ghn")
        handover.scan(session, opened.id, parcels[0][0])
        assert handover.scan(session, opened.id, parcels[0][1].lower()).again
        with pytest.raises(HandoverRefused, match="no order code or tracking number"):
            handover.scan(session, opened.id, "NOPE-1")
        with pytest.raises(HandoverRefused, match=f"{other} is not in handover"):
            handover.scan(session, opened.id, other)
    with store.write() as session, pytest.raises(HandoverRefused, match="not packed"):
        handover.open_handover(session, "ghn", codes=[other])


def test_closing_with_nothing_scanned_is_refused(store: Store) -> None:
    packed(store, 2)
    with store.write() as session:
        opened = handover.open_handover(session, "ghn")
    with store.write() as session, pytest.raises(HandoverRefused, match="no parcel"):
        handover.close(session, opened.id)
    with store.read() as session:
        assert handover.get(session, opened.id).state == "open"


def test_only_the_carriers_parcels_are_gathered(store: Store) -> None:
    parcels = packed(store, 2)
    with store.write() as session:
        shipping.assign(session, parcels[1][0], carrier="ghtk", tracking="")
    with store.write() as session:
        opened = handover.open_handover(session, "ghn")
        assert [p.code for p in opened.parcels] == [parcels[0][0]]
        with pytest.raises(HandoverRefused, match="No packed orders|no packed orders"):
            handover.open_handover(session, "jt")
