"""Marketplace exports in: new orders created (stock reserved like any other) and moved to
the marketplace's status through the state machine; known ones moved on, given their
tracking number and carrier; any other difference listed, never written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.db import execute_many
from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.formats.common import row_errors
from orderdesk.formats.marketplaces import (
    SOURCES,
    TARGET,
    MarketFile,
    MarketOrder,
    courier_of,
    read_orders,
)
from orderdesk.gcpause import gc_paused
from orderdesk.i18n import t
from orderdesk.models import lifecycle
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.money import format_money
from orderdesk.models.tables import Order, OrderLine, table_of
from orderdesk.services import orders
from orderdesk.timeutil import utcnow
from orderdesk.validation import display_phone

S = OrderStatus
_o = table_of(Order)


@dataclass
class MarketResult:
    source: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_lines: list[str] = field(default_factory=list)  # unknown SKUs skipped, by row
    differences: list[str] = field(default_factory=list)  # shown, never written
    converted: list[str] = field(default_factory=list)  # old addresses, by row

    def summary(self) -> str:
        text = t(
            "cli.market.imported",
            source=SOURCES[self.source].name,
            rows=self.rows,
            new=self.new,
            updated=self.updated,
            unchanged=self.unchanged,
        )
        if self.converted:
            text += "; " + t("import.converted", count=len(self.converted))
        return text

    def details(self) -> list[str]:
        """What the seller should read besides the figures: skipped items, what a later file
        says differently, old addresses converted."""
        return (
            [t("cli.market.skipped", line=line) for line in self.skipped_lines]
            + [t("cli.market.difference", line=line) for line in self.differences]
            + self.converted
        )


def parse(
    session: Session, path: Path, source: str = "auto", *, skip_unknown_sku: bool = False
) -> tuple[MarketFile, dict[str, orders.ValidOrder], MarketResult]:
    """Every order of the file, checked against the shop; raises ImportRejected naming
    every bad row."""
    refs = orders.product_refs(session)
    read = read_orders(path, source, catalog=refs, skip_unknown_sku=skip_unknown_sku)
    result = MarketResult(source=read.source.id, rows=read.rows, skipped_lines=read.skipped_lines)
    errors = read.errors
    label = read.label
    valid: dict[str, orders.ValidOrder] = {}
    for order in read.orders:
        try:
            valid[order.code] = orders.validate(session, order.data, products=refs)
        except InvalidInput as error:
            errors.extend(row_errors(order.row, error.errors, label))
    errors.extend(_taken_numbers(session, read.orders, label.get("tracking", "")))
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: e.row), rows=read.items)
    return read, valid, result


def _taken_numbers(session: Session, found: list[MarketOrder], column: str) -> list[RowError]:
    """A tracking number belongs to one parcel: not to two orders of the file, nor to
    another order of the shop."""
    numbers: dict[str, MarketOrder] = {}
    errors: list[RowError] = []
    for market in found:
        if not market.tracking:
            continue
        other = numbers.setdefault(market.tracking, market)
        if other is not market:
            errors.append(
                RowError(
                    market.row,
                    column,
                    "err.market.tracking_twice",
                    {"number": market.tracking, "other": other.row},
                )
            )
    given = list(numbers)
    for start in range(0, len(given), 500):
        for code, number in session.connection().execute(
            sa.select(_o.c.code, _o.c.tracking).where(_o.c.tracking.in_(given[start : start + 500]))
        ):
            if numbers[number].code != code:
                errors.append(
                    RowError(
                        numbers[number].row,
                        column,
                        "err.tracking.taken",
                        {"number": number, "code": code},
                    )
                )
    return errors


# ---------------------------------------------------------------------------- apply


def import_marketplace(
    session: Session,
    path: Path,
    source: str = "auto",
    *,
    skip_unknown_sku: bool = False,
    now: datetime | None = None,
) -> MarketResult:
    """New orders are created (stock reserved like any other); known ones move to the
    marketplace's status and take its tracking number; nothing else is overwritten."""
    with gc_paused():
        return _import(session, path, source, skip_unknown_sku, now or utcnow())


def _import(
    session: Session, path: Path, source: str, skip_unknown_sku: bool, moment_now: datetime
) -> MarketResult:
    read, valid, result = parse(session, path, source, skip_unknown_sku=skip_unknown_sku)
    chosen, found = read.source, read.orders
    conn = session.connection()
    # The orders we have already, with what a later file may say differently about them.
    have: dict[str, Any] = {}
    codes = [m.code for m in found]
    for start in range(0, len(codes), 500):
        have.update((r.code, r) for r in conn.execute(_KEPT, {"codes": codes[start : start + 500]}))
    status = {code: row.status for code, row in have.items()}
    result.differences += _differences(session, [m for m in found if m.code in have], have, valid)
    fresh = [m for m in found if m.code not in have]
    if fresh:
        # Oldest first, so the oldest orders get the stock first; each created and moved
        # on to the marketplace's status in one batch.
        fresh.sort(key=lambda m: m.created or moment_now)
        made = orders.create_many(
            session,
            [valid[m.code] for m in fresh],
            allow_backorder=True,
            now=moment_now,
            paths=[steps_between(S.PENDING, TARGET[m.status]) or [] for m in fresh],
            # Dated when the buyer placed it, as the reports count it; its parcel number.
            extra=[_given(m) for m in fresh],
        )
        status.update({r.code: r.status for r in made})
    steps: dict[str, list[Action]] = {}
    for market in found:
        now_status = status[market.code]
        target = TARGET[market.status]
        if now_status is target or (now_status is S.AWAITING_STOCK and target is S.PENDING):
            continue
        path_to = steps_between(now_status, target)
        if path_to is None:
            result.differences.append(
                t(
                    "import.market.status_kept",
                    code=market.code,
                    ours=t("status." + now_status.value),
                    theirs=t("status." + target.value),
                )
            )
            continue
        steps[market.code] = path_to
    orders.advance_many(session, steps, now=moment_now, reason=chosen.name, by=chosen.id)
    numbered = _set_numbers(session, found, have, moment_now)  # of orders known before
    for market in found:
        if market.code not in have:
            result.new += 1
            if valid[market.code].converted:
                result.converted.append(
                    t("import.converted_row", row=market.row, text=valid[market.code].converted)
                )
        elif market.code in steps or market.code in numbered:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


_TOUCH = (
    sa.update(_o)
    .where(_o.c.code == sa.bindparam("c"))
    .values(updated_at=sa.bindparam("t", type_=_o.c.updated_at.type))
)
_NUMBER = _TOUCH.values(tracking=sa.bindparam("n"))
_CARRIER = _TOUCH.values(carrier=sa.bindparam("k"), carrier_name=sa.bindparam("kn"))
_NUMBER_AND_CARRIER = _NUMBER.values(carrier=sa.bindparam("k"), carrier_name=sa.bindparam("kn"))


_l = table_of(OrderLine)
_KEPT = sa.select(
    _o.c.id,
    _o.c.code,
    _o.c.status,
    _o.c.tracking,
    _o.c.carrier,
    _o.c.name,
    _o.c.phone,
    _o.c.street,
    _o.c.ward_code,
    _o.c.province_code,
    _o.c.subtotal,
    _o.c.shipping_fee,
    _o.c.discount,
).where(_o.c.code.in_(sa.bindparam("codes", expanding=True)))
_KEPT_LINES = sa.select(_l.c.order_id, _l.c.sku, _l.c.qty).where(
    _l.c.order_id.in_(sa.bindparam("ids", expanding=True))
)


def _differences(
    session: Session,
    known: list[MarketOrder],
    rows: dict[str, Any],
    valid: dict[str, orders.ValidOrder],
) -> list[str]:
    """What a later file says differently about orders we have (`rows`, by code), besides
    status and tracking number: shown to the seller, never written over their order."""
    conn = session.connection()
    items: dict[int, set[tuple[str, int]]] = {}
    ids = [r.id for r in rows.values()]
    for start in range(0, len(ids), 500):
        for oid, sku, qty in conn.execute(_KEPT_LINES, {"ids": ids[start : start + 500]}):
            items.setdefault(oid, set()).add((sku, qty))
    found = []
    for market in known:
        ours, theirs = rows[market.code], valid[market.code]
        pairs = [
            ("name", ours.name, theirs.name),
            ("phone", display_phone(ours.phone), display_phone(theirs.phone)),
            ("street", ours.street, theirs.street),
            (
                "address",
                f"{ours.ward_code}/{ours.province_code}",
                f"{theirs.ward.code}/{theirs.province.code}",
            ),
            (
                "items",
                ", ".join(f"{sku}×{qty}" for sku, qty in sorted(items.get(ours.id, ()))),
                ", ".join(
                    f"{ln.product.sku}×{ln.qty}"
                    for ln in sorted(theirs.lines, key=lambda ln: ln.product.sku)
                ),  # noqa: E501
            ),
            (
                "total",
                format_money(ours.subtotal + ours.shipping_fee - ours.discount),
                format_money(theirs.subtotal + theirs.shipping_fee - theirs.discount),
            ),
        ]
        for what, kept, given in pairs:
            if kept != given:
                found.append(
                    t(
                        "import.market.kept",
                        code=market.code,
                        what=t("import.market.field." + what),
                        ours=kept,
                        theirs=given,
                    )
                )
    return found


def _given(market: MarketOrder) -> dict[str, object]:
    given: dict[str, object] = {}
    if market.created:
        given["created_at"] = market.created
    if market.tracking:
        given["tracking"] = market.tracking
    courier = courier_of(market.carrier_text)
    if courier.id:  # with or without a number yet: the marketplace has booked it
        given["carrier"] = courier.id
        given["carrier_name"] = courier.name
    return given


# The actions an import may take to bring an order to the marketplace's status.
_IMPORT_STEPS = frozenset(
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


def steps_between(status: OrderStatus, target: OrderStatus) -> list[Action] | None:
    """The actions that take an order from our status to the marketplace's, or None when
    no forward path exists (ours went further, or a different way): then nothing moves.
    A cancellation of a parcel already on its way means it comes back."""
    if target is S.CANCELLED and status in (S.SHIPPED, S.DELIVERY_FAILED):
        target = S.RETURNING
    if status is target:
        return None
    return lifecycle.path(status, target, via=_IMPORT_STEPS)


def _set_numbers(
    session: Session,
    found: list[MarketOrder],
    have: dict[str, Any],
    now: datetime,
) -> set[str]:
    """Tracking numbers new to an order we have, with their carrier; and the carrier an
    export names for an order that has none yet (booked, no number yet)."""
    shapes: dict[Any, list[dict[str, object]]] = {
        _NUMBER: [],
        _CARRIER: [],
        _NUMBER_AND_CARRIER: [],
    }
    for m in found:
        known = have.get(m.code)
        if known is None:
            continue
        courier = courier_of(m.carrier_text)
        number = bool(m.tracking) and known.tracking != m.tracking
        values = {"c": m.code, "t": now, "n": m.tracking, "k": courier.id, "kn": courier.name}
        if number and courier.id:
            shapes[_NUMBER_AND_CARRIER].append(values)
        elif number:
            shapes[_NUMBER].append(values)
        elif courier.id and not known.carrier:
            shapes[_CARRIER].append(values)
    conn = session.connection()
    for statement, rows in shapes.items():
        execute_many(conn, statement, rows)
    return {str(v["c"]) for rows in shapes.values() for v in rows}
