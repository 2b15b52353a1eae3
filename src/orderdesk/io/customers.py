"""The customer book in (CSV/XLSX, all rows or none) and out (CSV, the same columns)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from orderdesk import validation
from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.i18n import t
from orderdesk.io.common import ImportResult, check_columns, row_errors
from orderdesk.io.csvout import write_csv
from orderdesk.io.sheets import read_table
from orderdesk.models.inputs import CustomerEntry
from orderdesk.services import customer_import, customers
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


def export_customers(session: Session, path: Path) -> int:
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
            for c in customers.list_customers(session)
        ),
    )


def import_customers(session: Session, path: Path) -> ImportResult:
    """Create or update every customer of the file (by phone), or nothing at all."""
    sheet = read_table(path)
    result = ImportResult(
        warnings=check_columns(path, sheet, REQUIRED, OPTIONAL, informational=EXPORT_ONLY)
    )
    errors: list[RowError] = []
    checked: list[customer_import.CheckedEntry] = []
    rows: dict[str, int] = {}
    for row, cells in sheet.rows:
        try:
            entry = customer_import.check(
                CustomerEntry(**{name: cells.get(name, "") for name in REQUIRED + OPTIONAL})
            )
        except InvalidInput as error:
            errors.extend(row_errors(row, error.errors))
            continue
        if entry.phone in rows:
            errors.append(
                RowError(row, "phone", "import.phone_repeated", {"other": rows[entry.phone]})
            )
            continue
        rows[entry.phone] = row
        checked.append(entry)
        if entry.converted:
            result.converted.append(t("import.converted_row", row=row, text=entry.converted))
        if entry.choose:
            result.to_choose.append(t("import.choose_row", row=row, text=entry.choose))
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: (e.row, e.column)))
    result.created = customer_import.save(session, checked)
    result.updated = len(checked) - result.created
    result.rows = len(sheet.rows)
    return result
