"""The sales invoice (hóa đơn bán hàng): A5 by default, A4, or an 80 mm receipt roll.

A long order flows onto further pages with the shop header, the invoice number and the
column heads repeated; the totals, the amount in words and the note follow the last line.
"""

from __future__ import annotations

from datetime import datetime

from num2words import num2words
from reportlab.lib.units import mm

from orderdesk.i18n import get_language, t
from orderdesk.models.money import format_money, format_number
from orderdesk.printing import fonts, layout
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink, NullInk, PdfInk
from orderdesk.printing.sheet import Column, Paper, Table, flow
from orderdesk.timeutil import format_local, to_local

ROLL_MAX = 3000 * mm


def amount_in_words(amount: int, lang: str | None = None) -> str:
    """`350000` → `Ba trăm năm mươi nghìn đồng` (num2words does the Vietnamese numbers)."""
    lang = lang or get_language()
    words = num2words(amount, lang="vi" if lang == "vi" else "en")
    text = f"{words} {t('doc.invoice.currency_word')}"
    return text[:1].upper() + text[1:]


def _columns(paper: Paper) -> list[Column]:
    if paper.key == "80mm":
        return [
            Column(t("doc.col.item"), 4.2, wrap=True),
            Column(t("doc.col.qty"), 0.8, right=True),
            Column(t("doc.col.price"), 1.9, right=True),
            Column(t("doc.col.amount"), 2.1, right=True),
        ]
    return [
        Column(t("doc.col.no"), 0.5, right=True),
        Column(t("doc.col.sku"), 1.5),
        Column(t("doc.col.name"), 3.6, wrap=True),
        Column(t("doc.col.variant"), 1.5, wrap=True),
        Column(t("doc.col.qty"), 0.7, right=True),
        Column(t("doc.col.price"), 1.4, right=True),
        Column(t("doc.col.amount"), 1.6, right=True),
    ]


def _rows(paper: Paper, order: PrintOrder) -> list[list[str]]:
    if paper.key == "80mm":
        return [
            [line.label, str(line.qty), format_number(line.unit_price), format_number(line.amount)]
            for line in order.lines
        ]
    return [
        [
            str(i),
            line.sku,
            line.name,
            line.variant,
            str(line.qty),
            format_number(line.unit_price),
            format_number(line.amount),
        ]
        for i, line in enumerate(order.lines, 1)
    ]


def _totals(order: PrintOrder) -> list[tuple[str, str, bool]]:
    rows = [(t("doc.invoice.subtotal"), format_money(order.subtotal), False)]
    if order.discount:
        rows.append((t("doc.invoice.discount"), "-" + format_money(order.discount), False))
    rows.append((t("doc.invoice.shipping"), format_money(order.shipping_fee), False))
    rows.append((t("doc.invoice.total"), format_money(order.total), True))
    rows.append((t("doc.invoice.paid"), format_money(order.paid), False))
    rows.append((t("doc.invoice.cod"), format_money(order.cod), True))
    return rows


def draw_invoice(
    ink: PdfInk,
    paper: Paper,
    order: PrintOrder,
    shop: Shop,
    printed_at: datetime,
) -> None:
    """Draw one invoice as one or more pages of `paper` (a roll: one page of its length)."""
    if not paper.height:
        # A roll is as long as its content: lay it out once without ink to measure.
        probe = Paper(paper.key, paper.width, ROLL_MAX, paper.margin, paper.media, paper.scale)
        lowest = _draw(NullInk(), None, probe, order, shop, printed_at)
        height = ROLL_MAX - lowest + paper.margin
        paper = Paper(paper.key, paper.width, height, paper.margin, paper.media, paper.scale)
        _draw(ink, ink.canvas, paper, order, shop, printed_at, roll=True)
        return
    _draw(ink, ink.canvas, paper, order, shop, printed_at)


def _draw(
    ink: Ink,
    canvas: object,
    paper: Paper,
    order: PrintOrder,
    shop: Shop,
    printed_at: datetime,
    roll: bool = False,
) -> float:
    s = paper.scale
    w, h, m = paper.width, paper.height, paper.margin
    inner = w - 2 * m
    started = [False]

    def new_page(number: int) -> tuple[Ink, float]:
        if canvas is not None:
            if started[0]:
                canvas.showPage()  # type: ignore[attr-defined]
            canvas.setPageSize((w, h))  # type: ignore[attr-defined]
        started[0] = True
        return ink, _header(ink, paper, order, shop)

    size = 8 * s
    table = Table(_columns(paper), inner, size)
    totals = _totals(order)
    words = layout.fit_block(
        t("doc.invoice.in_words", words=amount_in_words(order.total)),
        inner,
        size * 3,
        size,
        6,
        max_lines=2,
    )
    note = None
    if order.note:
        note = layout.fit_block(
            t("doc.label.note", note=order.note), inner, size * 4, size, 6, max_lines=3
        )
    # Everything under the table, measured before the table is laid out, so the pages
    # leave room for it above the margin.
    footer_h = (
        2 * mm
        + len(totals) * size * 1.45
        + 2 * mm
        + words.height
        + (note.height + 1 * mm if note else 0.0)
        + 3 * mm
        + size * 1.4
        + 6 * s * 1.5
    )
    ink, y = flow(
        paper if not roll else Paper(paper.key, w, 0, m, paper.media, s),
        table,
        _rows(paper, order),
        new_page=new_page,
        footer_height=footer_h,
        page_label=lambda n, total: t("doc.page", page=n, pages=total),
    )
    y -= 2 * mm
    label_x = m + inner * (0.35 if paper.key == "80mm" else 0.55)
    for label, amount, strong in totals:
        y -= size * 1.45
        ink.text(label_x, y, label, size, bold=strong)
        ink.text(m + inner - fonts.width(amount, size, strong), y, amount, size, bold=strong)
    y -= 2 * mm
    y = layout.draw_block(ink, m, y, words)
    if note is not None:
        y = layout.draw_block(ink, m, y - 1 * mm, note)
    y -= 3 * mm
    thanks = t("doc.invoice.thanks")
    ink.text(m + (inner - fonts.width(thanks, size)) / 2, y - size, thanks, size)
    y -= size * 1.4
    printed = t("doc.printed", when=format_local(printed_at))
    ink.text(m, y - 6 * s, printed, 6 * s)
    return y - 6 * s * 1.5


def _header(ink: Ink, paper: Paper, order: PrintOrder, shop: Shop) -> float:
    s = paper.scale
    w, h, m = paper.width, paper.height, paper.margin
    inner = w - 2 * m
    y = h - m
    x = m
    if shop.logo is not None and isinstance(ink, PdfInk):
        logo_h = 12 * mm * s
        ink.canvas.drawImage(
            str(shop.logo),
            ink.x0 + m,
            ink.y0 + y - logo_h,
            width=logo_h * 2,
            height=logo_h,
            preserveAspectRatio=True,
            anchor="w",
            mask="auto",
        )
        x = m + logo_h * 2 + 2 * mm
    name_size = layout.fit_line(shop.name, w - m - x, 12 * s, 7, True)
    ink.text(x, y - name_size, shop.name, name_size, bold=True)
    y2 = y - name_size * 1.3
    contact = " · ".join(p for p in (shop.address, shop.phone) if p)
    if contact:
        fitted = layout.fit_block(contact, w - m - x, 16 * s, 7.5 * s, 5.5, max_lines=2)
        y2 = layout.draw_block(ink, x, y2, fitted)
    y = min(y2, y - (12 * mm * s if shop.logo else 0)) - 3 * mm * s
    title = t("doc.invoice.title")
    title_size = layout.fit_line(title, inner, 14 * s, 8, True)
    ink.text(
        m + (inner - fonts.width(title, title_size, True)) / 2,
        y - title_size,
        title,
        title_size,
        bold=True,
    )
    y -= title_size * 1.5
    number = t(
        "doc.invoice.number",
        code=order.code,
        date=to_local(order.created_at).strftime("%d/%m/%Y"),
    )
    ink.text(m + (inner - fonts.width(number, 8 * s)) / 2, y - 8 * s, number, 8 * s)
    y -= 8 * s * 1.8
    customer = t("doc.invoice.customer", name=order.name, phone=order.phone_shown)
    ink.text(m, y - 8.5 * s, layout.clip(customer, inner, 8.5 * s, True), 8.5 * s, bold=True)
    y -= 8.5 * s * 1.35
    fitted = layout.fit_block(
        t("doc.invoice.address", address=order.address), inner, 20 * s, 8 * s, 6, max_lines=2
    )
    y = layout.draw_block(ink, m, y, fitted)
    return y - 2 * mm * s
