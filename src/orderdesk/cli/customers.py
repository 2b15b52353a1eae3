"""`orderdesk customer …`: the customer book."""

from __future__ import annotations

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table
from orderdesk.i18n import t


@click.group()
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
        print_json([row.to_json() for row in found])
        return
    if not found:
        say(t("cli.customer.none", text=text))
        return
    table(
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
        print_json(data)
        return
    say(f"{found.name}  {validation.display_phone(found.phone)}  {found.email}".rstrip())
    say(", ".join(p for p in (found.street, found.ward, found.province) if p))
    if found.old_address:
        say(t("desk.old_address_choose", text=found.old_address))
    say(
        t(
            "cli.customer.summary",
            orders=found.orders,
            spent=format_money(found.spent),
            refused=found.refused,
        )
    )
    say(t("cli.customer.aftersales", returns=found.returns, reviews=found.reviews))
    if found.tags:
        say(t("cli.customer.tags", tags=", ".join(found.tags)))
    if found.notes:
        say(t("cli.customer.notes", notes=found.notes))
    if page.orders:
        say()
        table(
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
        say()
        table(
            [t("col.code"), t("col.sku"), t("col.stars"), t("col.comment")],
            [[r.code, r.sku, "★" * r.stars, r.comment] for r in page.reviews],
        )
    if page.returns:
        say()
        table(
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
    say(t("cli.customer.noted", phone=validation.display_phone(found.phone)))


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
        say(t("cli.customer.tagged", phone=shown, tags=", ".join(found.tags)))
    else:
        say(t("cli.customer.untagged", phone=shown))


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
    say(
        t(
            "cli.customer.merged",
            drop=validation.display_phone(validation.phone(drop_phone, mobile_only=False)),
            keep=validation.display_phone(kept.phone),
            orders=kept.orders,
        )
    )
