"""Stock (mode 3): what is on the shelf, what is held for orders, what can still be sold."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.models.reads import StockRow
from orderdesk.services import ledger, stock
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.widgets.order_table import capital

COLUMNS = (
    "col.sku",
    "col.product",
    "col.variant",
    "col.price",
    "col.on_hand",
    "col.reserved",
    "col.available",
    "desk.stock_state",
)


class StockScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("slash", "search", t("desk.search"), id="stock.search"),
        Binding("r", "receive", t("desk.receive"), id="stock.receive"),
        Binding("a", "adjust", t("desk.adjust"), id="stock.adjust"),
        Binding("h", "history", t("desk.history"), id="ledger.history"),
        Binding("l", "low_only", t("desk.low_only"), id="stock.low"),
        Binding("escape", "clear", t("desk.back"), id="stock.back"),
        Binding("f5", "reload", t("desk.reload"), id="stock.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[StockRow] = []
        self.low_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stock-search-bar"):
            yield Label(t("desk.search_label"), id="stock-search-label")
            yield Input(placeholder=t("desk.stock_search_hint"), id="stock-search")
        yield DataTable(id="stock-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="stock-result")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#stock-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(key), key=key)
        self.sub_title = t("desk.mode.stock")
        self.reload()
        table.focus()

    @guarded
    def reload(self, keep: str | None = None) -> None:
        search = self.query_one("#stock-search", Input).value
        with self.desk.store.read() as session:
            self.rows = ledger.list_stock(session, search=search, low_only=self.low_only)
        table = self.query_one("#stock-table", DataTable)
        table.clear()
        for row in self.rows:
            low = row.is_low
            style = "bold red" if row.available <= 0 else ("yellow" if low else "")
            table.add_row(
                Text(row.sku, style=style),
                Text(row.name),
                Text(" / ".join(p for p in (row.variant, row.color, row.size) if p)),
                Text(format_money(row.price), justify="right"),
                Text(str(row.on_hand), justify="right"),
                Text(str(row.reserved), justify="right"),
                Text(str(row.available), justify="right", style=style),
                Text(t("stock.low") if low else "", style=style),
                key=row.sku,
            )
        if keep is not None:
            index = next((i for i, row in enumerate(self.rows) if row.sku == keep), 0)
            table.move_cursor(row=index)

    @property
    def current(self) -> StockRow | None:
        table = self.query_one("#stock-table", DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    @on(Input.Changed, "#stock-search")
    def _search_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#stock-search")
    def _search_done(self) -> None:
        self.query_one("#stock-table", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#stock-search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#stock-search", Input)
        if search.has_focus or search.value:
            search.value = ""
            self.query_one("#stock-table", DataTable).focus()
        else:
            self.app.switch_mode("orders")

    def action_low_only(self) -> None:
        self.low_only = not self.low_only
        self.reload()

    def action_reload(self) -> None:
        self.reload(keep=self.current.sku if self.current else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("receive", "adjust", "history", "low_only") and isinstance(
            self.focused, Input
        ):
            return False  # those letters are typed into the search box
        return True

    # ------------------------------------------------------------------ actions

    def action_receive(self) -> None:
        row = self.current
        if row is None:
            return
        self.app.push_screen(
            PromptModal(
                t("desk.receive_title", sku=row.sku, name=row.name),
                [
                    Ask(capital(t("field.qty")), "10", required=True),
                    Ask(capital(t("field.note")), t("desk.receive_note_hint")),
                ],
            ),
            lambda answer: self._received(row.sku, answer),
        )

    @guarded
    def _received(self, sku: str, answer: list[str] | None) -> None:
        if answer is None:
            return
        with self.desk.store.write() as session:
            row, released = stock.receive(session, sku, answer[0], note=answer[1])
        self._report(row, released)

    def _report(self, row: StockRow, released: list[str]) -> None:
        """The SKU's new figures, and the waiting orders the change served, kept on screen."""
        message = t(
            "cli.stock.now",
            sku=row.sku,
            on_hand=row.on_hand,
            reserved=row.reserved,
            available=row.available,
        )
        if released:
            message += "\n" + t(
                "cli.stock.released", count=len(released), codes=", ".join(released)
            )
        self.query_one("#stock-result", Static).update(Text(message))
        self.notify(message, timeout=10, markup=False)
        self.reload(keep=row.sku)

    def action_adjust(self) -> None:
        row = self.current
        if row is None:
            return
        self.app.push_screen(
            PromptModal(
                t("desk.adjust_title", sku=row.sku, on_hand=row.on_hand),
                [
                    Ask(capital(t("field.delta")), "-1 / +3", required=True),
                    Ask(capital(t("field.reason")), t("desk.adjust_reason_hint"), required=True),
                ],
            ),
            lambda answer: self._adjusted(row.sku, answer),
        )

    @guarded
    def _adjusted(self, sku: str, answer: list[str] | None) -> None:
        if answer is None:
            return
        with self.desk.store.write() as session:
            row, released = stock.adjust(session, sku, answer[0], reason=answer[1])
        self._report(row, released)

    @guarded
    def action_history(self) -> None:
        row = self.current
        if row is None:
            return
        with self.desk.store.read() as session:
            moves = ledger.history(session, row.sku, limit=30)
        text = Text(t("desk.history_of", sku=row.sku) + "\n", style="bold")
        for move in moves:
            text.append(
                f"{format_local(move.at)}  {t('move.' + move.kind.value):<14}"
                f"{move.on_hand_delta:+5d} {move.reserved_delta:+5d}  "
                f"{move.order_code or ''}  "
            )
            text.append(move.reason, style="dim")
            text.append("\n")
        self.query_one("#stock-result", Static).update(text)
