"""Reviews in (CSV/XLSX): one row per review, as a seller copies them from a channel.

Columns: `order_code` and `stars` (required); `sku` (a product of the order, blank for the
whole order), `comment`, `channel` (default: the order's) and `date` (when the customer
wrote it: `2026-11-20`, `20/11/2026 14:05`, default: now). Importing the same file again
replaces each review with itself, so it changes nothing; an answer already given stays.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from orderdesk.errors import ImportRejected, InvalidInput, OrderdeskError, RowError
from orderdesk.io.carrier_files import parse_time
from orderdesk.io.common import ImportResult, check_columns, row_errors
from orderdesk.io.sheets import read_table
from orderdesk.services import reviews

REQUIRED = ("order_code", "stars")
OPTIONAL = ("sku", "comment", "channel", "date")


def import_reviews(session: Session, path: Path) -> ImportResult:
    """Record every review in the file, or none: bad rows are named with their reason."""
    sheet = read_table(path)
    result = ImportResult(warnings=check_columns(path, sheet, REQUIRED, OPTIONAL))
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in sheet.rows:
        key = (cells["order_code"].upper(), cells.get("sku", "").upper())
        if key in seen:
            errors.append(
                RowError(row, "order_code", "import.review_repeated", {"other": seen[key]})
            )
            continue
        seen[key] = row
        written = cells.get("date", "")
        at = parse_time(written) if written else None
        if written and at is None:
            errors.append(RowError(row, "date", "err.date.invalid", {"value": written}))
            continue
        try:
            found = reviews.add(
                session,
                cells["order_code"],
                cells["stars"],
                comment=cells.get("comment", ""),
                sku=cells.get("sku", ""),
                channel=cells.get("channel") or None,
                at=at,
            )
        except InvalidInput as error:  # each error names its field
            errors.extend(row_errors(row, error.errors))
            continue
        except OrderdeskError as error:  # an order we do not have: the row's code
            errors.append(RowError(row, "order_code", error.key, error.params))
            continue
        result.created += 1
        # `pending`: low ratings still waiting for the shop's answer.
        result.pending += found.stars <= reviews.LOW and found.replied_at is None
    if errors:
        raise ImportRejected(str(path), errors)
    result.rows = len(sheet.rows)
    return result
