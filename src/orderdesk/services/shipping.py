"""Which carrier takes an order, with which service and tracking number.

Issue 5 grows this with each carrier's own tracking-number pattern; until then a tracking
number is 6–30 letters, digits or dashes, and no two orders share one.
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import CARRIERS
from orderdesk.models.tables import Order
from orderdesk.services.orders import _load, _record
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import fail

_TRACKING = re.compile(r"^[A-Z0-9][A-Z0-9-]{4,28}[A-Z0-9]$")
_o = Order.__table__  # type: ignore[attr-defined]


def assign(
    session: Session,
    code: str,
    *,
    carrier: str | None = None,
    service: str | None = None,
    tracking: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set what is given; an empty tracking string clears it."""
    order = _load(session, code)
    changes: dict[str, str | None] = {}
    if carrier is not None:
        carrier = clean(carrier).lower()
        if carrier and carrier not in CARRIERS:
            raise fail("carrier", "err.carrier.unknown", carrier=carrier, known=", ".join(CARRIERS))
        changes["carrier"] = carrier
    if service is not None:
        changes["service"] = clean(service)[:40]
    if tracking is not None:
        number = re.sub(r"\s+", "", tracking).upper()
        if number and not _TRACKING.match(number):
            raise fail("tracking", "err.tracking.format", number=number)
        if number:
            other = (
                session.connection()
                .execute(sa.select(_o.c.code).where(_o.c.tracking == number, _o.c.id != order.id))
                .scalar()
            )
            if other:
                raise fail("tracking", "err.tracking.taken", number=number, code=other)
        changes["tracking"] = number or None
    if not changes:
        return
    session.connection().execute(sa.update(_o).where(_o.c.id == order.id).values(**changes))
    _record(session, order.id, "shipping", None, None, now or utcnow(), **changes)
