"""`orderdesk product …`: the catalogue."""

from __future__ import annotations

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table
from orderdesk.i18n import t


@click.group()
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
    from orderdesk.models.inputs import ProductCreate
    from orderdesk.services import products

    data = ProductCreate(**fields)  # type: ignore[arg-type]
    with state.store().write() as session:
        saved, created = products.save(session, data)
    say(t("cli.product.created" if created else "cli.product.updated", sku=saved.sku))


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
        print_json([p.to_json() for p in rows])
        return
    table(
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
