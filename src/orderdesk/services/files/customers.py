"""The seller's own customer book, brought in from a file (CSV/XLSX, all rows or none),
and the book out to one.

A book kept for years holds addresses from before July 2025. Each is converted to today's
ward where the reform maps it to one. Where the old ward was split, nothing is guessed and
the row is not refused either: the customer is kept with the address as written and no
ward, and the seller chooses the ward on the customer's next order (`doctor` counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import address, validation
from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.formats.common import row_errors
from orderdesk.formats.customers import read_customers, write_customers
from orderdesk.i18n import t
from orderdesk.models.inputs import CustomerEntry
from orderdesk.models.tables import Customer, table_of
from orderdesk.services import customers
from orderdesk.services.customers import search_key
from orderdesk.services.files.result import ImportResult
from orderdesk.text import clean
from orderdesk.timeutil import utcnow

_c = table_of(Customer)


@dataclass(frozen=True)
class CheckedEntry:
    phone: str
    name: str
    email: str
    street: str
    ward_code: int | None
    province_code: int | None
    old_address: str  # kept as written: its ward must be chosen
    converted: str  # `… → Phường Bàn Cờ, Thành phố Hồ Chí Minh` when converted
    choose: str  # why the ward waits for the seller
    notes: str
    tags: str
    has_address: bool


def check(entry: CustomerEntry) -> CheckedEntry:
    """Every field of one entry checked at once; InvalidInput lists what is wrong."""
    fields = validation.Collector()
    phone = fields.check(validation.phone, entry.phone, mobile_only=False)
    name = fields.check(validation.required_text, entry.name, "name", max_len=200)
    email = fields.check(validation.email, entry.email)
    notes = fields.check(validation.optional_text, entry.notes, "notes", max_len=2000)
    tags = fields.check(validation.optional_text, entry.tags, "tags", max_len=500)
    has_address = any(clean(v) for v in (entry.street, entry.ward, entry.province))
    street, old, converted, choose = clean(entry.street), "", "", ""
    ward_code: int | None = None
    province_code: int | None = None
    if has_address:
        try:
            place = address.resolve(entry.province, entry.ward, entry.district, entry.street)
            street, ward_code, province_code = place.street, place.ward.code, place.province.code
            converted = place.converted
        except InvalidInput as error:
            if error.errors[0].key not in address.CHOOSE:
                fields.errors.extend(error.errors)
            else:
                province = fields.check(address.province_of, entry.province)
                province_code = province.code if province else None
                parts = (entry.ward, entry.district, entry.province)
                old = ", ".join(clean(p) for p in parts if clean(p))
                choose = error.errors[0].message()
    fields.raise_if_any()
    return CheckedEntry(
        phone=phone or "",
        name=name or "",
        email=email or "",
        street=street,
        ward_code=ward_code,
        province_code=province_code,
        old_address=old[:400],
        converted=converted,
        choose=choose,
        notes=notes or "",
        tags=tags or "",
        has_address=has_address,
    )


def save(session: Session, entries: list[CheckedEntry], *, now: datetime | None = None) -> int:
    """Create or update a customer per entry (by phone); blank cells keep what the book
    had. Returns how many were new."""
    moment = now or utcnow()
    conn = session.connection()
    known = dict(conn.execute(sa.select(_c.c.phone, _c.c.id)).all())
    created = 0
    for entry in entries:
        values: dict[str, object] = {
            "name": entry.name,
            "search_key": search_key(entry.name, entry.phone),
            "updated_at": moment,
        }
        for column in ("email", "notes", "tags"):
            if getattr(entry, column):
                values[column] = getattr(entry, column)
        if entry.has_address:
            values.update(
                street=entry.street,
                ward_code=entry.ward_code,
                province_code=entry.province_code,
                old_address=entry.old_address,
            )
        found = known.get(entry.phone)
        if found is None:
            blank = dict.fromkeys(("email", "street", "notes", "tags", "old_address"), "")
            row = {**blank, "phone": entry.phone, "created_at": moment, **values}
            conn.execute(sa.insert(_c).values(**row))
            created += 1
        else:
            conn.execute(sa.update(_c).where(_c.c.id == found).values(**values))
    return created


def waiting(session: Session) -> int:
    """Customers whose address from before July 2025 still waits for its ward."""
    query = sa.select(sa.func.count()).select_from(_c).where(_c.c.old_address != "")
    return int(session.connection().execute(query).scalar_one())


def import_customers(session: Session, path: Path) -> ImportResult:
    """Create or update every customer of the file (by phone), or nothing at all."""
    entries, warnings, count = read_customers(path)
    result = ImportResult(warnings=warnings)
    errors: list[RowError] = []
    checked: list[CheckedEntry] = []
    rows: dict[str, int] = {}
    for row, given in entries:
        try:
            entry = check(given)
        except InvalidInput as error:
            errors.extend(row_errors(row, error.errors))
            continue
        if entry.phone in rows:
            errors.append(
                RowError(row, "phone", "import.phone_repeated", {"other": rows[entry.phone]})
            )
            continue
        rows[entry.phone] = row
        checked.append(entry)
        if entry.converted:
            result.converted.append(t("import.converted_row", row=row, text=entry.converted))
        if entry.choose:
            result.to_choose.append(t("import.choose_row", row=row, text=entry.choose))
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: (e.row, e.column)))
    result.created = save(session, checked)
    result.updated = len(checked) - result.created
    result.rows = count
    return result


def export_customers(session: Session, path: Path) -> int:
    return write_customers(path, customers.list_customers(session))
