"""The `orderdesk` command: opens the desk, or runs one action over the same services.

Exit codes: 0 done; 1 a domain or validation error, said in one line on stderr; 2 a usage
error. The desk (Textual) is imported only when it is opened, so every other command
starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from orderdesk import __version__
from orderdesk.errors import ImportRejected, OrderdeskError
from orderdesk.i18n import LANGUAGES, set_language, t

if TYPE_CHECKING:
    from orderdesk.config import Settings
    from orderdesk.db import Store


@dataclass
class Context:
    db: str | None
    lang: str | None
    _store: Store | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from orderdesk import config

            self._settings = config.load()
        return self._settings

    def store(self) -> Store:
        if self._store is None:
            from orderdesk.db import open_store
            from orderdesk.paths import db_target

            self._store = open_store(db_target(self.db))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


def _out(text: str = "") -> None:
    click.echo(text)


def _err(text: str) -> None:
    click.echo(text, err=True)


def _json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _fail(message: str) -> NoReturn:
    _err(f"orderdesk: {message}")
    raise click.exceptions.Exit(1)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    help="Database file or URL (default: ORDERDESK_DB, else orderdesk.db in the user data folder).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages (vi or en).")
@click.version_option(__version__, prog_name="orderdesk")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """orderdesk: the order desk of a small online shop. Without a command, opens the desk."""
    state = Context(db=db, lang=lang)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if lang:
        set_language(lang)
    else:
        set_language(state.settings.language)
    from orderdesk.timeutil import set_local_timezone

    set_local_timezone(state.settings.get("timezone"))
    if ctx.invoked_subcommand is None:
        _open_desk(state, state.store(), demo=False)


def _open_desk(state: Context, store: Store, *, demo: bool) -> None:
    from orderdesk.tui.app import run_desk

    code = run_desk(store, state.settings, demo=demo)
    if code:
        raise click.exceptions.Exit(code)


@cli.command()
@click.option("--reset", is_flag=True, help="Throw the demo shop away and make a new one.")
@click.option("--no-open", is_flag=True, help="Create the demo shop but do not open the desk.")
@click.option(
    "--orders",
    "order_count",
    type=click.IntRange(0, 200_000),
    default=3000,
    show_default=True,
    help="How many orders the demo shop gets.",
)
@click.pass_obj
def demo(state: Context, reset: bool, no_open: bool, order_count: int) -> None:
    """Open the desk on a demo shop (created on first use, with Vietnamese data)."""
    from orderdesk.db import open_store
    from orderdesk.paths import demo_db_path
    from orderdesk.services import demo as demo_service

    target = state.db or str(demo_db_path())
    if reset and state.db is None:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    store = open_store(target)
    state._store = store
    if demo_service.is_empty(store):
        _err(t("demo.creating", orders=order_count))

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                click.echo(f"\r  {done}/{total}", err=True, nl=False)

        summary = demo_service.populate(store, order_count=order_count, progress=progress)
        if sys.stderr.isatty():
            click.echo("\r", err=True, nl=False)
        _err(t("demo.created", products=summary.products, orders=summary.orders, path=target))
    if not no_open:
        _open_desk(state, store, demo=True)


# ---------------------------------------------------------------------------- orders


@cli.group()
def order() -> None:
    """Orders: add, list, show, confirm, cancel and move them along."""


def _parse_items(items: Sequence[str]) -> list[Any]:
    from orderdesk.services.orders import LineInput

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
    from orderdesk.services import orders
    from orderdesk.services.orders import OrderCreate

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
        _err(t("cli.order.awaiting", code=created.code))
    _out(created.code)


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
    from orderdesk.services import orders
    from orderdesk.services.orders import OrderEdit

    changes = OrderEdit(**{k: v for k, v in fields.items()})
    if items:
        changes.items = _parse_items(items)
    with state.store().write() as session:
        edited = orders.edit(session, code, changes, allow_backorder=allow_backorder)
    _out(t("cli.order.edited", code=edited.code, status=edited.status))


def _status_option() -> Callable[..., Any]:
    from orderdesk.models.enums import OrderStatus

    return click.option(
        "--status",
        type=click.Choice([s.value for s in OrderStatus]),
        help="Only orders in this status.",
    )


@order.command("list")
@_status_option()
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
            _json(
                [
                    o.to_json()
                    for o in orders.list_orders(session, status=wanted, search=search, limit=limit)
                ]
            )
            return
        rows = orders.list_rows(session, status=wanted, search=search, limit=limit or 10**9)
    _table(
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


def _table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> None:
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    _out(line(headers))
    for row in rows:
        _out(line(row))


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
        _json(data)
        return
    _out(
        f"{o.code}  [{t('status.' + o.status.value)}]  {format_local(o.created_at)}"
        + (f"  ({o.channel})" if o.channel else "")
    )
    _out(f"{o.name}  {validation.display_phone(o.phone)}  {o.email}".rstrip())
    _out(", ".join(p for p in (o.street, o.ward, o.district, o.province) if p))
    if o.old_address:
        _out(t("desk.address_converted", text=f"{o.old_address} → {o.ward}, {o.province}"))
    _out()
    _table(
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
    _out()
    for label, amount in (
        (t("col.subtotal"), o.subtotal),
        (t("col.shipping_fee"), o.shipping_fee),
        (t("col.discount"), -o.discount),
        (t("col.total"), o.total),
        (t("col.paid"), o.paid),
        (t("col.cod"), o.cod),
    ):
        _out(f"{label:>20}  {format_money(amount):>14}")
    _out(f"{t('col.payment'):>20}  {t('payment.' + o.payment.value)}")
    _out(f"{t('col.inspection'):>20}  {t('inspection.' + o.inspection.value)}")
    if o.deliver_by:
        _out(f"{t('col.deliver_by'):>20}  {o.deliver_by:%d/%m/%Y}")
    if o.note:
        _out(f"{t('col.note'):>20}  {o.note}")
    if o.cancel_reason:
        _out(f"{t('col.cancel_reason'):>20}  {o.cancel_reason}")
    _out()
    if o.status.value in ("pending", "awaiting_stock"):
        # Before confirmation the checklist says what is missing; afterwards, history does.
        _out(t("cli.checklist"))
        for item in found.checklist.items:
            mark = "✓" if item.passed else "✗"
            reason = f" — {t(item.reason_key, **item.reason_params)}" if item.reason_key else ""
            _out(f"  {mark} {t('check.group.' + item.group)} / {t('check.' + item.key)}{reason}")
        _out()

    _out(t("cli.history"))
    for event in found.history:
        move = ""
        if event.to_status is not None and event.from_status is not event.to_status:
            before = t("status." + event.from_status.value) if event.from_status else "—"
            move = f" {before} → {t('status.' + event.to_status.value)}"
        _out(
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
            _err(f"orderdesk: {error}")
            continue
        _out(t("cli.order.now", code=result.code, status=result.status))
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
    _out(t("cli.ticked", code=code, count=len(items)))


# ---------------------------------------------------------------------------- products and stock


@cli.group()
def product() -> None:
    """Products of the catalog."""


@product.command("add")
@click.option("--sku", required=True)
@click.option("--name", required=True)
@click.option("--price", required=True, help="Price in đồng.")
@click.option("--variant", default="")
@click.option("--color", default="")
@click.option("--size", default="")
@click.option("--weight-g", default="0", help="Weight in grams.")
@click.option("--barcode", default=None)
@click.option("--low-stock", default="0", help="Warn when available stock is at or below this.")
@click.pass_obj
def product_add(state: Context, **fields: str) -> None:
    """Add a product, or update the one with this SKU."""
    from orderdesk.services import products
    from orderdesk.services.products import ProductCreate

    data = ProductCreate(**fields)  # type: ignore[arg-type]
    with state.store().write() as session:
        saved, created = products.save(session, data)
    _out(t("cli.product.created" if created else "cli.product.updated", sku=saved.sku))


@product.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def product_list(state: Context, as_json: bool) -> None:
    """List the catalog."""
    from orderdesk.models.money import format_money
    from orderdesk.services import products

    with state.store().read() as session:
        rows = products.list_products(session)
    if as_json:
        _json([p.to_json() for p in rows])
        return
    _table(
        [t("col.sku"), t("col.product"), t("col.variant"), t("col.price"), t("col.barcode")],
        [
            [
                p.sku,
                p.name,
                " / ".join(x for x in (p.variant, p.color, p.size) if x),
                format_money(p.price),
                p.barcode or "",
            ]
            for p in rows
        ],
        right={3},
    )


@cli.group()
def stock() -> None:
    """Stock: on hand, reserved, available; receive and adjust."""


@stock.command("list")
@click.option("--search", default="")
@click.option("--low", is_flag=True, help="Only SKUs at or below their low-stock level.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stock_list(state: Context, search: str, low: bool, as_json: bool) -> None:
    """Stock per SKU."""
    from orderdesk.services import stock as stock_service

    with state.store().read() as session:
        rows = stock_service.list_stock(session, search=search, low_only=low)
    if as_json:
        _json([{**r.to_json(), "low": r.is_low} for r in rows])
        return
    _table(
        [
            t("col.sku"),
            t("col.product"),
            t("col.on_hand"),
            t("col.reserved"),
            t("col.available"),
            "",
        ],
        [
            [
                r.sku,
                r.name + (f" ({r.variant})" if r.variant else ""),
                str(r.on_hand),
                str(r.reserved),
                str(r.available),
                t("stock.low") if r.is_low else "",
            ]
            for r in rows
        ],
        right={2, 3, 4},
    )


def _report_released(codes: list[str]) -> None:
    if codes:
        _out(t("cli.stock.released", count=len(codes), codes=", ".join(codes)))


@stock.command("receive")
@click.argument("sku")
@click.argument("qty")
@click.option("--note", default="", help="Supplier, delivery note...")
@click.pass_obj
def stock_receive(state: Context, sku: str, qty: str, note: str) -> None:
    """Goods arrived: add QTY on hand; waiting orders are served oldest first."""
    from orderdesk.services import stock as stock_service

    with state.store().write() as session:
        row, released = stock_service.receive(session, sku, qty, note=note)
    _out(
        t(
            "cli.stock.now",
            sku=row.sku,
            on_hand=row.on_hand,
            reserved=row.reserved,
            available=row.available,
        )
    )
    _report_released(released)


@stock.command("adjust", context_settings={"ignore_unknown_options": True})
@click.argument("sku")
@click.argument("delta")
@click.option("--reason", required=True, help="Why (count, damage, loss...).")
@click.pass_obj
def stock_adjust(state: Context, sku: str, delta: str, reason: str) -> None:
    """Correct on-hand stock by DELTA (+5, -2) with a reason."""
    from orderdesk.services import stock as stock_service

    with state.store().write() as session:
        row, released = stock_service.adjust(session, sku, delta, reason=reason)
    _out(
        t(
            "cli.stock.now",
            sku=row.sku,
            on_hand=row.on_hand,
            reserved=row.reserved,
            available=row.available,
        )
    )
    _report_released(released)


@stock.command("history")
@click.argument("sku")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stock_history(state: Context, sku: str, as_json: bool) -> None:
    """Every movement of one SKU, newest first."""
    from orderdesk.services import stock as stock_service
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        moves = stock_service.history(session, sku)
    if as_json:
        _json([m.to_json() for m in moves])
        return
    _table(
        [
            t("col.when"),
            t("col.move"),
            t("col.on_hand"),
            t("col.reserved"),
            t("col.code"),
            t("col.reason"),
        ],
        [
            [
                format_local(m.at),
                t("move." + m.kind.value),
                f"{m.on_hand_delta:+d}",
                f"{m.reserved_delta:+d}",
                m.order_code or "",
                m.reason,
            ]
            for m in moves
        ],
        right={2, 3},
    )


@cli.group()
def customer() -> None:
    """Customers: find them by name or phone, note, tag and merge them."""


@customer.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def customer_search(state: Context, text: str, limit: int, as_json: bool) -> None:
    """Customers by name (diacritics ignored) or phone (any format, or its last digits)."""
    from orderdesk.models.money import format_money
    from orderdesk.services import customers
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        found = customers.search(session, text, limit=limit)
    if as_json:
        _json([row.to_json() for row in found])
        return
    if not found:
        _out(t("cli.customer.none", text=text))
        return
    _table(
        [
            t("col.phone"),
            t("col.name"),
            t("col.province"),
            t("col.orders"),
            t("col.spent"),
            t("col.returns"),
            t("col.refused"),
            t("col.reviews"),
            t("col.last_order"),
            t("col.tags"),
        ],
        [
            [
                row.phone,
                row.name,
                row.province,
                str(row.orders),
                format_money(row.spent),
                str(row.returns),
                str(row.refused),
                str(row.reviews),
                format_local(row.last_order),
                ", ".join(row.tags),
            ]
            for row in found
        ],
        right={3, 4, 5, 6, 7},
    )


@customer.command("show")
@click.argument("phone")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def customer_show(state: Context, phone: str, as_json: bool) -> None:
    """A customer's details and figures, notes and tags, orders, reviews and returns."""
    from orderdesk import validation
    from orderdesk.models.money import format_money
    from orderdesk.services import customers
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        page = customers.book(session, phone)
    found = page.customer
    if as_json:
        data = found.to_json()
        data["history"] = {
            "orders": [o.to_json() for o in page.orders],
            "reviews": [r.to_json() for r in page.reviews],
            "returns": [r.to_json() for r in page.returns],
        }
        _json(data)
        return
    _out(f"{found.name}  {validation.display_phone(found.phone)}  {found.email}".rstrip())
    _out(", ".join(p for p in (found.street, found.ward, found.province) if p))
    if found.old_address:
        _out(t("desk.old_address_choose", text=found.old_address))
    _out(
        t(
            "cli.customer.summary",
            orders=found.orders,
            spent=format_money(found.spent),
            refused=found.refused,
        )
    )
    _out(t("cli.customer.aftersales", returns=found.returns, reviews=found.reviews))
    if found.tags:
        _out(t("cli.customer.tags", tags=", ".join(found.tags)))
    if found.notes:
        _out(t("cli.customer.notes", notes=found.notes))
    if page.orders:
        _out()
        _table(
            [t("col.code"), t("col.created"), t("col.status"), t("col.total")],
            [
                [
                    o.code,
                    format_local(o.created_at),
                    t(f"status.{o.status.value}"),
                    format_money(o.total),
                ]
                for o in page.orders
            ],
            right={3},
        )
    if page.reviews:
        _out()
        _table(
            [t("col.code"), t("col.sku"), t("col.stars"), t("col.comment")],
            [[r.code, r.sku, "★" * r.stars, r.comment] for r in page.reviews],
        )
    if page.returns:
        _out()
        _table(
            [t("col.code"), t("col.when"), t("col.reason"), t("col.refund")],
            [
                [
                    r.code,
                    format_local(r.at),
                    t(f"return_reason.{r.reason.value}"),
                    format_money(r.refund),
                ]
                for r in page.returns
            ],
            right={3},
        )


@customer.command("note")
@click.argument("phone")
@click.argument("text")
@click.pass_obj
def customer_note(state: Context, phone: str, text: str) -> None:
    """Replace the notes on a customer ("" clears them)."""
    from orderdesk import validation
    from orderdesk.services import customers

    with state.store().write() as session:
        found = customers.set_notes(session, phone, text)
    _out(t("cli.customer.noted", phone=validation.display_phone(found.phone)))


@customer.command("tag")
@click.argument("phone")
@click.option("--add", "added", multiple=True, metavar="TAG", help="Add a tag; repeat.")
@click.option("--remove", "removed", multiple=True, metavar="TAG", help="Remove a tag; repeat.")
@click.pass_obj
def customer_tag(
    state: Context, phone: str, added: tuple[str, ...], removed: tuple[str, ...]
) -> None:
    """Add or remove tags (sỉ, vip…); prints the tags the customer has now."""
    from orderdesk import validation
    from orderdesk.services import customers

    with state.store().write() as session:
        found = customers.tag(session, phone, add=added, remove=removed)
    shown = validation.display_phone(found.phone)
    if found.tags:
        _out(t("cli.customer.tagged", phone=shown, tags=", ".join(found.tags)))
    else:
        _out(t("cli.customer.untagged", phone=shown))


@customer.command("merge")
@click.argument("keep_phone")
@click.argument("drop_phone")
@click.pass_obj
def customer_merge(state: Context, keep_phone: str, drop_phone: str) -> None:
    """One person, two records: move DROP_PHONE's orders to KEEP_PHONE, delete DROP_PHONE."""
    from orderdesk import validation
    from orderdesk.services import customers

    with state.store().write() as session:
        kept = customers.merge(session, keep_phone, drop_phone)
    _out(
        t(
            "cli.customer.merged",
            drop=validation.display_phone(validation.phone(drop_phone, mobile_only=False)),
            keep=validation.display_phone(kept.phone),
            orders=kept.orders,
        )
    )


# ---------------------------------------------------------------------------- files


class _DryRun(Exception):
    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


@contextmanager
def _reporting_import(
    path: str, hint: Callable[[ImportRejected], str] | None = None
) -> Iterator[None]:
    try:
        yield
    except ImportRejected as error:
        _err(f"orderdesk: {error}")
        for row_error in error.errors:
            _err("  " + row_error.message())
        if hint is not None and (advice := hint(error)):
            _err(advice)
        raise click.exceptions.Exit(1) from None


def _unknown_sku_hint(error: ImportRejected) -> str:
    unknown = [e for e in error.errors if e.key == "err.market.sku_unknown"]
    return t("cli.market.skip_hint") if unknown else ""


@cli.command("import")
@click.argument("kind", type=click.Choice(["products", "orders", "customers", "reviews"]))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option(
    "--from",
    "market",
    type=click.Choice(["shopee", "tiktok", "lazada", "auto"]),
    default=None,
    help="Orders: a marketplace's own export (auto: recognised by its columns).",
)
@click.option(
    "--skip-unknown-sku",
    is_flag=True,
    help="With --from: leave out items whose SKU the shop does not have (listed).",
)
@click.pass_obj
def import_(
    state: Context,
    kind: str,
    file: Path,
    dry_run: bool,
    market: str | None,
    skip_unknown_sku: bool,
) -> None:
    """Import products, orders, customers or reviews from CSV or XLSX: all rows, or nothing.

    Addresses written before July 2025 (ward, district, old province) are converted to
    today's ward; where the old ward was split, an order row is refused naming the wards
    to choose from, and a customer is kept with the address as written until their next
    order.

    Orders exported by Shopee, TikTok Shop or Lazada: `import orders FILE --from shopee`.
    Importing an export again only updates status and tracking number.
    """
    from orderdesk.io.customers import import_customers
    from orderdesk.io.orders import import_orders
    from orderdesk.io.products import import_products
    from orderdesk.io.reviews import import_reviews

    if market is not None:
        if kind != "orders":
            raise click.UsageError(t("cli.market.orders_only"))
        _import_market(state, file, market, skip_unknown_sku, dry_run)
        return
    run = {
        "products": import_products,
        "orders": import_orders,
        "customers": import_customers,
        "reviews": import_reviews,
    }[kind]
    with _reporting_import(str(file)):
        try:
            with state.store().write() as session:
                result = run(session, file)
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as rolled_back:
            result = rolled_back.result
    for warning in result.warnings:
        _err(t("cli.warning", text=warning))
    prefix = t("cli.dry_run") + " " if dry_run else ""
    if kind == "products":
        _out(
            prefix
            + t(
                "cli.import.products",
                rows=result.rows,
                created=result.created,
                updated=result.updated,
            )
        )
    elif kind == "reviews":
        _out(prefix + t("cli.import.reviews", rows=result.created, waiting=result.pending))
    else:
        if kind == "customers":
            summary = t(
                "cli.import.customers",
                rows=result.rows,
                created=result.created,
                updated=result.updated,
            )
        else:
            summary = t(
                "cli.import.orders",
                rows=result.rows,
                created=result.created,
                pending=result.pending,
                awaiting=result.awaiting,
            )
        if result.converted:
            summary += "; " + t("import.converted", count=len(result.converted))
        if result.to_choose:
            summary += "; " + t("import.to_choose", count=len(result.to_choose))
        _out(prefix + summary)
        for line in result.converted + result.to_choose:
            _err(line)


def _import_market(
    state: Context, file: Path, market: str, skip_unknown_sku: bool, dry_run: bool
) -> None:
    from orderdesk.io.marketplaces import import_marketplace

    with _reporting_import(str(file), hint=_unknown_sku_hint):
        try:
            with state.store().write() as session:
                result = import_marketplace(
                    session, file, market, skip_unknown_sku=skip_unknown_sku
                )
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as rolled_back:
            result = rolled_back.result
    for line in result.details():
        _err(line)
    prefix = t("cli.dry_run") + " " if dry_run else ""
    _out(prefix + result.summary())


@cli.command("export")
@click.argument("kind", type=click.Choice(["orders", "products", "customers"]))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_status_option()
@click.pass_obj
def export(state: Context, kind: str, file: Path, status: str | None) -> None:
    """Export to CSV (safe to open in Excel or LibreOffice)."""
    from orderdesk.io.customers import export_customers
    from orderdesk.io.orders import export_orders
    from orderdesk.io.products import export_products
    from orderdesk.models.enums import OrderStatus

    with state.store().read() as session:
        if kind == "orders":
            count = export_orders(session, file, status=OrderStatus(status) if status else None)
        elif kind == "products":
            count = export_products(session, file)
        else:
            count = export_customers(session, file)
    _out(t("cli.exported", count=count, kind=t("kind." + kind), path=str(file)))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def backup(state: Context, file: Path) -> None:
    """A consistent copy of the database, safe while the desk is open."""
    from orderdesk.db import backup_to

    dest = backup_to(state.store(), file)
    _out(t("cli.backup.done", path=str(dest)))


@cli.command()
@click.option("--rebuild-search", is_flag=True, help="Rebuild the order search index first.")
@click.pass_obj
def doctor(state: Context, rebuild_search: bool) -> None:
    """Check that stock, ledger and orders agree; exit 1 listing what is wrong."""
    from orderdesk.services import doctor as doctor_service

    if rebuild_search:
        with state.store().write() as session:
            doctor_service.rebuild_search(session)
    with state.store().read() as session:
        problems = doctor_service.run(session)
        notes = doctor_service.notes(session)
    for note in notes:
        _out(note)
    if not problems:
        _out(t("doctor.ok"))
        return
    for problem in problems:
        _err("  " + problem.message())
    _fail(t("doctor.failed", count=len(problems)))


# ---------------------------------------------------------------------------- print


@cli.group("print")
def print_group() -> None:
    """Labels, invoices, pick lists and packing slips for many orders at once."""


def _print_command(kind: str, help_text: str) -> None:
    @print_group.command(kind, help=help_text)
    @click.option(
        "--status",
        "statuses",
        multiple=True,
        help="Only orders in this status (repeatable). Default: confirmed and packed.",
    )
    @click.option("--orders", "codes", default="", help="Only these orders: CODE,CODE,…")
    @click.option("--carrier", default="", help="Only orders for this carrier (ghn, ghtk, …).")
    @click.option("--not-printed", is_flag=True, help="Only orders not printed yet.")
    @click.option("--size", default="", help="Paper: 100x150, a6, 75x100, a4x4 | a5, a4, 80mm.")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["pdf", "zpl"]),
        default=None,
        help="Labels: pdf or zpl (default: the print.label_format setting).",
    )
    @click.option("--out", help="File to write, or a folder (an existing one, or ending in /).")
    @click.option("--printer", default=None, help="Send to this CUPS printer (lp).")
    @click.option("--reprint", is_flag=True, help="Print orders already printed again.")
    @click.option(
        "--no-font",
        is_flag=True,
        help="ZPL: skip the font download (the printer already has it).",
    )
    @click.pass_obj
    def command(
        state: Context,
        statuses: tuple[str, ...],
        codes: str,
        carrier: str,
        not_printed: bool,
        size: str,
        fmt: str | None,
        out: str | None,
        printer: str | None,
        reprint: bool,
        no_font: bool,
    ) -> None:
        from orderdesk.models.enums import OrderStatus
        from orderdesk.printing import batch

        wanted: list[OrderStatus] = []
        for value in statuses:
            try:
                wanted.append(OrderStatus(value))
            except ValueError:
                _fail(t("err.print.status", status=value))
        selection = batch.Selection(
            statuses=tuple(wanted) or batch.PRINTABLE,
            codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
            carrier=carrier.strip(),
            not_printed=not_printed,
        )
        request = batch.Request(
            kind=kind,
            selection=selection,
            size=size,
            format=fmt or _default_format(kind, state.settings),
            out=_print_target(out),
            printer=printer,
            reprint=reprint,
            zpl_font=not no_font,
        )
        result = batch.run(
            state.store(),
            request,
            state.settings,
            on_wait=lambda: _err(t("cli.print.waiting")),
        )
        for code in result.skipped:
            _err(t("cli.print.skipped", code=code))
        _out(
            t(
                "cli.print.done",
                count=result.count,
                kind=t(f"doc.kind.{kind}"),
                path=str(result.file),
            )
        )
        if result.printer:
            _out(t("cli.print.sent", printer=result.printer, job=result.printer_job or "-"))


def _default_format(kind: str, settings: Settings) -> str:
    return settings.get("print.label_format") if kind == "labels" else "pdf"


def _print_target(out: str | None) -> Path | None:
    if not out:
        return None
    path = Path(out).expanduser()
    if out.endswith(("/", "\\")):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _fail(t("err.file.write", path=str(path), reason=error.strerror or str(error)))
    return path


@print_group.command("jobs")
@click.option("--order", "code", default="", help="Only jobs that printed this order.")
@click.option("--limit", type=click.IntRange(1), default=20)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def print_jobs(state: Context, code: str, limit: int, as_json: bool) -> None:
    """What was printed, when, and to which file or printer (newest first)."""
    from dataclasses import asdict

    from orderdesk.printing import batch
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        jobs = batch.recent_jobs(session, limit=limit, code=code.strip())
    if as_json:
        _json([{**asdict(job), "at": job.at.isoformat()} for job in jobs])
        return
    _table(
        [t("col.job"), t("col.when"), t("col.document"), t("col.count"), t("col.where")],
        [
            [
                str(job.id),
                format_local(job.at),
                f"{t('doc.kind.' + job.kind)} {job.size} {job.format}",
                str(job.count),
                job.file + (f"  → {job.printer} {job.printer_job}" if job.printer else ""),
            ]
            for job in jobs
        ],
        right={0, 3},
    )


_print_command("labels", "Shipping labels (PDF, or ZPL for thermal printers).")
_print_command("invoices", "Sales invoices (A5, A4 or an 80 mm roll).")
_print_command("picklist", "One pick list for the batch: each SKU once with its orders.")
_print_command("slips", "Packing slips, one per order, without prices.")


# ---------------------------------------------------------------------------- config


@cli.group("config")
def config_group() -> None:
    """Shop settings (name, address, printers, language, keys)."""


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def config_show(state: Context, as_json: bool) -> None:
    """Print every setting and the file it lives in."""
    from orderdesk import config

    rows = config.show(state.settings)
    if as_json:
        _json(dict(rows))
        return
    _out(f"# {state.settings.path}")
    for key, value in rows:
        _out(f"{key} = {value}")


@config_group.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_obj
def config_set(state: Context, key: str, value: str) -> None:
    """Change one setting, e.g. `config set shop.name "Tiệm Áo Lan"`."""
    from orderdesk import config

    stored = config.set_value(key, value)
    _out(f"{key} = {stored}")


# ---------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the seller."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="orderdesk",
            standalone_mode=False,
        )
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except click.exceptions.Abort:
        _err(t("cli.aborted"))
        code = 1
    except OrderdeskError as error:
        _err(f"orderdesk: {error}")
        code = 1
    except KeyboardInterrupt:
        _err(t("cli.aborted"))
        code = 130
    except Exception as error:  # noqa: BLE001 - the last line of defence, logged in full
        from orderdesk import crashlog

        where = crashlog.record(error)
        _err(t("cli.crashed", path=str(where) if where else "-"))
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


def console() -> None:
    """The `orderdesk` program: `main`, then a quick exit.

    Everything that matters is on disk by then (transactions committed, files fsynced), and
    tearing down a big interpreter (SQLAlchemy, pydantic, a thousand-page PDF) took a
    third of a second: as long as drawing 400 labels. So streams are flushed, logs closed,
    and the process ends without the teardown.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    import logging

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    logging.shutdown()
    os._exit(code)


# Steps 3–5 past printing live in their own modules; imported last, as they use the
# helpers above.
from orderdesk.cli_after import COMMANDS as _AFTER_COMMANDS  # noqa: E402
from orderdesk.cli_track import COMMANDS as _TRACK_COMMANDS  # noqa: E402

for _command in (*_TRACK_COMMANDS, *_AFTER_COMMANDS):
    cli.add_command(_command)
