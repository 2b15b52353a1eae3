"""Products in (CSV/XLSX) and out (CSV). Columns are documented in the README."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from orderdesk.errors import RowError
from orderdesk.formats.common import check_columns, flag
from orderdesk.formats.csvout import write_csv
from orderdesk.formats.sheets import read_table
from orderdesk.models.inputs import ProductCreate

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("variant", "color", "size", "weight_g", "barcode", "stock", "low_stock", "active")
COLUMNS = REQUIRED + OPTIONAL


@dataclass
class ProductFile:
    """A products file read: each row as typed, with its row number."""

    rows: list[tuple[int, ProductCreate]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0


def read_products(path: Path) -> ProductFile:
    sheet = read_table(path)
    found = ProductFile(warnings=check_columns(path, sheet, REQUIRED, OPTIONAL))
    found.count = len(sheet.rows)
    for row, cells in sheet.rows:
        active = flag(cells.get("active", "")) if cells.get("active") else True
        if active is None:
            found.errors.append(RowError(row, "active", "err.flag", {"value": cells["active"]}))
            continue
        found.rows.append(
            (
                row,
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
                ),
            )
        )
    return found


def write_products(path: Path, rows: Iterable[Iterable[object]]) -> int:
    """The file of `COLUMNS`, one row per product."""
    return write_csv(path, COLUMNS, rows)
