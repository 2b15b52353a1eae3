"""Products in from a file (all rows or none) and out to one."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.formats.common import row_errors
from orderdesk.formats.products import read_products, write_products
from orderdesk.models.tables import Product, Stock
from orderdesk.services import products as product_service
from orderdesk.services.files.result import ImportResult
from orderdesk.services.products import CleanProduct


def import_products(session: Session, path: Path) -> ImportResult:
    """Create or update every product in the file, or nothing at all."""
    found = read_products(path)
    result = ImportResult(warnings=found.warnings)
    errors: list[RowError] = list(found.errors)
    valid: list[tuple[int, CleanProduct]] = []
    sku_row: dict[str, int] = {}
    barcode_row: dict[str, int] = {}
    for row, given in found.rows:
        try:
            item = product_service.validate(given)
        except InvalidInput as error:
            errors.extend(row_errors(row, error.errors))
            continue
        if item.sku in sku_row:
            errors.append(
                RowError(
                    row, "sku", "import.sku_repeated", {"sku": item.sku, "other": sku_row[item.sku]}
                )
            )
            continue
        sku_row[item.sku] = row
        if item.barcode:
            if item.barcode in barcode_row:
                errors.append(
                    RowError(
                        row,
                        "barcode",
                        "import.barcode_repeated",
                        {"value": item.barcode, "other": barcode_row[item.barcode]},
                    )
                )
                continue
            barcode_row[item.barcode] = row
        valid.append((row, item))

    existing = {p.sku: p for p in session.exec(select(Product))}
    by_barcode = {p.barcode: p.sku for p in existing.values() if p.barcode}
    reserved = {
        product_id: r for product_id, r in session.exec(select(Stock.product_id, Stock.reserved))
    }
    for row, item in valid:
        holder = by_barcode.get(item.barcode or "")
        if holder and holder != item.sku and holder not in sku_row:
            errors.append(
                RowError(
                    row, "barcode", "err.barcode.taken", {"value": item.barcode, "sku": holder}
                )
            )
        known = existing.get(item.sku)
        if known is not None and item.stock is not None:
            held = reserved.get(known.id or 0, 0)
            if item.stock < held:
                errors.append(
                    RowError(
                        row,
                        "stock",
                        "err.stock.below_reserved",
                        {"value": item.stock, "reserved": held},
                    )
                )
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: e.row))

    # Free barcodes first, so two products may swap barcodes within one file.
    for _, item in valid:
        known = existing.get(item.sku)
        if known is not None and known.barcode and known.barcode != item.barcode:
            known.barcode = None
            session.add(known)
    session.flush()
    for _, item in valid:
        _, created = product_service.save(session, item)
        result.created += created
        result.updated += not created
    result.rows = found.count
    return result


def export_products(session: Session, path: Path) -> int:
    rows = session.exec(
        select(Product, Stock).join(Stock, Stock.product_id == Product.id).order_by(Product.sku)  # type: ignore[arg-type]
    )
    return write_products(
        path,
        (
            (
                p.sku,
                p.name,
                p.price,
                p.variant,
                p.color,
                p.size,
                p.weight_g,
                p.barcode or "",
                s.on_hand,
                p.low_stock,
                "yes" if p.active else "no",
            )
            for p, s in rows
        ),
    )
