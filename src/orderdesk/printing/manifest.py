"""The carrier handover manifest (biên bản bàn giao): the parcels a courier takes, signed.

One row per parcel with a Code128 of its tracking number (of the order code while it has
none), so the courier can scan the sheet instead of every parcel. Rows flow onto as many
A4 pages as they need with the header and column heads repeated; the totals and the two
signatures follow the last row.

Bars are two printer dots (0.25 mm) wide and 9 mm tall: a tracking number of up to about
13 letters fits its column; a longer one (GHTK's dotted numbers) gets a band of its own
under the row's text, across the columns to its right, so its bars stay as wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm

from orderdesk.i18n import get_language, t
from orderdesk.models.money import format_money, format_number
from orderdesk.printing import barcodes, fonts, layout
from orderdesk.printing.barcodes import DOT, QUIET_MODULES
from orderdesk.printing.documents import Shop
from orderdesk.printing.ink import Ink, NullInk
from orderdesk.printing.sheet import PAPERS, Column, Paper, Table, flow
from orderdesk.text import nfc
from orderdesk.timeutil import to_local

BAR_HEIGHT = 9 * mm
MODULE_DOTS = 2  # 0.25 mm: the narrowest bar an office laser printer and a scanner agree on


@dataclass(frozen=True)
class ManifestRow:
    code: str  # our order code, e.g. "DH2611-0042"
    tracking: str  # the carrier's tracking number; "" prints the order code's barcode
    name: str  # receiver (NFC)
    phone: str  # display form, e.g. "0912 345 678"
    address: str  # one line, ward + province
    cod: int  # đồng to collect, 0 for prepaid
    weight_g: int
    scanned: bool  # ticked at scan-to-handover


@dataclass(frozen=True)
class Manifest:
    shop: Shop
    carrier_name: str  # e.g. "Giao Hàng Nhanh (GHN)"
    number: str  # handover number, e.g. "BG-0003"
    at: datetime  # when the handover was opened or closed (aware, or naive local time)
    rows: Sequence[ManifestRow]
    closed: bool  # False: a draft to tick by hand (every tick box is empty)

    @property
    def total_cod(self) -> int:
        return sum(row.cod for row in self.rows)

    @property
    def total_weight_g(self) -> int:
        return sum(row.weight_g for row in self.rows)

    @property
    def scanned(self) -> int:
        return sum(row.scanned for row in self.rows)


def write_manifest(path: Path, manifest: Manifest, *, paper: str = "a4") -> int:
    """Write the manifest PDF to `path` (complete or not at all); returns its page count."""
    from orderdesk.printing.output import durable_write

    sheet = PAPERS[paper]
    pages = [0]

    def write(out: BinaryIO) -> None:
        pages[0] = render_manifest(out, manifest, sheet)

    durable_write(path, write)
    return pages[0]


def render_manifest(out: BinaryIO, manifest: Manifest, paper: Paper) -> int:
    """The manifest PDF written to `out`; returns its page count."""
    from orderdesk.printing.pdf import PdfDocument

    if not paper.height:
        raise ValueError(f"a handover manifest needs sheets, not a roll ({paper.key})")
    doc = PdfDocument(
        out, (paper.width, paper.height), f"{t('doc.manifest.kind')} {manifest.number}"
    )
    pages = draw_manifest(doc.ink, paper, manifest, canvas=doc.canvas)
    doc.page()
    doc.close()
    return pages


def draw_manifest(ink: Ink, paper: Paper, manifest: Manifest, *, canvas: Any | None = None) -> int:
    """Draw the manifest onto `paper`-sized pages of `canvas` (by default the ink's own);
    returns how many pages it took. The last page is left open for the caller to finish,
    as `pdf.PdfDocument.page` does."""
    if canvas is None:
        canvas = getattr(ink, "canvas", None)
    s = paper.scale
    m = paper.margin
    inner = paper.width - 2 * m
    pages = [0]

    def new_page(number: int) -> tuple[Ink, float]:
        if canvas is not None:
            if pages[0]:
                canvas.showPage()
            canvas.setPageSize((paper.width, paper.height))
        pages[0] = number
        return ink, _header(ink, paper, manifest)

    table = _ManifestTable(_columns(), inner, 8 * s)
    rows = [_cells(i, row, manifest.closed) for i, row in enumerate(manifest.rows, 1)]
    footer_h = -_footer(NullInk(), paper, manifest, 0.0)
    ink, y = flow(
        paper,
        table,
        rows,
        new_page=new_page,
        footer_height=footer_h,
        page_label=lambda n, total: t("doc.page", page=n, pages=total),
    )
    _footer(ink, paper, manifest, y)
    return pages[0]


# ----------------------------------------------------------------------------- header


def _when(at: datetime) -> str:
    return (to_local(at) if at.tzinfo else at).strftime("%d/%m/%Y %H:%M")


def _header(ink: Ink, paper: Paper, manifest: Manifest) -> float:
    """Shop, handover number and time, title and carrier; returns the y under them."""
    s = paper.scale
    m = paper.margin
    inner = paper.width - 2 * m
    right = paper.width - m
    top = paper.height - m
    shop = manifest.shop

    number = t("doc.manifest.number", number=nfc(manifest.number))
    number_size = layout.fit_line(number, inner * 0.34, 11 * s, 7, True)
    number_x = right - fonts.width(number, number_size, True)
    ink.text(number_x, top - 11 * s, number, number_size, bold=True)
    when = t("doc.manifest.at", when=_when(manifest.at))
    ink.text(right - fonts.width(when, 8.5 * s), top - 11 * s * 1.25 - 8.5 * s, when, 8.5 * s)

    left_w = inner * 0.62
    name = nfc(shop.name)
    name_size = layout.fit_line(name, left_w, 12 * s, 7, True)
    ink.text(m, top - 12 * s, name, name_size, bold=True)
    y = top - 12 * s * 1.3
    contact = nfc(" · ".join(p for p in (shop.address, shop.phone) if p))
    if contact:
        fitted = layout.fit_block(contact, left_w, 18 * s, 8 * s, 6, max_lines=2)
        y = layout.draw_block(ink, m, y, fitted)
    y = min(y, top - 11 * s * 1.25 - 8.5 * s * 1.4) - 4 * mm * s

    title = t("doc.manifest.title")
    title_size = layout.fit_line(title, inner, 15 * s, 9, True)
    _centred(ink, m, inner, y - title_size, title, title_size, bold=True)
    y -= title_size * 1.45
    carrier = t("doc.manifest.carrier", carrier=nfc(manifest.carrier_name))
    carrier_size = layout.fit_line(carrier, inner, 10 * s, 6, True)
    _centred(ink, m, inner, y - carrier_size, carrier, carrier_size, bold=True)
    y -= carrier_size * 1.45
    if not manifest.closed:
        draft = t("doc.manifest.draft")
        draft_size = layout.fit_line(draft, inner, 8 * s, 6)
        _centred(ink, m, inner, y - draft_size, draft, draft_size)
        y -= draft_size * 1.45
    return y - 2 * mm * s


def _centred(
    ink: Ink, x: float, width: float, baseline: float, text: str, size: float, bold: bool = False
) -> None:
    ink.text(x + (width - fonts.width(text, size, bold)) / 2, baseline, text, size, bold=bold)


# ----------------------------------------------------------------------------- table

# Cells of a row as `flow` carries them, in this order (the barcode's data is not a column).
_NO, _CODE, _TRACKING, _NAME, _PHONE, _ADDRESS, _COD, _WEIGHT, _TICK, _BARCODE = range(10)
_TRACKING_COLUMN = 2
_TICKED = "✓"
_UNDER_NUMBER = 1.45  # from a row's top padding to its barcode, in text sizes


def _columns() -> list[Column]:
    # Shares in millimetres of A4's 186 mm table; a tracking number of 13 letters fits.
    return [
        Column(t("doc.manifest.col.no"), 8, right=True),
        Column(t("doc.manifest.col.code"), 22, bold=True),
        Column(t("doc.manifest.col.tracking"), 51, bold=True),
        Column(t("doc.manifest.col.receiver"), 35, wrap=True),
        Column(t("doc.manifest.col.address"), 33, wrap=True),
        Column(t("doc.manifest.col.cod"), 16, right=True, bold=True),
        Column(t("doc.manifest.col.weight"), 11, right=True),
        Column(t("doc.manifest.col.tick"), 10),
    ]


def _cells(index: int, row: ManifestRow, closed: bool) -> list[str]:
    tick = _TICKED if closed and row.scanned else ""
    return [
        str(index),
        nfc(row.code),
        nfc(row.tracking),
        nfc(row.name),
        nfc(row.phone),
        nfc(row.address),
        format_number(row.cod),
        format_number(row.weight_g),
        tick,
        row.tracking or row.code,
    ]


class _Lines(list[list[str]]):
    """A body row's lines per column, with where and how its barcode is drawn."""

    barcode: str
    has_tracking: bool
    module: int  # dots per module; 0: no barcode fits
    band: bool  # the barcode has a band of its own under the text
    name: layout.Fitted
    address: layout.Fitted


class _ManifestTable(Table):
    """`sheet.Table` with rows tall enough for a barcode under the tracking number."""

    def _left(self, column: int) -> float:
        return sum(self.widths[:column])

    def row_lines(self, cells: Sequence[str]) -> list[list[str]]:
        size = self.size
        pad = self.pad
        room = [w - 2 * pad for w in self.widths]
        lines = _Lines()
        lines.barcode = cells[_BARCODE]
        lines.has_tracking = bool(cells[_TRACKING])
        # A name a little too long is set a little smaller before it takes two lines.
        name_size = layout.fit_line(cells[_NAME], room[3] * 0.98, size, size * 0.88, True)
        lines.name = layout.fit_block(
            cells[_NAME], room[3], name_size * 2.4, name_size, 6, bold=True, max_lines=2
        )
        lines.address = layout.fit_block(
            cells[_ADDRESS], room[4], size * 4.8, size * 0.95, 5.5, max_lines=4
        )
        tracking = cells[_TRACKING] or t("doc.manifest.no_tracking")
        lines.extend(
            [
                [cells[_NO]],
                [cells[_CODE]],
                [tracking],
                [*lines.name.lines, cells[_PHONE]],
                lines.address.lines,
                [cells[_COD]],
                [cells[_WEIGHT]],
                [cells[_TICK]],
            ]
        )
        # The bars start under the tracking number's first letter; the quiet zones may
        # reach into the blank space beside them, never onto another column's text.
        quiet = QUIET_MODULES * MODULE_DOTS * DOT
        beside = self.widths[_TRACKING_COLUMN] + quiet
        across = sum(self.widths[_TRACKING_COLUMN:]) + quiet
        lines.band = False
        lines.module = MODULE_DOTS
        width = barcodes.code128_width(lines.barcode, MODULE_DOTS)
        if width > beside:
            lines.band = True
            if width > across:  # past any carrier's number (they are 30 letters at most)
                lines.module = 0
        return lines

    def _text_height(self, lines: _Lines) -> float:
        name = lines.name
        receiver = name.height + self.size * 1.2
        return max(self.size * 1.2, receiver, lines.address.height) + self.size * 0.4

    def row_height(self, lines: list[list[str]]) -> float:
        if not isinstance(lines, _Lines):
            return super().row_height(lines)
        text = self.pad + self._text_height(lines)
        if not lines.module:
            return text + self.pad
        under_number = self.pad + _UNDER_NUMBER * self.size + BAR_HEIGHT + 1 * mm
        if lines.band:
            return text + 0.5 * mm + BAR_HEIGHT + self.pad
        return max(text + self.pad, under_number)

    def draw_row(
        self, ink: Ink, x: float, top: float, lines: list[list[str]], *, head: bool = False
    ) -> float:
        if not isinstance(lines, _Lines):
            return super().draw_row(ink, x, top, lines, head=head)
        size, pad = self.size, self.pad
        height = self.row_height(lines)
        first = top - pad - size * 0.93  # the first line's baseline

        def cell(column: int, text: str, *, bold: bool = False, right: bool = False) -> None:
            left = x + self._left(column)
            width = self.widths[column] - 2 * pad
            shown = layout.fit_line(text, width, size, 5, bold)
            if fonts.width(text, shown, bold) > width:
                text = layout.clip(text, width, shown, bold)
            tx = left + pad + (width - fonts.width(text, shown, bold) if right else 0.0)
            ink.text(tx, first, text, shown, bold=bold)

        cell(0, lines[0][0], right=True)
        cell(1, lines[1][0], bold=True)
        if lines.has_tracking:
            cell(2, lines[2][0], bold=True)
        else:
            left = x + self._left(2) + pad
            note = layout.clip(lines[2][0], self.widths[2] - 2 * pad, size * 0.85)
            ink.text(left, first, note, size * 0.85)
        receiver_x = x + self._left(3) + pad
        bottom = layout.draw_block(ink, receiver_x, top - pad, lines.name, bold=True)
        phone = lines[3][-1]
        phone = layout.clip(phone, self.widths[3] - 2 * pad, size)
        ink.text(receiver_x, bottom - size * 0.95, phone, size)
        layout.draw_block(ink, x + self._left(4) + pad, top - pad, lines.address)
        cod = lines[5][0]
        cell(5, cod, bold=cod != "0", right=True)
        cell(6, lines[6][0], right=True)
        self._tick(ink, x + self._left(7), top, lines[7][0])
        if lines.module:
            quiet = QUIET_MODULES * lines.module * DOT
            bar_x = x + self._left(2) + pad - quiet
            if lines.band:
                bar_y = top - pad - self._text_height(lines) - 0.5 * mm - BAR_HEIGHT
            else:
                bar_y = top - pad - _UNDER_NUMBER * size - BAR_HEIGHT
            ink.code128(bar_x, bar_y, lines.barcode, lines.module, BAR_HEIGHT)
        ink.rule(x, top - height, x + sum(self.widths), top - height, width=0.3)
        return top - height

    def _tick(self, ink: Ink, left: float, top: float, mark: str) -> None:
        """A box to tick by hand, with the tick in it when the parcel was scanned."""
        side = 4.2 * mm
        bx = left + (self.widths[7] - side) / 2
        by = top - self.pad - side
        ink.box(bx, by, side, side, line=0.6)
        if mark == _TICKED:
            size = self.size * 1.3
            tick_x = bx + (side - fonts.width(_TICKED, size, True)) / 2
            ink.text(tick_x, by + side * 0.2, _TICKED, size, bold=True)


# ----------------------------------------------------------------------------- footer


def _kg(grams: int) -> str:
    tenths = round(grams / 100)
    whole, tenth = divmod(tenths, 10)
    point = "," if get_language() == "vi" else "."
    return f"{format_number(whole)}{point}{tenth}"


def _footer(ink: Ink, paper: Paper, manifest: Manifest, top: float) -> float:
    """Totals, the statement both parties sign and the two signature boxes under `top`;
    returns the y under them."""
    s = paper.scale
    m = paper.margin
    inner = paper.width - 2 * m
    count = len(manifest.rows)
    size = 9 * s
    lead = size * 1.5
    y = top - 3 * mm * s
    totals = [t("doc.manifest.parcels", count=count)]
    if manifest.closed:
        totals.append(t("doc.manifest.scanned", scanned=manifest.scanned, count=count))
    totals.append(t("doc.manifest.total_cod", amount=format_money(manifest.total_cod)))
    weight = manifest.total_weight_g
    totals.append(t("doc.manifest.total_weight", kg=_kg(weight), grams=format_number(weight)))
    for line in totals:
        ink.text(m, y - size, layout.clip(line, inner, size, True), size, bold=True)
        y -= lead
    y -= 1 * mm * s
    tick_head = t("doc.manifest.col.tick")
    if manifest.closed:
        statement = t("doc.manifest.agreed", count=manifest.scanned, column=tick_head)
    else:
        statement = t("doc.manifest.agreed_draft", column=tick_head)
    agreed = layout.fit_block(statement, inner, size * 2.4, 8.5 * s, 6, max_lines=2)
    y = layout.draw_block(ink, m, y, agreed)

    half = inner / 2
    y -= 5 * mm * s
    date_line = t("doc.manifest.date_line")
    date_size = layout.fit_line(date_line, half, 8.5 * s, 5.5)
    _centred(ink, m + half, half, y - date_size, date_line, date_size)
    y -= date_size * 1.5 + 2 * mm * s
    sign_size = 8 * s
    for side, key in enumerate(("doc.manifest.sender", "doc.manifest.receiver")):
        x = m + side * half
        heading = t(key)
        heading_size = layout.fit_line(heading, half - 4 * mm, 9.5 * s, 6, True)
        _centred(ink, x, half, y - heading_size, heading, heading_size, bold=True)
        _centred(ink, x, half, y - 9.5 * s * 1.4 - sign_size, t("doc.manifest.sign"), sign_size)
    y -= 9.5 * s * 1.4 + sign_size * 1.4
    y -= 20 * mm * s  # room to sign
    for side in range(2):
        x = m + side * half
        ink.rule(x + half * 0.15, y, x + half * 0.85, y, width=0.5)
    return y - 2 * mm * s
