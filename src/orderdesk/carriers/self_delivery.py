"""The shop's own delivery: no waybill, so its files use orderdesk's own column names
(English, so they are never mistaken for a carrier's) and status words in en or vi."""

from __future__ import annotations

import re

from orderdesk.carriers.base import (
    Carrier,
    CodFields,
    Outcome,
    StatusFields,
    UploadColumn,
    names,
    table,
)
from orderdesk.models.enums import Inspection

Out = Outcome

CARRIER = Carrier(
    id="self",
    name="Tự giao / Self delivery",
    services=(("local", "Nội thành"),),
    tracking_pattern=re.compile(r"[A-Z0-9][A-Z0-9-]{4,28}[A-Z0-9]"),
    inspection={
        Inspection.VIEW: "Cho xem hàng",
        Inspection.TRY: "Cho thử hàng",
        Inspection.NONE: "Không cho xem hàng",
    },
    tracking_url="",
    upload_columns=(
        UploadColumn("Mã đơn hàng", "code"),
        UploadColumn("Người nhận", "name"),
        UploadColumn("Điện thoại", "phone"),
        UploadColumn("Địa chỉ", "address"),
        UploadColumn("Hàng", "items"),
        UploadColumn("Thu hộ", "cod"),
        UploadColumn("Ghi chú", "note"),
    ),
    upload_format="csv",
    status_fields=StatusFields(
        tracking=names("tracking"),
        code=names("order_code"),
        status=names("status"),
        time=names("time"),
        location=names("location"),
        note=names("note"),
    ),
    statuses=table(
        [(outcome.value, outcome) for outcome in Outcome]
        + [
            ("Đang giao", Out.TRANSIT),
            ("Đã giao", Out.DELIVERED),
            ("Giao thất bại", Out.FAILED),
            ("Đang hoàn", Out.RETURNING),
            ("Đã hoàn", Out.RETURNED),
        ]
    ),
    cod_fields=CodFields(
        tracking=names("tracking"),
        code=names("order_code"),
        cod=names("cod"),
        fees=names("fee"),
        paid=names("paid"),
        date=names("date"),
    ),
)
