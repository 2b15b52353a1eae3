"""The pick list for a batch (each SKU once) and a packing slip per order (no prices)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.units import mm

from orderdesk.i18n import t
from orderdesk.printing import layout
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink
from orderdesk.printing.sheet import Column, Paper, Table, flow
from orderdesk.text import natural_key
from orderdesk.timeutil import format_local


@dataclass
class Pick:
    sku: str
    name: str
    variant: str
    qty: int = 0
    orders: list[str] = field(default_factory=list)


def picks(orders: Sequence[PrintOrder]) -> list[Pick]:
    """Each SKU once with its total and the orders needing it, in shelf (SKU) order.

    Products have no shelf location yet, so SKU order is the walk: shops shelve by SKU.
    """
    by_sku: dict[str, Pick] = {}
    for order in orders:
        for line in order.lines:
            pick = by_sku.setdefault(line.sku, Pick(line.sku, line.name, line.variant))
            pick.qty += line.qty
            pick.orders.append(order.code if line.qty == 1 else f"{order.code}×{line.qty}")
    return sorted(by_sku.values(), key=lambda p: natural_key(p.sku))


def draw_picklist(
    ink: Ink, canvas: object, paper: Paper, orders: Sequence[PrintOrder], printed_at: datetime
) -> None:
    items = picks(orders)
    s = paper.scale
    inner = paper.width - 2 * paper.margin
    summary = t(
        "doc.picklist.summary",
        orders=len(orders),
        skus=len(items),
        units=sum(p.qty for p in items),
        when=format_local(printed_at),
    )
    started = [False]

    def new_page(number: int) -> tuple[Ink, float]:
        if started[0]:
            canvas.showPage()  # type: ignore[attr-defined]
        canvas.setPageSize((paper.width, paper.height))  # type: ignore[attr-defined]
        started[0] = True
        y = paper.height - paper.margin
        title = t("doc.picklist.title")
        ink.text(paper.margin, y - 14 * s, title, 14 * s, bold=True)
        y -= 14 * s * 1.5
        ink.text(paper.margin, y - 8 * s, layout.clip(summary, inner, 8 * s), 8 * s)
        return ink, y - 8 * s * 2

    table = Table(
        [
            Column(t("doc.col.check"), 0.4),
            Column(t("doc.col.sku"), 1.5, bold=True),
            Column(t("doc.col.name"), 3.0, wrap=True),
            Column(t("doc.col.variant"), 1.3, wrap=True),
            Column(t("doc.col.qty"), 0.6, right=True, bold=True),
            Column(t("doc.col.orders"), 3.2, wrap=True),
        ],
        inner,
        8.5 * s,
    )
    rows = [["☐", p.sku, p.name, p.variant, str(p.qty), ", ".join(p.orders)] for p in items]
    flow(
        paper,
        table,
        rows,
        new_page=new_page,
        footer_height=0,
        page_label=lambda n, total: t("doc.page", page=n, pages=total),
    )


def draw_slip(
    ink: Ink, canvas: object, paper: Paper, order: PrintOrder, shop: Shop, printed_at: datetime
) -> None:
    s = paper.scale
    inner = paper.width - 2 * paper.margin
    m = paper.margin
    started = [False]

    def new_page(number: int) -> tuple[Ink, float]:
        if started[0]:
            canvas.showPage()  # type: ignore[attr-defined]
        canvas.setPageSize((paper.width, paper.height))  # type: ignore[attr-defined]
        started[0] = True
        y = paper.height - m
        ink.text(
            m, y - 11 * s, layout.clip(shop.name, inner * 0.55, 11 * s, True), 11 * s, bold=True
        )
        title = t("doc.slip.title")
        ink.text(m, y - 11 * s * 2.4, title, 13 * s, bold=True)
        # The order code as a barcode: scan-to-pack starts from this sheet.
        bar_h = 11 * mm * s
        ink.code128(m + inner * 0.55, y - bar_h, order.code, 2, bar_h)
        ink.text(m + inner * 0.55 + 3 * mm, y - bar_h - 9 * s, order.code, 9 * s, bold=True)
        y -= max(11 * s * 3.2, bar_h + 9 * s * 1.6)
        receiver = f"{order.name} · {order.phone_shown}"
        ink.text(m, y - 9 * s, layout.clip(receiver, inner, 9 * s, True), 9 * s, bold=True)
        y -= 9 * s * 1.35
        fitted = layout.fit_block(order.address, inner, 18 * s, 8 * s, 6, max_lines=2)
        y = layout.draw_block(ink, m, y, fitted)
        units = t("doc.slip.summary", units=order.units)
        ink.text(m, y - 8 * s - 1 * mm, units, 8 * s)
        return ink, y - 8 * s * 2

    table = Table(
        [
            Column(t("doc.col.no"), 0.5, right=True),
            Column(t("doc.col.sku"), 1.6, bold=True),
            Column(t("doc.col.name"), 3.6, wrap=True),
            Column(t("doc.col.variant"), 1.6, wrap=True),
            Column(t("doc.col.qty"), 0.7, right=True, bold=True),
            Column(t("doc.col.check"), 0.5),
        ],
        inner,
        8.5 * s,
    )
    rows = [
        [str(i), line.sku, line.name, line.variant, str(line.qty), "☐"]
        for i, line in enumerate(order.lines, 1)
    ]
    note_h = 12 * s if order.note else 0
    ink2, y = flow(
        paper,
        table,
        rows,
        new_page=new_page,
        footer_height=note_h,
        page_label=lambda n, total: t("doc.page", page=n, pages=total),
    )
    if order.note:
        fitted = layout.fit_block(
            t("doc.label.note", note=order.note), inner, 12 * s * 2, 8 * s, 6, max_lines=3
        )
        layout.draw_block(ink2, m, y - 2 * mm, fitted)
    ink2.text(m, m + 2, t("doc.printed", when=format_local(printed_at)), 6 * s)
