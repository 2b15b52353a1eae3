"""Fitting text into boxes: shrink first, then wrap, then cut with an ellipsis.

Nothing a customer typed may spill off a label: a 200-character address gets smaller type
and more lines until it fits its box; past the smallest readable size the last line ends
with "…".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from orderdesk.printing import fonts
from orderdesk.printing.ink import Ink

ELLIPSIS = "…"


@dataclass(frozen=True)
class Fitted:
    lines: list[str]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


def fit_line(text: str, width: float, size: float, min_size: float, bold: bool = False) -> float:
    """The largest size from `size` down to `min_size` at which `text` fits on one line."""
    actual = fonts.width(text, size, bold)
    if actual <= width:
        return size
    return max(min_size, size * width / actual)


def clip(text: str, width: float, size: float, bold: bool = False) -> str:
    """`text` cut to `width`, ending with "…" if anything was cut."""
    if fonts.width(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fonts.width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


@functools.lru_cache(maxsize=8192)
def _word_width(word: str, bold: bool) -> float:
    # At size 1: widths scale with size, and the same words ("Phường", "Áo", "×") come
    # back on every label.
    return fonts.width(word, 1.0, bold)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap; a word longer than the line is broken where it must be.

    A line's width is the sum of its words and spaces (the font has no kerning here), so
    each word is measured once, not every candidate line.
    """
    lines: list[str] = []
    space = _word_width(" ", bold) * size
    for paragraph in text.split("\n"):
        line = ""
        used = 0.0
        for word in paragraph.split():
            word_w = _word_width(word, bold) * size
            if line and used + space + word_w <= width:
                line = f"{line} {word}"
                used += space + word_w
                continue
            if not line and word_w <= width:
                line, used = word, word_w
                continue
            if line:
                lines.append(line)
            while fonts.width(word, size, bold) > width:
                cut = len(clip(word, width, size, bold)) - 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
            line, used = word, fonts.width(word, size, bold)
        lines.append(line)
    return [line for line in lines if line] or [""]


def fit_block(
    text: str,
    width: float,
    height: float,
    size: float,
    min_size: float,
    *,
    bold: bool = False,
    leading: float = 1.15,
    max_lines: int | None = None,
) -> Fitted:
    """Lines and a size that fit `text` in width × height."""
    current = size
    while True:
        lines = wrap(text, width, current, bold)
        step = current * leading
        room = max(1, int(height // step))
        if max_lines is not None:
            room = min(room, max_lines)
        if len(lines) <= room:
            return Fitted(lines, current, step)
        if current <= min_size:
            kept = lines[:room]
            kept[-1] = clip(kept[-1] + " " + ELLIPSIS, width, current, bold)
            return Fitted(kept, current, step)
        current = max(min_size, current * 0.92)


def draw_block(
    ink: Ink,
    x: float,
    top: float,
    fitted: Fitted,
    *,
    bold: bool = False,
    width: float = 0.0,
    center: bool = False,
) -> float:
    """Draw fitted lines from `top` down; returns the y under the last line."""
    y = top
    ascent = fitted.size * 0.93
    for i, line in enumerate(fitted.lines):
        baseline = top - ascent - i * fitted.leading
        dx = (width - fonts.width(line, fitted.size, bold)) / 2 if center else 0.0
        ink.text(x + dx, baseline, line, fitted.size, bold=bold)
        y = baseline - (fitted.leading - ascent)
    return y
