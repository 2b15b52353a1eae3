"""Carrier files: status exports and COD statements in, bulk-upload sheets out.

Headers are matched after NFC, accent and case folding, so `ORDER_STATUS`, `order_status`
and a Vietnamese header typed without accents all match. A file's carrier is recognised
from its headers when the seller does not name it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from orderdesk.carriers import REGISTRY, Carrier, StatusRow
from orderdesk.carriers.base import CodFields, StatusFields
from orderdesk.errors import ImportRejected, OrderdeskError, RowError
from orderdesk.formats.csvout import neutralize, write_csv
from orderdesk.formats.sheets import Sheet, read_table
from orderdesk.models.money import parse_money
from orderdesk.text import clean, fold
from orderdesk.timeutil import local_tz

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class CarrierUnknown(OrderdeskError):
    pass


def parse_time(text: str, *, naive_utc: bool = False) -> datetime | None:
    """A carrier's time cell as UTC: ISO with or without zone, or `dd/MM/yyyy HH:mm:ss`.
    Times without a zone are local time, except for carriers that write UTC."""
    value = clean(text)
    if not value:
        return None
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        match = _DMY.match(value)
        if match:
            d, m, y, hh, mm, ss = match.groups()
            try:
                moment = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
            except ValueError:
                return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC if naive_utc else local_tz())
    return moment.astimezone(UTC)


def _column(headers: Sequence[str], spellings: Iterable[str]) -> str | None:
    folded = {fold(h): h for h in headers}
    return next((folded[s] for s in spellings if s in folded), None)


def _status_score(carrier: Carrier, headers: Sequence[str]) -> int:
    f = carrier.status_fields
    if _column(headers, f.status) is None or _column(headers, f.time) is None:
        return 0
    if _column(headers, f.tracking) is None and _column(headers, f.code) is None:
        return 0
    fields = (f.tracking, f.code, f.status, f.time, f.location, f.note, f.status_name)
    return sum(1 for spellings in fields if spellings and _column(headers, spellings))


def _cod_score(carrier: Carrier, headers: Sequence[str]) -> int:
    f = carrier.cod_fields
    if _column(headers, f.cod) is None and _column(headers, f.paid) is None:
        return 0
    if _column(headers, f.tracking) is None and _column(headers, f.code) is None:
        return 0
    fields = (f.tracking, f.code, f.cod, f.fees, f.paid, f.date, f.statement)
    return sum(1 for spellings in fields if spellings and _column(headers, spellings))


def _pick(
    path: Path,
    headers: Sequence[str],
    carrier_id: str,
    score: Callable[[Carrier, Sequence[str]], int],
    kind: str,
) -> Carrier:
    if carrier_id != "auto":
        carrier = REGISTRY[carrier_id]
        if not score(carrier, headers):
            raise CarrierUnknown(
                f"err.{kind}.headers",
                path=str(path),
                carrier=carrier.name,
                found=", ".join(headers),
            )
        return carrier
    scores = {c.id: score(c, headers) for c in REGISTRY.values()}
    best = max(scores.values())
    winners = [cid for cid, s in scores.items() if s == best and s > 0]
    if len(winners) != 1:
        raise CarrierUnknown(
            "err.carrier.not_recognised", path=str(path), found=", ".join(headers[:12])
        )
    return REGISTRY[winners[0]]


def _is_status_header(headers: list[str]) -> bool:
    return any(_status_score(c, headers) for c in REGISTRY.values())


def _is_cod_header(headers: list[str]) -> bool:
    return any(_cod_score(c, headers) for c in REGISTRY.values())


def _numbers_score(carrier: Carrier, headers: Sequence[str]) -> int:
    f = carrier.status_fields
    if _column(headers, f.tracking) is None or _column(headers, f.code) is None:
        return 0
    return 2 + sum(1 for s in (f.status, f.time) if _column(headers, s))


def _is_numbers_header(headers: list[str]) -> bool:
    return any(_numbers_score(c, headers) for c in REGISTRY.values())


def read_numbers(
    path: Path, carrier_id: str = "auto"
) -> tuple[Carrier, list[tuple[int, str, str]]]:
    """(row, our order code, tracking number) from a carrier's order export: any sheet
    with its tracking-number and order-code columns, with or without statuses."""
    sheet = read_table(path, _is_numbers_header)
    carrier = _pick(path, sheet.headers, carrier_id, _numbers_score, "status")
    f = carrier.status_fields
    tracking_col = _column(sheet.headers, f.tracking)
    code_col = _column(sheet.headers, f.code)
    assert tracking_col is not None and code_col is not None
    pairs = []
    for row, values in sheet.rows:
        code, number = values[code_col].strip(), values[tracking_col]
        if code or number:
            pairs.append((row, code, number))
    return carrier, pairs


def read_status(path: Path, carrier_id: str = "auto") -> tuple[Carrier, list[StatusRow]]:
    """Every row of a carrier's status file; a bad time or an empty row reference is an
    error for the whole file (nothing half-read is applied)."""
    sheet = read_table(path, _is_status_header)
    carrier = _pick(path, sheet.headers, carrier_id, _status_score, "status")
    rows, errors = _status_rows(sheet, carrier.status_fields, carrier)
    if errors:
        raise ImportRejected(str(path), errors)
    return carrier, rows


def _status_rows(
    sheet: Sheet, f: StatusFields, carrier: Carrier
) -> tuple[list[StatusRow], list[RowError]]:
    col = {
        name: _column(sheet.headers, spellings) if spellings else None
        for name, spellings in (
            ("tracking", f.tracking),
            ("code", f.code),
            ("status", f.status),
            ("time", f.time),
            ("location", f.location),
            ("note", f.note),
            ("status_name", f.status_name),
        )
    }
    rows: list[StatusRow] = []
    errors: list[RowError] = []
    tracking_col, code_col = col["tracking"], col["code"]
    status_col, time_col = col["status"], col["time"]
    assert status_col is not None and time_col is not None
    location_col, note_col, name_col = col["location"], col["note"], col["status_name"]
    number = carrier.tracking_number
    for row, values in sheet.rows:
        tracking = number(values[tracking_col]) if tracking_col else ""
        code = values[code_col].strip() if code_col else ""
        status = values[status_col]
        if not tracking and not code:
            errors.append(RowError(row, tracking_col or code_col or "", "import.ref_missing"))
            continue
        if not status:
            errors.append(RowError(row, status_col, "err.required"))
            continue
        at = parse_time(values[time_col], naive_utc=carrier.naive_utc)
        if at is None:
            errors.append(
                RowError(row, time_col, "import.time_invalid", {"value": values[time_col]})
            )
            continue
        note = values[note_col] if note_col else ""
        if name_col and values[name_col] and not note:
            note = values[name_col]
        rows.append(
            StatusRow(
                row=row,
                tracking=tracking,
                code=code,
                status=status,
                at=at,
                location=values[location_col][:200] if location_col else "",
                note=note[:500],
            )
        )
    return rows, errors


@dataclass(frozen=True)
class CodRow:
    row: int
    tracking: str
    code: str
    cod: int
    fees: int
    paid: int
    statement: str
    paid_on: date | None


def read_cod(path: Path, carrier_id: str = "auto") -> tuple[Carrier, list[CodRow]]:
    """Every line of a COD statement. The header row is found by its names anywhere in the
    top rows (statements put a title block above it); total lines without a reference
    are skipped."""
    sheet = read_table(path, _is_cod_header)
    carrier = _pick(path, sheet.headers, carrier_id, _cod_score, "cod")
    f: CodFields = carrier.cod_fields
    h = sheet.headers
    tracking_col, code_col = _column(h, f.tracking), _column(h, f.code)
    cod_col, paid_col = _column(h, f.cod), _column(h, f.paid)
    fee_cols = [c for c in (_column(h, (s,)) for s in f.fees) if c]
    date_col = _column(h, f.date) if f.date else None
    statement_col = _column(h, f.statement) if f.statement else None
    rows: list[CodRow] = []
    errors: list[RowError] = []

    def amount(row: int, column: str | None, values: dict[str, str]) -> int:
        if column is None or not values[column].strip():
            return 0
        value = parse_money(values[column])
        if value is None:
            errors.append(RowError(row, column, "err.money.invalid", {"value": values[column]}))
            return 0
        return value

    for row, values in sheet.rows:
        tracking = carrier.tracking_number(values[tracking_col]) if tracking_col else ""
        code = values[code_col].strip() if code_col else ""
        if not tracking and not code:
            continue  # a total or a blank line under the table
        cod = amount(row, cod_col, values)
        fees = sum(amount(row, c, values) for c in fee_cols)
        paid = amount(row, paid_col, values) if paid_col else max(cod - fees, 0)
        paid_on = None
        if date_col and values[date_col]:
            moment = parse_time(values[date_col])
            paid_on = moment.astimezone(local_tz()).date() if moment else None
        rows.append(
            CodRow(
                row=row,
                tracking=tracking,
                code=code,
                cod=cod,
                fees=fees,
                paid=paid,
                statement=values[statement_col][:200] if statement_col else "",
                paid_on=paid_on,
            )
        )
    if errors:
        raise ImportRejected(str(path), errors)
    return carrier, rows


# ---------------------------------------------------------------------------- bulk upload


@dataclass(frozen=True)
class UploadRow:
    """One parcel as a carrier's bulk-upload sheet takes it."""

    code: str
    name: str
    phone: str  # 0912345678: portals want the national form, no spaces
    street: str
    ward: str
    province: str
    items: str
    qty: int
    weight_g: int
    cod: int
    value: int
    inspection: str
    service: str
    note: str

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, self.ward, self.province) if p)

    @property
    def weight_kg(self) -> str:
        return f"{self.weight_g / 1000:.3f}".rstrip("0").rstrip(".") or "0"


def write_upload(path: Path, carrier: Carrier, rows: Sequence[UploadRow]) -> Path:
    """Write the carrier's bulk-upload file; the suffix follows what its portal takes."""
    path = path.with_suffix("." + carrier.upload_format)
    heads = [c.head for c in carrier.upload_columns]
    table = [[getattr(r, c.value) for c in carrier.upload_columns] for r in rows]
    if carrier.upload_format == "csv":
        write_csv(path, heads, table)
        return path
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(heads)
    for values in table:
        # Text that a spreadsheet would run as a formula is kept as text.
        sheet.append([neutralize(v) if isinstance(v, str) else v for v in values])
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    os.replace(tmp, path)
    return path
