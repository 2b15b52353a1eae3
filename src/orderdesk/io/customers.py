"""The customer book out to CSV."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from orderdesk import validation
from orderdesk.io.csvout import write_csv
from orderdesk.services import customers
from orderdesk.timeutil import format_local

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
