"""The shipping label: what a courier needs, largest where it matters.

Top to bottom: carrier and service; the order code as Code128 with its QR beside it; the
tracking number as a second Code128 when it is known; the sender; the receiver in large
type; the amount to collect, very large; contents, weight, inspection rule, note; the print
date. Designed at 100×150 mm and scaled for the other sizes; every block that holds
customer text shrinks, wraps and finally cuts with "…" to stay inside its box.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm

from orderdesk.i18n import t
from orderdesk.models.enums import PaymentMethod
from orderdesk.models.money import format_money, format_number
from orderdesk.printing import barcodes, fonts, layout
from orderdesk.printing.barcodes import DOT
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink
from orderdesk.text import nfc
from orderdesk.timeutil import format_local


@dataclass(frozen=True)
class LabelSize:
    key: str
    width: float  # points
    height: float
    # Paper the label is printed on, and where each label sits on it.
    page: tuple[float, float]
    slots: tuple[tuple[float, float], ...]
    media: str  # CUPS `-o media=`

    @property
    def per_page(self) -> int:
        return len(self.slots)


def _dots(length: float) -> float:
    # Sizes are whole printer dots (203 dpi), so a page rasterized by the printer keeps
    # every bar on the dot grid; 100 mm becomes 99.97 mm, which no label stock notices.
    return round(length / DOT) * DOT


def _single(key: str, w_mm: float, h_mm: float, media: str) -> LabelSize:
    w, h = _dots(w_mm * mm), _dots(h_mm * mm)
    return LabelSize(key, w, h, (w, h), ((0.0, 0.0),), media)


_A4 = (_dots(210 * mm), _dots(297 * mm))
_A6_W, _A6_H = _dots(105 * mm), _dots(148.5 * mm)
LABEL_SIZES: dict[str, LabelSize] = {
    "100x150": _single("100x150", 100, 150, "Custom.100x150mm"),
    "a6": _single("a6", 105, 148, "A6"),
    "75x100": _single("75x100", 75, 100, "Custom.75x100mm"),
    # Four A6 labels on an A4 sheet, filled left to right, top to bottom.
    "a4x4": LabelSize(
        "a4x4",
        _A6_W,
        _A6_H,
        _A4,
        ((0.0, _A6_H), (_A6_W, _A6_H), (0.0, 0.0), (_A6_W, 0.0)),
        "A4",
    ),
}


@functools.lru_cache(maxsize=8)
def _printed(printed_at: datetime) -> str:
    return format_local(printed_at)


def label_texts(order: PrintOrder, shop: Shop, printed_at: datetime) -> dict[str, str]:
    """Every string on the label, in the current language: shared by the PDF and ZPL."""
    carrier = order.carrier_name
    if order.service:
        carrier = f"{carrier} · {order.service}"
    contents = [f"{line.qty} × {line.label}" for line in order.lines]
    if order.payment is PaymentMethod.COD or order.cod > 0:
        money = t("doc.label.cod", amount=format_money(order.cod)) if order.cod else ""
    else:
        money = ""
    if not money:
        money = t("doc.label.no_cod")
    return {
        "carrier": nfc(carrier),
        "deliver_by": (
            t("doc.label.deliver_by", date=order.deliver_by.strftime("%d/%m"))
            if order.deliver_by
            else ""
        ),
        "sender": nfc(
            t("doc.label.from")
            + " "
            + " · ".join(p for p in (shop.name, shop.phone) if p)
            + (f" — {shop.address}" if shop.address else "")
        ),
        "to": t("doc.label.to"),
        "name": order.name,
        "phone": order.phone_shown,
        "address": order.address,
        "money": money,
        "contents_title": t("doc.label.contents", units=order.units),
        "contents": nfc("; ".join(contents)),
        "facts": t(
            "doc.label.facts",
            weight=format_number(order.weight_g),
            inspection=t(f"inspection.{order.inspection.value}"),
        ),
        "note": t("doc.label.note", note=order.note) if order.note else "",
        "tracking": t("doc.label.tracking", number=order.tracking) if order.tracking else "",
        "footer": t("doc.label.printed", when=_printed(printed_at), code=order.code),
    }


def draw_label(
    ink: Ink,
    size: LabelSize,
    order: PrintOrder,
    shop: Shop,
    printed_at: datetime,
    shared: Callable[[str, Callable[[Ink], None]], None] | None = None,
) -> None:
    """Draw one label with its bottom-left corner at the ink's origin.

    `shared(key, draw)` draws artwork that is the same on every label of the batch once
    and reuses it (a PDF form); without it, everything is drawn directly.
    """
    texts = label_texts(order, shop, printed_at)
    w, h = size.width, size.height
    k = min(w / (100 * mm), h / (150 * mm))
    m = 3 * mm * k
    inner = w - 2 * m
    bold = True

    def fixed(draw: Callable[[Ink], None], key: str) -> None:
        if shared is None:
            draw(ink)
        else:
            shared(key, draw)

    # Frame and sender: the same on every label of a batch.
    top_of_sender = h - m - (9 + 26) * mm * k
    sender_box = 9 * mm * k

    def frame(target: Ink) -> None:
        target.box(m / 2, m / 2, w - m, h - m, line=1.2)
        fitted = layout.fit_block(texts["sender"], inner, sender_box, 7.5 * k, 5.5)
        layout.draw_block(target, m, top_of_sender, fitted)

    fixed(frame, f"label-frame-{size.key}")

    # Carrier band.
    y = h - m
    band = 9 * mm * k
    right = texts["deliver_by"]
    right_w = fonts.width(right, 10 * k, bold) + 2 * mm if right else 0.0
    carrier_size = layout.fit_line(texts["carrier"], inner - right_w, 13 * k, 7, bold)
    carrier = layout.clip(texts["carrier"], inner - right_w, carrier_size, bold)
    ink.text(m, y - band + 2.6 * mm * k, carrier, carrier_size, bold=True)
    if right:
        ink.text(w - m - right_w + 2 * mm, y - band + 2.6 * mm * k, right, 10 * k, bold=True)
    y -= band
    ink.rule(m / 2, y, w - m / 2, y, width=0.8)

    # Order code: Code128 with its text, QR on the right. A code too long to sit beside
    # the QR takes the whole width and the QR moves down beside the contents; one too long
    # for any bars a scanner can read (past about 30 characters) is printed as text, with
    # its QR.
    codes_h = 26 * mm * k
    side, _ = barcodes.qr_pixels(order.code)
    qr_dots = max(2, int(22 * mm * k / (side * DOT)))
    qr_drawn = side * qr_dots * DOT
    beside = w - 2 * m - qr_drawn - 2 * mm
    full = inner + m  # the quiet zones may reach into the margins, not past the frame
    module = next((d for d in (3, 2) if barcodes.code128_width(order.code, d) <= beside), 0)
    qr_below = False
    bar_room = beside
    if not module:
        module = next((d for d in (3, 2) if barcodes.code128_width(order.code, d) <= full), 0)
        qr_below = bool(module)
        bar_room = full if module else beside
    if not qr_below:
        ink.qr(w - m - qr_drawn, y - 1.5 * mm * k - qr_drawn, order.code, qr_dots)
    text_room = inner if qr_below else beside
    if module:
        bar_h = codes_h - 9 * mm * k
        bar_w = barcodes.code128_width(order.code, module)
        left = m - (m / 2 if qr_below else 0.0)
        bar_x = left + max(0.0, (bar_room - bar_w) / 2)
        ink.code128(bar_x, y - 1.5 * mm * k - bar_h, order.code, module, bar_h)
        code_size = layout.fit_line(order.code, text_room, 14 * k, 6, bold)
        code = layout.clip(order.code, text_room, code_size, bold)
        code_w = fonts.width(code, code_size, bold)
        ink.text(m + (text_room - code_w) / 2, y - codes_h + 2 * mm * k, code, code_size, bold=True)
    else:
        fitted = layout.fit_block(order.code, text_room, codes_h - 3 * mm, 16 * k, 7, bold=True)
        layout.draw_block(ink, m, y - 1.5 * mm * k, fitted, bold=True)
    y -= codes_h

    # Sender block was drawn with the frame; leave its room.
    y -= sender_box
    ink.rule(m / 2, y, w - m / 2, y, width=0.8)

    # Tracking number, when known, as a second Code128. A number too long for the label
    # even at 2-dot bars (a 30-character GHTK label id on 75 mm) is printed as text only:
    # narrower bars would not scan.
    if order.tracking:
        track_h = 14 * mm * k
        module = 3 if barcodes.code128_width(order.tracking, 3) <= inner else 2
        width_needed = barcodes.code128_width(order.tracking, module)
        if width_needed <= inner + m:
            x = m + (inner - width_needed) / 2
            ink.code128(
                max(0.0, x), y - 1 * mm * k - 9 * mm * k, order.tracking, module, 9 * mm * k
            )
            size_t = layout.fit_line(texts["tracking"], inner, 8 * k, 6)
            ink.text(m, y - track_h + 1.2 * mm * k, texts["tracking"], size_t)
        else:
            track_h = 8 * mm * k
            size_t = layout.fit_line(texts["tracking"], inner, 11 * k, 6, bold)
            tracking = layout.clip(texts["tracking"], inner, size_t, bold)
            ink.text(m, y - track_h + 2.5 * mm * k, tracking, size_t, bold=True)
        y -= track_h
        ink.rule(m / 2, y, w - m / 2, y, width=0.5)

    # Receiver: large.
    ink.text(m, y - 3.2 * mm * k, texts["to"], 7 * k)
    y -= 4 * mm * k
    name_size = layout.fit_line(texts["name"], inner, 15 * k, 8, bold)
    name = layout.clip(texts["name"], inner, name_size, bold)
    ink.text(m, y - name_size * 0.95, name, name_size, bold=True)
    y -= name_size * 1.2
    ink.text(m, y - 13 * k * 0.95, texts["phone"], 13 * k, bold=True)
    y -= 13 * k * 1.25
    address_box = 20 * mm * k
    fitted = layout.fit_block(texts["address"], inner, address_box, 11.5 * k, 6.5)
    layout.draw_block(ink, m, y, fitted)
    y -= address_box + 1 * mm * k
    ink.rule(m / 2, y, w - m / 2, y, width=0.8)

    # The amount to collect, very large, boxed.
    money_h = 15 * mm * k
    y -= 1.5 * mm * k
    ink.box(m, y - money_h, inner, money_h, line=2.2)
    money_size = layout.fit_line(texts["money"], inner - 4 * mm, 24 * k, 8, bold)
    money_w = fonts.width(texts["money"], money_size, bold)
    ink.text(
        m + (inner - money_w) / 2,
        y - money_h / 2 - money_size * 0.35,
        texts["money"],
        money_size,
        bold=True,
    )
    y -= money_h + 1.5 * mm * k

    # Footer first (fixed place), then contents take what is left between.
    footer_size = 6.5 * k
    ink.text(m, m + 1 * mm * k, layout.clip(texts["footer"], inner, footer_size), footer_size)
    bottom = m + 1 * mm * k + footer_size * 1.4
    note_h = 0.0
    if texts["note"]:
        note_fit = layout.fit_block(texts["note"], inner, 9 * mm * k, 8 * k, 6, max_lines=3)
        note_h = note_fit.height + 1 * mm * k
        layout.draw_block(ink, m, bottom + note_h, note_fit)
    facts_size = layout.fit_line(texts["facts"], inner, 8 * k, 6, bold)
    facts_y = bottom + note_h + 0.8 * mm * k
    ink.text(
        m, facts_y, layout.clip(texts["facts"], inner, facts_size, bold), facts_size, bold=True
    )
    contents_bottom = facts_y + facts_size * 1.3
    contents_w = inner
    if qr_below:
        # The QR sits bottom-right of the contents, as large as their room allows.
        room = y - contents_bottom - 1 * mm * k
        dots = max(2, min(qr_dots, int(room / (side * DOT))))
        ink.qr(w - m - side * dots * DOT, contents_bottom, order.code, dots)
        contents_w = inner - side * dots * DOT - 2 * mm
    ink.text(m, y - 7 * k, texts["contents_title"], 7 * k, bold=True)
    y -= 7 * k * 1.4
    fitted = layout.fit_block(
        texts["contents"], contents_w, max(6.0, y - contents_bottom), 9 * k, 5.5
    )
    layout.draw_block(ink, m, y, fitted)
