"""After-sales (mode 7): the low reviews waiting for an answer, returns and exchanges, and
the customer book.

Tabs across the top (←/→): reviews to answer first, because an unhappy customer answered
within the hour is often a customer kept. Every rule lives in `services.reviews`,
`services.returns` and `services.customers`; this screen gathers keys and shows results.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static, Tab, Tabs

from orderdesk.errors import ImportRejected
from orderdesk.i18n import t
from orderdesk.models.money import format_money, format_number
from orderdesk.services import customers, returns, reviews
from orderdesk.services.returns import ReturnRead
from orderdesk.services.reviews import ReviewRead
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.flows import returned_items, stars_text, start_return
from orderdesk.tui.guard import guarded, report_rejected
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.widgets.order_table import capital

if TYPE_CHECKING:
    from orderdesk.models.reads import CustomerRow

VIEWS = ("reviews", "returns", "customers")
REVIEW_COLUMNS = ("stars", "when", "code", "phone", "name", "sku", "comment")
RETURN_COLUMNS = ("when", "code", "kind", "reason", "items", "refund", "exchange")
CUSTOMER_COLUMNS = ("phone", "name", "province", "orders", "spent", "returns", "refused", "tags")
# Which keys belong to which tab; the footer shows only the current tab's.
_ACTIONS = {
    "answer": "reviews",
    "add_review": "reviews",
    "import_reviews": "reviews",
    "new_return": "returns",
    "exchange": "returns",
    "search": "customers",
}


class AfterScreen(DeskScreen[None]):
    BINDINGS = [
        # Before the table's own ←/→ (which only scroll a row cursor sideways); not while
        # typing a search, where they move in the text.
        Binding(
            "left", "view(-1)", t("desk.track.prev"), id="after.prev", show=False, priority=True
        ),
        Binding(
            "right", "view(1)", t("desk.track.next"), id="after.next", show=False, priority=True
        ),
        Binding("enter", "open", t("desk.after.open"), id="after.open"),
        Binding("a", "add_review", t("desk.after.add_review"), id="after.add_review"),
        Binding("i", "import_reviews", t("desk.after.import_reviews"), id="after.import"),
        Binding("n", "new_return", t("desk.after.new_return"), id="after.new_return"),
        Binding("x", "exchange", t("desk.after.exchange"), id="after.exchange"),
        Binding("slash", "search", t("desk.search"), id="after.search"),
        Binding("f5", "reload", t("desk.reload"), id="after.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "reviews"
        self.waiting: list[ReviewRead] = []
        self.recent: list[ReturnRead] = []
        self.found: list[CustomerRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        tabs = Tabs(
            *(Tab(t(f"desk.after.view.{v}"), id=f"view-{v}") for v in VIEWS), id="after-tabs"
        )
        tabs.can_focus = False
        yield tabs
        yield Input(placeholder=t("desk.after.search_hint"), id="after-search")
        yield Static("", id="after-hint")
        yield DataTable(id="after-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="after-empty")
        yield Static("", id="after-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("desk.mode.after")
        self.reload()
        self.query_one("#after-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.reload()

    @guarded
    def reload(self) -> None:
        with self.desk.store.read() as session:
            self.waiting = reviews.queue(session)
            if self.view == "returns":
                self.recent = returns.recent(session)
            if self.view == "customers":
                self.found = customers.search(session, self.query_one("#after-search", Input).value)
        tabs = self.query_one("#after-tabs", Tabs)
        tabs.query_one(
            "#view-reviews", Tab
        ).label = f"{t('desk.after.view.reviews')} {format_number(len(self.waiting))}"
        if tabs.active != f"view-{self.view}":
            tabs.active = f"view-{self.view}"
        self.query_one("#after-search", Input).display = self.view == "customers"
        self._fill()
        self.refresh_bindings()

    def _fill(self) -> None:
        table = self.query_one("#after-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        columns = {
            "reviews": REVIEW_COLUMNS,
            "returns": RETURN_COLUMNS,
            "customers": CUSTOMER_COLUMNS,
        }[self.view]
        for key in columns:
            table.add_column(t(f"desk.after.col.{key}"), key=key)
        if self.view == "reviews":
            for r in self.waiting:
                table.add_row(
                    stars_text(r.stars),
                    format_local(r.at),
                    r.code,
                    r.phone,
                    r.name,
                    r.sku or Text("—", style="dim"),
                    r.comment.replace("\n", " ")[:60],
                    key=str(r.id),
                )
            count, empty = len(self.waiting), "desk.after.no_reviews"
        elif self.view == "returns":
            for found in self.recent:
                table.add_row(
                    format_local(found.at),
                    found.code,
                    t(f"desk.after.kind.{found.kind}"),
                    t("return_reason." + found.reason.value),
                    returned_items(found),
                    format_money(found.refund),
                    found.exchange_code or Text("—", style="dim"),
                    key=str(found.id),
                )
            count, empty = len(self.recent), "desk.after.no_returns"
        else:
            for c in self.found:
                table.add_row(
                    c.phone,
                    c.name,
                    c.province,
                    str(c.orders),
                    format_money(c.spent),
                    str(c.returns),
                    Text(str(c.refused), style="bold red") if c.refused else "0",
                    ", ".join(c.tags),
                    key=c.phone,
                )
            count, empty = len(self.found), "desk.after.no_customers"
        self.query_one("#after-hint", Static).update(
            Text(t(f"desk.after.hint.{self.view}"), style="dim")
        )
        box = self.query_one("#after-empty", Static)
        box.update(t(empty))
        box.display = count == 0
        table.display = count > 0
        if count:
            table.move_cursor(row=min(keep, count - 1))
        self._show_detail()

    def _row_key(self) -> str | None:
        table = self.query_one("#after-table", DataTable)
        if not table.row_count or not table.display:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _current_review(self) -> ReviewRead | None:
        key = self._row_key() if self.view == "reviews" else None
        return next((r for r in self.waiting if str(r.id) == key), None)

    @on(DataTable.RowHighlighted, "#after-table")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        panel = self.query_one("#after-detail", Static)
        text = Text()
        review = self._current_review()
        if review is not None:
            text.append(f"{review.code}  ", style="bold")
            text.append(f"{review.name}  {review.phone}  ")
            text.append_text(stars_text(review.stars))
            text.append(f"  {review.channel}  {format_local(review.at)}\n", style="dim")
            text.append(review.comment or t("desk.after.no_comment"))
        elif self.view == "returns":
            key = self._row_key()
            found = next((r for r in self.recent if str(r.id) == key), None)
            if found is not None:
                text.append(
                    t(
                        "desk.after.return_detail",
                        code=found.code,
                        value=format_money(found.value),
                        refund=format_money(found.refund),
                    )
                )
        panel.update(text)
        panel.display = bool(text)

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":
            return not isinstance(self.focused, Input)
        if action in _ACTIONS:
            return _ACTIONS[action] == self.view
        if action == "open":
            return self.view != "returns"
        return True

    def action_view(self, step: int) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + step) % len(VIEWS)]
        self.reload()
        if self.view == "customers":
            self.query_one("#after-search", Input).focus()
        else:
            self.query_one("#after-table", DataTable).focus()

    @on(Tabs.TabActivated, "#after-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "").removeprefix("view-")
        if view in VIEWS and view != self.view:
            self.view = view
            self.reload()

    @on(DataTable.RowSelected, "#after-table")
    def _selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        if self.view == "reviews":
            self.action_answer()
        elif self.view == "customers" and (phone := self._row_key()):
            from orderdesk.tui.screens.customer_book import CustomerBookScreen

            self.app.push_screen(CustomerBookScreen(phone))

    # reviews

    def action_answer(self) -> None:
        review = self._current_review()
        if review is None:
            return

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._answer(review.id, review.code, values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.after.answer_title", code=review.code, name=review.name),
                [Ask(t("desk.after.answer"), t("desk.after.answer_hint"))],
                help_text=review.comment,
            ),
            done,
        )

    @guarded
    def _answer(self, review_id: int, code: str, text: str) -> None:
        with self.desk.store.write() as session:
            reviews.reply(session, review_id, text)
        self.notify(t("cli.review.replied", code=code), markup=False)
        self.reload()

    def action_add_review(self) -> None:
        def done(values: list[str] | None) -> None:
            if values is not None:
                self._add_review(*values)

        self.app.push_screen(
            PromptModal(
                t("desk.after.add_review"),
                [
                    Ask(t("col.code"), "DH2611-0001"),
                    Ask(capital(t("field.stars")), "1–5"),
                    Ask(capital(t("field.comment"))),
                    Ask(t("desk.after.review_sku"), t("desk.after.review_sku_hint")),
                ],
            ),
            done,
        )

    @guarded
    def _add_review(self, code: str, stars: str, comment: str, sku: str) -> None:
        with self.desk.store.write() as session:
            found = reviews.add(session, code, stars, comment=comment, sku=sku)
        key = "cli.review.queued" if found.stars <= reviews.LOW else "cli.review.saved"
        self.notify(t(key, code=found.code, stars=found.stars, id=found.id), markup=False)
        self.reload()

    def action_import_reviews(self) -> None:
        def done(values: list[str] | None) -> None:
            if values is not None and values[0].strip():
                self._import_reviews(Path(values[0].strip()).expanduser())

        self.app.push_screen(
            PromptModal(
                t("desk.after.import_reviews"),
                [Ask(t("desk.track.import_path"), "~/Downloads/reviews.csv")],
                help_text=t("desk.after.import_help"),
            ),
            done,
        )

    @guarded
    def _import_reviews(self, path: Path) -> None:
        from orderdesk.services.files.reviews import import_reviews

        try:
            with self.desk.store.write() as session:
                result = import_reviews(session, path)
        except ImportRejected as error:
            report_rejected(self, error)
            return
        self.notify(
            t("cli.import.reviews", rows=result.created, waiting=result.pending), markup=False
        )
        self.reload()

    # returns

    def _ask_code(self, swap: bool) -> None:
        def done(values: list[str] | None) -> None:
            if values is not None and values[0].strip():
                start_return(self, values[0].strip(), self.reload, swap=swap)

        self.app.push_screen(
            PromptModal(
                t("desk.after.exchange" if swap else "desk.after.new_return"),
                [Ask(t("col.code"), t("desk.after.code_hint"))],
            ),
            done,
        )

    def action_new_return(self) -> None:
        self._ask_code(swap=False)

    def action_exchange(self) -> None:
        self._ask_code(swap=True)

    # customers

    def action_view_customers(self) -> None:
        self.view = "customers"
        self.reload()
        self.action_search()

    def action_search(self) -> None:
        self.query_one("#after-search", Input).focus()

    @on(Input.Changed, "#after-search")
    def _search(self, _: Input.Changed) -> None:
        if self.view == "customers":
            self.reload()

    @on(Input.Submitted, "#after-search")
    def _to_results(self, _: Input.Submitted) -> None:
        self.query_one("#after-table", DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        # ↓ from the search box goes to the results, as in the orders list.
        if event.key == "down" and isinstance(self.focused, Input):
            self.query_one("#after-table", DataTable).focus()
            event.stop()
