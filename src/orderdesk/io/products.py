"""Products in (CSV/XLSX) and out (CSV). Columns are documented in the README."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.io.common import ImportResult, check_columns, flag, row_errors
from orderdesk.io.csvout import write_csv
from orderdesk.io.sheets import read_table
from orderdesk.models.inputs import ProductCreate
from orderdesk.models.tables import Product, Stock
from orderdesk.services import products as product_service
from orderdesk.services.products import CleanProduct

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("variant", "color", "size", "weight_g", "barcode", "stock", "low_stock", "active")
COLUMNS = REQUIRED + OPTIONAL


def import_products(session: Session, path: Path) -> ImportResult:
    """Create or update every product in the file, or nothing at all."""
    sheet = read_table(path)
    result = ImportResult(warnings=check_columns(path, sheet, REQUIRED, OPTIONAL))
    errors: list[RowError] = []
    valid: list[tuple[int, CleanProduct]] = []
    sku_row: dict[str, int] = {}
    barcode_row: dict[str, int] = {}
    for row, cells in sheet.rows:
        active = flag(cells.get("active", "")) if cells.get("active") else True
        if active is None:
            errors.append(RowError(row, "active", "err.flag", {"value": cells["active"]}))
            continue
        try:
            item = product_service.validate(
                ProductCreate(
                    sku=cells["sku"],
                    name=cells["name"],
                    price=cells["price"],
                    variant=cells.get("variant", ""),
                    color=cells.get("color", ""),
                    size=cells.get("size", ""),
                    weight_g=cells.get("weight_g") or 0,
                    barcode=cells.get("barcode") or None,
                    low_stock=cells.get("low_stock") or 0,
                    active=active,
                    stock=cells.get("stock") or None,
                )
            )
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
    result.rows = len(sheet.rows)
    return result


def export_products(session: Session, path: Path) -> int:
    rows = session.exec(
        select(Product, Stock).join(Stock, Stock.product_id == Product.id).order_by(Product.sku)  # type: ignore[arg-type]
    )
    return write_csv(
        path,
        COLUMNS,
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
