"""Unexpected errors go to a log file in the data folder, never to the seller's screen."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from orderdesk.paths import log_path, private_dir


def record(error: BaseException) -> Path | None:
    """Append `error`'s traceback to orderdesk.log (owner-only); its path, or None."""
    path = log_path()
    try:
        private_dir(path.parent)
        handler = logging.FileHandler(path, encoding="utf-8")
        path.chmod(0o600)  # tracebacks may quote customer data
    except OSError:
        return None
    logger = logging.getLogger("orderdesk.crash")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        logger.error("unexpected error\n%s", text)
    finally:
        handler.close()
        logger.removeHandler(handler)
    return path
