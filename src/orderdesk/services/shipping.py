"""Which carrier takes an order, with which service and tracking number.

A tracking number must fit its carrier's shape (`carriers.<id>`) and belong to no other
order; `services.tracking.check_number` says so.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import REGISTRY
from orderdesk.models.tables import Order, table_of
from orderdesk.services.orders.base import load_order, record
from orderdesk.services.tracking import check_number
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import fail

_o = table_of(Order)


def assign(
    session: Session,
    code: str,
    *,
    carrier: str | None = None,
    service: str | None = None,
    tracking: str | None = None,
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> None:
    """Set what is given; an empty tracking string clears it."""
    order = load_order(session, code)
    changes: dict[str, str | None] = {}
    if carrier is not None:
        carrier = clean(carrier).lower()
        if carrier and carrier not in REGISTRY:
            raise fail("carrier", "err.carrier.unknown", carrier=carrier, known=", ".join(REGISTRY))
        changes["carrier"] = carrier
    if service is not None:
        changes["service"] = clean(service)[:40]
    if tracking is not None:
        if clean(tracking):
            cid = changes.get("carrier") or order.carrier or default_carrier
            changes["tracking"] = check_number(session, REGISTRY[cid], tracking, order_id=order.id)
        else:
            changes["tracking"] = None
    if not changes:
        return
    session.connection().execute(sa.update(_o).where(_o.c.id == order.id).values(**changes))
    record(session, order.id, "shipping", None, None, now or utcnow(), **changes)
