"""Handover (bàn giao): parcels for one carrier go into the courier's bag, each scanned.

Opening a handover gathers the carrier's packed orders; each parcel's label is scanned
(its order code or its tracking number) as it goes into the bag, ticking it on the
manifest. Closing ships the scanned parcels only; the others stay packed, listed, for the
next pickup. At most one handover per carrier is open at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import REGISTRY
from orderdesk.errors import NotFound, OrderdeskError
from orderdesk.formats.carrier_files import UploadRow, write_upload
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import Handover, HandoverParcel, Order, OrderLine, Product, table_of
from orderdesk.printing.documents import Shop
from orderdesk.printing.manifest import Manifest, ManifestRow, write_manifest
from orderdesk.services.orders.actions import transition
from orderdesk.services.orders.base import load_lines, load_order
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import display_phone

_o = table_of(Order)
_l = table_of(OrderLine)
_p = table_of(Product)
_h = table_of(Handover)
_hp = table_of(HandoverParcel)


class HandoverRefused(OrderdeskError):
    """A scan or a close the handover rules refuse; nothing changed."""


@dataclass(frozen=True)
class ParcelRead(Jsonable):
    position: int
    code: str
    tracking: str
    name: str
    phone: str
    address: str
    cod: int
    weight_g: int
    status: OrderStatus
    scanned_at: datetime | None

    @property
    def scanned(self) -> bool:
        return self.scanned_at is not None


@dataclass(frozen=True)
class HandoverRead(Jsonable):
    id: int
    number: str
    carrier: str
    state: str
    opened_at: datetime
    closed_at: datetime | None
    parcels: list[ParcelRead]

    @property
    def scanned(self) -> list[ParcelRead]:
        return [p for p in self.parcels if p.scanned]

    @property
    def missing(self) -> list[ParcelRead]:
        return [p for p in self.parcels if not p.scanned]

    @property
    def cod(self) -> int:
        return sum(p.cod for p in self.parcels)


def number(hid: int) -> str:
    return f"BG-{hid:04d}"


def _carrier_is(carrier: str, default_carrier: str) -> sa.ColumnElement[bool]:
    if carrier == default_carrier:
        return sa.or_(_o.c.carrier == carrier, _o.c.carrier == "")
    return _o.c.carrier == carrier


def _open_id(session: Session, carrier: str) -> int | None:
    return (
        session.connection()
        .execute(sa.select(_h.c.id).where(_h.c.carrier == carrier, _h.c.state == "open"))
        .scalar()
    )


def open_handover(
    session: Session,
    carrier: str,
    *,
    codes: Sequence[str] | None = None,
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> HandoverRead:
    """Open (or top up) the carrier's handover with its packed orders, or with `codes`."""
    moment = now or utcnow()
    carrier = clean(carrier).lower()
    if carrier not in REGISTRY:
        raise NotFound("err.carrier.unknown", carrier=carrier, known=", ".join(REGISTRY))
    conn = session.connection()
    in_open = sa.select(_hp.c.order_id).join(_h, _h.c.id == _hp.c.handover_id)
    in_open = in_open.where(_h.c.state == "open")
    query = sa.select(_o.c.id, _o.c.code, _o.c.status, _o.c.carrier).where(_o.c.id.not_in(in_open))
    if codes:
        wanted = [clean(c) for c in codes]
        found = {r.code: r for r in conn.execute(query.where(_o.c.code.in_(wanted)))}
        for code in wanted:
            row = found.get(code)
            if row is None:
                load_order(session, code)  # unknown order: its own message
                raise HandoverRefused("err.handover.elsewhere", code=code)
            if row.status is not OrderStatus.PACKED:
                raise HandoverRefused("err.handover.not_packed", code=code, status=row.status)
            if (row.carrier or default_carrier) != carrier:
                raise HandoverRefused(
                    "err.handover.other_carrier",
                    code=code,
                    carrier=REGISTRY[row.carrier or default_carrier].name,
                )
        ids = [found[c].id for c in wanted]
    else:
        ids = list(
            conn.execute(
                query.with_only_columns(_o.c.id)
                .where(_o.c.status == OrderStatus.PACKED, _carrier_is(carrier, default_carrier))
                .order_by(_o.c.packed_at, _o.c.id)
            ).scalars()
        )
    hid = _open_id(session, carrier)
    if not ids:
        if hid is not None:
            return get(session, hid)
        raise HandoverRefused("err.handover.nothing", carrier=REGISTRY[carrier].name)
    if hid is None:
        hid = conn.execute(
            sa.insert(_h).values(carrier=carrier, state="open", opened_at=moment).returning(_h.c.id)
        ).scalar_one()
    start = conn.execute(
        sa.select(sa.func.coalesce(sa.func.max(_hp.c.position), 0)).where(_hp.c.handover_id == hid)
    ).scalar_one()
    conn.execute(
        sa.insert(_hp),
        [
            {"handover_id": hid, "order_id": oid, "position": start + i, "scanned_at": None}
            for i, oid in enumerate(ids, start=1)
        ],
    )
    return get(session, hid)


@dataclass(frozen=True)
class Ready:
    """A carrier's side of the packing table: parcels packed for it, an open handover."""

    carrier: str
    packed: int
    open: bool


def ready(session: Session, *, default_carrier: str = "ghn") -> list[Ready]:
    """Every carrier, the shop's own first, then the most packed parcels first."""
    conn = session.connection()
    carrier = sa.func.coalesce(sa.func.nullif(_o.c.carrier, ""), default_carrier)
    packed = dict(
        conn.execute(
            sa.select(carrier, sa.func.count())
            .where(_o.c.status == OrderStatus.PACKED)
            .group_by(carrier)
        ).all()
    )
    opened = set(conn.execute(sa.select(_h.c.carrier).where(_h.c.state == "open")).scalars())
    found = [Ready(cid, int(packed.get(cid, 0)), cid in opened) for cid in REGISTRY]
    return sorted(found, key=lambda r: (r.carrier != default_carrier, -r.packed))


def current(session: Session, carrier: str) -> HandoverRead | None:
    hid = _open_id(session, carrier)
    return get(session, hid) if hid is not None else None


def get(session: Session, hid: int) -> HandoverRead:
    conn = session.connection()
    head = conn.execute(sa.select(_h).where(_h.c.id == hid)).first()
    if head is None:
        raise NotFound("err.handover.unknown", number=number(hid))
    weights = (
        sa.select(_l.c.order_id, sa.func.sum(_l.c.qty * _p.c.weight_g).label("grams"))
        .join(_p, _p.c.id == _l.c.product_id)
        .group_by(_l.c.order_id)
        .subquery()
    )
    rows = conn.execute(
        sa.select(
            _hp.c.position,
            _hp.c.scanned_at,
            _o.c.code,
            _o.c.tracking,
            _o.c.name,
            _o.c.phone,
            _o.c.street,
            _o.c.ward_name,
            _o.c.province_name,
            _o.c.cod,
            _o.c.status,
            sa.func.coalesce(weights.c.grams, 0),
        )
        .join(_o, _o.c.id == _hp.c.order_id)
        .outerjoin(weights, weights.c.order_id == _o.c.id)
        .where(_hp.c.handover_id == hid)
        .order_by(_hp.c.position)
    )
    parcels = [
        ParcelRead(
            position=r.position,
            code=r.code,
            tracking=r.tracking or "",
            name=r.name,
            phone=display_phone(r.phone),
            address=", ".join(p for p in (r.street, r.ward_name, r.province_name) if p),
            cod=r.cod,
            weight_g=r[11],
            status=r.status,
            scanned_at=r.scanned_at,
        )
        for r in rows
    ]
    return HandoverRead(
        id=head.id,
        number=number(head.id),
        carrier=head.carrier,
        state=head.state,
        opened_at=head.opened_at,
        closed_at=head.closed_at,
        parcels=parcels,
    )


def list_handovers(session: Session, *, limit: int = 50) -> list[SimpleNamespace]:
    rows = session.connection().execute(
        sa.select(
            _h,
            sa.func.count(_hp.c.order_id).label("parcels"),
            sa.func.count(_hp.c.scanned_at).label("scanned"),
        )
        .outerjoin(_hp, _hp.c.handover_id == _h.c.id)
        .group_by(_h.c.id)
        .order_by(_h.c.id.desc())
        .limit(limit)
    )
    return [SimpleNamespace(number=number(r.id), **r._mapping) for r in rows]


@dataclass(frozen=True)
class Scanned:
    code: str
    again: bool  # it was ticked already: nothing changed
    scanned: int
    total: int


def scan(session: Session, hid: int, text: str, *, now: datetime | None = None) -> Scanned:
    """Tick the parcel whose order code or tracking number was scanned."""
    moment = now or utcnow()
    handover = get(session, hid)
    if handover.state != "open":
        raise HandoverRefused("err.handover.closed", number=handover.number)
    value = clean(text)
    if not value:
        raise HandoverRefused("err.handover.empty_scan")
    carrier = REGISTRY[handover.carrier]
    as_number = carrier.tracking_number(value)
    parcel = next(
        (
            p
            for p in handover.parcels
            if p.code.upper() == value.upper() or (p.tracking and p.tracking == as_number)
        ),
        None,
    )
    if parcel is None:
        found = (
            session.connection()
            .execute(
                sa.select(_o.c.code, _o.c.status, _o.c.carrier).where(
                    sa.or_(_o.c.code == value, _o.c.tracking == as_number)
                )
            )
            .first()
        )
        if found is None:
            raise HandoverRefused("err.handover.scan_unknown", value=value)
        raise HandoverRefused(
            "err.handover.not_in_bag", code=found.code, number=handover.number, status=found.status
        )
    total = len(handover.parcels)
    done = len(handover.scanned)
    if parcel.scanned:
        return Scanned(parcel.code, True, done, total)
    oid = load_order(session, parcel.code).id
    session.connection().execute(
        sa.update(_hp)
        .where(_hp.c.handover_id == hid, _hp.c.order_id == oid)
        .values(scanned_at=moment)
    )
    return Scanned(parcel.code, False, done + 1, total)


def unscan(session: Session, hid: int, code: str) -> None:
    """Take a tick back (the parcel came out of the bag)."""
    oid = load_order(session, code).id
    session.connection().execute(
        sa.update(_hp)
        .where(_hp.c.handover_id == hid, _hp.c.order_id == oid)
        .values(scanned_at=None)
    )


@dataclass(frozen=True)
class Closed(Jsonable):
    number: str
    shipped: list[str]
    left: list[str]  # not scanned: still packed, for the next handover


def close(session: Session, hid: int, *, now: datetime | None = None) -> Closed:
    """Ship the scanned parcels; the rest leave the handover and stay packed."""
    moment = now or utcnow()
    handover = get(session, hid)
    if handover.state != "open":
        raise HandoverRefused("err.handover.closed", number=handover.number)
    if not handover.scanned:
        raise HandoverRefused("err.handover.none_scanned", number=handover.number)
    conn = session.connection()
    shipped: list[str] = []
    for parcel in handover.scanned:
        order = load_order(session, parcel.code)
        # A carrier file may have shipped it already; then there is nothing to do.
        if order.status is OrderStatus.PACKED:
            transition(
                session,
                order,
                load_lines(session, order.id),
                Action.SHIP,
                moment,
                handover=handover.number,
            )
        shipped.append(parcel.code)
    left = [p.code for p in handover.missing]
    if left:
        ids = select_ids(session, left)
        conn.execute(sa.delete(_hp).where(_hp.c.handover_id == hid, _hp.c.order_id.in_(ids)))
    conn.execute(sa.update(_h).where(_h.c.id == hid).values(state="closed", closed_at=moment))
    return Closed(handover.number, shipped, left)


def select_ids(session: Session, codes: Sequence[str]) -> list[int]:
    return list(
        session.connection().execute(sa.select(_o.c.id).where(_o.c.code.in_(codes))).scalars()
    )


def upload_rows(session: Session, hid: int) -> list[UploadRow]:
    """The handover's parcels as the carrier's bulk-upload sheet takes them."""
    handover = get(session, hid)
    carrier = REGISTRY[handover.carrier]
    conn = session.connection()
    codes = [p.code for p in handover.parcels]
    orders = {r.code: r for r in conn.execute(sa.select(_o).where(_o.c.code.in_(codes)))}
    items: dict[int, list[str]] = {}
    qty: dict[int, int] = {}
    for line in conn.execute(
        sa.select(_l.c.order_id, _l.c.name, _l.c.variant, _l.c.qty)
        .where(_l.c.order_id.in_([o.id for o in orders.values()]))
        .order_by(_l.c.id)
    ):
        label = f"{line.name} ({line.variant})" if line.variant else line.name
        items.setdefault(line.order_id, []).append(f"{line.qty} x {label}")
        qty[line.order_id] = qty.get(line.order_id, 0) + line.qty
    rows = []
    for parcel in handover.parcels:
        o = orders[parcel.code]
        rows.append(
            UploadRow(
                code=o.code,
                name=o.name,
                phone="0" + o.phone[3:] if o.phone.startswith("+84") else o.phone,
                street=o.street,
                ward=o.ward_name,
                province=o.province_name,
                items="; ".join(items.get(o.id, [])),
                qty=qty.get(o.id, 0),
                weight_g=parcel.weight_g,
                cod=o.cod,
                value=o.subtotal,
                inspection=carrier.inspection.get(o.inspection, ""),
                service=o.service,
                note=o.note,
            )
        )
    return rows


def manifest(handover: HandoverRead, shop: Shop) -> Manifest:
    """The handover as its manifest prints it: ticks only once it is closed."""
    closed = handover.state == "closed"
    return Manifest(
        shop=shop,
        carrier_name=REGISTRY[handover.carrier].name,
        number=handover.number,
        at=handover.closed_at or handover.opened_at,
        rows=[
            ManifestRow(
                code=p.code,
                tracking=p.tracking,
                name=p.name,
                phone=p.phone,
                address=p.address,
                cod=p.cod,
                weight_g=p.weight_g,
                scanned=p.scanned,
            )
            for p in (handover.scanned if closed else handover.parcels)
        ],
        closed=closed,
    )


@dataclass(frozen=True)
class Files:
    manifest: Path
    upload: Path
    pages: int


def write_files(session: Session, hid: int, shop: Shop, folder: Path) -> Files:
    """The manifest PDF and the carrier's bulk-upload sheet, named after the handover."""
    handover = get(session, hid)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{handover.number}-{handover.carrier}"
    pdf = folder / f"{stem}.pdf"
    pages = write_manifest(pdf, manifest(handover, shop))
    upload = write_upload(
        folder / f"{stem}-upload", REGISTRY[handover.carrier], upload_rows(session, hid)
    )
    return Files(pdf, upload, pages)
