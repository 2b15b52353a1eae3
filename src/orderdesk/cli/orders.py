"""`orderdesk order …`: add, edit, list, show, confirm, cancel, tick, and move orders along."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table, warn
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t


@click.group()
def order() -> None:
    """Orders: add, list, show, confirm, cancel and move them along."""


def _parse_items(items: Sequence[str]) -> list[Any]:
    from orderdesk.models.inputs import LineInput

    lines = []
    for item in items:
        sku, sep, qty = item.rpartition("=")
        if not sep or not sku.strip():
            raise click.BadParameter(t("cli.item_format", value=item), param_hint="--item")
        lines.append(LineInput(sku.strip(), qty.strip()))
    return lines


_ORDER_FIELDS = [
    click.option("--name", help="Receiver's name."),
    click.option("--phone", help="Receiver's phone (Vietnamese mobile, any format)."),
    click.option("--email", help="Receiver's email."),
    click.option("--street", help="House number and street / village."),
    click.option("--ward", help="Ward (phường/xã/đặc khu), with or without diacritics."),
    click.option(
        "--district",
        help="The district of an address written the old way (before July 2025): the ward "
        "is converted to today's.",
    ),
    click.option("--province", help="Province or city (e.g. 'Hà Nội', 'hcm')."),
    click.option("--item", "items", multiple=True, metavar="SKU=QTY", help="A line; repeat."),
    click.option("--cod", help="Amount to collect on delivery (default: what is owed)."),
    click.option("--paid", help="Amount already paid (deposit, bank transfer)."),
    click.option("--shipping-fee", help="Shipping fee charged to the customer."),
    click.option("--discount", help="Discount on the order."),
    click.option(
        "--payment", type=click.Choice(["cod", "prepaid", "bank"]), help="Payment method."
    ),
    click.option("--deliver-by", metavar="YYYY-MM-DD", help="Deliver-by date."),
    click.option(
        "--inspection",
        type=click.Choice(["view", "try", "none"]),
        help="May the buyer view / try the goods before paying.",
    ),
    click.option("--note", help="Note for the shop and the courier."),
    click.option("--channel", help="Where the order came from (facebook, zalo, shop...)."),
]


def _order_fields(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_ORDER_FIELDS):
        fn = option(fn)
    return fn


@order.command("add")
@_order_fields
@click.option("--code", help="Use this order code (e.g. a marketplace order number).")
@click.option(
    "--allow-backorder",
    is_flag=True,
    help="Save the order even if stock is short; it waits in awaiting_stock.",
)
@click.pass_obj
def order_add(
    state: Context,
    items: tuple[str, ...],
    code: str | None,
    allow_backorder: bool,
    **fields: str | None,
) -> None:
    """Add an order; prints its code."""
    from orderdesk.models.inputs import OrderCreate
    from orderdesk.services import orders

    missing = [
        name for name in ("name", "phone", "street", "ward", "province") if not fields.get(name)
    ]
    if missing or not items:
        names = ", ".join("--" + n for n in missing + ([] if items else ["item"]))
        raise click.UsageError(t("cli.missing_options", names=names))
    data = OrderCreate(
        name=fields["name"] or "",
        phone=fields["phone"] or "",
        street=fields["street"] or "",
        ward=fields["ward"] or "",
        province=fields["province"] or "",
        district=fields["district"] or "",
        email=fields["email"] or "",
        items=_parse_items(items),
        code=code or "",
        channel=fields["channel"] or "",
        shipping_fee=fields["shipping_fee"] or 0,
        discount=fields["discount"] or 0,
        paid=fields["paid"],
        cod=fields["cod"],
        payment=fields["payment"] or "cod",
        deliver_by=fields["deliver_by"],
        inspection=fields["inspection"] or "view",
        note=fields["note"] or "",
    )
    with state.store().write() as session:
        created = orders.create(session, data, allow_backorder=allow_backorder)
    if created.status.value == "awaiting_stock":
        warn(t("cli.order.awaiting", code=created.code))
    say(created.code)


@order.command("edit")
@click.argument("code")
@_order_fields
@click.option(
    "--allow-backorder",
    is_flag=True,
    help="If the new quantities are short, let the order wait for stock.",
)
@click.pass_obj
def order_edit(
    state: Context, code: str, items: tuple[str, ...], allow_backorder: bool, **fields: str | None
) -> None:
    """Change a pending order (items given replace all lines)."""
    from orderdesk.models.inputs import OrderEdit
    from orderdesk.services import orders

    changes = OrderEdit(**{k: v for k, v in fields.items()})
    if items:
        changes.items = _parse_items(items)
    with state.store().write() as session:
        edited = orders.edit(session, code, changes, allow_backorder=allow_backorder)
    say(t("cli.order.edited", code=edited.code, status=edited.status))


def status_option() -> Callable[..., Any]:
    from orderdesk.models.enums import OrderStatus

    return click.option(
        "--status",
        type=click.Choice([s.value for s in OrderStatus]),
        help="Only orders in this status.",
    )


@order.command("list")
@status_option()
@click.option("--search", default="", help="Code, name or phone; diacritics ignored.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def order_list(
    state: Context, status: str | None, search: str, limit: int | None, as_json: bool
) -> None:
    """List orders, newest first."""
    from orderdesk import validation
    from orderdesk.models.enums import OrderStatus
    from orderdesk.models.money import format_money
    from orderdesk.services import orders
    from orderdesk.timeutil import format_local

    wanted = OrderStatus(status) if status else None
    with state.store().read() as session:
        if as_json:
            print_json(
                [
                    o.to_json()
                    for o in orders.list_orders(session, status=wanted, search=search, limit=limit)
                ]
            )
            return
        rows = orders.list_rows(session, status=wanted, search=search, limit=limit or 10**9)
    table(
        [
            t("col.code"),
            t("col.status"),
            t("col.created"),
            t("col.name"),
            t("col.phone"),
            t("col.province"),
            t("col.total"),
            t("col.cod"),
        ],
        [
            [
                r.code,
                t(f"status.{r.status.value}"),
                format_local(r.created_at),
                r.name,
                validation.display_phone(r.phone),
                r.province,
                format_money(r.total),
                format_money(r.cod),
            ]
            for r in rows
        ],
        right={6, 7},
    )


@order.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def order_show(state: Context, code: str, as_json: bool) -> None:
    """Show one order: customer, lines, money, checklist and history."""
    from orderdesk import validation
    from orderdesk.models.money import format_money
    from orderdesk.services import orders
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        found = orders.detail(session, code)
    o = found.order
    if as_json:
        data = o.to_json()
        data["history"] = [e.to_json() for e in found.history]
        data["checklist"] = {
            "passed": found.checklist.passed,
            "items": [i.to_json() for i in found.checklist.items],
        }
        print_json(data)
        return
    say(
        f"{o.code}  [{t('status.' + o.status.value)}]  {format_local(o.created_at)}"
        + (f"  ({o.channel})" if o.channel else "")
    )
    say(f"{o.name}  {validation.display_phone(o.phone)}  {o.email}".rstrip())
    say(", ".join(p for p in (o.street, o.ward, o.district, o.province) if p))
    if o.old_address:
        say(t("desk.address_converted", text=f"{o.old_address} → {o.ward}, {o.province}"))
    say()
    table(
        [t("col.sku"), t("col.product"), t("col.qty"), t("col.unit_price"), t("col.amount")],
        [
            [
                line.sku,
                (line.name + (f" ({line.variant})" if line.variant else "")),
                str(line.qty),
                format_money(line.unit_price),
                format_money(line.amount),
            ]
            for line in o.lines
        ],
        right={2, 3, 4},
    )
    say()
    for label, amount in (
        (t("col.subtotal"), o.subtotal),
        (t("col.shipping_fee"), o.shipping_fee),
        (t("col.discount"), -o.discount),
        (t("col.total"), o.total),
        (t("col.paid"), o.paid),
        (t("col.cod"), o.cod),
    ):
        say(f"{label:>20}  {format_money(amount):>14}")
    say(f"{t('col.payment'):>20}  {t('payment.' + o.payment.value)}")
    say(f"{t('col.inspection'):>20}  {t('inspection.' + o.inspection.value)}")
    if o.deliver_by:
        say(f"{t('col.deliver_by'):>20}  {o.deliver_by:%d/%m/%Y}")
    if o.note:
        say(f"{t('col.note'):>20}  {o.note}")
    if o.cancel_reason:
        say(f"{t('col.cancel_reason'):>20}  {o.cancel_reason}")
    say()
    if o.status.value in ("pending", "awaiting_stock"):
        # Before confirmation the checklist says what is missing; afterwards, history does.
        say(t("cli.checklist"))
        for item in found.checklist.items:
            mark = "✓" if item.passed else "✗"
            reason = f" — {t(item.reason_key, **item.reason_params)}" if item.reason_key else ""
            say(f"  {mark} {t('check.group.' + item.group)} / {t('check.' + item.key)}{reason}")
        say()

    say(t("cli.history"))
    for event in found.history:
        move = ""
        if event.to_status is not None and event.from_status is not event.to_status:
            before = t("status." + event.from_status.value) if event.from_status else "—"
            move = f" {before} → {t('status.' + event.to_status.value)}"
        say(
            f"  {format_local(event.at)}  {t('event.' + event.action)}{move}"
            + (f"  {json.dumps(event.detail, ensure_ascii=False)}" if event.detail else "")
        )


def _each(state: Context, codes: Sequence[str], run: Callable[[Any, str], Any]) -> None:
    """Run one action per order, each in its own transaction; exit 1 if any failed."""
    failed = 0
    for code in codes:
        try:
            with state.store().write() as session:
                result = run(session, code)
        except OrderdeskError as error:
            failed += 1
            warn(f"orderdesk: {error}")
            continue
        say(t("cli.order.now", code=result.code, status=result.status))
    if failed:
        raise click.exceptions.Exit(1)


@order.command("confirm")
@click.argument("codes", nargs=-1, required=True)
@click.option(
    "--all-ticked",
    is_flag=True,
    help="I checked every manual item with the customer (contact, items, delivery).",
)
@click.pass_obj
def order_confirm(state: Context, codes: tuple[str, ...], all_ticked: bool) -> None:
    """Confirm orders whose checklist passes."""
    from orderdesk.services import orders

    _each(state, codes, lambda s, c: orders.confirm(s, c, tick_all=all_ticked))


@order.command("cancel")
@click.argument("codes", nargs=-1, required=True)
@click.option("--reason", default="", help="Why (kept in the order's history).")
@click.pass_obj
def order_cancel(state: Context, codes: tuple[str, ...], reason: str) -> None:
    """Cancel orders; their stock goes back on the shelf."""
    from orderdesk.services import orders

    _each(state, codes, lambda s, c: orders.cancel(s, c, reason=reason))


def _action_command(name: str, action_value: str, help_text: str) -> None:
    @order.command(name, help=help_text)
    @click.argument("codes", nargs=-1, required=True)
    @click.option("--note", default="", help="A note for the order's history.")
    @click.pass_obj
    def command(state: Context, codes: tuple[str, ...], note: str) -> None:
        from orderdesk.models.enums import Action
        from orderdesk.services import orders

        action = Action(action_value)
        _each(state, codes, lambda s, c: orders.apply(s, c, action, reason=note))


for _name, _action, _help in (
    ("pack", "pack", "Mark confirmed orders packed."),
    ("ship", "ship", "Mark packed orders handed to the carrier (stock leaves the shelf)."),
    ("deliver", "deliver", "Mark shipped orders delivered."),
    ("fail", "fail_delivery", "Mark a delivery attempt failed."),
    ("redeliver", "redeliver", "Send a failed delivery out again."),
    ("returning", "start_return", "Mark orders on their way back to the shop."),
    ("returned", "mark_returned", "Mark orders back in the shop (stock goes back)."),
):
    _action_command(_name, _action, _help)


@order.command("tick")
@click.argument("code")
@click.argument("items", nargs=-1, required=True)
@click.option("--off", is_flag=True, help="Untick instead.")
@click.pass_obj
def order_tick(state: Context, code: str, items: tuple[str, ...], off: bool) -> None:
    """Tick manual checklist items: contact.address_read_back, product.model, product.color,
    product.size, product.quantity, other.cod_agreed."""
    from orderdesk.services import orders

    with state.store().write() as session:
        for item in items:
            orders.tick(session, code, item, on=not off)
    say(t("cli.ticked", code=code, count=len(items)))
