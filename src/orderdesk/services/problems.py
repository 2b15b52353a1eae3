"""The problems queue: orders that need the seller, found by rules, never by hand.

Each rule is one indexed query, so the queue is computed fresh every time it is shown
(about 0.1 s on 100,000 orders, `benchmarks/bench_track.py`). A problem the seller has
acted on (a call noted) is snoozed for a day; it comes back if nothing has changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import REGISTRY, Outcome
from orderdesk.errors import IllegalTransition
from orderdesk.i18n import t
from orderdesk.models.enums import Action, OrderStatus, PaymentMethod
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import CodRemit, Order, ProblemSnooze, table_of
from orderdesk.services import orders, tracking
from orderdesk.services.cod import unremitted
from orderdesk.services.orders.base import load_order, record
from orderdesk.timeutil import local_today, utcnow
from orderdesk.validation import optional_text

S = OrderStatus
_o = table_of(Order)
_cr = table_of(CodRemit)
_ps = table_of(ProblemSnooze)

SNOOZE = timedelta(days=1)


class Rule(StrEnum):
    __catalog__ = "problem"

    FAILED = "failed"  # delivery failed
    CARRIER = "carrier"  # the carrier reports lost, damaged, cancelled…
    RETURNING = "returning"
    STALE = "stale"  # no new event for N days
    LATE = "late"  # past the deliver-by date
    COD_UNPAID = "cod_unpaid"  # delivered N days ago, on no COD statement
    COD_DIFF = "cod_diff"  # the statement's figures do not add up to the COD
    RISKY = "risky"  # an open order from a phone that has refused COD parcels


class Act(StrEnum):
    """The one-key actions of the queue."""

    __catalog__ = "problem_act"

    CALL = "call"  # note a call; snoozes the problem for a day
    REDELIVER = "redeliver"
    RETURN = "return"  # approve the return
    CANCEL = "cancel"


# Actions that make sense for each rule, in the order the desk offers them.
ACTS: dict[Rule, tuple[Act, ...]] = {
    Rule.FAILED: (Act.CALL, Act.REDELIVER, Act.RETURN),
    Rule.CARRIER: (Act.CALL, Act.RETURN),
    Rule.RETURNING: (Act.CALL,),
    Rule.STALE: (Act.CALL, Act.RETURN),
    Rule.LATE: (Act.CALL, Act.CANCEL),
    Rule.COD_UNPAID: (Act.CALL,),
    Rule.COD_DIFF: (Act.CALL,),
    Rule.RISKY: (Act.CALL, Act.CANCEL),
}


@dataclass(frozen=True)
class Problem(Jsonable):
    rule: Rule
    code: str
    name: str
    phone: str
    status: OrderStatus
    carrier: str
    tracking: str
    last_event: str  # the carrier's own word
    last_outcome: str  # what it means (an `Outcome` value), "" before any event
    last_event_at: datetime | None
    age_days: int  # since the last event (or since the status was entered)
    detail: str  # rule-specific: the deliver-by date, the COD difference, refusals…
    acts: tuple[Act, ...]


_COLUMNS = (
    _o.c.id,
    _o.c.code,
    _o.c.name,
    _o.c.phone,
    _o.c.status,
    _o.c.carrier,
    _o.c.tracking,
    _o.c.track_status,
    _o.c.track_outcome,
    _o.c.track_at,
    _o.c.updated_at,
    _o.c.deliver_by,
    _o.c.delivered_at,
    _o.c.shipped_at,
    _o.c.delivery_failed_at,
    _o.c.returning_at,
    _o.c.created_at,
    _o.c.cod,
)
_IN_TRANSIT = (S.SHIPPED, S.DELIVERY_FAILED, S.RETURNING)
_OPEN = (S.PENDING, S.AWAITING_STOCK, S.CONFIRMED, S.PACKED)
_NOT_DONE = (*_OPEN, S.SHIPPED, S.DELIVERY_FAILED)


def refusing_phones(session: Session) -> dict[str, int]:
    """Phones with COD parcels refused or sent back, and how many."""
    # Counted here, not with GROUP BY: SQLite would walk all orders in phone order to
    # group them (0.3 s on 100,000) instead of taking the few returned ones by status.
    rows = session.connection().execute(
        sa.select(_o.c.phone).where(
            _o.c.status.in_([S.RETURNED, S.RETURNING]),
            _o.c.payment == PaymentMethod.COD,
        )
    )
    return dict(Counter(phone for (phone,) in rows))


def queue(
    session: Session,
    *,
    default_carrier: str = "ghn",
    stale_days: Mapping[str, int] | None = None,
    cod_days: int = 10,
    now: datetime | None = None,
) -> list[Problem]:
    """Every open problem, worst first: failures and carrier problems, then the rest,
    each group oldest first."""
    from orderdesk.validation import display_phone

    moment = now or utcnow()
    conn = session.connection()
    days = {cid: (stale_days or {}).get(cid, c.stale_days) for cid, c in REGISTRY.items()}
    snoozed = {
        (r.order_id, r.rule)
        for r in conn.execute(sa.select(_ps.c.order_id, _ps.c.rule).where(_ps.c.until > moment))
    }
    found: list[Problem] = []

    def add(rule: Rule, r: sa.Row, detail: str = "", since: datetime | None = None) -> None:
        if (r.id, rule.value) in snoozed:
            return
        when = r.track_at or since or r.updated_at
        found.append(
            Problem(
                rule=rule,
                code=r.code,
                name=r.name,
                phone=display_phone(r.phone),
                status=r.status,
                carrier=r.carrier or default_carrier,
                tracking=r.tracking or "",
                last_event=r.track_status,
                last_outcome=r.track_outcome,
                last_event_at=r.track_at,
                age_days=max((moment - when).days, 0) if when else 0,
                detail=detail,
                acts=ACTS[rule],
            )
        )

    for r in conn.execute(sa.select(*_COLUMNS).where(_o.c.status.in_(_IN_TRANSIT))):
        carrier = r.carrier or default_carrier
        if r.status is S.DELIVERY_FAILED:
            add(Rule.FAILED, r, since=r.delivery_failed_at)
        elif r.status is S.RETURNING:
            add(Rule.RETURNING, r, since=r.returning_at)
        last = r.track_at or r.shipped_at or r.updated_at
        if r.status is not S.DELIVERY_FAILED and moment - last > timedelta(
            days=days.get(carrier, 3)
        ):
            add(Rule.STALE, r, str((moment - last).days), since=last)
    for r in conn.execute(
        sa.select(*_COLUMNS).where(
            _o.c.track_outcome == Outcome.PROBLEM.value,
            _o.c.status.in_((S.PACKED, *_IN_TRANSIT)),
        )
    ):
        add(Rule.CARRIER, r)
    today = local_today(moment)
    for r in conn.execute(
        sa.select(*_COLUMNS).where(_o.c.deliver_by < today, _o.c.status.in_(_NOT_DONE))
    ):
        add(Rule.LATE, r, r.deliver_by.isoformat())
    cutoff = moment - timedelta(days=cod_days)
    for r in conn.execute(sa.select(*_COLUMNS).where(unremitted(), _o.c.delivered_at < cutoff)):
        add(Rule.COD_UNPAID, r, str((moment - r.delivered_at).days), since=r.delivered_at)
    for r in conn.execute(
        sa.select(*_COLUMNS, _cr.c.difference)
        .join(_cr, _cr.c.order_id == _o.c.id)
        .where(_cr.c.difference != 0)
    ):
        add(Rule.COD_DIFF, r, str(r.difference))
    refusers = refusing_phones(session)
    if refusers:
        for r in conn.execute(
            sa.select(*_COLUMNS).where(
                _o.c.status.in_(_OPEN),
                _o.c.payment == PaymentMethod.COD,
                _o.c.phone.in_(sorted(refusers)),
            )
        ):
            add(Rule.RISKY, r, str(refusers[r.phone]), since=r.created_at)
    order = {rule: i for i, rule in enumerate(Rule)}
    found.sort(key=lambda p: (order[p.rule], -p.age_days, p.code))
    return found


def counts(problems: list[Problem]) -> dict[Rule, int]:
    result = dict.fromkeys(Rule, 0)
    for problem in problems:
        result[problem.rule] += 1
    return result


def act(
    session: Session,
    code: str,
    what: Act,
    *,
    rule: Rule | None = None,
    note: str = "",
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> OrderStatus:
    """Do one of the queue's actions; returns the order's status afterwards."""
    moment = now or utcnow()
    text = optional_text(note, "note", max_len=500)
    order = load_order(session, code)
    if what is Act.CALL:
        record(
            session,
            order.id,
            "call",
            None,
            None,
            moment,
            note=text or None,
            rule=rule.value if rule else None,
        )
        rules = [rule] if rule else list(Rule)
        for r in rules:
            session.connection().execute(
                sa.delete(_ps).where(_ps.c.order_id == order.id, _ps.c.rule == r.value)
            )
            session.connection().execute(
                sa.insert(_ps).values(order_id=order.id, rule=r.value, until=moment + SNOOZE)
            )
        return order.status
    if what is Act.CANCEL:
        return orders.cancel(session, code, reason=text, now=moment).status
    outcome = Outcome.TRANSIT if what is Act.REDELIVER else Outcome.RETURNING
    allowed = (
        order.status is S.DELIVERY_FAILED
        if what is Act.REDELIVER
        else order.status in (S.SHIPPED, S.DELIVERY_FAILED)
    )
    if not allowed:
        action = Action.REDELIVER if what is Act.REDELIVER else Action.START_RETURN
        raise IllegalTransition(order.code, order.status, action)
    tracking.add_event(
        session,
        code,
        outcome,
        note=text or t(f"problem_act.{what.value}"),
        default_carrier=default_carrier,
        now=moment,
    )
    return load_order(session, code).status
