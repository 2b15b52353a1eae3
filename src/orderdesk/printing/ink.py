"""What a layout draws with. Coordinates are points from the bottom-left of the document
(label, invoice page), y up, as in PDF; `ZplInk` turns them into dots from the top-left.

`PdfInk` writes PDF operators itself instead of calling `canvas.drawString` per string:
reportlab's per-string path (subset lookup character by character, a text object per call)
was three quarters of a label's time. Glyphs are assigned once per document from
`fonts.REPERTOIRE`, so almost every string encodes with one table lookup per character.
"""

from __future__ import annotations

from typing import Protocol

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from orderdesk.printing import barcodes, fonts
from orderdesk.printing.barcodes import DOT, QUIET_MODULES


class Ink(Protocol):
    def text(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False, white: bool = False
    ) -> None:
        """`text` (NFC) with its baseline starting at (x, y)."""

    def box(
        self, x: float, y: float, w: float, h: float, *, fill: bool = False, line: float = 0.8
    ) -> None: ...

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.6) -> None: ...

    def code128(self, x: float, y: float, data: str, module_dots: int, height: float) -> float:
        """Code128 of `data`, quiet zones included, from (x, y) bottom-left; returns its width."""

    def qr(self, x: float, y: float, data: str, module_dots: int) -> float:
        """QR of `data` with its bottom-left at (x, y); returns its side."""


class NullInk:
    """Draws nothing: for measuring a layout before drawing it (a receipt roll's length)."""

    def text(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False, white: bool = False
    ) -> None:
        pass

    def box(
        self, x: float, y: float, w: float, h: float, *, fill: bool = False, line: float = 0.8
    ) -> None:
        pass

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.6) -> None:
        pass

    def code128(self, x: float, y: float, data: str, module_dots: int, height: float) -> float:
        return barcodes.code128_width(data, module_dots)

    def qr(self, x: float, y: float, data: str, module_dots: int) -> float:
        return barcodes.qr_pixels(data)[0] * module_dots * DOT


def snap(value: float) -> float:
    """The nearest dot boundary at 203 dpi."""
    return round(value / DOT) * DOT


class UnknownGlyph(Exception):
    """A strict ink met a character outside the prepared glyphs (see pdf.py's child)."""


class PdfInk:
    def __init__(
        self, canvas: Canvas, x0: float = 0.0, y0: float = 0.0, *, strict: bool = False
    ) -> None:
        fonts.register()
        self.canvas = canvas
        self.x0 = x0
        self.y0 = y0
        self.strict = strict
        self._faces = [_face(name, canvas) for name in (fonts.REGULAR, fonts.BOLD)]

    def face_names(self) -> tuple[str, ...]:
        return tuple(face[1] for face in self._faces)

    def moved(self, x0: float, y0: float) -> PdfInk:
        """The same page with its origin at (x0, y0): one label of four on an A4 sheet."""
        ink = PdfInk.__new__(PdfInk)
        ink.__dict__.update(self.__dict__)
        ink.x0, ink.y0 = x0, y0
        return ink

    def _chunks(self, text: str, bold: bool) -> list[tuple[str, bytes]]:
        font, name, table, doc = self._faces[bold]
        try:
            return [(name, text.translate(table).encode("latin-1"))]
        except UnicodeEncodeError:
            if self.strict:
                raise UnknownGlyph(text) from None
            # A character outside the repertoire (emoji, Chinese): reportlab's own path.
            return [
                (font.getSubsetInternalName(subset, doc), data)
                for subset, data in font.splitString(text, doc)
            ]

    def text(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False, white: bool = False
    ) -> None:
        if not text:
            return
        # Plain two-decimal formatting (a hundredth of a point) is a third of fp_str's cost.
        shown = " ".join(
            f"{name} {size:.2f} Tf ({escapePDF(data)}) Tj"
            for name, data in self._chunks(text, bold)
        )
        colour = "1 g " if white else ""
        reset = " 0 g" if white else ""
        self.canvas._code.append(
            f"{colour}BT 1 0 0 1 {self.x0 + x:.2f} {self.y0 + y:.2f} Tm {shown} ET{reset}"
        )

    def box(
        self, x: float, y: float, w: float, h: float, *, fill: bool = False, line: float = 0.8
    ) -> None:
        rect = f"{fp_str(self.x0 + x, self.y0 + y, w, h)} re"
        if fill:
            self.canvas._code.append(f"{rect} f")
        else:
            self.canvas._code.append(f"{fp_str(line)} w {rect} S")

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.6) -> None:
        x0, y0 = self.x0, self.y0
        self.canvas._code.append(
            f"{fp_str(width)} w {fp_str(x0 + x1, y0 + y1)} m {fp_str(x0 + x2, y0 + y2)} l S"
        )

    # Bars and QR cells are drawn in module units under a scaling `cm`, so every coordinate
    # is a small integer (formatting floats was most of a barcode's cost).
    def code128(self, x: float, y: float, data: str, module_dots: int, height: float) -> float:
        module = module_dots * DOT
        left = snap(self.x0 + x) + QUIET_MODULES * module
        bars = " ".join(f"{start} 0 {length} 1 re" for start, length in barcodes.code128_runs(data))
        self.canvas._code.append(
            f"q {fp_str(module)} 0 0 {fp_str(height)} {fp_str(left, self.y0 + y)} cm {bars} f Q"
        )
        return barcodes.code128_width(data, module_dots)

    def qr(self, x: float, y: float, data: str, module_dots: int) -> float:
        # An inline grey image of one pixel per module, scaled up without interpolation onto
        # whole dots: the same squares as rectangles, at a twentieth of the cost.
        side, pixels = barcodes.qr_pixels(data)
        extent = fp_str(side * module_dots * DOT)
        self.canvas._code.append(
            f"q {extent} 0 0 {extent} {fp_str(snap(self.x0 + x), snap(self.y0 + y))} cm "
            f"BI /W {side} /H {side} /CS /G /BPC 8 /I false /F /AHx ID {pixels.hex()}> EI Q"
        )
        return side * module_dots * DOT


def _face(name: str, canvas: Canvas) -> tuple[object, str, dict[int, int], object]:
    """The font, its first subset's PDF name and a `str.translate` table into that subset."""
    doc = canvas._doc
    font = pdfmetrics.getFont(name)
    font.splitString(fonts.REPERTOIRE, doc)
    assigned = font.state[doc].assignments
    # Every code point below 256 that is not in the subset maps to one that cannot encode
    # as latin-1, so it falls back to reportlab instead of printing a wrong glyph.
    table: dict[int, int] = {c: 0xFFFF for c in range(256)}
    table.update({c: n for c, n in assigned.items() if n < 256})
    return font, font.getSubsetInternalName(0, doc), table, doc
