"""Reviews in from a file, all or none. Importing the same file again replaces each review
with itself, so it changes nothing; an answer already given stays."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from orderdesk.errors import ImportRejected, InvalidInput, OrderdeskError, RowError
from orderdesk.formats.common import row_errors
from orderdesk.formats.reviews import read_reviews
from orderdesk.services import reviews
from orderdesk.services.files.result import ImportResult


def import_reviews(session: Session, path: Path) -> ImportResult:
    """Record every review in the file, or none: bad rows are named with their reason."""
    found = read_reviews(path)
    result = ImportResult(warnings=found.warnings)
    errors: list[RowError] = list(found.errors)
    for given in found.rows:
        try:
            review = reviews.add(
                session,
                given.order_code,
                given.stars,
                comment=given.comment,
                sku=given.sku,
                channel=given.channel,
                at=given.at,
            )
        except InvalidInput as error:  # each error names its field
            errors.extend(row_errors(given.row, error.errors))
            continue
        except OrderdeskError as error:  # an order we do not have: the row's code
            errors.append(RowError(given.row, "order_code", error.key, error.params))
            continue
        result.created += 1
        # `pending`: low ratings still waiting for the shop's answer.
        result.pending += review.stars <= reviews.LOW and review.replied_at is None
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: e.row))
    result.rows = found.count
    return result
