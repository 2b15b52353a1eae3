"""Giao Hàng Nhanh. Status words are GHN's webhook `Status` values; times are UTC."""

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
    id="ghn",
    name="Giao Hàng Nhanh (GHN)",
    services=(("2", "Hàng nhẹ"), ("5", "Hàng nặng")),
    tracking_pattern=re.compile(r"[A-Z0-9]{5,10}"),
    inspection={
        Inspection.VIEW: "CHOXEMHANGKHONGTHU",
        Inspection.TRY: "CHOTHUHANG",
        Inspection.NONE: "KHONGCHOXEMHANG",
    },
    tracking_url="https://donhang.ghn.vn/?order_code={number}",
    upload_columns=(
        UploadColumn("Mã đơn riêng", "code"),
        UploadColumn("Tên người nhận", "name"),
        UploadColumn("Số điện thoại", "phone"),
        UploadColumn("Địa chỉ", "street"),
        UploadColumn("Phường/Xã", "ward"),
        UploadColumn("Tỉnh/Thành phố", "province"),
        UploadColumn("Tên hàng", "items"),
        UploadColumn("Số lượng", "qty"),
        UploadColumn("Khối lượng (gram)", "weight_g"),
        UploadColumn("Tiền thu hộ (COD)", "cod"),
        UploadColumn("Giá trị hàng hóa", "value"),
        UploadColumn("Lưu ý giao hàng", "inspection"),
        UploadColumn("Ghi chú", "note"),
    ),
    upload_format="xlsx",
    status_fields=StatusFields(
        tracking=names("OrderCode"),
        code=names("ClientOrderCode"),
        status=names("Status"),
        time=names("Time"),
        location=names("Warehouse"),
        note=names("Reason"),
    ),
    statuses=table(
        {
            "ready_to_pick": Out.INFO,
            "picking": Out.INFO,
            "money_collect_picking": Out.INFO,
            "picked": Out.TRANSIT,
            "storing": Out.TRANSIT,
            "transporting": Out.TRANSIT,
            "sorting": Out.TRANSIT,
            "delivering": Out.TRANSIT,
            "money_collect_delivering": Out.TRANSIT,
            "delivered": Out.DELIVERED,
            "delivery_fail": Out.FAILED,
            # After the last failed attempt, before the shop approves the return.
            "waiting_to_return": Out.FAILED,
            "return": Out.RETURNING,
            "return_transporting": Out.RETURNING,
            "return_sorting": Out.RETURNING,
            "returning": Out.RETURNING,
            "return_fail": Out.PROBLEM,
            "returned": Out.RETURNED,
            "cancel": Out.PROBLEM,
            "exception": Out.PROBLEM,
            "damage": Out.PROBLEM,
            "lost": Out.PROBLEM,
        }
    ),
    cod_fields=CodFields(
        tracking=names("OrderCode"),
        code=names("ClientOrderCode"),
        cod=names("CODAmount"),
        fees=names("TotalFee"),
        paid=names("TransferAmount"),
        date=names("CODTransferDate"),
        statement=names("SessionCode"),
    ),
    naive_utc=True,
)
