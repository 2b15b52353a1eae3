"""A table of orders that pages from the database, so 100,000 orders scroll instantly.

Textual's DataTable measures every cell up front (10 s for 100,000 rows, FIELD_NOTES.md).
This widget only knows the row count; it renders the visible lines from an LRU cache of
pages fetched on demand. Cells are drawn as plain segments, so a customer's name or note
is never parsed as markup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from orderdesk import validation
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.money import format_money
from orderdesk.models.reads import OrderRow
from orderdesk.timeutil import to_local, utcnow

PAGE = 100
MAX_PAGES = 40


@dataclass(frozen=True)
class Column:
    key: str
    width: int
    right: bool = False


# The name column takes whatever width the others leave (between its min and max).
NAME_MIN, NAME_MAX = 12, 32
COLUMNS = (
    Column("col.code", 14),
    Column("col.status", 14),
    Column("col.created", 11),
    Column("col.name", NAME_MIN),
    Column("col.phone", 10),
    Column("col.province", 14),
    Column("col.total", 12, right=True),
    Column("col.cod", 12, right=True),
    Column("col.channel", 8),
)


def layout(width: int) -> tuple[Column, ...]:
    fixed = sum(c.width + 1 for c in COLUMNS if c.key != "col.name") + 1
    name = max(NAME_MIN, min(NAME_MAX, width - fixed))
    return tuple(Column(c.key, name) if c.key == "col.name" else c for c in COLUMNS)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


STATUS_STYLE = {
    OrderStatus.PENDING: Style(color="yellow"),
    OrderStatus.AWAITING_STOCK: Style(color="magenta", bold=True),
    OrderStatus.CONFIRMED: Style(color="cyan"),
    OrderStatus.PACKED: Style(color="blue"),
    OrderStatus.SHIPPED: Style(color="bright_blue"),
    OrderStatus.DELIVERED: Style(color="green"),
    OrderStatus.DELIVERY_FAILED: Style(color="red", bold=True),
    OrderStatus.RETURNING: Style(color="red"),
    OrderStatus.RETURNED: Style(color="bright_black"),
    OrderStatus.CANCELLED: Style(color="bright_black", strike=True),
}


def short_province(name: str) -> str:
    return name.replace("Thành phố ", "TP ")


def short_time(moment: datetime) -> str:
    """`27/11 14:05` this year, `27/11/25` before: a date column a seller can scan."""
    local = to_local(moment)
    if local.year == to_local(utcnow()).year:
        return local.strftime("%d/%m %H:%M")
    return local.strftime("%d/%m/%y")


def cells(row: OrderRow) -> list[str]:
    return [
        row.code,
        capital(t(f"status.{row.status.value}")),
        short_time(row.created_at),
        row.name,
        validation.display_phone(row.phone).replace(" ", ""),
        short_province(row.province),
        format_money(row.total),
        format_money(row.cod),
        row.channel,
    ]


def _fit(text: str, column: Column) -> str:
    fitted = set_cell_size(text, column.width)
    if column.right:
        stripped = fitted.rstrip()
        fitted = " " * (column.width - len(stripped)) + stripped
    return fitted


def header_line(columns: tuple[Column, ...] = COLUMNS) -> str:
    return " ".join(_fit(t(c.key), c) for c in columns)


Fetch = Callable[[int, int], list[OrderRow]]


class OrderTable(ScrollView, can_focus=True):
    """Rows of orders with a cursor; Enter posts `OrderTable.Opened`."""

    DEFAULT_CSS = """
    OrderTable { height: 1fr; }
    """

    BINDINGS = [
        # Left/right belong to the screen (switching status), not to horizontal scrolling.
        Binding("left", "screen.status(-1)", show=False, id="table.left"),
        Binding(
            "right", "screen.status(1)", t("desk.status_keys"), key_display="←→", id="table.right"
        ),
        Binding("up", "cursor(-1)", show=False, id="table.up"),
        Binding("down", "cursor(1)", show=False, id="table.down"),
        Binding("pageup", "page(-1)", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", show=False, id="table.page_down"),
        Binding("home", "jump(0)", show=False, id="table.home"),
        Binding("end", "jump(-1)", show=False, id="table.end"),
        Binding("enter", "open", t("desk.open"), id="orders.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """The index of the highlighted row in the current filter."""

    class Moved(Message):
        """The cursor is now on row `index` of `total`."""

        def __init__(self, table: OrderTable, index: int, total: int) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.total = total

        @property
        def control(self) -> OrderTable:
            return self.table

    class Resized(Message):
        """The columns were laid out again for a new width."""

        def __init__(self, table: OrderTable, columns: tuple[Column, ...]) -> None:
            super().__init__()
            self.table = table
            self.columns = columns

        @property
        def control(self) -> OrderTable:
            return self.table

    class Opened(Message):
        def __init__(self, table: OrderTable, code: str) -> None:
            super().__init__()
            self.table = table
            self.code = code

        @property
        def control(self) -> OrderTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._total = 0
        self._fetch: Fetch = lambda offset, limit: []
        self._pages: OrderedDict[int, list[OrderRow]] = OrderedDict()
        self.columns: tuple[Column, ...] = COLUMNS

    @property
    def total(self) -> int:
        return self._total

    def reset(self, fetch: Fetch, total: int, first_page: list[OrderRow]) -> None:
        """Show a new result: `total` rows, fetched page by page with `fetch`."""
        self._fetch = fetch
        self._total = total
        self._pages.clear()
        self._pages[0] = first_page
        self.virtual_size = Size(self.size.width, total)
        self.scroll_to(y=0, animate=False)
        self.cursor = 0
        self.refresh()

    def row_at(self, index: int) -> OrderRow | None:
        if not 0 <= index < self._total:
            return None
        number, offset = divmod(index, PAGE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number * PAGE, PAGE)
            self._pages[number] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> OrderRow | None:
        return self.row_at(self.cursor)

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        selected = index == self.cursor
        line_style = (
            base + Style(reverse=True)
            if selected and self.has_focus
            else (base + Style(bgcolor="grey23") if selected else base)
        )
        segments: list[Segment] = []
        for column, text in zip(self.columns, cells(row), strict=True):
            style = line_style
            if column.key == "col.status":
                style = line_style + STATUS_STYLE.get(row.status, Style())
            segments.append(Segment(_fit(text, column), style))
            segments.append(Segment(" ", line_style))
        return Strip(segments).crop_extend(0, width, line_style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._total)
        columns = layout(self.size.width)
        if columns != self.columns:
            self.columns = columns
            self.post_message(self.Resized(self, columns))

    def watch_cursor(self, old: int, new: int) -> None:
        _, top = self.scroll_offset
        height = max(self.size.height, 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False)
        self.refresh()
        self.post_message(self.Moved(self, new, self._total))

    def _move_to(self, index: int) -> None:
        if self._total:
            self.cursor = max(0, min(index, self._total - 1))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.size.height - 1, 1))

    def action_jump(self, where: int) -> None:
        self._move_to(self._total - 1 if where < 0 else where)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row.code))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
