"""`orderdesk backup|doctor|config …`: looking after the shop's database and settings."""

from __future__ import annotations

from pathlib import Path

import click

from orderdesk.cli.context import Context
from orderdesk.cli.output import fail, print_json, say, warn
from orderdesk.i18n import t


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def backup(state: Context, file: Path) -> None:
    """A consistent copy of the database, safe while the desk is open."""
    from orderdesk.db import backup_to

    dest = backup_to(state.store(), file)
    say(t("cli.backup.done", path=str(dest)))


@click.command()
@click.option("--rebuild-search", is_flag=True, help="Rebuild the order search index first.")
@click.pass_obj
def doctor(state: Context, rebuild_search: bool) -> None:
    """Check that stock, ledger and orders agree; exit 1 listing what is wrong."""
    from orderdesk.services import doctor as doctor_service

    if rebuild_search:
        with state.store().write() as session:
            doctor_service.rebuild_search(session)
    with state.store().read() as session:
        problems = doctor_service.run(session)
        notes = doctor_service.notes(session)
    for note in notes:
        say(note)
    if not problems:
        say(t("doctor.ok"))
        return
    for problem in problems:
        warn("  " + problem.message())
    fail(t("doctor.failed", count=len(problems)))


@click.group("config")
def config_group() -> None:
    """Shop settings (name, address, printers, language, keys)."""


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def config_show(state: Context, as_json: bool) -> None:
    """Print every setting and the file it lives in."""
    from orderdesk import config

    rows = config.show(state.settings)
    if as_json:
        print_json(dict(rows))
        return
    say(f"# {state.settings.path}")
    for key, value in rows:
        say(f"{key} = {value}")


@config_group.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_obj
def config_set(state: Context, key: str, value: str) -> None:
    """Change one setting, e.g. `config set shop.name "Tiệm Áo Lan"`."""
    from orderdesk import config

    stored = config.set_value(key, value)
    say(f"{key} = {stored}")
