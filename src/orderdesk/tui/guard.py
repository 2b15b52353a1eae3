"""Every desk action that calls the core runs through `guarded`.

A domain error becomes a notification in the seller's language. Anything else is a bug: it
is written to the log file and the seller sees one short line with its path, and the desk
keeps running. (An exception that escaped a handler would stop that widget's message loop,
so it must be caught here, where the action runs.)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from orderdesk import crashlog
from orderdesk.errors import ImportRejected, OrderdeskError
from orderdesk.i18n import t

F = TypeVar("F", bound=Callable[..., Any])


def report(node: DOMNode, error: Exception) -> None:
    if isinstance(error, OrderdeskError):
        node.notify(str(error), severity="error", timeout=8, markup=False)
        return
    where = crashlog.record(error)
    node.notify(
        t("desk.unexpected", path=str(where) if where else "-"),
        severity="error",
        timeout=15,
        markup=False,
    )


def report_rejected(node: DOMNode, error: ImportRejected, *, show: int = 5) -> None:
    """A rejected file: why, and its first bad rows (the CLI lists them all)."""
    lines = [str(error)] + [e.message() for e in error.errors[:show]]
    if len(error.errors) > show:
        lines.append("…")
    node.notify("\n".join(lines), severity="error", timeout=20, markup=False)


def guarded(method: F) -> F:
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - reported, never lost
                report(self, error)
                return None

        return run_async  # type: ignore[return-value]

    @functools.wraps(method)
    def run(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - reported, never lost
            report(self, error)
            return None

    return run  # type: ignore[return-value]
