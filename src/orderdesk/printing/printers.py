"""Sending a finished file to a printer with CUPS `lp`: an argument list, never a shell."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from orderdesk.errors import OrderdeskError

_JOB = re.compile(r"request id is (\S+)")


class PrinterError(OrderdeskError):
    """The printer did not take the job; the file is kept and its path is in the message."""


def lp_command(
    printer: str,
    path: Path,
    *,
    media: str,
    title: str,
    raw: bool = False,
    exact: bool = False,
) -> list[str]:
    """`exact`: the pages already are the media (labels, receipts), so never rescale."""
    command = ["lp", "-d", printer, "-t", title]
    if raw:
        # ZPL goes to the printer untouched; a thermal queue must not re-render it.
        command += ["-o", "raw"]
    else:
        if media:
            command += ["-o", f"media={media}"]
        command += ["-o", "print-scaling=none" if exact else "fit-to-page"]
    return [*command, "--", str(path)]


def _lp_env() -> dict[str, str]:
    # lp's messages are translated; we read them, so they must be in English.
    return {**os.environ, "LC_ALL": "C"}


def _scheduler_running(env: dict[str, str]) -> bool:
    try:
        done = subprocess.run(
            ["lpstat", "-r"], capture_output=True, text=True, timeout=10, check=False, env=env
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return "not running" not in done.stdout


def send(
    printer: str,
    path: Path,
    *,
    media: str,
    title: str,
    raw: bool = False,
    exact: bool = False,
) -> str:
    """Queue `path` on `printer`; returns the CUPS job id (`shop-label-42`)."""
    if shutil.which("lp") is None:
        raise PrinterError("err.print.no_lp", path=str(path))
    command = lp_command(printer, path, media=media, title=title, raw=raw, exact=exact)
    env = _lp_env()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=60, check=False, env=env
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrinterError(
            "err.print.rejected", printer=printer, reason=str(error), path=str(path)
        ) from error
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        text = reason[-1] if reason else str(done.returncode)
        key = "err.print.rejected"
        if "not exist" in text.lower():
            running = _scheduler_running(env)
            key = "err.print.unknown_printer" if running else "err.print.no_cups"
        raise PrinterError(key, printer=printer, reason=text, path=str(path))
    found = _JOB.search(done.stdout)
    return found.group(1) if found else ""


def open_with_viewer(path: str | Path) -> None:
    """Open a finished file in the system's PDF viewer, without waiting for it."""
    import os
    import sys

    target = str(path)
    if sys.platform == "win32":
        os.startfile(target)  # type: ignore[attr-defined]  # noqa: S606
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise PrinterError("err.print.no_viewer", path=target)
    subprocess.Popen(
        [opener, target],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
