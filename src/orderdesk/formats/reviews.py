"""Reviews files (CSV/XLSX): one row per review, as a seller copies them from a channel.

Columns: `order_code` and `stars` (required); `sku` (a product of the order, blank for the
whole order), `comment`, `channel` (default: the order's) and `date` (when the customer
wrote it: `2026-11-20`, `20/11/2026 14:05`, default: now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from orderdesk.errors import RowError
from orderdesk.formats.carrier_files import parse_time
from orderdesk.formats.common import check_columns
from orderdesk.formats.sheets import read_table

REQUIRED = ("order_code", "stars")
OPTIONAL = ("sku", "comment", "channel", "date")


@dataclass(frozen=True)
class ReviewRow:
    row: int
    order_code: str
    stars: str
    sku: str
    comment: str
    channel: str | None
    at: datetime | None


@dataclass
class ReviewFile:
    rows: list[ReviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0


def read_reviews(path: Path) -> ReviewFile:
    """Each review of the file; a review given twice or a date that is no date is an error
    of its row."""
    sheet = read_table(path)
    found = ReviewFile(warnings=check_columns(path, sheet, REQUIRED, OPTIONAL))
    found.count = len(sheet.rows)
    seen: dict[tuple[str, str], int] = {}
    for row, cells in sheet.rows:
        key = (cells["order_code"].upper(), cells.get("sku", "").upper())
        if key in seen:
            found.errors.append(
                RowError(row, "order_code", "import.review_repeated", {"other": seen[key]})
            )
            continue
        seen[key] = row
        written = cells.get("date", "")
        at = parse_time(written) if written else None
        if written and at is None:
            found.errors.append(RowError(row, "date", "err.date.invalid", {"value": written}))
            continue
        found.rows.append(
            ReviewRow(
                row,
                cells["order_code"],
                cells["stars"],
                cells.get("sku", ""),
                cells.get("comment", ""),
                cells.get("channel") or None,
                at,
            )
        )
    return found
