"""`orderdesk report …`: the figures, as tables, JSON or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import print_json, say, table
from orderdesk.i18n import t


@click.command("report")
@click.argument(
    "kind",
    type=click.Choice(
        ["all", "daily", "channels", "products", "returns", "ratings", "carriers", "repeat", "cod"]
    ),
)
@click.option(
    "--range",
    "named",
    type=click.Choice(["today", "7d", "30d", "month"]),
    default="30d",
    show_default=True,
)
@click.option("--from", "start", default=None, metavar="YYYY-MM-DD", help="With --to: custom.")
@click.option("--to", "end", default=None, metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report's rows to this CSV file.",
)
@click.pass_obj
def report_command(
    state: Context,
    kind: str,
    named: str,
    start: str | None,
    end: str | None,
    as_json: bool,
    csv_path: Path | None,
) -> None:
    """What sells, to whom, through which channel; carriers, returns, repeat buyers, COD."""
    from orderdesk.services import report_view, reports

    if (start is None) != (end is None):
        raise click.UsageError(t("cli.report.both_dates"))
    rng = reports.custom_range(start, end) if start and end else reports.named_range(named)
    default = state.settings.default_carrier
    with state.store().read() as session:
        found = reports.all_reports(session, rng, default_carrier=default)
    chosen = found if kind == "all" else {"range": rng, kind: found[kind]}
    if as_json:
        print_json({k: report_view.plain(v) for k, v in chosen.items()})
    else:
        for name, value in chosen.items():
            if name != "range":
                _print_report(report_view.table(name, value))
    if csv_path is not None:
        chosen_kind = kind if kind != "all" else "daily"
        report_view.export(csv_path, chosen_kind, found[chosen_kind])
        say(t("cli.report.csv", path=str(csv_path)))


def _print_report(shown: Any) -> None:
    say(shown.title)
    for line in shown.before:
        say(line)
    if shown.heads:
        table(shown.heads, shown.rows, right=shown.right)
    for line in shown.after:
        say(f"  {line}")
    say()
