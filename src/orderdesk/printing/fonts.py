"""The bundled TrueType family (DejaVu Sans Condensed), registered once per process.

reportlab's built-in Helvetica has no Vietnamese. DejaVu covers every precomposed
Vietnamese letter; text is NFC-normalized before it is measured or drawn so a decomposed
`ệ` from a pasted chat message becomes the one glyph the font has.
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "OrderdeskSans"
BOLD = "OrderdeskSans-Bold"
_FILES = {REGULAR: "DejaVuSansCondensed.ttf", BOLD: "DejaVuSansCondensed-Bold.ttf"}

# Every letter a Vietnamese address or product name uses, plus the symbols our documents
# print. Assigning them up front puts them all in the font's first 256-glyph subset, which
# is what lets `encode` take its fast path.
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)
REPERTOIRE = (
    "".join(chr(c) for c in range(32, 127)) + VIETNAMESE + VIETNAMESE.upper() + "₫—–·×…•№°☐✓"
)


def font_dir() -> Path:
    """Where the .ttf files are: inside the installed package, or `assets/fonts` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "assets" / "fonts", here.parents[2] / "assets" / "fonts"):
        if (candidate / _FILES[REGULAR]).is_file():
            return candidate
    raise FileNotFoundError(f"{_FILES[REGULAR]} not found next to {here}")


def font_file(name: str) -> Path:
    return font_dir() / _FILES[name]


@functools.cache
def register() -> None:
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir() / file)))


def width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` (already NFC) at `size`."""
    register()
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
