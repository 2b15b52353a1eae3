"""CLI for steps 3 and 4 past printing: handover, tracking, problems, COD.

Thin over `services.handover`, `services.tracking`, `services.problems` and `services.cod`;
registered on the main group by `orderdesk.cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from orderdesk.carriers import REGISTRY, status_label
from orderdesk.i18n import t

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from orderdesk.cli import Context

# The main module's helpers, looked up when called: `orderdesk.cli` imports this module
# at its end, so importing them here would be circular.


def _out(text: str = "") -> None:
    from orderdesk.cli import _out as out

    out(text)


def _err(text: str) -> None:
    from orderdesk.cli import _err as err

    err(text)


def _json(value: Any) -> None:
    from orderdesk.cli import _json as as_json

    as_json(value)


def _table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> None:
    from orderdesk.cli import _table as table

    table(headers, rows, right)


def _reporting_import(path: str) -> AbstractContextManager[None]:
    from orderdesk.cli import _reporting_import as reporting

    return reporting(path)


_CARRIER_IDS = list(REGISTRY)


def _file_carrier(help_text: str) -> Any:
    """`--carrier`: whose file it is, or `auto` to recognise it from its headers."""
    return click.option(
        "--carrier",
        type=click.Choice(["auto", *_CARRIER_IDS]),
        default="auto",
        show_default=True,
        help=help_text,
    )


def _handover_id(text: str) -> int:
    digits = text.upper().removeprefix("BG-").lstrip("0") or "0"
    if not digits.isdigit():
        raise click.BadParameter(t("cli.handover.bad_id", value=text))
    return int(digits)


# ---------------------------------------------------------------------------- tracking


@click.group("tracking")
def tracking_group() -> None:
    """Tracking numbers and carrier status events."""


@tracking_group.command("set")
@click.argument("code")
@click.argument("number")
@click.option("--carrier", type=click.Choice(_CARRIER_IDS), help="Also set the order's carrier.")
@click.pass_obj
def tracking_set(state: Context, code: str, number: str, carrier: str | None) -> None:
    """Give order CODE its tracking NUMBER (checked against the carrier's shape)."""
    from orderdesk.services import tracking

    with state.store().write() as session:
        stored = tracking.set_number(
            session, code, number, carrier=carrier, default_carrier=state.settings.default_carrier
        )
    _out(t("cli.tracking.set", code=code, number=stored))


@tracking_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_file_carrier("Whose file it is; auto recognises it from the headers.")
@click.option(
    "--skip-unknown",
    is_flag=True,
    help="Apply the other rows when some have a status or an order orderdesk does not know.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def tracking_import(
    state: Context, file: Path, carrier: str, skip_unknown: bool, as_json: bool
) -> None:
    """Read a carrier's status export (CSV or XLSX) and move orders accordingly."""
    from orderdesk.services import tracking

    with _reporting_import(str(file)), state.store().write() as session:
        report = tracking.import_file(
            session,
            file,
            carrier=carrier,
            skip_unknown=skip_unknown,
            extra_statuses=state.settings.taught_statuses(),
        )
    if as_json:
        _json(
            {
                "carrier": report.carrier,
                "rows": report.rows,
                "events": report.events,
                "repeated": report.repeated,
                "numbers": report.numbers,
                "moved": dict(report.moved),
                "skipped": [e.message() for e in report.skipped],
                "not_moved": [
                    {"row": r, "code": c, "status": s, "outcome": o}
                    for r, c, s, o in report.not_moved
                ],
            }
        )
        return
    _out(report.summary())
    for status, count in sorted(report.moved.items()):
        _out("  " + t("cli.tracking.moved", count=count, status=t("status." + str(status))))
    for error in report.skipped:
        _err("  " + t("cli.tracking.skipped") + " " + error.message())
    for row, code, status, outcome in report.not_moved:
        _err(
            "  "
            + t(
                "cli.tracking.not_moved",
                row=row,
                code=code,
                status=t("status." + str(status)),
                outcome=t("outcome." + str(outcome)),
            )
        )


@tracking_group.command("numbers")
@click.argument("file", type=click.Path(path_type=Path))
@_file_carrier("Whose export it is; auto recognises it from the headers.")
@click.pass_obj
def tracking_numbers(state: Context, file: Path, carrier: str) -> None:
    """Read tracking numbers from a carrier's order export (our code and its number)."""
    from orderdesk.services import tracking

    with _reporting_import(str(file)), state.store().write() as session:
        report = tracking.import_numbers(session, file, carrier=carrier)
    _out(
        t(
            "cli.tracking.numbers",
            rows=report.rows,
            carrier=report.carrier,
            set=len(report.set),
            unchanged=report.unchanged,
        )
    )


@tracking_group.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def tracking_show(state: Context, code: str, as_json: bool) -> None:
    """The parcel's events, newest first."""
    from orderdesk.services import tracking
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        events = tracking.timeline(session, code)
        url = tracking.link(session, code, default_carrier=state.settings.default_carrier)
    if as_json:
        _json([e.to_json() for e in events])
        return
    if url:
        _out(url)
    _table(
        [
            t("col.when"),
            t("col.carrier_status"),
            t("col.outcome"),
            t("col.location"),
            t("col.note"),
        ],
        [
            [
                format_local(e.at),
                t("desk.track.by_hand")
                if e.source == "manual"
                else status_label(e.carrier, e.carrier_status),
                t("outcome." + e.outcome),
                e.location,
                e.note,
            ]
            for e in events
        ],
    )


@tracking_group.command("add")
@click.argument("code")
@click.argument(
    "outcome",
    type=click.Choice(["transit", "delivered", "failed", "returning", "returned", "problem"]),
)
@click.option("--note", default="", help="What happened (a call with the courier…).")
@click.pass_obj
def tracking_add(state: Context, code: str, outcome: str, note: str) -> None:
    """Add an event by hand; it moves the order as a carrier's file would."""
    from orderdesk.carriers import Outcome
    from orderdesk.services import orders, tracking

    with state.store().write() as session:
        tracking.add_event(
            session,
            code,
            Outcome(outcome),
            note=note,
            default_carrier=state.settings.default_carrier,
        )
        status = orders.get(session, code).status
    _out(t("cli.tracking.added", code=code, status=t("status." + status.value)))


# ---------------------------------------------------------------------------- problems


@click.group("problems", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def problems_group(ctx: click.Context, as_json: bool) -> None:
    """The problems queue: parcels and orders that need the seller, worst first."""
    if ctx.invoked_subcommand is not None:
        return
    from orderdesk.services import problems
    from orderdesk.timeutil import format_local

    state: Context = ctx.obj
    settings = state.settings
    with state.store().read() as session:
        found = problems.queue(
            session,
            default_carrier=settings.default_carrier,
            stale_days=settings.stale_days(),
            cod_days=int(settings.get("problems.cod_days")),
        )
    if as_json:
        _json([p.to_json() for p in found])
        return
    if not found:
        _out(t("cli.problems.none"))
        return
    _table(
        [
            t("col.problem"),
            t("col.code"),
            t("col.phone"),
            t("col.status"),
            t("col.carrier"),
            t("col.tracking"),
            t("col.last_event"),
            t("col.age"),
        ],
        [
            [
                t("problem." + p.rule.value),
                p.code,
                p.phone,
                t("status." + p.status.value),
                p.carrier,
                p.tracking,
                f"{status_label(p.carrier, p.last_event)} {format_local(p.last_event_at)}".strip(),
                t("cli.problems.days", n=p.age_days),
            ]
            for p in found
        ],
    )


@problems_group.command("act")
@click.argument("code")
@click.argument("action", type=click.Choice(["call", "redeliver", "return", "cancel"]))
@click.option("--note", default="", help="What the customer said.")
@click.pass_obj
def problems_act(state: Context, code: str, action: str, note: str) -> None:
    """Act on a problem: note a call, request redelivery, approve the return, cancel."""
    from orderdesk.services import problems

    with state.store().write() as session:
        status = problems.act(
            session,
            code,
            problems.Act(action),
            note=note,
            default_carrier=state.settings.default_carrier,
        )
    _out(
        t(
            "cli.problems.acted",
            code=code,
            action=t("problem_act." + action),
            status=t("status." + status.value),
        )
    )


# ---------------------------------------------------------------------------- COD


@click.group("cod")
def cod_group() -> None:
    """COD statements: does every đồng collected come back?"""


@cod_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_file_carrier("Whose statement it is; auto recognises it from the headers.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def cod_import(state: Context, file: Path, carrier: str, as_json: bool) -> None:
    """Read a carrier's COD statement and reconcile each order."""
    from orderdesk.models.money import format_money
    from orderdesk.services import cod

    with _reporting_import(str(file)), state.store().write() as session:
        report = cod.import_statement(
            session, file, carrier=carrier, default_carrier=state.settings.default_carrier
        )
    if as_json:
        data = report.to_json()
        data.update(
            expected=report.expected,
            paid=report.paid,
            fees=report.fees,
            difference=report.difference,
        )
        _json(data)
        return
    _out(report.summary())
    _table(
        [
            t("col.code"),
            t("col.tracking"),
            t("col.expected"),
            t("col.fees"),
            t("col.paid"),
            t("col.difference"),
        ],
        [
            [
                o.code,
                o.tracking,
                format_money(o.expected),
                format_money(o.fees),
                format_money(o.paid),
                format_money(o.difference) if o.difference else "",
            ]
            for o in report.orders
        ],
        right={2, 3, 4, 5},
    )
    _out(
        t(
            "cli.cod.totals",
            expected=format_money(report.expected),
            fees=format_money(report.fees),
            paid=format_money(report.paid),
            difference=format_money(report.difference),
        )
    )
    for line in report.unmatched:
        _err(
            "  " + t("cli.cod.unmatched", row=line.row, ref=line.ref, paid=format_money(line.paid))
        )
    if report.missing:
        _out(t("cli.cod.missing", count=len(report.missing)))
        for m in report.missing:
            _out(
                f"  {m.code}  {m.tracking}  {format_money(m.cod)}  "
                + t("cli.problems.days", n=m.days)
            )


# ---------------------------------------------------------------------------- handover


@click.group("handover")
def handover_group() -> None:
    """Hand parcels to a carrier: open, scan each label, close (ships the scanned)."""


def _show(handover: object) -> None:
    from orderdesk.models.money import format_money
    from orderdesk.services.handover import HandoverRead

    assert isinstance(handover, HandoverRead)
    _out(
        t(
            "cli.handover.summary",
            number=handover.number,
            carrier=handover.carrier,
            state=t("handover_state." + handover.state),
            scanned=len(handover.scanned),
            total=len(handover.parcels),
            cod=format_money(handover.cod),
        )
    )
    _table(
        [t("col.tick"), t("col.code"), t("col.tracking"), t("col.name"), t("col.cod")],
        [
            ["✓" if p.scanned else "·", p.code, p.tracking, p.name, format_money(p.cod)]
            for p in handover.parcels
        ],
        right={4},
    )


@handover_group.command("open")
@click.option("--carrier", type=click.Choice(_CARRIER_IDS), help="Default: the shop's carrier.")
@click.option("--orders", default="", help="Only these order codes, comma-separated.")
@click.pass_obj
def handover_open(state: Context, carrier: str | None, orders: str) -> None:
    """Gather the carrier's packed orders into its open handover."""
    from orderdesk.services import handover

    codes = [c.strip() for c in orders.split(",") if c.strip()]
    with state.store().write() as session:
        opened = handover.open_handover(
            session,
            carrier or state.settings.default_carrier,
            codes=codes or None,
            default_carrier=state.settings.default_carrier,
        )
    _show(opened)


@handover_group.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def handover_show(state: Context, number: str, as_json: bool) -> None:
    """One handover: every parcel, ticked or not."""
    from orderdesk.services import handover

    with state.store().read() as session:
        found = handover.get(session, _handover_id(number))
    if as_json:
        _json(found.to_json())
        return
    _show(found)


@handover_group.command("scan")
@click.argument("number")
@click.argument("values", nargs=-1)
@click.pass_obj
def handover_scan(state: Context, number: str, values: tuple[str, ...]) -> None:
    """Tick parcels by order code or tracking number; with no VALUES, read one scan per
    line from the scanner (an empty line ends)."""
    from orderdesk.errors import OrderdeskError
    from orderdesk.services import handover

    hid = _handover_id(number)
    scans = list(values) or _stdin_scans()
    refused = 0
    for value in scans:
        try:
            with state.store().write() as session:
                result = handover.scan(session, hid, value)
        except OrderdeskError as error:
            refused += 1
            _err(f"orderdesk: {error}")
            continue
        key = "cli.handover.again" if result.again else "cli.handover.ticked"
        _out(t(key, code=result.code, scanned=result.scanned, total=result.total))
    if refused:
        raise click.exceptions.Exit(1)


def _stdin_scans() -> list[str]:
    scans = []
    for line in sys.stdin:
        if not line.strip():
            break
        scans.append(line.strip())
    return scans


@handover_group.command("close")
@click.argument("number")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the manifest and the upload file (default: the prints folder).",
)
@click.pass_obj
def handover_close(state: Context, number: str, out: Path | None) -> None:
    """Ship the scanned parcels; write the signed manifest and the carrier's upload file."""
    from orderdesk.paths import prints_dir
    from orderdesk.printing.documents import Shop
    from orderdesk.services import handover

    hid = _handover_id(number)
    with state.store().write() as session:
        before = handover.get(session, hid)
        for parcel in before.missing:
            _err("  " + t("cli.handover.not_scanned", code=parcel.code, tracking=parcel.tracking))
        closed = handover.close(session, hid)
    with state.store().read() as session:
        files = handover.write_files(
            session, hid, Shop.from_settings(state.settings), out or prints_dir()
        )
    _out(
        t(
            "cli.handover.closed",
            number=closed.number,
            shipped=len(closed.shipped),
            left=len(closed.left),
        )
    )
    _out(t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)))


@handover_group.command("files")
@click.argument("number")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
def handover_files(state: Context, number: str, out: Path | None) -> None:
    """Write the manifest (a draft to tick by hand while open) and the upload file."""
    from orderdesk.paths import prints_dir
    from orderdesk.printing.documents import Shop
    from orderdesk.services import handover

    with state.store().read() as session:
        files = handover.write_files(
            session, _handover_id(number), Shop.from_settings(state.settings), out or prints_dir()
        )
    _out(t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)))


@handover_group.command("list")
@click.pass_obj
def handover_list(state: Context) -> None:
    """Recent handovers, newest first."""
    from orderdesk.services import handover
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        rows = handover.list_handovers(session)
    _table(
        [t("col.number"), t("col.carrier"), t("col.state"), t("col.when"), t("col.parcels")],
        [
            [
                r.number,
                r.carrier,
                t("handover_state." + r.state),
                format_local(r.closed_at or r.opened_at),
                f"{r.scanned}/{r.parcels}",
            ]
            for r in rows
        ],
    )


COMMANDS = (tracking_group, problems_group, cod_group, handover_group)
