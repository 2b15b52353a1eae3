"""Confirm (mode 4): call the customer, tick what they confirmed, confirm, next.

The queue holds pending orders, the most urgent first. Each tick answers one reason
carriers give for refused COD parcels; the core decides whether the order may be confirmed.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from orderdesk import validation
from orderdesk.errors import ChecklistFailed
from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.models.reads import CheckItem, OrderDetail, OrderRow
from orderdesk.services import checklist, customers, orders
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.widgets.order_table import capital
from orderdesk.tui.widgets.risk import risk_text


class ChecklistView(OptionList):
    """The checklist; the highlighted manual item is ticked with space."""

    BINDINGS = [
        Binding("space", "screen.tick", t("desk.tick"), id="confirm.tick"),
        Binding("enter", "screen.confirm", t("desk.confirm"), id="confirm.confirm", priority=True),
    ]


class ConfirmScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("n", "step(1)", t("desk.next"), id="confirm.next"),
        Binding("p", "step(-1)", t("desk.previous"), id="confirm.previous"),
        Binding("e", "edit", t("desk.edit"), id="confirm.edit"),
        Binding("c", "cancel_order", t("desk.cancel_order"), id="confirm.cancel"),
        Binding("escape", "back", t("desk.back"), id="confirm.back"),
        Binding("f5", "reload", t("desk.reload"), id="confirm.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.danger: customers.Risk | None = None
        self.queue: list[OrderRow] = []
        self.index = 0
        self.detail: OrderDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="confirm-body"):
            yield Static("", id="confirm-queue")
            with Vertical(id="confirm-main"):
                with VerticalScroll(id="confirm-order-scroll"):
                    yield Static("", id="confirm-order")
                yield ChecklistView(id="checklist")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(ChecklistView).focus()

    def on_screen_resume(self) -> None:
        self.reload(keep=self.detail.order.code if self.detail else None)

    # ------------------------------------------------------------------ loading

    @guarded
    def reload(self, keep: str | None = None) -> None:
        with self.desk.store.read() as session:
            self.queue = orders.confirm_queue(session)
        codes = [row.code for row in self.queue]
        if keep in codes:
            self.index = codes.index(keep)
        self.index = max(0, min(self.index, len(self.queue) - 1))
        self.show()

    def select(self, code: str) -> None:
        """Open the queue at this order (from the orders list)."""
        self.reload(keep=code)
        self.query_one(ChecklistView).focus()

    @guarded
    def show(self, highlight: int | None = None) -> None:
        self.query_one("#confirm-queue", Static).update(self._queue_text())
        view = self.query_one(ChecklistView)
        if not self.queue:
            self.detail = None
            self.sub_title = t("desk.mode.confirm")
            self.query_one("#confirm-order", Static).update(Text(t("desk.queue_empty")))
            view.clear_options()
            return
        row = self.queue[self.index]
        with self.desk.store.read() as session:
            self.detail = orders.detail(session, row.code)
            self.danger = customers.risk(session, self.detail.order.phone, other_than=row.code)
        self.sub_title = f"{t('desk.mode.confirm')} · {self.index + 1}/{len(self.queue)}"
        self.query_one("#confirm-order", Static).update(self._order_view(self.detail))
        view.clear_options()
        current_group = ""
        for item in self.detail.checklist.items:
            if item.group != current_group:
                current_group = item.group
                view.add_option(
                    Option(Text(t("check.group." + item.group), style="bold"), disabled=True)
                )
            view.add_option(Option(self._item_text(item), id=item.key))
        first_open = next(
            (
                i
                for i, o in enumerate(view.options)
                if o.id in checklist.MANUAL_ITEMS and not self._item(o.id).passed
            ),
            None,
        )
        view.highlighted = (
            highlight if highlight is not None else (first_open if first_open is not None else 1)
        )

    def _item(self, key: str | None) -> CheckItem:
        assert self.detail is not None
        return next(item for item in self.detail.checklist.items if item.key == key)

    def _item_text(self, item: CheckItem) -> Text:
        text = Text("  ")
        if item.automatic:
            text.append("✓ " if item.passed else "✗ ", style="green" if item.passed else "red")
        else:
            text.append(
                "[x] " if item.passed else "[ ] ", style="bold green" if item.passed else "bold"
            )
        text.append(t("check." + item.key))
        if item.automatic:
            text.append(f"  ({t('desk.automatic')})", style="dim")
        if not item.passed and item.automatic and item.reason_key:
            text.append(f" — {t(item.reason_key, **item.reason_params)}", style="red")
        return text

    def _queue_text(self) -> Text:
        text = Text(t("desk.queue_title", n=len(self.queue)) + "\n", style="bold")
        start = max(0, self.index - 3)
        for i, row in enumerate(self.queue[start : start + 30], start=start):
            mark = "▶ " if i == self.index else "  "
            text.append(f"{mark}{row.code}\n", style="reverse" if i == self.index else "")
            text.append(f"   {row.name[:22]}\n", style="dim")
        return text

    def _order_view(self, found: OrderDetail) -> Table:
        o = found.order
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row(
            t("col.code"),
            Text(
                f"{o.code}  ·  {format_local(o.created_at)}"
                + (f"  ·  {o.channel}" if o.channel else "")
            ),
        )
        grid.add_row(t("col.name"), Text(o.name))
        grid.add_row(t("col.phone"), Text(validation.display_phone(o.phone), style="bold"))
        if self.danger is not None and self.danger.warn:
            grid.add_row(Text("⚠", style="bold red"), risk_text(self.danger))
        grid.add_row(
            t("desk.address"),
            Text(", ".join(p for p in (o.street, o.ward, o.district, o.province) if p)),
        )
        for index, line in enumerate(o.lines):
            grid.add_row(
                t("desk.items") if index == 0 else "",
                Text(
                    f"{line.qty} × {line.name}"
                    + (f" ({line.variant})" if line.variant else "")
                    + f"  {format_money(line.unit_price)}"
                ),
            )
        grid.add_row(t("col.total"), format_money(o.total))
        grid.add_row(t("col.cod"), Text(format_money(o.cod), style="bold"))
        grid.add_row(t("col.payment"), t("payment." + o.payment.value))
        if o.deliver_by:
            grid.add_row(t("col.deliver_by"), o.deliver_by.strftime("%d/%m/%Y"))
        if o.note:
            grid.add_row(t("col.note"), Text(o.note))
        return grid

    # ------------------------------------------------------------------ actions

    @guarded
    def action_tick(self) -> None:
        view = self.query_one(ChecklistView)
        option = view.highlighted_option
        if self.detail is None or option is None or option.id not in checklist.MANUAL_ITEMS:
            return
        item = self._item(option.id)
        with self.desk.store.write() as session:
            orders.tick(session, self.detail.order.code, item.key, on=not item.passed)
        # Re-drawn, the list highlights the first unticked item: the next one to ask about.
        self.show(highlight=None if not item.passed else view.highlighted)

    @guarded
    def action_confirm(self) -> None:
        if self.detail is None:
            return
        code = self.detail.order.code
        try:
            with self.desk.store.write() as session:
                orders.confirm(session, code)
        except ChecklistFailed as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        self.notify(t("desk.confirmed", code=code), markup=False)
        self.reload()

    def action_step(self, step: int) -> None:
        if self.queue:
            self.index = (self.index + step) % len(self.queue)
            self.show()

    def action_edit(self) -> None:
        if self.detail is not None:
            self.desk.edit_order(self.detail.order.code)

    def action_cancel_order(self) -> None:
        if self.detail is None:
            return
        code = self.detail.order.code
        self.app.push_screen(
            PromptModal(
                t("desk.cancel_title", code=code),
                [Ask(capital(t("field.reason")), t("desk.cancel_reason_hint"))],
            ),
            lambda answer: self._cancelled(code, answer),
        )

    @guarded
    def _cancelled(self, code: str, answer: list[str] | None) -> None:
        if answer is None:
            return
        with self.desk.store.write() as session:
            orders.cancel(session, code, reason=answer[0])
        self.notify(t("desk.cancelled", code=code), markup=False)
        self.reload()

    def action_reload(self) -> None:
        self.reload(keep=self.detail.order.code if self.detail else None)

    def action_back(self) -> None:
        self.app.switch_mode("orders")
