"""The `orderdesk` command: opens the desk, or runs one action over the same services.

Exit codes: 0 done; 1 a domain or validation error, said in one line on stderr; 2 a usage
error. The desk (Textual) is imported only when it is opened, so every other command
starts fast. Each noun group lives in its own module and is added here."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from orderdesk import __version__
from orderdesk.cli import (
    admin,
    aftersales,
    customers,
    files,
    handover,
    orders,
    printing,
    products,
    reports,
    stock,
    tracking,
)
from orderdesk.cli.context import Context
from orderdesk.cli.output import warn
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import LANGUAGES, set_language, t

if TYPE_CHECKING:
    from orderdesk.db import Store


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    help="Database file or URL (default: ORDERDESK_DB, else orderdesk.db in the user data folder).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages (vi or en).")
@click.version_option(__version__, prog_name="orderdesk")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """orderdesk: the order desk of a small online shop. Without a command, opens the desk."""
    state = Context(db=db, lang=lang)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if lang:
        set_language(lang)
    else:
        set_language(state.settings.language)
    from orderdesk.timeutil import set_local_timezone

    set_local_timezone(state.settings.get("timezone"))
    if ctx.invoked_subcommand is None:
        _open_desk(state, state.store(), demo=False)


def _open_desk(state: Context, store: Store, *, demo: bool) -> None:
    from orderdesk.tui.app import run_desk

    code = run_desk(store, state.settings, demo=demo)
    if code:
        raise click.exceptions.Exit(code)


@cli.command()
@click.option("--reset", is_flag=True, help="Throw the demo shop away and make a new one.")
@click.option("--no-open", is_flag=True, help="Create the demo shop but do not open the desk.")
@click.option(
    "--orders",
    "order_count",
    type=click.IntRange(0, 200_000),
    default=3000,
    show_default=True,
    help="How many orders the demo shop gets.",
)
@click.pass_obj
def demo(state: Context, reset: bool, no_open: bool, order_count: int) -> None:
    """Open the desk on a demo shop (created on first use, with Vietnamese data)."""
    from orderdesk.db import open_store
    from orderdesk.paths import demo_db_path
    from orderdesk.services import demo as demo_service

    target = state.db or str(demo_db_path())
    if reset and state.db is None:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    store = open_store(target)
    state._store = store
    if demo_service.is_empty(store):
        warn(t("demo.creating", orders=order_count))

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                click.echo(f"\r  {done}/{total}", err=True, nl=False)

        summary = demo_service.populate(store, order_count=order_count, progress=progress)
        if sys.stderr.isatty():
            click.echo("\r", err=True, nl=False)
        warn(t("demo.created", products=summary.products, orders=summary.orders, path=target))
    if not no_open:
        _open_desk(state, store, demo=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the seller."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="orderdesk",
            standalone_mode=False,
        )
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except click.exceptions.Abort:
        warn(t("cli.aborted"))
        code = 1
    except OrderdeskError as error:
        warn(f"orderdesk: {error}")
        code = 1
    except KeyboardInterrupt:
        warn(t("cli.aborted"))
        code = 130
    except Exception as error:  # noqa: BLE001 - the last line of defence, logged in full
        from orderdesk import crashlog

        where = crashlog.record(error)
        warn(t("cli.crashed", path=str(where) if where else "-"))
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


def console() -> None:
    """The `orderdesk` program: `main`, then a quick exit.

    Everything that matters is on disk by then (transactions committed, files fsynced), and
    tearing down a big interpreter (SQLAlchemy, pydantic, a thousand-page PDF) took a
    third of a second: as long as drawing 400 labels. So streams are flushed, logs closed,
    and the process ends without the teardown.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    import logging

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    logging.shutdown()
    os._exit(code)


for _group in (
    orders.order,
    products.product,
    stock.stock,
    customers.customer,
    files.import_,
    files.export,
    printing.print_group,
    tracking.tracking_group,
    tracking.problems_group,
    tracking.cod_group,
    handover.handover_group,
    aftersales.review_group,
    aftersales.return_group,
    aftersales.exchange_command,
    reports.report_command,
    admin.backup,
    admin.doctor,
    admin.config_group,
):
    cli.add_command(_group)
