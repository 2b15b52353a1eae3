"""Orders files: in (CSV/XLSX, one row per order line) and out (CSV, the same columns).

Rows sharing an `order_code` form one order; its order-level values are taken from its
first row and may repeat (or be left blank) on the others. A row without a code is an
order of its own. Orders that cannot be reserved wait in `awaiting_stock`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orderdesk import validation
from orderdesk.errors import FieldError, RowError
from orderdesk.formats.common import check_columns
from orderdesk.formats.csvout import write_csv
from orderdesk.formats.sheets import read_table
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.models.reads import OrderRead
from orderdesk.text import clean
from orderdesk.timeutil import format_local

# The ward may be left out: it is then read from the street line (`12 Lê Lợi, P. Bến Thành`).
REQUIRED = ("name", "phone", "street", "province", "sku", "qty")
ORDER_LEVEL = (
    "order_code",
    "channel",
    "name",
    "phone",
    "email",
    "street",
    "ward",
    "province",
    "district",
    "shipping_fee",
    "discount",
    "paid",
    "cod",
    "payment",
    "deliver_by",
    "inspection",
    "note",
)
LINE_LEVEL = ("sku", "qty", "unit_price")
OPTIONAL = tuple(c for c in ORDER_LEVEL + LINE_LEVEL if c not in REQUIRED)
# Written by our export for people to read; an import never takes them as input.
EXPORT_ONLY = ("status", "created_at", "total")
EXPORT_COLUMNS = (
    "order_code",
    "status",
    "created_at",
    "channel",
    "name",
    "phone",
    "email",
    "street",
    "ward",
    "province",
    "district",
    "sku",
    "qty",
    "unit_price",
    "shipping_fee",
    "discount",
    "paid",
    "cod",
    "total",
    "payment",
    "deliver_by",
    "inspection",
    "note",
)
# Which file column an order field's error belongs to.
_FIELD_COLUMN = {"items": "sku", "order_code": "order_code"}


@dataclass
class _Group:
    code: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _group(rows: list[tuple[int, dict[str, str]]]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    ordered: list[_Group] = []
    for row, cells in rows:
        code = clean(cells.get("order_code", ""))
        if not code:
            ordered.append(_Group("", [(row, cells)]))
            continue
        if code not in groups:
            groups[code] = _Group(code)
            ordered.append(groups[code])
        groups[code].rows.append((row, cells))
    return ordered


def _order_values(group: _Group, errors: list[RowError]) -> dict[str, str]:
    """The order-level values; a later row that contradicts the first is an error."""
    first_row, first = group.rows[0]
    values = {name: first.get(name, "") for name in ORDER_LEVEL}
    for row, cells in group.rows[1:]:
        for name in ORDER_LEVEL:
            value = cells.get(name, "")
            if not value:
                continue
            if not values[name]:
                values[name] = value
            elif clean(value) != clean(values[name]):
                errors.append(
                    RowError(row, name, "import.differs", {"value": value, "other": first_row})
                )
    return values


def _to_input(values: dict[str, str], group: _Group) -> OrderCreate:
    return OrderCreate(
        code=values["order_code"],
        channel=values["channel"],
        name=values["name"],
        phone=values["phone"],
        email=values["email"],
        street=values["street"],
        ward=values["ward"],
        province=values["province"],
        district=values["district"],
        shipping_fee=values["shipping_fee"] or 0,
        discount=values["discount"] or 0,
        paid=values["paid"] or None,
        cod=values["cod"] or None,
        payment=values["payment"] or "cod",
        deliver_by=values["deliver_by"] or None,
        inspection=values["inspection"] or "view",
        note=values["note"],
        items=[
            LineInput(cells.get("sku", ""), cells.get("qty", ""), cells.get("unit_price") or None)
            for _, cells in group.rows
        ],
    )


@dataclass
class OrderFile:
    """An orders file read: its orders as typed, each with the rows it came from."""

    groups: list[tuple[_Group, OrderCreate]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0


def read_orders(path: Path) -> OrderFile:
    sheet = read_table(path)
    found = OrderFile(
        warnings=check_columns(path, sheet, REQUIRED, OPTIONAL, informational=EXPORT_ONLY),
        count=len(sheet.rows),
    )
    for group in _group(sheet.rows):
        values = _order_values(group, found.errors)
        found.groups.append((group, _to_input(values, group)))
    return found


def map_errors(group: _Group, errors: list[FieldError]) -> list[RowError]:
    mapped = []
    for error in errors:
        if error.line is not None:
            row = group.rows[error.line][0]
        else:
            row = group.rows[0][0]
        column = _FIELD_COLUMN.get(error.field, error.field)
        mapped.append(RowError(row, column, error.key, error.params))
    return mapped


def export_rows(orders: list[OrderRead]) -> list[list[object]]:
    rows: list[list[object]] = []
    for order in reversed(orders):  # oldest first, as a file is read
        for line in order.lines:
            rows.append(
                [
                    order.code,
                    order.status.value,
                    format_local(order.created_at),
                    order.channel,
                    order.name,
                    validation.display_phone(order.phone),
                    order.email,
                    order.street,
                    order.ward,
                    order.province,
                    order.district,
                    line.sku,
                    line.qty,
                    line.unit_price,
                    order.shipping_fee,
                    order.discount,
                    order.paid,
                    order.cod,
                    order.total,
                    order.payment.value,
                    order.deliver_by.isoformat() if order.deliver_by else "",
                    order.inspection.value,
                    order.note,
                ]
            )
    return rows


def write_orders(path: Path, orders: list[OrderRead]) -> int:
    return write_csv(path, EXPORT_COLUMNS, export_rows(orders))
