"""CSV that opens safely in Excel and LibreOffice, written atomically.

A cell starting with `= + - @`, tab, CR or LF would run as a formula ("CSV injection",
OWASP): we prefix it with `'`, which spreadsheets show as text. Our importer removes that
one quote again, so export → import gives back the same data.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from orderdesk.errors import OrderdeskError

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_TRIGGERS):
        return "'" + text
    return text


def unneutralize(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
        return text[1:]
    return text


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a UTF-8 (with BOM, for Excel) CSV; returns the number of data rows."""
    try:
        return _write(path.expanduser(), headers, rows)
    except OSError as error:
        # A full disk, a read-only folder, a file open in Excel on Windows: said, not raised.
        raise OrderdeskError(
            "err.file.write", path=str(path), reason=error.strerror or str(error)
        ) from None


def _write(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([neutralize(value) for value in row])
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return count
