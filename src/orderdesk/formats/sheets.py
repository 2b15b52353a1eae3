"""Reading a table from CSV (UTF-8, BOM or not, comma or semicolon) or XLSX.

Row numbers are the spreadsheet's own (the header is row 1), so an error message points
at the row the seller sees when they open the file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from orderdesk.errors import OrderdeskError
from orderdesk.formats.csvout import unneutralize
from orderdesk.text import clean

_MAX_ROWS = 200_000


class FileUnreadable(OrderdeskError):
    pass


@dataclass
class Sheet:
    headers: list[str]  # lower-cased: the keys of each row
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # header → as the file writes it


def _cell(value: object) -> str:
    if value is None:
        return ""
    if (
        type(value) is str
        and value.isprintable()
        and "  " not in value
        and value[:1] not in (" ", "'")
        and value[-1:] != " "
    ):
        # Nothing to trim, collapse or un-neutralize (the common cell): only NFC, which
        # plain ASCII does not need.
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    return clean(unneutralize(str(value)))


def _header(value: str) -> str:
    return clean(value).lower()


# A statement's title block may sit above its header row; look this far down for it.
HEADER_SEARCH_ROWS = 15


def _build(
    path: Path,
    raw_rows: list[list[object]],
    is_header: Callable[[list[str]], bool] | None = None,
    keep: Callable[[list[str]], Collection[str]] | None = None,
) -> Sheet:
    # The header is the first row with anything in it, or, when the caller knows its
    # column names, the first of the top rows that `is_header` accepts.
    filled: list[int] = []
    wanted = HEADER_SEARCH_ROWS if is_header is not None else 1
    for i, row in enumerate(raw_rows):
        if any(_cell(v) for v in row):
            filled.append(i)
            if len(filled) >= wanted:
                break  # the rest is read once, below
    if not filled:
        raise FileUnreadable("err.file.empty", path=str(path))
    start = filled[0]
    if is_header is not None:
        start = next(
            (
                i
                for i in filled[:HEADER_SEARCH_ROWS]
                if is_header([_header(_cell(v)) for v in raw_rows[i]])
            ),
            start,
        )
    written = [_cell(v) for v in raw_rows[start]]  # as the file writes them, trimmed
    headers = [_header(w) for w in written]
    named = [h for h in headers if h]
    duplicated = sorted({h for h in named if named.count(h) > 1})
    if duplicated:
        raise FileUnreadable(
            "err.file.duplicate_header", path=str(path), columns=", ".join(duplicated)
        )
    if keep is not None:
        # Only the columns the caller reads: a marketplace export has 48, we use 24.
        wanted = set(keep([h for h in headers if h]))
        headers = [h if h in wanted else "" for h in headers]
    sheet = Sheet([h for h in headers if h], titles=dict(zip(headers, written, strict=False)))
    every_named = len(sheet.headers) == len(headers)
    width = len(headers)
    named = [(i, h) for i, h in enumerate(headers) if h]
    for offset, raw in enumerate(raw_rows[start + 1 :], start=start + 2):
        if every_named:
            values = dict(zip(headers, map(_cell, raw), strict=False))
            if len(raw) < width:
                for h in sheet.headers:
                    values.setdefault(h, "")
        else:
            # Only the named (or kept) columns are read: a cell costs a microsecond.
            size = len(raw)
            values = {h: _cell(raw[i]) if i < size else "" for i, h in named}
        if any(values.values()):
            sheet.rows.append((offset, values))
    if len(sheet.rows) > _MAX_ROWS:
        raise FileUnreadable("err.file.too_many_rows", path=str(path), max=_MAX_ROWS)
    return sheet


def read_csv(
    path: Path,
    data: bytes,
    is_header: Callable[[list[str]], bool] | None = None,
    keep: Callable[[list[str]], Collection[str]] | None = None,
) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileUnreadable("err.file.encoding", path=str(path)) from None
    if "\x00" in text:
        raise FileUnreadable("err.file.binary", path=str(path))
    first = text.split("\n", 1)[0]
    if is_header is not None:
        # A title line above the header may have no delimiter: use the longest top line.
        first = max(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS], key=len)
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        rows: list[list[object]] = list(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        )
    except csv.Error as error:
        raise FileUnreadable("err.file.csv", path=str(path), reason=str(error)) from None
    return _build(path, rows, is_header, keep)


def read_xlsx(
    path: Path,
    data: bytes,
    is_header: Callable[[list[str]], bool] | None = None,
    keep: Callable[[list[str]], Collection[str]] | None = None,
) -> Sheet:
    # calamine (Rust) rather than openpyxl: a 20,000-row Shopee export of 48 columns takes
    # 1.4 s instead of 18 s (benchmarks/bench_import.py). openpyxl still writes our XLSX.
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        # From bytes, so a workbook saved under another extension still opens.
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # Empty leading rows and columns kept, so row numbers are the spreadsheet's own.
        rows: list[list[object]] = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileUnreadable(
            "err.file.xlsx", path=str(path), reason=str(error) or type(error).__name__
        ) from None
    return _build(path, rows, is_header, keep)


def read_table(
    path: Path,
    is_header: Callable[[list[str]], bool] | None = None,
    keep: Callable[[list[str]], Collection[str]] | None = None,
) -> Sheet:
    """The first sheet of an XLSX file, or a CSV file, as header names and rows.

    `is_header` picks the header among the top rows; `keep`, given the header names,
    says which columns to read (default: all)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileUnreadable("err.file.missing", path=str(path)) from None
    except IsADirectoryError:
        raise FileUnreadable("err.file.missing", path=str(path)) from None
    except OSError as error:
        raise FileUnreadable("err.file.read", path=str(path), reason=error.strerror or "") from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, data, is_header, keep)
    return read_csv(path, data, is_header, keep)
