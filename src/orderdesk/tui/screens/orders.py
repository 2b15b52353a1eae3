"""Orders (mode 1): every order, filtered by status and searched by code, name or phone."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Static, Tab, Tabs
from textual.worker import get_current_worker

from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.money import format_number
from orderdesk.models.reads import OrderRow
from orderdesk.services import orders
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.widgets.order_table import PAGE, OrderTable, capital, header_line

ALL = "all"
TAB_ORDER: list[str] = [ALL] + [s.value for s in OrderStatus]


def tab_label(key: str, count: int, capped: bool = False) -> str:
    name = t("desk.all") if key == ALL else capital(t(f"status.{key}"))
    return f"{name} {format_number(count)}{'+' if capped and count else ''}"


class OrdersScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("slash", "search", t("desk.search"), id="orders.search"),
        Binding("left", "status(-1)", t("desk.prev_status"), id="orders.prev_status"),
        Binding("right", "status(1)", t("desk.next_status"), id="orders.next_status"),
        Binding("escape", "clear", t("desk.clear"), id="orders.clear"),
        Binding("i", "import_market", t("desk.market.import"), id="orders.import_market"),
        Binding("f5", "reload", t("desk.reload"), id="orders.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status_key = ALL
        self.search_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        tabs = Tabs(
            *(Tab(tab_label(key, 0), id=f"tab-{key}") for key in TAB_ORDER), id="status-tabs"
        )
        tabs.can_focus = False
        yield tabs
        with Horizontal(id="search-bar"):
            yield Label(t("desk.search_label"), id="search-label")
            yield Input(placeholder=t("desk.search_hint"), id="search")
        yield Static(header_line(), id="table-header")
        yield OrderTable(id="orders")
        yield Static("", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OrderTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        # Back from another step: orders may have been saved, confirmed or cancelled there.
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        self._load(self.status_key, self.search_text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="orders-load")
    def _load(self, status_key: str, search: str) -> None:
        status = None if status_key == ALL else OrderStatus(status_key)
        store = self.desk.store
        try:
            with store.read() as session:
                counts, capped = orders.search_counts(session, search)
                first = orders.list_rows(session, status=status, search=search, limit=PAGE)
        except OrderdeskError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show, status_key, search, counts, first, capped)

    def _show(
        self,
        status_key: str,
        search: str,
        counts: dict[OrderStatus, int],
        first: list[OrderRow],
        capped: bool = False,
    ) -> None:
        if (status_key, search) != (self.status_key, self.search_text):
            return  # the seller has typed on; a newer load is coming
        tabs = self.query_one(Tabs)
        for key in TAB_ORDER:
            count = sum(counts.values()) if key == ALL else counts[OrderStatus(key)]
            tabs.query_one(f"#tab-{key}", Tab).label = tab_label(key, count, capped)
        total = sum(counts.values()) if status_key == ALL else counts[OrderStatus(status_key)]
        status = None if status_key == ALL else OrderStatus(status_key)
        store = self.desk.store

        def fetch(offset: int, limit: int) -> list[OrderRow]:
            with store.read() as session:
                return orders.list_rows(
                    session, status=status, search=search, offset=offset, limit=limit
                )

        self.query_one(OrderTable).reset(fetch, total, first)
        empty = self.query_one("#empty", Static)
        empty.update(t("desk.no_orders") if total == 0 else "")
        empty.display = total == 0

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_status(self, step: int) -> None:
        index = (TAB_ORDER.index(self.status_key) + step) % len(TAB_ORDER)
        self.query_one(Tabs).active = f"tab-{TAB_ORDER[index]}"

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one(OrderTable).focus()
        elif search.value:
            search.value = ""

    def action_open_current(self) -> None:
        self.query_one(OrderTable).action_open()

    def action_reload(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Left/right move the cursor inside the search box; only switch tabs elsewhere.
        if action == "status" and isinstance(self.focused, Input):
            return False
        return True

    @on(Tabs.TabActivated, "#status-tabs")
    def _tab_changed(self, event: Tabs.TabActivated) -> None:
        key = (event.tab.id or "tab-all").removeprefix("tab-")
        if key != self.status_key:
            self.status_key = key
            self.reload()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(OrderTable).focus()

    @on(OrderTable.Resized)
    def _relayout(self, event: OrderTable.Resized) -> None:
        self.query_one("#table-header", Static).update(header_line(event.columns))

    @on(OrderTable.Moved)
    def _moved(self, event: OrderTable.Moved) -> None:
        position = (
            f"{format_number(event.index + 1)}/{format_number(event.total)}" if event.total else ""
        )
        self.sub_title = " · ".join(p for p in (t("desk.mode.orders"), position) if p)

    @on(OrderTable.Opened)
    def _open(self, event: OrderTable.Opened) -> None:
        from orderdesk.tui.screens.order_view import OrderView

        self.app.push_screen(OrderView(event.code))

    # ------------------------------------------------------------------ marketplace files

    def action_import_market(self) -> None:
        from orderdesk.tui.modals.choice import ChoiceModal
        from orderdesk.tui.modals.prompt import Ask, PromptModal

        def pathed(values: list[str] | None) -> None:
            if values is None or not values[0].strip():
                return

            def sourced(source: str | None) -> None:
                if source is not None:
                    self.notify(t("desk.market.reading"), markup=False, timeout=3)
                    self._import_market(values[0].strip(), source, False)

            self.app.push_screen(
                ChoiceModal(
                    t("desk.market.source"),
                    [
                        (t(f"desk.market.from.{s}"), s)
                        for s in ("auto", "shopee", "tiktok", "lazada")
                    ],
                ),
                sourced,
            )

        self.app.push_screen(
            PromptModal(
                t("desk.market.import"),
                [Ask(t("desk.track.import_path"), "~/Downloads/Order.all.xlsx")],
                t("desk.market.help"),
            ),
            pathed,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="market")
    def _import_market(self, path_text: str, source: str, skip_unknown: bool) -> None:
        from pathlib import Path

        from orderdesk.errors import ImportRejected
        from orderdesk.services.files.marketplace import import_marketplace

        path = Path(path_text).expanduser()
        try:
            with self.desk.store.write() as session:
                result = import_marketplace(session, path, source, skip_unknown_sku=skip_unknown)
        except ImportRejected as error:
            self.app.call_from_thread(self._rejected, error, path_text, source)
            return
        self.app.call_from_thread(self._imported, result)

    def _rejected(self, error: object, path_text: str, source: str) -> None:
        from orderdesk.errors import ImportRejected
        from orderdesk.tui.guard import report_rejected
        from orderdesk.tui.modals.yesno import YesNoModal

        assert isinstance(error, ImportRejected)
        unknown = [e for e in error.errors if e.key == "err.market.sku_unknown"]
        report_rejected(self, error)
        if unknown and len(unknown) == len(error.errors) and len(unknown) < error.rows:
            # Only products the shop does not sell: offer to import the rest.
            def answered(yes: bool | None) -> None:
                if yes:
                    self._import_market(path_text, source, True)

            skus = sorted({str(e.params.get("sku")) for e in unknown})
            self.app.push_screen(
                YesNoModal(
                    t("desk.market.skip_question", count=len(unknown)),
                    ", ".join(skus[:12]) + (" …" if len(skus) > 12 else ""),
                ),
                answered,
            )

    def _imported(self, result: object) -> None:
        from orderdesk.services.files.marketplace import MarketResult
        from orderdesk.tui.modals.report import ReportModal

        assert isinstance(result, MarketResult)
        self.app.push_screen(ReportModal(t("desk.market.done"), result.summary(), result.details()))
        self.reload()
