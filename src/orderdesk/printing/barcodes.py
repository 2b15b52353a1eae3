"""Barcode patterns from zxing-cpp: Code128 and QR, sized to the dot grid.

Thermal label printers have 203 dots per inch, so a dot is 72/203 pt (0.125 mm). A bar that
is not a whole number of dots is rounded by the printer, differently for each bar, and a
0.2 mm bar measured unreadable. Bars here are 2 or 3 dots wide and start on a dot, with a
quiet zone of 10 modules each side.
"""

from __future__ import annotations

import functools
import re

import zxingcpp

DOT = 72 / 203  # points
QUIET_MODULES = 10

# Code128 symbol characters 0–105 as bar, space, bar… widths in modules (ISO/IEC 15417,
# table 1), and the stop character with its final bar. zxing-cpp draws the symbol; the
# table reads its values back, so they can be checked and rewritten (`code128`).
_WIDTHS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232"
)


def _modules(widths: str) -> str:
    return "".join(("1", "0")[i % 2] * int(w) for i, w in enumerate(widths))


CODE128_PATTERNS = tuple(_modules(w) for w in _WIDTHS.split())
CODE128_STOP = _modules("2331112")
_VALUE_OF = {pattern: value for value, pattern in enumerate(CODE128_PATTERNS)}

_START_SUBSET = {103: "A", 104: "B", 105: "C"}
_SWITCH_TO = {"A": 101, "B": 100}  # CODE A, CODE B, as written in another subset
_SUBSET_AFTER = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
_SHIFT = 98


@functools.lru_cache(maxsize=64)
def code128(data: str) -> str:
    """The module pattern of `data` as `"1101…"` (1 = bar), start and stop included.

    zxing-cpp picks the subsets (the shortest symbol) and draws it. A SHIFT it uses for one
    control character among lower-case letters is written as a switch there and back: the
    ZPL builder sends the printer the symbol's values and checks each symbol reads back as
    `data` with a reader that knows switches only (zpl.py).

    Raises:
        ValueError: `data` is empty, not ASCII, or more than zxing-cpp puts in one symbol
            (102 symbol characters: about 100 letters or 200 digits).
    """
    if not data or not data.isascii():
        # zxing-cpp would encode Latin-1 with FNC4, which scanners read inconsistently.
        raise ValueError(f"Code128 takes 1 or more ASCII characters, not {data!r}")
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.Code128)
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    # The top row of the image, one pixel per module: 0 is a bar.
    row = image.tobytes()[: image.shape[1]].translate(_PIXEL_TO_MODULE).decode("ascii")
    values = _values(row)
    rewritten = _without_shift(values, data)
    if rewritten == values:
        return row
    return "".join(CODE128_PATTERNS[v] for v in [*rewritten, _check(rewritten)]) + CODE128_STOP


_PIXEL_TO_MODULE = bytes.maketrans(bytes([0, 255]), b"10")


def _check(values: list[int]) -> int:
    return (values[0] + sum(n * v for n, v in enumerate(values[1:], start=1))) % 103


def _values(row: str) -> list[int]:
    """The symbol values of a drawn Code128 row, start code first, its check character
    verified and dropped: anything else means zxing-cpp drew something unexpected."""
    body, stop = row[: -len(CODE128_STOP)], row[-len(CODE128_STOP) :]
    chunks = [body[i : i + 11] for i in range(0, len(body), 11)]
    if stop != CODE128_STOP or len(body) % 11 or any(c not in _VALUE_OF for c in chunks):
        raise ValueError(f"zxing-cpp drew no Code128 row: {row!r}")
    values = [_VALUE_OF[c] for c in chunks]
    if values[0] not in _START_SUBSET or _check(values[:-1]) != values[-1]:
        raise ValueError(f"zxing-cpp drew a Code128 symbol with a wrong check: {values}")
    return values[:-1]


def _without_shift(values: list[int], data: str) -> list[int]:
    """`values` with each SHIFT replaced by a switch to the other subset and back, checked
    to read back as exactly `data`."""
    subset = _START_SUBSET[values[0]]
    out, text = [values[0]], []
    i = 1
    while i < len(values):
        value = values[i]
        if subset != "C" and value == _SHIFT and i + 1 < len(values):
            other = "B" if subset == "A" else "A"
            out += [_SWITCH_TO[other], values[i + 1], _SWITCH_TO[subset]]
            text.append(_char(values[i + 1], other))
            i += 2
            continue
        out.append(value)
        if value >= (100 if subset == "C" else 96):
            subset = _SUBSET_AFTER[subset].get(value, subset)
        else:
            text.append(_char(value, subset))
        i += 1
    if "".join(text) != data:
        raise ValueError(f"Code128 of {data!r} would read back as {''.join(text)!r}")
    return out


def _char(value: int, subset: str) -> str:
    """What a data value reads as in `subset`."""
    if subset == "C":
        return f"{value:02d}"
    if subset == "B" or value < 64:
        return chr(value + 32)
    return chr(value - 64)


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
