"""Shipping labels as ZPL II, for Zebra and compatible thermal printers on a raw queue.

Why our own builder: the PyPI ZPL helpers are unmaintained or AGPL, and a label is a few
dozen fields. `ZplInk` is the `Ink` that `label.draw_label` draws with, so a ZPL label has
the same layout, sizes and barcodes as the PDF one; it turns points from the bottom-left
into dots from the top-left at 203 dpi.

Decisions, each checked against the Zebra Programming Guide:

- **Vietnamese.** A Zebra's resident fonts have no Vietnamese, so the bundled DejaVu Sans
  Condensed files are downloaded once at the start of the file with `~DY` (`E:ODSANS.TTF`,
  `E:ODSANSB.TTF`) and every text field names them with `^A@`. The download uses format
  `B` (raw binary): it is half the size of the ASCII-hex form (1.35 MB instead of 2.7 MB
  for both faces) and costs nothing to produce, and the guide says the printer ignores
  control prefixes and flow-control characters until it has read the announced number of
  bytes, so any byte in the font is safe. That needs an 8-bit-clean link, which
  `lp -o raw`, USB and port 9100 are (a serial line with XON/XOFF is not: use
  `include_font=False` there and install the font once by other means).
- **Field data** is UTF-8 under `^CI28`; `^FH_` lets `^`, `~`, `_` and control characters
  travel as `_5E`, `_7E`, `_5F`, `_0A`…, so a customer's "Lan ^XZ~JR" can neither end the
  label nor send the printer a command (`zpl_escape`).
- **Text** is placed by its baseline (`^FT`), `h` dots high (the font size: a printer
  scales a TrueType em to it) and `w` dots wide, chosen per line so that, with the
  printer's whole-dot advances, the line is as long as the PDF's and never longer
  (`fitted_width`): the layout fitted it to its box with the PDF's metrics.
- **White text** prints with `^FR` (field reverse): white text is only ever drawn on a
  filled box, and reversing over black gives exactly white letters. Skipping it would lose
  the text; on white paper `^FR` would print it black, which is still legible.
- **Code128** is sent as the very symbol `barcodes.code128` draws in the PDF: its start
  code, subset switches and characters are written with ZPL's invocation codes (`>:` start
  B, `>5` to subset C, digit pairs…) in mode N, where the printer changes nothing, so the
  bars are module for module the PDF's and the quiet zone is kept by position (bars start
  QUIET_MODULES modules inside the returned width, as `PdfInk` draws them). Every symbol is
  read back before it is sent. `^FH` is not used
  there (firmware has been seen to drop hex-escaped `^`/`~` from a Code128 symbol): those
  travel as the invocation codes `><` and `>=`, which is all the escaping Code128 needs.
- **QR** uses `^BQN,2,m` and `^FDMA,data` (error correction M, as zxing draws the PDF's).
  With `^FO`, firmware prints a QR code lower than its origin by the current `^BY` bar
  height (10 dots by default, but it persists from field to field and label to label), so
  the field pins `^BY…,10` and starts 10 dots higher: the symbol's top-left lands where the
  PDF draws it (to a dot: emulators differ by one).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import BinaryIO

from reportlab.pdfbase import pdfmetrics

from orderdesk.printing import barcodes, fonts
from orderdesk.printing.barcodes import DOT, QUIET_MODULES
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.ink import Ink
from orderdesk.printing.label import LabelSize, draw_label

# Where the downloaded faces live on the printer: flash (E:) survives a power cycle.
FONT_REGULAR = "E:ODSANS.TTF"
FONT_BOLD = "E:ODSANSB.TTF"
# How far firmware sinks an ^FO QR code: the ^BY bar height, pinned to this (its default).
QR_SINK_DOTS = 10

Progress = Callable[[int], None]


def _escape_table() -> dict[int, str]:
    table: dict[int, str] = {}
    specials = [ord("^"), ord("~"), ord("_"), 0x7F, *range(0x20), *range(0x80, 0xA0)]
    for code in specials:
        table[code] = "".join(f"_{byte:02X}" for byte in chr(code).encode("utf-8"))
    return table


_ESCAPES = _escape_table()


def zpl_escape(text: str) -> str:
    """`text` as field data under `^FH_`: `^`, `~`, `_` and control characters become
    `_XX` (hex of their UTF-8 bytes); everything else, Vietnamese included, stays as is
    and is sent as UTF-8 (`^CI28`)."""
    return text.translate(_ESCAPES)


def dots(value: float) -> int:
    """Points to whole dots at 203 dpi."""
    return round(value / DOT)


class _Advances(dict[str, int]):
    """Whole-dot advance of each character of one face at one character width."""

    def __init__(self, widths: dict[int, float], default: float, w: int) -> None:
        super().__init__()
        self.widths, self.default, self.w = widths, default, w

    def __missing__(self, char: str) -> int:
        advance = int(self.widths.get(ord(char), self.default) * self.w / 1000 + 0.5)
        self[char] = advance
        return advance


@functools.cache
def _advances(w: int, bold: bool) -> _Advances:
    fonts.register()
    face = pdfmetrics.getFont(fonts.BOLD if bold else fonts.REGULAR).face
    return _Advances(face.charWidths, face.defaultWidth, w)


def printer_width(text: str, w: int, bold: bool = False) -> int:
    """Width in dots of `text` set by the printer at character width `w`: it advances by
    whole dots, each glyph's advance rounded, so a line comes out up to a few per cent
    wider (or narrower) than the same line in the PDF."""
    return sum(map(_advances(w, bold).__getitem__, text))


@functools.lru_cache(maxsize=4096)  # carrier, titles, amounts repeat from label to label
def fitted_width(text: str, size: float, h: int, bold: bool = False) -> int:
    """The `^A@` character width, within a dot of `h`, at which the printer sets `text`
    (`h` dots high) closest to the width the layout measured for it at `size` points, and
    never wider than that plus one dot.

    The layout fits lines to their box with the PDF's exact metrics. A printer rounds the
    height to a dot and every advance to a dot: at 5.5 pt a long line came out 5 % wider
    and ran off the label. Narrowing or widening the characters by a dot keeps each line
    as long as in the PDF."""
    limit = fonts.width(text, size, bold) / DOT + 1
    w = h + 1
    while w > 1 and printer_width(text, w, bold) > limit:
        w -= 1
    return w


class ZplInk:
    """Collects one label's fields; `fields` joined with newlines is the label body.

    Args:
        height: the label's height in points, to turn y-up points into y-down dots.
    """

    def __init__(self, height: float) -> None:
        self.height = height
        self.fields: list[str] = []

    def _y(self, y: float) -> int:
        return round((self.height - y) / DOT)

    def text(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False, white: bool = False
    ) -> None:
        if not text:
            return
        h = max(1, dots(size))
        w = fitted_width(text, size, h, bold)
        font = FONT_BOLD if bold else FONT_REGULAR
        reverse = "^FR" if white else ""
        self.fields.append(
            f"^FT{max(0, dots(x))},{max(0, self._y(y))}^A@N,{h},{w},{font}"
            f"{reverse}^FH_^FD{text.translate(_ESCAPES)}^FS"
        )

    def box(
        self, x: float, y: float, w: float, h: float, *, fill: bool = False, line: float = 0.8
    ) -> None:
        if fill:
            left, right = dots(x), dots(x + w)
            top, bottom = self._y(y + h), self._y(y)
            thickness = min(right - left, bottom - top)
        else:
            # PDF strokes straddle the path; ^GB draws its border inside the box.
            half = line / 2
            left, right = dots(x - half), dots(x + w + half)
            top, bottom = self._y(y + h + half), self._y(y - half)
            thickness = max(1, dots(line))
        left, top = max(0, left), max(0, top)
        if right <= left or bottom <= top:
            return
        self.fields.append(f"^FO{left},{top}^GB{right - left},{bottom - top},{thickness}^FS")

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.6) -> None:
        t = max(1, dots(width))
        if y1 == y2:
            left, right = sorted((dots(x1), dots(x2)))
            top = round((self.height - y1) / DOT - t / 2)
            self.fields.append(f"^FO{left},{max(0, top)}^GB{max(t, right - left)},{t},{t}^FS")
        elif x1 == x2:
            top, bottom = sorted((self._y(y1), self._y(y2)))
            left = round(x1 / DOT - t / 2)
            self.fields.append(f"^FO{max(0, left)},{top}^GB{t},{max(t, bottom - top)},{t}^FS")
        else:
            left, right = sorted((dots(x1), dots(x2)))
            top, bottom = sorted((self._y(y1), self._y(y2)))
            # R leans right (/): rising left to right in PDF terms.
            lean = "R" if (x2 - x1) * (y2 - y1) > 0 else "L"
            self.fields.append(
                f"^FO{left},{top}^GD{max(t, right - left)},{max(t, bottom - top)},{t},B,{lean}^FS"
            )

    def code128(self, x: float, y: float, data: str, module_dots: int, height: float) -> float:
        field_data, modules = code128_symbol(data)
        left = dots(x) + QUIET_MODULES * module_dots
        top, bottom = self._y(y + height), self._y(y)
        h = max(1, bottom - top)
        self.fields.append(
            f"^FO{left},{max(0, top)}^BY{module_dots},3,{h}^BCN,{h},N,N,N,N^FD{field_data}^FS"
        )
        return (modules + 2 * QUIET_MODULES) * module_dots * DOT

    def qr(self, x: float, y: float, data: str, module_dots: int) -> float:
        side, _ = barcodes.qr_pixels(data)
        extent = side * module_dots
        top = self._y(y) - extent - QR_SINK_DOTS
        self.fields.append(
            f"^FO{max(0, dots(x))},{max(0, top)}^BY{module_dots},3,{QR_SINK_DOTS}"
            f"^BQN,2,{module_dots}^FH_^FDMA,{zpl_escape(data)}^FS"
        )
        return extent * DOT


# Code128 symbol values, per subset, as ZPL field data (mode N, Zebra's "Code 128
# Invocation Characters" table). Subset B is typed as ASCII except `^ > ~` and DEL;
# subsets A and C take each value as a digit pair.
_START = {103: (">9", "A"), 104: (">:", "B"), 105: (">;", "C")}
_SWITCH = {
    "A": {96: ">2", 97: ">3", 98: ">4", 99: ">5", 100: ">6", 101: ">7", 102: ">8"},
    "B": {96: ">2", 97: ">3", 98: ">4", 99: ">5", 100: ">6", 101: ">7", 102: ">8"},
    "C": {100: ">6", 101: ">7", 102: ">8"},
}
_SUBSET_AFTER = {
    "A": {99: "C", 100: "B"},
    "B": {99: "C", 101: "A"},
    "C": {100: "B", 101: "A"},
}
_B_LITERALS = {30: ">0", 62: "><", 94: ">=", 95: ">1"}


_VALUE_OF = {pattern: value for value, pattern in enumerate(barcodes.CODE128_PATTERNS)}
_STOP_MODULES = len(barcodes.CODE128_STOP)  # the stop character and its final bar


def code128_values(pattern: str) -> list[int]:
    """The symbol values of a Code128 module pattern (`barcodes.code128`), start code
    first, without check character and stop: read back from its bars."""
    body = pattern[:-_STOP_MODULES]
    return [_VALUE_OF[body[i : i + 11]] for i in range(0, len(body), 11)][:-1]


def _read_back(values: list[int]) -> str:
    """The text a scanner reads from symbol values (start code first, no check or stop)."""
    subset = _START[values[0]][1]
    out = []
    for value in values[1:]:
        if value >= (100 if subset == "C" else 96):
            subset = _SUBSET_AFTER[subset].get(value, subset)
        elif subset == "C":
            out.append(f"{value:02d}")
        elif subset == "B" or value < 64:
            out.append(chr(value + 32))
        else:
            out.append(chr(value - 64))
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def code128_symbol(data: str) -> tuple[str, int]:
    """`^FD` text that makes the printer build exactly the PDF's Code128 of `data` (the
    same start code, subset switches and characters, so the same bars), and its width in
    modules without quiet zones.

    Raises:
        ValueError: if no symbol that reads back as `data` can be made.
    """
    values = code128_values(barcodes.code128(data))
    if _read_back(values) != data:
        raise ValueError(f"Code128 of {data!r} would not read back as {data!r}")
    start, subset = _START[values[0]]
    out = [start]
    for value in values[1:]:
        special = _SWITCH[subset].get(value)
        if special is not None:
            out.append(special)
            subset = _SUBSET_AFTER[subset].get(value, subset)
        elif subset == "B":
            out.append(_B_LITERALS.get(value) or chr(value + 32))
        else:
            out.append(f"{value:02d}")
    return "".join(out), 11 * (len(values) + 1) + _STOP_MODULES


@functools.cache
def font_download() -> bytes:
    """The `~DY` commands that store both faces on the printer, raw binary (format B).

    Nothing follows a payload but the next command: a byte after it, even a newline, is
    read by some parsers as part of the download and the byte count no longer matches."""
    parts = []
    for name, face in ((FONT_REGULAR, fonts.REGULAR), (FONT_BOLD, fonts.BOLD)):
        data = fonts.font_file(face).read_bytes()
        stem = name.removesuffix(".TTF")
        parts.append(f"~DY{stem},B,T,{len(data)},,".encode("ascii") + data)
    return b"".join(parts)


def label_header(size: LabelSize) -> str:
    """What starts every label: UTF-8 field data, its width and length in dots, home 0,0."""
    return f"^XA\n^CI28\n^PW{dots(size.width)}\n^LL{dots(size.height)}\n^LH0,0\n"


class _Batch:
    """Draws labels of one size for one shop, keeping artwork that `draw_label` marks as
    the same on every label (the frame and sender block) as ready-made fields."""

    def __init__(self, size: LabelSize, shop: Shop, printed_at: datetime) -> None:
        self.size = size
        self.shop = shop
        self.printed_at = printed_at
        self.header = label_header(size)
        self._shared: dict[str, list[str]] = {}

    def label(self, order: PrintOrder) -> str:
        ink = ZplInk(self.size.height)

        def shared(key: str, draw: Callable[[Ink], None]) -> None:
            fields = self._shared.get(key)
            if fields is None:
                once = ZplInk(self.size.height)
                draw(once)
                fields = self._shared[key] = once.fields
            ink.fields.extend(fields)

        draw_label(ink, self.size, order, self.shop, self.printed_at, shared)
        return self.header + "\n".join(ink.fields) + "\n^XZ\n"


def label_zpl(order: PrintOrder, shop: Shop, size: LabelSize, printed_at: datetime) -> str:
    """One label, `^XA` to `^XZ`, as text (encode it as UTF-8)."""
    return _Batch(size, shop, printed_at).label(order)


def write_labels(
    out: BinaryIO,
    orders: Iterable[PrintOrder],
    shop: Shop,
    size: LabelSize,
    printed_at: datetime,
    progress: Progress | None = None,
    *,
    include_font: bool = True,
) -> None:
    """Write the labels of `orders` as one ZPL file for a raw printer queue.

    The font download comes first, once (skip it with `include_font=False` when the
    printer already holds the faces); then one `^XA … ^XZ` per order. A ZPL printer feeds
    one label at a time, so a size with several labels per sheet (`a4x4`: four A6 on an
    A4 page) is written one label per format at its label size, 105 × 148.5 mm; only
    `size.width` and `size.height` are used, never its page or slots.

    Args:
        progress: called with how many labels are written after each one; raising in it
            stops the file.
    """
    if include_font:
        out.write(font_download())
    batch = _Batch(size, shop, printed_at)
    done = 0
    for order in orders:
        out.write(batch.label(order).encode("utf-8"))
        done += 1
        if progress:
            progress(done)
