"""One customer's page: details and figures, their orders (Enter opens one), reviews and
returns; notes, tags, merging a second record of the same person, and a return or an
exchange of the highlighted order."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.money import format_money
from orderdesk.models.reads import CustomerBook
from orderdesk.services import customers
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.flows import stars_text, start_return
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.modals.yesno import YesNoModal
from orderdesk.tui.widgets.order_table import capital


def render_head(book: CustomerBook) -> Table:
    c = book.customer
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(
        t("col.name"), Text(f"{c.name}  ·  {c.phone}" + (f"  ·  {c.email}" if c.email else ""))
    )
    grid.add_row(
        t("desk.address"), Text(", ".join(p for p in (c.street, c.ward, c.province) if p) or "—")
    )
    if c.old_address:
        grid.add_row(t("desk.old_address"), Text(t("desk.old_address_choose", text=c.old_address)))
    figures = Text(
        t(
            "desk.book.figures",
            orders=c.orders,
            spent=format_money(c.spent),
            returns=c.returns,
            reviews=c.reviews,
        )
    )
    if c.refused:
        figures.append("  " + t("desk.refused_warning", n=c.refused), style="bold red")
    grid.add_row(t("desk.book.figures_label"), figures)
    grid.add_row(t("desk.book.tags"), Text(", ".join(c.tags) or "—"))
    grid.add_row(t("desk.book.notes"), Text(c.notes or "—"))
    return grid


def render_more(book: CustomerBook) -> Text:
    text = Text()
    for r in book.reviews[:5]:
        text.append_text(stars_text(r.stars))
        text.append(
            f"  {r.code}{' ' + r.sku if r.sku else ''}  {format_local(r.at)}  ", style="dim"
        )
        text.append(f"{r.comment}\n")
    for r in book.returns[:5]:
        text.append(f"↩ {r.code}  {format_local(r.at)}  ", style="dim")
        text.append(
            f"{t('desk.after.kind.' + r.kind)} · {t('return_reason.' + str(r.reason))} · "
            f"{format_money(r.refund)}\n"
        )
    return text


class CustomerBookScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", t("desk.back"), id="book.back"),
        Binding("n", "notes", t("desk.book.edit_notes"), id="book.notes"),
        Binding("t", "tags", t("desk.book.edit_tags"), id="book.tags"),
        Binding("m", "merge", t("desk.book.merge"), id="book.merge"),
        Binding("r", "return_goods(False)", t("desk.after.new_return"), id="book.return"),
        Binding("x", "return_goods(True)", t("desk.after.exchange"), id="book.exchange"),
    ]

    def __init__(self, phone: str) -> None:
        super().__init__()
        self.phone = phone
        self.book: CustomerBook | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="book-head")
        yield DataTable(id="book-orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="book-more")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("desk.book.title")
        table = self.query_one("#book-orders", DataTable)
        for key in ("code", "created", "status", "total"):
            table.add_column(t(f"col.{key}"), key=key)
        self.load()
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()

    @guarded
    def load(self) -> None:
        with self.desk.store.read() as session:
            self.book = customers.book(session, self.phone)
        self.query_one("#book-head", Static).update(render_head(self.book))
        table = self.query_one("#book-orders", DataTable)
        keep = table.cursor_row
        table.clear()
        for o in self.book.orders:
            table.add_row(
                o.code,
                format_local(o.created_at),
                capital(t("status." + o.status.value)),
                format_money(o.total),
                key=o.code,
            )
        if self.book.orders:
            table.move_cursor(row=min(keep, len(self.book.orders) - 1))
        self.query_one("#book-more", Static).update(render_more(self.book))

    def _current(self) -> str | None:
        table = self.query_one("#book-orders", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#book-orders")
    def _open(self, event: DataTable.RowSelected) -> None:
        from orderdesk.tui.screens.order_view import OrderView

        if event.row_key.value:
            self.app.push_screen(OrderView(event.row_key.value))

    def action_notes(self) -> None:
        current = self.book.customer.notes if self.book else ""

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._save(lambda s: customers.set_notes(s, self.phone, values[0]))

        self.app.push_screen(
            PromptModal(
                t("desk.book.edit_notes"),
                [Ask(t("desk.book.notes"), t("desk.book.notes_hint"), value=current)],
            ),
            done,
        )

    def action_tags(self) -> None:
        before = self.book.customer.tags if self.book else []

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._save(lambda s: customers.set_tags(s, self.phone, values[0]))

        self.app.push_screen(
            PromptModal(
                t("desk.book.edit_tags"),
                [Ask(t("desk.book.tags"), t("desk.book.tags_hint"), value=", ".join(before))],
            ),
            done,
        )

    @guarded
    def _save(self, change: object) -> None:
        with self.desk.store.write() as session:
            change(session)  # type: ignore[operator]
        self.load()

    def action_merge(self) -> None:
        def asked(values: list[str] | None) -> None:
            if values is None or not values[0].strip():
                return
            other = values[0].strip()

            def sure(yes: bool | None) -> None:
                if yes:
                    self._merge(other)

            self.app.push_screen(
                YesNoModal(
                    t("desk.book.merge_question", other=other, phone=self.phone),
                    t("desk.book.merge_detail"),
                ),
                sure,
            )

        self.app.push_screen(
            PromptModal(
                t("desk.book.merge"),
                [Ask(t("desk.book.merge_phone"), "0912 345 678")],
                help_text=t("desk.book.merge_help"),
            ),
            asked,
        )

    @guarded
    def _merge(self, other: str) -> None:
        with self.desk.store.write() as session:
            kept = customers.merge(session, self.phone, other)
        self.notify(
            t("cli.customer.merged", drop=other, keep=kept.phone, orders=kept.orders),
            markup=False,
        )
        self.load()

    def action_return_goods(self, swap: bool) -> None:

        code = self._current()
        if code is not None:
            start_return(self, code, self.load, swap=swap)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "return_goods" and self.book is not None:
            code = self._current()
            delivered = {o.code for o in self.book.orders if o.status is OrderStatus.DELIVERED}
            return code in delivered
        return True

    @on(DataTable.RowHighlighted, "#book-orders")
    def _moved(self, _: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()
