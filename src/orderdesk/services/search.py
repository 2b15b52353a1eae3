"""What a search box's text means, the same for orders and customers: a phone in any
format is its digits; anything else is words, folded (`nguyen van` finds Nguyễn Văn)."""

from __future__ import annotations

import re

from orderdesk.text import clean, fold

_PHONE_LIKE = re.compile(r"^[0-9+ ().\-]+$")


def search_words(text: str) -> list[str]:
    """What to look for: a phone in any format becomes its digits; words are folded."""
    raw = clean(text)
    if _PHONE_LIKE.match(raw) and sum(ch.isdigit() for ch in raw) >= 3:
        digits = re.sub(r"\D", "", raw)
        return [digits]
    return fold(raw).split()
