"""J&T Express. No public status vocabulary was found, so statuses are the text its portal
shows; the table below is the common wording and a shop extends it in its settings
(`[statuses.jt]` in the config file) when a file brings a new one."""

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
    id="jt",
    name="J&T Express",
    services=(("EZ", "Chuyển phát tiêu chuẩn"), ("FAST", "Nhanh")),
    tracking_pattern=re.compile(r"8\d{11}"),
    inspection={
        Inspection.VIEW: "Cho xem hàng",
        Inspection.TRY: "Cho thử hàng",
        Inspection.NONE: "Không cho xem hàng",
    },
    tracking_url="https://jtexpress.vn/vi/tracking?type=track&billcode={number}",
    upload_columns=(
        UploadColumn("Mã đơn hàng", "code"),
        UploadColumn("Tên người nhận", "name"),
        UploadColumn("Số điện thoại", "phone"),
        UploadColumn("Địa chỉ", "address"),
        UploadColumn("Tên hàng", "items"),
        UploadColumn("Trọng lượng (kg)", "weight_kg"),
        UploadColumn("Tiền COD", "cod"),
        UploadColumn("Giá trị hàng hóa", "value"),
        UploadColumn("Ghi chú", "note"),
        UploadColumn("Xem hàng", "inspection"),
    ),
    upload_format="xlsx",
    status_fields=StatusFields(
        tracking=names("billcode", "Mã vận đơn"),
        code=names("txlogisticid", "Mã đơn hàng"),
        status=names("scantype", "Trạng thái"),
        time=names("scantime", "Thời gian"),
        location=names("scannetworkname", "Bưu cục"),
        note=names("desc", "Ghi chú"),
    ),
    statuses=table(
        {
            "Chờ lấy hàng": Out.INFO,
            "Đã lấy hàng": Out.TRANSIT,
            "Nhận hàng": Out.TRANSIT,
            "Gửi hàng": Out.TRANSIT,
            "Đang vận chuyển": Out.TRANSIT,
            "Đến bưu cục": Out.TRANSIT,
            "Đang giao hàng": Out.TRANSIT,
            "Phát hàng": Out.TRANSIT,
            "Ký nhận": Out.DELIVERED,
            "Đã giao hàng": Out.DELIVERED,
            "Giao hàng thành công": Out.DELIVERED,
            "Giao hàng không thành công": Out.FAILED,
            "Kiện vấn đề": Out.FAILED,
            "Đang chuyển hoàn": Out.RETURNING,
            "Chuyển hoàn": Out.RETURNING,
            "Đã chuyển hoàn": Out.RETURNED,
            "Ký nhận chuyển hoàn": Out.RETURNED,
            "Thất lạc": Out.PROBLEM,
            "Hư hỏng": Out.PROBLEM,
            "Đã hủy": Out.PROBLEM,
        }
    ),
    cod_fields=CodFields(
        tracking=names("billcode", "Mã vận đơn"),
        code=names("txlogisticid", "Mã đơn hàng"),
        cod=names("Tiền COD", "codmoney"),
        fees=names("Phí vận chuyển", "Phí COD", "freight"),
        paid=names("Thực nhận", "Số tiền thanh toán"),
        date=names("Ngày thanh toán"),
        statement=names("Mã bảng kê"),
    ),
)
