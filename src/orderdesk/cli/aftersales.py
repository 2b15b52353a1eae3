"""`orderdesk review|return|exchange …`: after delivery."""

from __future__ import annotations

from collections.abc import Sequence

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table
from orderdesk.i18n import t

_REASONS = ["wrong_size", "wrong_colour", "defect", "not_as_described", "changed_mind", "other"]


def _pairs(items: Sequence[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        sku, sep, qty = item.rpartition("=")
        if not sep or not sku.strip():
            raise click.BadParameter(t("cli.item_format", value=item), param_hint=option)
        found[sku.strip()] = qty.strip()
    return found


@click.group("review")
def review_group() -> None:
    """Customers' reviews and the queue of low ratings to answer."""


@review_group.command("add")
@click.argument("code")
@click.option("--stars", required=True, help="1 to 5.")
@click.option("--comment", default="", help="What the customer wrote.")
@click.option("--sku", default="", help="The product reviewed (default: the whole order).")
@click.option("--channel", default=None, help="Where it was written (default: the order's).")
@click.pass_obj
def review_add(
    state: Context, code: str, stars: str, comment: str, sku: str, channel: str | None
) -> None:
    """Record the review of a delivered order (again: replaces it)."""
    from orderdesk.services import reviews

    with state.store().write() as session:
        found = reviews.add(session, code, stars, comment=comment, sku=sku, channel=channel)
    key = "cli.review.queued" if found.stars <= reviews.LOW else "cli.review.saved"
    say(t(key, code=found.code, stars=found.stars, id=found.id))


@review_group.command("queue")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def review_queue(state: Context, as_json: bool) -> None:
    """Reviews of 3 stars or fewer without an answer, oldest first."""
    from orderdesk.services import reviews
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        waiting = reviews.queue(session)
    if as_json:
        print_json([r.to_json() for r in waiting])
        return
    table(
        ["#", t("col.code"), t("col.phone"), t("field.stars"), t("col.when"), t("field.comment")],
        [
            [str(r.id), r.code, r.phone, "★" * r.stars, format_local(r.at), r.comment]
            for r in waiting
        ],
    )


@review_group.command("reply")
@click.argument("review_id", type=int)
@click.argument("text")
@click.pass_obj
def review_reply(state: Context, review_id: int, text: str) -> None:
    """Record the shop's answer to review REVIEW_ID (the # of `review queue`)."""
    from orderdesk.services import reviews

    with state.store().write() as session:
        found = reviews.reply(session, review_id, text)
    say(t("cli.review.replied", code=found.code))


@click.group("return")
def return_group() -> None:
    """Goods that come back after delivery."""


@return_group.command("create")
@click.argument("code")
@click.option("--item", "items", multiple=True, metavar="SKU=QTY", help="What comes back; repeat.")
@click.option("--reason", type=click.Choice(_REASONS), required=True)
@click.option("--restock/--write-off", default=True, help="Back on the shelf, or damaged.")
@click.option("--refund", default=None, help="Amount refunded (default: what it was sold for).")
@click.option("--note", default="")
@click.pass_obj
def return_create(
    state: Context,
    code: str,
    items: tuple[str, ...],
    reason: str,
    restock: bool,
    refund: str | None,
    note: str,
) -> None:
    """Take goods back from a delivered order; stock moves through the ledger."""
    from orderdesk.models.money import format_money
    from orderdesk.services import returns

    with state.store().write() as session:
        back = returns.create(
            session,
            code,
            _pairs(items, "--item"),
            reason=reason,
            restock=restock,
            refund=refund,
            note=note,
        )
    key = "cli.return.restocked" if restock else "cli.return.written_off"
    lines = ", ".join(f"{line.qty} × {line.sku}" for line in back.lines)
    say(t(key, code=back.code, lines=lines, refund=format_money(back.refund)))


@click.command("exchange")
@click.argument("code")
@click.option("--from", "take", multiple=True, metavar="SKU=QTY", help="What comes back.")
@click.option("--to", "give", multiple=True, metavar="SKU=QTY", help="What is sent instead.")
@click.option("--reason", type=click.Choice(_REASONS), default="wrong_size", show_default=True)
@click.pass_obj
def exchange_command(
    state: Context, code: str, take: tuple[str, ...], give: tuple[str, ...], reason: str
) -> None:
    """Take goods back and send others in a new order linked to this one."""
    from orderdesk.models.money import format_money
    from orderdesk.services import orders, returns

    with state.store().write() as session:
        swapped = returns.exchange(
            session, code, _pairs(take, "--from"), _pairs(give, "--to"), reason=reason
        )
        new = orders.get(session, swapped.exchange_code)
    say(
        t(
            "cli.exchange.done",
            code=code,
            new=new.code,
            status=t("status." + new.status.value),
            cod=format_money(new.cod),
            refund=format_money(swapped.refund),
        )
    )
