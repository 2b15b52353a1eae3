"""One order, read-only: customer, address, lines, money, checklist and history."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from orderdesk import validation
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.money import format_money
from orderdesk.models.reads import OrderDetail
from orderdesk.services import orders
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.widgets.order_table import capital


def _checklist(found: OrderDetail) -> Text:
    checks = Text()
    for item in found.checklist.items:
        mark, style = ("✓", "green") if item.passed else ("✗", "red")
        checks.append(f"{mark} ", style=style)
        checks.append(f"{t('check.group.' + item.group)} / {t('check.' + item.key)}")
        if item.reason_key:
            checks.append(f" — {t(item.reason_key, **item.reason_params)}", style="dim")
        checks.append("\n")
    return checks


def _history(found: OrderDetail) -> Text:
    history = Text()
    for event in found.history:
        history.append(f"{format_local(event.at)}  {t('event.' + event.action)}")
        if event.to_status is not None and event.from_status is not event.to_status:
            before = t("status." + event.from_status.value) if event.from_status else "—"
            history.append(f"  {before} → {t('status.' + event.to_status.value)}", style="dim")
        if event.detail.get("reason") or event.detail.get("note"):
            history.append(f"  {event.detail.get('reason') or event.detail.get('note')}")
        history.append("\n")
    return history


def render_detail(found: OrderDetail) -> Table:
    """The whole order as one Rich renderable; customer text only ever as `Text`."""
    o = found.order
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(t("col.code"), Text(f"{o.code}  ·  {capital(t('status.' + o.status.value))}"))
    grid.add_row(
        t("col.created"),
        Text(format_local(o.created_at) + (f"  ·  {o.channel}" if o.channel else "")),
    )
    grid.add_row(t("col.name"), Text(o.name))
    grid.add_row(
        t("col.phone"),
        Text(validation.display_phone(o.phone) + (f"  ·  {o.email}" if o.email else "")),
    )
    grid.add_row(
        t("desk.address"),
        Text(", ".join(p for p in (o.street, o.ward, o.district, o.province) if p)),
    )
    if o.old_address:
        converted = f"{o.old_address} → {o.ward}, {o.province}"
        grid.add_row(t("desk.old_address"), Text(converted, style="italic"))
    lines = Table(show_edge=False, box=None, padding=(0, 1), header_style="bold")
    for key, justify in (
        ("col.sku", "left"),
        ("col.product", "left"),
        ("col.qty", "right"),
        ("col.unit_price", "right"),
        ("col.amount", "right"),
        ("col.reserved", "right"),
    ):
        lines.add_column(t(key), justify=justify)  # type: ignore[arg-type]
    for line in o.lines:
        lines.add_row(
            Text(line.sku),
            Text(line.name + (f" ({line.variant})" if line.variant else "")),
            str(line.qty),
            format_money(line.unit_price),
            format_money(line.amount),
            str(line.reserved),
        )
    grid.add_row("", "")
    grid.add_row(t("desk.items"), lines)
    grid.add_row("", "")
    for label, amount in (
        (t("col.subtotal"), o.subtotal),
        (t("col.shipping_fee"), o.shipping_fee),
        (t("col.discount"), -o.discount),
        (t("col.total"), o.total),
        (t("col.paid"), o.paid),
        (t("col.cod"), o.cod),
    ):
        grid.add_row(label, format_money(amount))
    grid.add_row(t("col.payment"), t("payment." + o.payment.value))
    grid.add_row(t("col.inspection"), t("inspection." + o.inspection.value))
    if o.deliver_by:
        grid.add_row(t("col.deliver_by"), o.deliver_by.strftime("%d/%m/%Y"))
    if o.note:
        grid.add_row(t("col.note"), Text(o.note))
    if o.cancel_reason:
        grid.add_row(t("col.cancel_reason"), Text(o.cancel_reason))
    if o.status in (OrderStatus.PENDING, OrderStatus.AWAITING_STOCK):
        # Before confirmation the checklist says what is missing; afterwards, history does.
        grid.add_row("", "")
        grid.add_row(t("cli.checklist"), _checklist(found))
    grid.add_row("", "")
    grid.add_row(t("cli.history"), _history(found))
    return grid


# What can be done to an order from its page, by status.
CONFIRMABLE = {OrderStatus.PENDING}
EDITABLE = {OrderStatus.PENDING, OrderStatus.AWAITING_STOCK}
CANCELLABLE = {
    OrderStatus.PENDING,
    OrderStatus.AWAITING_STOCK,
    OrderStatus.CONFIRMED,
    OrderStatus.PACKED,
}


class OrderView(DeskScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", t("desk.back"), id="order.back"),
        Binding("c", "confirm", t("desk.confirm"), id="order.confirm"),
        Binding("e", "edit", t("desk.edit"), id="order.edit"),
        Binding("x", "cancel_order", t("desk.cancel_order"), id="order.cancel"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.status: OrderStatus | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="order-body"):
            yield Static(t("desk.loading"), id="order-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#order-body").focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            with self.desk.store.read() as session:
                found = orders.detail(session, self.code)
        except OrderdeskError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, found)

    def _show(self, found: OrderDetail) -> None:
        self.status = found.order.status
        self.query_one("#order-detail", Static).update(render_detail(found))
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = {"confirm": CONFIRMABLE, "edit": EDITABLE, "cancel_order": CANCELLABLE}
        if action in allowed:
            return self.status in allowed[action]
        return True

    def action_confirm(self) -> None:
        self.app.call_later(self.desk.confirm_order, self.code)

    def action_edit(self) -> None:
        self.app.call_later(self.desk.edit_order, self.code)

    def action_cancel_order(self) -> None:
        self.app.push_screen(
            PromptModal(
                t("desk.cancel_title", code=self.code),
                [Ask(capital(t("field.reason")), t("desk.cancel_reason_hint"))],
            ),
            self._cancelled,
        )

    @guarded
    def _cancelled(self, answer: list[str] | None) -> None:
        if answer is None:
            return
        with self.desk.store.write() as session:
            orders.cancel(session, self.code, reason=answer[0])
        self.notify(t("desk.cancelled", code=self.code), markup=False)
        self._load()
