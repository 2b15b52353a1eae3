"""Customer book files: in (CSV/XLSX) and out (CSV, the same columns)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from orderdesk import validation
from orderdesk.formats.common import check_columns
from orderdesk.formats.csvout import write_csv
from orderdesk.formats.sheets import read_table
from orderdesk.models.inputs import CustomerEntry
from orderdesk.models.reads import CustomerRead
from orderdesk.timeutil import format_local

REQUIRED = ("phone", "name")
OPTIONAL = ("email", "street", "ward", "district", "province", "notes", "tags")
# Written by the export for people to read; an import never takes them as input.
EXPORT_ONLY = ("orders", "spent", "refused", "returns", "reviews", "last_order")

COLUMNS = (
    "phone",
    "name",
    "email",
    "street",
    "ward",
    "province",
    "notes",
    "orders",
    "spent",
    "refused",
    "returns",
    "reviews",
    "tags",
    "last_order",
)


def read_customers(path: Path) -> tuple[list[tuple[int, CustomerEntry]], list[str], int]:
    """Each row as a `CustomerEntry` with its row number; warnings; how many rows."""
    sheet = read_table(path)
    warnings = check_columns(path, sheet, REQUIRED, OPTIONAL, informational=EXPORT_ONLY)
    entries = [
        (row, CustomerEntry(**{name: cells.get(name, "") for name in REQUIRED + OPTIONAL}))
        for row, cells in sheet.rows
    ]
    return entries, warnings, len(sheet.rows)


def write_customers(path: Path, customers: Iterable[CustomerRead]) -> int:
    return write_csv(
        path,
        COLUMNS,
        (
            (
                validation.display_phone(c.phone),
                c.name,
                c.email,
                c.street,
                c.ward,
                c.province,
                c.notes,
                c.orders,
                c.spent,
                c.refused,
                c.returns,
                c.reviews,
                ", ".join(c.tags),
                format_local(c.last_order),
            )
            for c in customers
        ),
    )
