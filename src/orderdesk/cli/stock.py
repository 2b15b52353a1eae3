"""`orderdesk stock …`: what is on the shelf, receiving and adjusting it through the ledger."""

from __future__ import annotations

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table
from orderdesk.i18n import t


@click.group()
def stock() -> None:
    """Stock: on hand, reserved, available; receive and adjust."""


@stock.command("list")
@click.option("--search", default="")
@click.option("--low", is_flag=True, help="Only SKUs at or below their low-stock level.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stock_list(state: Context, search: str, low: bool, as_json: bool) -> None:
    """Stock per SKU."""
    from orderdesk.services import ledger

    with state.store().read() as session:
        rows = ledger.list_stock(session, search=search, low_only=low)
    if as_json:
        print_json([{**r.to_json(), "low": r.is_low} for r in rows])
        return
    table(
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
        say(t("cli.stock.released", count=len(codes), codes=", ".join(codes)))


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
    say(
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
    say(
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
    from orderdesk.services import ledger
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        moves = ledger.history(session, sku)
    if as_json:
        print_json([m.to_json() for m in moves])
        return
    table(
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
