"""`orderdesk handover …`: handing parcels to a carrier by scanning them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orderdesk.carriers import REGISTRY
from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table, warn
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t

_CARRIER_IDS = list(REGISTRY)


def _handover_id(text: str) -> int:
    digits = text.upper().removeprefix("BG-").lstrip("0") or "0"
    if not digits.isdigit():
        raise click.BadParameter(t("cli.handover.bad_id", value=text))
    return int(digits)


@click.group("handover")
def handover_group() -> None:
    """Hand parcels to a carrier: open, scan each label, close (ships the scanned)."""


def _show(handover: object) -> None:
    from orderdesk.models.money import format_money
    from orderdesk.services.handover import HandoverRead

    assert isinstance(handover, HandoverRead)
    say(
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
    table(
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
        print_json(found.to_json())
        return
    _show(found)


@handover_group.command("scan")
@click.argument("number")
@click.argument("values", nargs=-1)
@click.pass_obj
def handover_scan(state: Context, number: str, values: tuple[str, ...]) -> None:
    """Tick parcels by order code or tracking number; with no VALUES, read one scan per
    line from the scanner (an empty line ends)."""
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
            warn(f"orderdesk: {error}")
            continue
        key = "cli.handover.again" if result.again else "cli.handover.ticked"
        say(t(key, code=result.code, scanned=result.scanned, total=result.total))
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
            warn("  " + t("cli.handover.not_scanned", code=parcel.code, tracking=parcel.tracking))
        closed = handover.close(session, hid)
    with state.store().read() as session:
        files = handover.write_files(
            session, hid, Shop.from_settings(state.settings), out or prints_dir()
        )
    say(
        t(
            "cli.handover.closed",
            number=closed.number,
            shipped=len(closed.shipped),
            left=len(closed.left),
        )
    )
    say(t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)))


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
    say(t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)))


@handover_group.command("list")
@click.pass_obj
def handover_list(state: Context) -> None:
    """Recent handovers, newest first."""
    from orderdesk.services import handover
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        rows = handover.list_handovers(session)
    table(
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
