"""`orderdesk import|export …`: files in (all rows or none) and out."""

from __future__ import annotations

from pathlib import Path

import click

from orderdesk.cli.context import Context
from orderdesk.cli.orders import status_option
from orderdesk.cli.output import DryRun, reporting_import, say, warn
from orderdesk.errors import ImportRejected
from orderdesk.i18n import t


def _unknown_sku_hint(error: ImportRejected) -> str:
    unknown = [e for e in error.errors if e.key == "err.market.sku_unknown"]
    return t("cli.market.skip_hint") if unknown else ""


@click.command("import")
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
    from orderdesk.services.files.customers import import_customers
    from orderdesk.services.files.orders import import_orders
    from orderdesk.services.files.products import import_products
    from orderdesk.services.files.reviews import import_reviews

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
    with reporting_import(str(file)):
        try:
            with state.store().write() as session:
                result = run(session, file)
                if dry_run:
                    raise DryRun(result)
        except DryRun as rolled_back:
            result = rolled_back.result
    for warning in result.warnings:
        warn(t("cli.warning", text=warning))
    prefix = t("cli.dry_run") + " " if dry_run else ""
    if kind == "products":
        say(
            prefix
            + t(
                "cli.import.products",
                rows=result.rows,
                created=result.created,
                updated=result.updated,
            )
        )
    elif kind == "reviews":
        say(prefix + t("cli.import.reviews", rows=result.created, waiting=result.pending))
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
        say(prefix + summary)
        for line in result.converted + result.to_choose:
            warn(line)


def _import_market(
    state: Context, file: Path, market: str, skip_unknown_sku: bool, dry_run: bool
) -> None:
    from orderdesk.services.files.marketplace import import_marketplace

    with reporting_import(str(file), hint=_unknown_sku_hint):
        try:
            with state.store().write() as session:
                result = import_marketplace(
                    session, file, market, skip_unknown_sku=skip_unknown_sku
                )
                if dry_run:
                    raise DryRun(result)
        except DryRun as rolled_back:
            result = rolled_back.result
    for line in result.details():
        warn(line)
    prefix = t("cli.dry_run") + " " if dry_run else ""
    say(prefix + result.summary())


@click.command("export")
@click.argument("kind", type=click.Choice(["orders", "products", "customers"]))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@status_option()
@click.pass_obj
def export(state: Context, kind: str, file: Path, status: str | None) -> None:
    """Export to CSV (safe to open in Excel or LibreOffice)."""
    from orderdesk.models.enums import OrderStatus
    from orderdesk.services.files.customers import export_customers
    from orderdesk.services.files.orders import export_orders
    from orderdesk.services.files.products import export_products

    with state.store().read() as session:
        if kind == "orders":
            count = export_orders(session, file, status=OrderStatus(status) if status else None)
        elif kind == "products":
            count = export_products(session, file)
        else:
            count = export_customers(session, file)
    say(t("cli.exported", count=count, kind=t("kind." + kind), path=str(file)))
