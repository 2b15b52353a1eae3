"""Paged tables for sheet documents (invoices, pick lists, packing slips).

A document is a header drawn at the top of every page, a table whose rows flow onto as
many pages as they need (the column heads repeated), and a footer block after the last row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm

from orderdesk.printing import fonts, layout
from orderdesk.printing.ink import Ink


@dataclass(frozen=True)
class Paper:
    key: str
    width: float
    height: float  # 0: a roll, as long as its content
    margin: float
    media: str
    scale: float = 1.0


PAPERS: dict[str, Paper] = {
    "a5": Paper("a5", 148 * mm, 210 * mm, 9 * mm, "A5", 0.9),
    "a4": Paper("a4", 210 * mm, 297 * mm, 12 * mm, "A4", 1.0),
    # An 80 mm receipt roll prints about 72 mm wide.
    "80mm": Paper("80mm", 80 * mm, 0.0, 4 * mm, "", 0.8),
}


@dataclass(frozen=True)
class Column:
    head: str
    share: float  # of the table width
    right: bool = False
    bold: bool = False
    wrap: bool = False  # may take two lines; otherwise cut with "…"


class Table:
    def __init__(self, columns: Sequence[Column], width: float, size: float) -> None:
        total = sum(c.share for c in columns)
        self.columns = list(columns)
        self.widths = [width * c.share / total for c in columns]
        self.size = size
        self.pad = 1.2 * mm

    def row_lines(self, cells: Sequence[str]) -> list[list[str]]:
        lines = []
        for column, width, cell in zip(self.columns, self.widths, cells, strict=True):
            room = width - 2 * self.pad
            if column.wrap:
                fitted = layout.fit_block(
                    cell,
                    room,
                    self.size * 2.3,
                    self.size,
                    self.size,
                    bold=column.bold,
                    max_lines=2,
                )
                lines.append(fitted.lines)
            elif column.right:
                lines.append([cell])  # a number is never cut: draw_row shrinks it instead
            else:
                lines.append([layout.clip(cell, room, self.size, column.bold)])
        return lines

    def row_height(self, lines: list[list[str]]) -> float:
        return max(len(c) for c in lines) * self.size * 1.2 + self.size * 0.6

    def draw_row(
        self, ink: Ink, x: float, top: float, lines: list[list[str]], *, head: bool = False
    ) -> float:
        height = self.row_height(lines)
        left = x
        for column, width, cell in zip(self.columns, self.widths, lines, strict=True):
            bold = head or column.bold
            for i, text in enumerate(cell):
                baseline = top - self.size * (1.05 + 1.2 * i)
                size = self.size
                if column.right:
                    size = layout.fit_line(text, width - 2 * self.pad, self.size, 3.5, bold)
                    tx = left + width - self.pad - fonts.width(text, size, bold)
                else:
                    tx = left + self.pad
                ink.text(tx, baseline, text, size, bold=bold)
            left += width
        ink.rule(x, top - height, left, top - height, width=0.8 if head else 0.3)
        return top - height


def flow(
    paper: Paper,
    table: Table,
    rows: Sequence[Sequence[str]],
    *,
    new_page: Callable[[int], tuple[Ink, float]],
    footer_height: float,
    page_label: Callable[[int, int], str],
) -> tuple[Ink, float]:
    """Draw `rows` under their heads, starting new pages as needed.

    `new_page(number)` starts page `number` (1-based), draws the header every page repeats
    and returns the ink and the y where the table starts. Pages are counted before anything
    is drawn, so each can say "page 2 of 3". Returns the ink and the y under the last row,
    with room left for a footer of `footer_height` on the last page.
    """
    x = paper.margin
    bottom = paper.margin + 5 * mm  # room for the page number
    heads = [[c.head] for c in table.columns]
    head_h = table.row_height(heads)
    measured = [table.row_lines(cells) for cells in rows]
    ink, top = new_page(1)
    # Which row starts each page.
    breaks = [0]
    y = top - head_h
    for i, lines in enumerate(measured):
        h = table.row_height(lines)
        if paper.height and y - h < bottom:
            breaks.append(i)
            y = top - head_h
        y -= h
    footer_alone = bool(paper.height) and y - footer_height < bottom
    pages = len(breaks) + footer_alone
    number = 1
    y = table.draw_row(ink, x, top, heads, head=True)
    for i, lines in enumerate(measured):
        if number < len(breaks) and i == breaks[number]:
            _number(ink, paper, page_label(number, pages), pages)
            number += 1
            ink, y = new_page(number)
            y = table.draw_row(ink, x, y, heads, head=True)
        y = table.draw_row(ink, x, y, lines)
    if footer_alone:
        _number(ink, paper, page_label(number, pages), pages)
        number += 1
        ink, y = new_page(number)
    _number(ink, paper, page_label(number, pages), pages)
    return ink, y


def _number(ink: Ink, paper: Paper, text: str, pages: int) -> None:
    if pages > 1 and paper.height:
        size = 7 * paper.scale
        baseline = paper.margin + size * 0.3  # descenders stay above the margin
        ink.text(paper.width - paper.margin - fonts.width(text, size), baseline, text, size)
