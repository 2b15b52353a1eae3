"""VNPost. Item codes are the UPU form `XX123456789VN`; times are local `DD/MM/YYYY`."""

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
    id="vnpost",
    name="VNPost",
    services=(("EMS", "EMS"), ("BK", "Bưu kiện"), ("TMDT", "TMĐT")),
    tracking_pattern=re.compile(r"[A-Z]{2}\d{9}VN"),
    inspection={
        Inspection.VIEW: "Cho xem hàng",
        Inspection.TRY: "Cho thử hàng",
        Inspection.NONE: "Không cho xem hàng",
    },
    tracking_url="https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key={number}",
    upload_columns=(
        UploadColumn("Mã đơn hàng", "code"),
        UploadColumn("Tên người nhận", "name"),
        UploadColumn("Điện thoại", "phone"),
        UploadColumn("Địa chỉ", "address"),
        UploadColumn("Nội dung hàng", "items"),
        UploadColumn("Khối lượng (gram)", "weight_g"),
        UploadColumn("Tiền thu hộ", "cod"),
        UploadColumn("Dịch vụ", "service"),
        UploadColumn("Chỉ dẫn phát", "inspection"),
        UploadColumn("Ghi chú", "note"),
    ),
    upload_format="xlsx",
    status_fields=StatusFields(
        tracking=names("ItemCode"),
        code=names("OrderCode"),
        status=names("OrderStatusId"),
        time=names("LastUpdateTime"),
        note=names("DeliveryNote"),
    ),
    statuses=table(
        {
            "10": Out.PROBLEM,  # deleted
            "20": Out.INFO,
            "60": Out.PROBLEM,  # cancelled
            "61": Out.INFO,  # cancel requested
            "62": Out.INFO,
            "70": Out.TRANSIT,
            "91": Out.FAILED,
            "100": Out.DELIVERED,
            "110": Out.DELIVERED,  # COD collected
            "120": Out.DELIVERED,  # COD paid to the sender
            "161": Out.PROBLEM,  # return failed
            "170": Out.RETURNED,
        }
    ),
    cod_fields=CodFields(
        tracking=names("ItemCode", "Số hiệu bưu gửi"),
        code=names("OrderCode", "Mã đơn hàng"),
        cod=names("CodAmountEvaluation", "CodAmount", "Tiền thu hộ"),
        fees=names("TotalFee", "Cước phí"),
        paid=names("PaidAmount", "Số tiền trả"),
        date=names("PaymentDate", "Ngày trả tiền"),
    ),
    status_names={
        "10": "Đã xóa",
        "20": "Gửi, chờ lấy hàng",
        "60": "Đã hủy",
        "61": "Yêu cầu hủy",
        "62": "Yêu cầu hủy",
        "70": "Bưu cục đã nhận",
        "91": "Phát không thành công",
        "100": "Phát thành công",
        "110": "Đã thu tiền COD",
        "120": "Đã trả tiền COD cho người gửi",
        "161": "Chuyển hoàn không thành công",
        "170": "Đã chuyển hoàn",
    },
)
