"""`orderdesk tracking|problems|cod …`: tracking numbers, carriers' status files, the problems
queue and COD statements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from orderdesk.carriers import REGISTRY, status_label
from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, reporting_import, say, table, warn
from orderdesk.i18n import t

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
    say(t("cli.tracking.set", code=code, number=stored))


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

    with reporting_import(str(file)), state.store().write() as session:
        report = tracking.import_file(
            session,
            file,
            carrier=carrier,
            skip_unknown=skip_unknown,
            extra_statuses=state.settings.taught_statuses(),
        )
    if as_json:
        print_json(
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
    say(report.summary())
    for status, count in sorted(report.moved.items()):
        say("  " + t("cli.tracking.moved", count=count, status=t("status." + str(status))))
    for error in report.skipped:
        warn("  " + t("cli.tracking.skipped") + " " + error.message())
    for row, code, status, outcome in report.not_moved:
        warn(
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

    with reporting_import(str(file)), state.store().write() as session:
        report = tracking.import_numbers(session, file, carrier=carrier)
    say(
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
        print_json([e.to_json() for e in events])
        return
    if url:
        say(url)
    table(
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
    say(t("cli.tracking.added", code=code, status=t("status." + status.value)))


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
        print_json([p.to_json() for p in found])
        return
    if not found:
        say(t("cli.problems.none"))
        return
    table(
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
    say(
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

    with reporting_import(str(file)), state.store().write() as session:
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
        print_json(data)
        return
    say(report.summary())
    table(
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
    say(
        t(
            "cli.cod.totals",
            expected=format_money(report.expected),
            fees=format_money(report.fees),
            paid=format_money(report.paid),
            difference=format_money(report.difference),
        )
    )
    for line in report.unmatched:
        warn(
            "  " + t("cli.cod.unmatched", row=line.row, ref=line.ref, paid=format_money(line.paid))
        )
    if report.missing:
        say(t("cli.cod.missing", count=len(report.missing)))
        for m in report.missing:
            say(
                f"  {m.code}  {m.tracking}  {format_money(m.cod)}  "
                + t("cli.problems.days", n=m.days)
            )
