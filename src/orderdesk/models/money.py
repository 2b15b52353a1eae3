"""Money is integer đồng. Shown as `1.250.000 ₫` (vi) or `1,250,000 ₫` (en)."""

from __future__ import annotations

import re

from orderdesk.i18n import get_language

_GROUPED = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$")
_PLAIN = re.compile(r"^-?\d+$")


def format_number(value: int, lang: str | None = None) -> str:
    """`1.250.000` in Vietnamese, `1,250,000` in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if (lang or get_language()) == "vi" else grouped


def format_money(amount: int, lang: str | None = None) -> str:
    return f"{format_number(amount, lang)} ₫"


def parse_money(text: str) -> int | None:
    """An amount of đồng from `350000`, `350.000`, `350,000`, `350 000` or `350.000 ₫`.

    Returns None when the text is not a whole number of đồng (a decimal part is refused:
    đồng has no subunit, so `350.5` is a typo, not an amount).
    """
    value = text.strip().replace("₫", "").replace("đ", "").replace("VND", "").strip()
    value = value.replace("\u00a0", " ")
    if _PLAIN.match(value):
        return int(value)
    if _GROUPED.match(value):
        return int(re.sub(r"[.,\s]", "", value))
    return None
