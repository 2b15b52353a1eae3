"""What the command line writes: plain lines, JSON, tables, and the one-line refusal of a
bad file. Data reaches the terminal only through here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from orderdesk.errors import ImportRejected


def say(text: str = "") -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def fail(message: str) -> NoReturn:
    warn(f"orderdesk: {message}")
    raise click.exceptions.Exit(1)


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> None:
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    say(line(headers))
    for row in rows:
        say(line(row))


class DryRun(Exception):
    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


@contextmanager
def reporting_import(
    path: str, hint: Callable[[ImportRejected], str] | None = None
) -> Iterator[None]:
    try:
        yield
    except ImportRejected as error:
        warn(f"orderdesk: {error}")
        for row_error in error.errors:
            warn("  " + row_error.message())
        if hint is not None and (advice := hint(error)):
            warn(advice)
        raise click.exceptions.Exit(1) from None
