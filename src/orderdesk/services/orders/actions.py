"""Orders through their life: the checklist and confirmation, cancel, and every step
the state machine allows, one order at a time or many in one batch; orders waiting for
stock are served when it comes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import validation
from orderdesk.db import dialect_insert, execute_many, insert_rows
from orderdesk.errors import (
    ChecklistFailed,
    FieldError,
    IllegalTransition,
    InvalidInput,
    NotFound,
)
from orderdesk.i18n import t
from orderdesk.models.enums import Action, MoveKind, OrderStatus
from orderdesk.models.lifecycle import HOLDS_STOCK, next_status
from orderdesk.models.reads import (
    OrderRead,
)
from orderdesk.services import checklist, ledger
from orderdesk.services.orders.base import (
    _SET_CANCEL_REASON,
    _SET_RESERVED,
    _TICKS,
    _UNTICK,
    _WAITING,
    LINES_OF,
    StoredLine,
    StoredOrder,
    _checks,
    _e,
    _o,
    _release,
    _reserve,
    _set_reserved,
    enter,
    load_lines,
    load_order,
    record,
    stored_order,
    to_read,
)
from orderdesk.services.orders.queries import ticked
from orderdesk.timeutil import local_today, utcnow

# ---------------------------------------------------------------------------- lifecycle


def _tick(session: Session, order_id: int, item: str, on: bool, now: datetime) -> None:
    conn = session.connection()
    if not on:
        conn.execute(_UNTICK, {"oid": order_id, "item": item})
        return
    name = conn.dialect.name
    if name not in _TICKS:
        _TICKS[name] = dialect_insert(session)(_checks).on_conflict_do_nothing()
    conn.execute(_TICKS[name], {"order_id": order_id, "item": item, "ticked_at": now})


def tick(
    session: Session, code: str, item: str, *, on: bool = True, now: datetime | None = None
) -> None:
    """Tick (or untick) one manual checklist item."""
    if item not in checklist.MANUAL_ITEMS:
        raise InvalidInput([FieldError("check", "err.check.unknown", {"value": item})])
    order = load_order(session, code)
    _tick(session, order.id, item, on, now or utcnow())


def confirm(
    session: Session, code: str, *, tick_all: bool = False, now: datetime | None = None
) -> OrderRead:
    """Confirm a pending order whose checklist passes.

    `tick_all` is the seller asserting that every manual item was checked with the
    customer; automatic checks are never skipped.
    """
    moment = now or utcnow()
    order = load_order(session, code)
    next_status(order.code, order.status, Action.CONFIRM)
    if tick_all:
        for item in checklist.MANUAL_ITEMS:
            _tick(session, order.id, item, True, moment)
    lines = load_lines(session, order.id)
    sheet = checklist.evaluate(
        to_read(order, lines), ticked(session, order.id), local_today(moment)
    )
    if not sheet.passed:
        reasons = [
            t("check." + item.key)
            + (f" ({t(item.reason_key, **item.reason_params)})" if item.automatic else "")
            for item in sheet.failing
        ]
        raise ChecklistFailed(order.code, reasons)
    return transition(session, order, lines, Action.CONFIRM, moment)


def cancel(
    session: Session, code: str, *, reason: str = "", now: datetime | None = None
) -> OrderRead:
    moment = now or utcnow()
    why = validation.optional_text(reason, "reason", max_len=500)
    order = load_order(session, code)
    next_status(order.code, order.status, Action.CANCEL)
    session.connection().execute(_SET_CANCEL_REASON, {"oid": order.id, "reason": why})
    order.cancel_reason = why
    return transition(
        session, order, load_lines(session, order.id), Action.CANCEL, moment, reason=why or None
    )


def apply(
    session: Session,
    code: str,
    action: Action,
    *,
    now: datetime | None = None,
    reason: str = "",
    tick_all: bool = False,
) -> OrderRead:
    """Run `action` on the order `code`: the one entry point the CLI and imports use."""
    if action is Action.CONFIRM:
        return confirm(session, code, tick_all=tick_all, now=now)
    if action is Action.CANCEL:
        return cancel(session, code, reason=reason, now=now)
    if action in (Action.EDIT, Action.ALLOCATE):
        raise InvalidInput([FieldError("action", "err.action.not_direct", {"action": action})])
    note = validation.optional_text(reason, "reason", max_len=500)
    order = load_order(session, code)
    return transition(
        session, order, load_lines(session, order.id), action, now or utcnow(), note=note or None
    )


def transition(
    session: Session,
    order: StoredOrder,
    lines: list[StoredLine],
    action: Action,
    now: datetime,
    **detail: Any,
) -> OrderRead:
    was = order.status
    target = next_status(order.code, was, action)
    freed: set[int] = set()
    if action is Action.CANCEL and was in HOLDS_STOCK:
        freed = _release(session, order, lines, now)
    elif action is Action.SHIP:
        for line in lines:
            ledger.move(
                session,
                line.product_id,
                MoveKind.SHIP,
                on_hand=-line.qty,
                reserved=-line.reserved,
                order_id=order.id,
                now=now,
            )
        _set_reserved(session, lines, "zero")
    elif action is Action.MARK_RETURNED:
        for line in lines:
            ledger.move(
                session,
                line.product_id,
                MoveKind.RETURN,
                on_hand=line.qty,
                order_id=order.id,
                now=now,
            )
            freed.add(line.product_id)
    enter(session, order, target, now)
    record(
        session,
        order.id,
        action.value,
        was,
        target,
        now,
        **{k: v for k, v in detail.items() if v is not None},
    )
    if freed:
        allocate_waiting(session, freed, now=now)
    return to_read(order, lines)


# Per status: stamp the moment an order entered it (the final status is written apart).
STAMP = {
    status: sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values({f"{status.value}_at": sa.bindparam("t", type_=_o.c.updated_at.type)})
    for status in OrderStatus
}
FINAL = (
    sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values(status=sa.bindparam("st"), updated_at=sa.bindparam("t", type_=_o.c.updated_at.type))
)
_IDS_BY_CODE = sa.select(_o.c.id, _o.c.code, _o.c.status).where(
    _o.c.code.in_(sa.bindparam("codes", expanding=True))
)
# What `advance_many` may do: confirmation there is the marketplace's, so no checklist.
_BATCH_ACTIONS = frozenset(
    {
        Action.CONFIRM,
        Action.PACK,
        Action.SHIP,
        Action.DELIVER,
        Action.CANCEL,
        Action.START_RETURN,
        Action.MARK_RETURNED,
    }
)


def advance_many(
    session: Session,
    steps: Mapping[str, Sequence[Action]],
    *,
    now: datetime | None = None,
    reason: str = "",
    **detail: Any,
) -> dict[str, OrderStatus]:
    """Run each order's actions in turn, for thousands of orders in a few statements: an
    import bringing orders that a marketplace already moved on. Every step is checked by
    the state machine (IllegalTransition stops the whole action); stock moves go through
    the ledger in one batch. CONFIRM here skips the phone checklist: the marketplace
    confirmed the order. Returns each order's new status."""
    moment = now or utcnow()
    codes = [c for c, acts in steps.items() if acts]
    if not codes:
        return {}
    conn = session.connection()
    heads: dict[str, Any] = {}
    for start in range(0, len(codes), 500):
        for row in conn.execute(_IDS_BY_CODE, {"codes": codes[start : start + 500]}):
            heads[row.code] = row
    missing = [c for c in codes if c not in heads]
    if missing:
        raise NotFound("err.order.unknown", code=missing[0])
    ids = [heads[c].id for c in codes]
    lines: dict[int, list[Any]] = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(LINES_OF, {"oids": ids[start : start + 500]}):
            lines.setdefault(row.order_id, []).append(row)
    moves: list[ledger.Move] = []
    zeroed: list[dict[str, int]] = []
    stamps: dict[OrderStatus, list[dict[str, Any]]] = {}
    history: list[dict[str, Any]] = []
    final: dict[str, OrderStatus] = {}
    cancelled: list[dict[str, Any]] = []
    freed: set[int] = set()
    text = json.dumps(detail, ensure_ascii=False, default=str) if detail else ""
    for code in codes:
        head = heads[code]
        status = head.status
        held = {ln.id: ln.reserved for ln in lines.get(head.id, [])}
        for action in steps[code]:
            if action not in _BATCH_ACTIONS:
                raise IllegalTransition(code, status, action)
            target = next_status(code, status, action)
            order_lines = lines.get(head.id, [])
            if action is Action.CANCEL and status in HOLDS_STOCK:
                for ln in order_lines:
                    if held[ln.id]:
                        moves.append(
                            ledger.Move(
                                ln.product_id, MoveKind.RELEASE, reserved=-held[ln.id],
                                order_id=head.id,
                            )
                        )  # fmt: skip
                        freed.add(ln.product_id)
                        held[ln.id] = 0
                        zeroed.append({"lid": ln.id, "r": 0})
                cancelled.append({"oid": head.id, "reason": reason})
            elif action is Action.SHIP:
                for ln in order_lines:
                    moves.append(
                        ledger.Move(
                            ln.product_id, MoveKind.SHIP, on_hand=-ln.qty,
                            reserved=-held[ln.id], order_id=head.id,
                        )
                    )  # fmt: skip
                    if held[ln.id]:
                        held[ln.id] = 0
                        zeroed.append({"lid": ln.id, "r": 0})
            elif action is Action.MARK_RETURNED:
                for ln in order_lines:
                    moves.append(
                        ledger.Move(
                            ln.product_id, MoveKind.RETURN, on_hand=ln.qty, order_id=head.id
                        )
                    )
                    freed.add(ln.product_id)
            stamps.setdefault(target, []).append({"oid": head.id, "t": moment})
            history.append(
                {
                    "order_id": head.id,
                    "at": moment,
                    "action": action.value,
                    "from_status": status,
                    "to_status": target,
                    "detail": text,
                }
            )
            status = target
        final[code] = status
    ledger.move_many(session, moves, now=moment)
    execute_many(conn, _SET_RESERVED, zeroed)
    for status, rows in stamps.items():
        execute_many(conn, STAMP[status], rows)
    execute_many(
        conn, FINAL, [{"oid": heads[c].id, "st": st, "t": moment} for c, st in final.items()]
    )
    execute_many(conn, _SET_CANCEL_REASON, cancelled)
    insert_rows(conn, _e, history)
    if freed:
        allocate_waiting(session, freed, now=moment)
    return final


def allocate_waiting(
    session: Session, product_ids: Iterable[int], *, now: datetime | None = None
) -> list[str]:
    """Serve orders waiting for these SKUs, oldest first; return the codes now pending.

    An order is served only whole (a parcel ships complete); one that still cannot be
    filled keeps its place and the next one is tried.
    """
    ids = set(product_ids)
    if not ids:
        return []
    moment = now or utcnow()
    conn = session.connection()
    waiting = [stored_order(r) for r in conn.execute(_WAITING, {"ids": sorted(ids)})]
    served: list[str] = []
    for order in waiting:
        if _reserve(session, order, load_lines(session, order.id), moment):
            continue
        enter(session, order, OrderStatus.PENDING, moment)
        record(
            session,
            order.id,
            Action.ALLOCATE.value,
            OrderStatus.AWAITING_STOCK,
            OrderStatus.PENDING,
            moment,
        )
        served.append(order.code)
    return served
