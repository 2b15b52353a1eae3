"""`orderdesk print …`: labels, invoices, pick lists and slips in batches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import fail, print_json, say, table, warn
from orderdesk.i18n import t

if TYPE_CHECKING:
    from orderdesk.config import Settings


@click.group("print")
def print_group() -> None:
    """Labels, invoices, pick lists and packing slips for many orders at once."""


def _print_command(kind: str, help_text: str) -> None:
    @print_group.command(kind, help=help_text)
    @click.option(
        "--status",
        "statuses",
        multiple=True,
        help="Only orders in this status (repeatable). Default: confirmed and packed.",
    )
    @click.option("--orders", "codes", default="", help="Only these orders: CODE,CODE,…")
    @click.option("--carrier", default="", help="Only orders for this carrier (ghn, ghtk, …).")
    @click.option("--not-printed", is_flag=True, help="Only orders not printed yet.")
    @click.option("--size", default="", help="Paper: 100x150, a6, 75x100, a4x4 | a5, a4, 80mm.")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["pdf", "zpl"]),
        default=None,
        help="Labels: pdf or zpl (default: the print.label_format setting).",
    )
    @click.option("--out", help="File to write, or a folder (an existing one, or ending in /).")
    @click.option("--printer", default=None, help="Send to this CUPS printer (lp).")
    @click.option("--reprint", is_flag=True, help="Print orders already printed again.")
    @click.option(
        "--no-font",
        is_flag=True,
        help="ZPL: skip the font download (the printer already has it).",
    )
    @click.pass_obj
    def command(
        state: Context,
        statuses: tuple[str, ...],
        codes: str,
        carrier: str,
        not_printed: bool,
        size: str,
        fmt: str | None,
        out: str | None,
        printer: str | None,
        reprint: bool,
        no_font: bool,
    ) -> None:
        from orderdesk.models.enums import OrderStatus
        from orderdesk.services import print_batches as batch

        wanted: list[OrderStatus] = []
        for value in statuses:
            try:
                wanted.append(OrderStatus(value))
            except ValueError:
                fail(t("err.print.status", status=value))
        selection = batch.Selection(
            statuses=tuple(wanted) or batch.PRINTABLE,
            codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
            carrier=carrier.strip(),
            not_printed=not_printed,
        )
        request = batch.Request(
            kind=kind,
            selection=selection,
            size=size,
            format=fmt or _default_format(kind, state.settings),
            out=_print_target(out),
            printer=printer,
            reprint=reprint,
            zpl_font=not no_font,
        )
        result = batch.run(
            state.store(),
            request,
            state.settings,
            on_wait=lambda: warn(t("cli.print.waiting")),
        )
        for code in result.skipped:
            warn(t("cli.print.skipped", code=code))
        say(
            t(
                "cli.print.done",
                count=result.count,
                kind=t(f"doc.kind.{kind}"),
                path=str(result.file),
            )
        )
        if result.printer:
            say(t("cli.print.sent", printer=result.printer, job=result.printer_job or "-"))


def _default_format(kind: str, settings: Settings) -> str:
    return settings.get("print.label_format") if kind == "labels" else "pdf"


def _print_target(out: str | None) -> Path | None:
    if not out:
        return None
    path = Path(out).expanduser()
    if out.endswith(("/", "\\")):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(t("err.file.write", path=str(path), reason=error.strerror or str(error)))
    return path


@print_group.command("jobs")
@click.option("--order", "code", default="", help="Only jobs that printed this order.")
@click.option("--limit", type=click.IntRange(1), default=20)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def print_jobs(state: Context, code: str, limit: int, as_json: bool) -> None:
    """What was printed, when, and to which file or printer (newest first)."""
    from dataclasses import asdict

    from orderdesk.services import print_batches as batch
    from orderdesk.timeutil import format_local

    with state.store().read() as session:
        jobs = batch.recent_jobs(session, limit=limit, code=code.strip())
    if as_json:
        print_json([{**asdict(job), "at": job.at.isoformat()} for job in jobs])
        return
    table(
        [t("col.job"), t("col.when"), t("col.document"), t("col.count"), t("col.where")],
        [
            [
                str(job.id),
                format_local(job.at),
                f"{t('doc.kind.' + job.kind)} {job.size} {job.format}",
                str(job.count),
                job.file + (f"  → {job.printer} {job.printer_job}" if job.printer else ""),
            ]
            for job in jobs
        ],
        right={0, 3},
    )


_print_command("labels", "Shipping labels (PDF, or ZPL for thermal printers).")
_print_command("invoices", "Sales invoices (A5, A4 or an 80 mm roll).")
_print_command("picklist", "One pick list for the batch: each SKU once with its orders.")
_print_command("slips", "Packing slips, one per order, without prices.")
