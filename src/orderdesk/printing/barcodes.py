"""Barcode patterns: Code128 from python-barcode, QR from zxing-cpp, sized to the dot grid.

Thermal label printers have 203 dots per inch, so a dot is 72/203 pt (0.125 mm). A bar that
is not a whole number of dots is rounded by the printer, differently for each bar, and a
0.2 mm bar measured unreadable. Bars here are 2 or 3 dots wide and start on a dot, with a
quiet zone of 10 modules each side.
"""

from __future__ import annotations

import functools
import re

import barcode
import zxingcpp
from barcode.charsets import code128 as code128_charset

DOT = 72 / 203  # points
_START_C = 105
QUIET_MODULES = 10


@functools.lru_cache(maxsize=64)
def code128(data: str) -> str:
    """The module pattern of `data` as `"1101…"` (1 = bar), start and stop included."""
    symbol = barcode.get("code128", data)
    values = symbol._build()
    if values[:1] == [_START_C] and data.startswith("99"):
        # python-barcode 0.16 takes a leading "99" for a switch to subset C and drops it:
        # "9912" would scan as "12", "9999" as "99" (tests/unit/test_printing.py proves
        # it). Put the pair back and build the bars from its own tables.
        values.insert(1, 99)
        values.append(symbol._calculate_checksum(values))
        return "".join(code128_charset.CODES[v] for v in values) + code128_charset.STOP + "11"
    return str(symbol.build()[0])


def code128_width(data: str, module_dots: int) -> float:
    """Width in points, quiet zones included."""
    return (len(code128(data)) + 2 * QUIET_MODULES) * module_dots * DOT


_BARS = re.compile("1+")


@functools.lru_cache(maxsize=64)
def code128_runs(data: str) -> tuple[tuple[int, int], ...]:
    """(start module, length) of each bar: one rectangle each, not one per module."""
    return tuple((m.start(), m.end() - m.start()) for m in _BARS.finditer(code128(data)))


@functools.lru_cache(maxsize=64)
def qr_pixels(data: str) -> tuple[int, bytes]:
    """The QR symbol (error correction M, no quiet zone): its side in modules and one byte
    per module, row by row from the top, 0 dark and 255 light."""
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    return image.shape[0], image.tobytes()
