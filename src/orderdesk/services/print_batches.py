"""Print batches that never lie: one durable file per document kind, then one transaction.

The order of things is what makes a batch safe to kill at any moment:
1. a `pending` job naming its file and orders is recorded (nothing is marked printed);
2. the file is written to `name.tmp`, flushed, fsynced, renamed, and its folder fsynced;
3. it is sent to the printer, if one was asked for;
4. one transaction marks the orders printed and the job `done`.
The next batch first settles pending jobs left by a crash: a job whose file exists was
printed completely and is marked; one whose file does not exist never happened and is
dropped. So an order is never marked without a finished file, and a rerun prints only the
rest, never an order twice. Batches on one database take turns (an OS file lock), so the
desk and the command line printing at the same moment cannot both take the same orders.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import paths
from orderdesk.carriers import carrier_label
from orderdesk.config import Settings
from orderdesk.db import Store, dialect_insert
from orderdesk.errors import FieldError, InvalidInput, OrderdeskError
from orderdesk.models.enums import OrderStatus
from orderdesk.models.tables import (
    Order,
    OrderLine,
    OrderPrint,
    PrintJob,
    PrintJobOrder,
    Product,
    table_of,
)
from orderdesk.printing import pdf, printers
from orderdesk.printing.documents import Line, PrintOrder, Shop
from orderdesk.printing.label import LABEL_SIZES
from orderdesk.printing.output import durable_write, free_name, pick_order, render
from orderdesk.printing.sheet import PAPERS
from orderdesk.timeutil import to_local, utcnow

KINDS = ("labels", "invoices", "picklist", "slips")
FORMATS = ("pdf", "zpl")
# What the Print step offers by default: orders ready to pack or packed.
PRINTABLE = (OrderStatus.CONFIRMED, OrderStatus.PACKED)
_PRINTER_SETTING = {
    "labels": "printers.label",
    "invoices": "printers.invoice",
    "picklist": "printers.picklist",
    "slips": "printers.slip",
}

_o = table_of(Order)
_l = table_of(OrderLine)
_p = table_of(Product)
_jobs = table_of(PrintJob)
_job_orders = table_of(PrintJobOrder)
_prints = table_of(OrderPrint)


class Cancelled(OrderdeskError):
    def __init__(self) -> None:
        super().__init__("err.print.cancelled")


@dataclass(frozen=True)
class Selection:
    """Which orders a batch takes. Empty fields do not filter."""

    statuses: tuple[OrderStatus, ...] = PRINTABLE
    codes: tuple[str, ...] = ()
    carrier: str = ""
    channel: str = ""
    not_printed: bool = False
    deliver_by: date | None = None  # due on or before this day


@dataclass(frozen=True)
class Request:
    kind: str
    selection: Selection = Selection()
    size: str = ""
    format: str = "pdf"
    out: Path | None = None
    printer: str | None = None  # None: the shop's default printer for the kind, if any
    reprint: bool = False
    zpl_font: bool = True  # ZPL: download the font first (off when the printer has it)


@dataclass
class Result:
    kind: str
    file: Path
    count: int
    codes: list[str]
    skipped: list[str] = field(default_factory=list)
    printer: str = ""
    printer_job: str = ""
    job_id: int = 0


# ----------------------------------------------------------------------------- loading


def _statuses_clause(selection: Selection) -> Any:
    return _o.c.status.in_([s.value for s in selection.statuses])


def _carrier_clause(carrier: str, default_carrier: str) -> Any:
    if carrier == default_carrier:
        return sa.or_(_o.c.carrier == carrier, _o.c.carrier == "")
    return _o.c.carrier == carrier


def _filtered(query: Any, selection: Selection, default_carrier: str) -> Any:
    if selection.statuses:
        query = query.where(_statuses_clause(selection))
    if selection.carrier:
        query = query.where(_carrier_clause(selection.carrier, default_carrier))
    if selection.channel:
        query = query.where(_o.c.channel == selection.channel)
    if selection.deliver_by is not None:
        query = query.where(_o.c.deliver_by <= selection.deliver_by)
    return query


def find_ids(
    session: Session, selection: Selection, *, kind: str, default_carrier: str
) -> list[int]:
    """Order ids matching `selection`, oldest first."""
    query = _filtered(sa.select(_o.c.id, _o.c.code), selection, default_carrier)
    if selection.codes:
        # Codes are kept as typed by imports; a seller may type them in any case.
        query = query.where(sa.func.upper(_o.c.code).in_([c.upper() for c in selection.codes]))
    if selection.not_printed:
        query = query.where(~printed_clause(kind))
    rows = session.connection().execute(query.order_by(_o.c.id)).all()
    if selection.codes:
        found = {row.code.upper() for row in rows}
        missing = [code for code in selection.codes if code.upper() not in found]
        if missing:
            raise InvalidInput(
                [FieldError("orders", "err.print.not_printable", {"codes": ", ".join(missing)})]
            )
    return [row.id for row in rows]


def printed_clause(kind: str) -> Any:
    return sa.exists().where(_prints.c.order_id == _o.c.id, _prints.c.kind == kind)


def printed_ids(session: Session, ids: Sequence[int], kind: str) -> set[int]:
    found: set[int] = set()
    conn = session.connection()
    for chunk in _chunks(ids):
        query = sa.select(_prints.c.order_id).where(
            _prints.c.kind == kind, _prints.c.order_id.in_(chunk)
        )
        found.update(conn.execute(query).scalars())
    return found


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def load(session: Session, ids: Sequence[int], default_carrier: str = "") -> list[PrintOrder]:
    """The orders `ids` with their lines, ready to print, in the order of `ids`."""
    conn = session.connection()
    orders: dict[int, Any] = {}
    lines: dict[int, list[Line]] = {}
    for chunk in _chunks(list(ids)):
        for row in conn.execute(sa.select(_o).where(_o.c.id.in_(chunk))):
            orders[row.id] = row
        query = (
            sa.select(
                _l.c.order_id,
                _l.c.sku,
                _l.c.name,
                _l.c.variant,
                _l.c.qty,
                _l.c.unit_price,
                _p.c.weight_g,
            )
            .join(_p, _p.c.id == _l.c.product_id)
            .where(_l.c.order_id.in_(chunk))
            .order_by(_l.c.id)
        )
        for row in conn.execute(query):
            lines.setdefault(row.order_id, []).append(
                Line(
                    row.sku,
                    row.name,
                    row.variant,
                    row.qty,
                    row.unit_price,
                    row.weight_g,
                )
            )
    return [
        PrintOrder(
            id=row.id,
            code=row.code,
            status=OrderStatus(row.status),
            created_at=row.created_at,
            name=row.name,
            phone=row.phone,
            street=row.street,
            ward=row.ward_name,
            district=row.district,
            province=row.province_name,
            subtotal=row.subtotal,
            shipping_fee=row.shipping_fee,
            discount=row.discount,
            paid=row.paid,
            cod=row.cod,
            payment=row.payment,
            deliver_by=row.deliver_by,
            inspection=row.inspection,
            note=row.note,
            carrier=row.carrier or default_carrier,
            service=row.service,
            tracking=row.tracking or "",
            channel=row.channel,
            lines=lines.get(row.id, []),
            carrier_written=row.carrier_name,
        )
        for oid in ids
        if (row := orders.get(oid)) is not None
    ]


@dataclass(frozen=True)
class PrintRow:
    """One order on the Print step's list."""

    id: int
    code: str
    status: OrderStatus
    name: str
    province: str
    carrier: str
    channel: str
    cod: int
    deliver_by: Any
    printed: frozenset[str]
    carrier_name: str = ""  # as a person reads it


SHOWN_LIMIT = 5000


def list_printable(
    session: Session, selection: Selection, *, default_carrier: str, printed: str = ""
) -> list[PrintRow]:
    """Orders the Print step offers, oldest first; `printed` is "", "yes" or "no" (labels)."""
    query = sa.select(
        _o.c.id,
        _o.c.code,
        _o.c.status,
        _o.c.name,
        _o.c.province_name,
        _o.c.carrier,
        _o.c.carrier_name,
        _o.c.channel,
        _o.c.cod,
        _o.c.deliver_by,
    )
    query = _filtered(query, selection, default_carrier)
    if printed == "yes":
        query = query.where(printed_clause("labels"))
    elif printed == "no":
        query = query.where(~printed_clause("labels"))
    conn = session.connection()
    rows = conn.execute(query.order_by(_o.c.id).limit(SHOWN_LIMIT)).all()
    kinds: dict[int, set[str]] = {}
    for chunk in _chunks([row.id for row in rows]):
        found = sa.select(_prints.c.order_id, _prints.c.kind).where(_prints.c.order_id.in_(chunk))
        for order_id, kind in conn.execute(found):
            kinds.setdefault(order_id, set()).add(kind)
    return [
        PrintRow(
            id=row.id,
            code=row.code,
            status=OrderStatus(row.status),
            name=row.name,
            province=row.province_name,
            carrier=row.carrier or default_carrier,
            channel=row.channel,
            cod=row.cod,
            deliver_by=row.deliver_by,
            printed=frozenset(kinds.get(row.id, ())),
            carrier_name=carrier_label(row.carrier or default_carrier, row.carrier_name),
        )
        for row in rows
    ]


def channels(session: Session) -> list[str]:
    query = sa.select(_o.c.channel).where(_o.c.channel != "").distinct().order_by(_o.c.channel)
    return list(session.connection().execute(query).scalars())


@dataclass(frozen=True)
class JobRow:
    id: int
    at: datetime
    kind: str
    format: str
    size: str
    count: int
    file: str
    printer: str
    printer_job: str
    state: str


def recent_jobs(session: Session, *, limit: int = 20, code: str = "") -> list[JobRow]:
    """The latest print jobs, newest first; with `code`, only those that printed that order."""
    query = sa.select(_jobs)
    if code:
        printed_it = (
            sa.select(_job_orders.c.job_id)
            .join(_o, _o.c.id == _job_orders.c.order_id)
            .where(sa.func.upper(_o.c.code) == code.upper())
        )
        query = query.where(_jobs.c.id.in_(printed_it))
    rows = session.connection().execute(query.order_by(_jobs.c.id.desc()).limit(limit))
    return [
        JobRow(
            id=row.id,
            at=row.at,
            kind=row.kind,
            format=row.format,
            size=row.size,
            count=row.count,
            file=row.file,
            printer=row.printer,
            printer_job=row.printer_job,
            state=row.state,
        )
        for row in rows
    ]


# ----------------------------------------------------------------------------- files


def default_file(kind: str, fmt: str, now: datetime) -> Path:
    stamp = to_local(now).strftime("%Y%m%d-%H%M%S")
    return paths.private_dir(paths.prints_dir()) / f"{kind}-{stamp}.{fmt}"


# ----------------------------------------------------------------------------- jobs


def settle_pending(store: Store) -> None:
    """Finish or drop jobs a crash left pending."""
    with store.write() as session:
        conn = session.connection()
        pending = conn.execute(sa.select(_jobs).where(_jobs.c.state == "pending")).all()
        for job in pending:
            # A job for a printer whose `lp` never answered may not have reached it: it is
            # forgotten (the file stays) and its orders print again, rather than be lost.
            sent_unconfirmed = job.printer and not job.printer_job
            if Path(job.file).is_file() and not sent_unconfirmed:
                order_ids = list(
                    conn.execute(
                        sa.select(_job_orders.c.order_id).where(_job_orders.c.job_id == job.id)
                    ).scalars()
                )
                _mark(session, job.id, job.kind, order_ids, job.at)
            else:
                Path(job.file + ".tmp").unlink(missing_ok=True)
                conn.execute(sa.delete(_job_orders).where(_job_orders.c.job_id == job.id))
                conn.execute(sa.delete(_jobs).where(_jobs.c.id == job.id))


def _mark(session: Session, job_id: int, kind: str, order_ids: Sequence[int], at: datetime) -> None:
    conn = session.connection()
    if order_ids:
        insert = dialect_insert(session)(_prints)
        upsert = insert.on_conflict_do_update(
            index_elements=[_prints.c.order_id, _prints.c.kind],
            set_={
                "job_id": insert.excluded.job_id,
                "at": insert.excluded.at,
                "times": _prints.c.times + 1,
            },
        )
        conn.execute(
            upsert,
            [
                {"order_id": oid, "kind": kind, "job_id": job_id, "at": at, "times": 1}
                for oid in order_ids
            ],
        )
    conn.execute(sa.update(_jobs).where(_jobs.c.id == job_id).values(state="done"))


def _open_job(
    store: Store,
    request: Request,
    size: str,
    path: Path,
    orders: Sequence[PrintOrder],
    at: datetime,
    printer: str,
) -> int:
    with store.write() as session:
        conn = session.connection()
        job_id = conn.execute(
            sa.insert(_jobs).values(
                kind=request.kind,
                state="pending",
                format=request.format,
                size=size,
                at=at,
                file=str(path),
                printer=printer,
                printer_job="",
                count=len(orders),
            )
        ).inserted_primary_key[0]
        if orders:
            conn.execute(
                sa.insert(_job_orders),
                [
                    {"job_id": job_id, "order_id": order.id, "position": i}
                    for i, order in enumerate(orders)
                ],
            )
    return int(job_id)


def _drop_job(store: Store, job_id: int) -> None:
    with store.write() as session:
        conn = session.connection()
        state = conn.execute(sa.select(_jobs.c.state).where(_jobs.c.id == job_id)).scalar()
        if state != "pending":
            return
        conn.execute(sa.delete(_job_orders).where(_job_orders.c.job_id == job_id))
        conn.execute(sa.delete(_jobs).where(_jobs.c.id == job_id))


# ----------------------------------------------------------------------------- running


def _size_for(request: Request, settings: Settings) -> str:
    if request.kind == "labels":
        size = request.size or settings.get("print.label_size")
        if size not in LABEL_SIZES:
            raise InvalidInput(
                [
                    FieldError(
                        "size", "err.print.size", {"size": size, "sizes": ", ".join(LABEL_SIZES)}
                    )
                ]
            )
        return size
    size = request.size or settings.get("print.invoice_size")
    if request.kind == "picklist" and not request.size:
        size = "a4"
    if size not in PAPERS:
        raise InvalidInput(
            [FieldError("size", "err.print.size", {"size": size, "sizes": ", ".join(PAPERS)})]
        )
    if request.kind != "invoices" and not PAPERS[size].height:
        # Only invoices make sense on a receipt roll: a pick list or slip goes on a sheet.
        size = "a4" if request.kind == "picklist" else "a5"
    return size


def _media(request: Request, size: str) -> tuple[str, bool]:
    """CUPS media for the batch, and whether its pages already are that media exactly."""
    if request.kind == "labels":
        return LABEL_SIZES[size].media, size != "a4x4"
    if not PAPERS[size].height:
        return "", True  # a receipt roll: each page is as long as its invoice
    return PAPERS[size].media, False


def plan(store: Store, request: Request, settings: Settings) -> tuple[list[PrintOrder], list[str]]:
    """The orders the batch prints, in pick order, and the codes skipped as already printed."""
    if request.kind not in KINDS:
        raise InvalidInput([FieldError("kind", "err.print.kind", {"kind": request.kind})])
    if request.format not in FORMATS:
        raise InvalidInput([FieldError("format", "err.print.format", {"format": request.format})])
    if request.format == "zpl" and request.kind != "labels":
        raise InvalidInput([FieldError("format", "err.print.zpl_labels_only", {})])
    default_carrier = settings.get("shipping.default_carrier")
    with store.read() as session:
        ids = find_ids(
            session, request.selection, kind=request.kind, default_carrier=default_carrier
        )
        skipped_ids: set[int] = set()
        if not request.reprint:
            skipped_ids = printed_ids(session, ids, request.kind)
        orders = load(session, [i for i in ids if i not in skipped_ids], default_carrier)
        skipped = [o.code for o in load(session, sorted(skipped_ids))] if skipped_ids else []
    return pick_order(orders), skipped


def _cannot_write(path: Path, error: OSError) -> OrderdeskError:
    return OrderdeskError("err.file.write", path=str(path), reason=error.strerror or str(error))


@contextmanager
def _one_batch_at_a_time(
    store: Store, progress: pdf.Progress | None, on_wait: Callable[[], None] | None
) -> Iterator[None]:
    """Batches on one database run one after another, across processes (desk and CLI).

    Otherwise a second batch would take a running batch's pending job for a crashed one,
    and both would choose the same unprinted orders. The lock is the operating system's:
    it goes away with a killed process, so a crash never leaves it held.
    """
    if store.path is not None:
        lock_path = store.path.with_name(store.path.name + ".print-lock")
    else:
        lock_path = paths.private_dir(paths.prints_dir()) / ".print-lock"
    try:
        import fcntl
    except ImportError:  # Windows: one desk per shop there, no lock
        yield
        return
    with open(lock_path, "a+b") as handle:
        waited = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                if progress is not None:
                    progress(0)  # the desk's cancel check
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def run(
    store: Store,
    request: Request,
    settings: Settings,
    *,
    progress: pdf.Progress | None = None,
    now: datetime | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Result:
    """Print one batch; see the module docstring for why each step is where it is.

    `on_wait` is called once if another batch on this database is running and this one
    waits for it; `progress(0)` is called while waiting, so a caller can cancel.
    """
    with _one_batch_at_a_time(store, progress, on_wait):
        return _run(store, request, settings, progress, now)


def _run(
    store: Store,
    request: Request,
    settings: Settings,
    progress: pdf.Progress | None,
    now: datetime | None,
) -> Result:
    settle_pending(store)
    size = _size_for(request, settings)
    orders, skipped = plan(store, request, settings)
    if not orders:
        raise OrderdeskError("err.print.nothing", skipped=len(skipped))
    at = now or utcnow()
    path = request.out or default_file(request.kind, request.format, at)
    if path.is_dir():
        path = path / default_file(request.kind, request.format, at).name
    path = free_name(path.expanduser().resolve())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(path, error) from error
    printer = request.printer
    if printer is None:
        printer = settings.get(_PRINTER_SETTING[request.kind])
    job_id = _open_job(store, request, size, path, orders, at, printer)
    try:
        durable_write(
            path,
            render(
                request.kind,
                request.format,
                size,
                orders,
                Shop.from_settings(settings),
                at,
                progress,
                zpl_font=request.zpl_font,
            ),
        )
    except OSError as error:
        _drop_job(store, job_id)
        raise _cannot_write(path, error) from error
    except BaseException:
        _drop_job(store, job_id)
        raise
    printer_job = ""
    if printer:
        try:
            media, exact = _media(request, size)
            printer_job = printers.send(
                printer,
                path,
                media=media,
                title=f"orderdesk {request.kind} {path.stem}",
                raw=request.format == "zpl",
                exact=exact,
            )
        except BaseException:
            _drop_job(store, job_id)  # not printed: the next batch prints these again
            raise
    with store.write() as session:
        session.connection().execute(
            sa.update(_jobs)
            .where(_jobs.c.id == job_id)
            .values(printer_job=printer_job or ("-" if printer else ""))
        )
        _mark(session, job_id, request.kind, [o.id for o in orders], at)
    return Result(
        kind=request.kind,
        file=path,
        count=len(orders),
        codes=[o.code for o in orders],
        skipped=skipped,
        printer=printer,
        printer_job=printer_job,
        job_id=job_id,
    )
