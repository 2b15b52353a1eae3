"""Viettel Post. `ORDER_STATUS` numbers from VTP's webhook; times are local, no zone."""

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


def _statuses() -> dict[str, Outcome]:
    pairs: dict[str, Outcome] = {
        "-100": Out.INFO,
        "-108": Out.TRANSIT,  # dropped off at a post office
        "-109": Out.TRANSIT,
        "-110": Out.TRANSIT,
        "100": Out.INFO,
        "101": Out.PROBLEM,  # VTP asks to cancel
        "102": Out.INFO,
        "103": Out.INFO,
        "104": Out.INFO,
        "105": Out.TRANSIT,
        "106": Out.PROBLEM,  # partner asks to take back
        "107": Out.PROBLEM,  # cancelled through the API
        "500": Out.TRANSIT,
        "501": Out.DELIVERED,
        "502": Out.RETURNING,
        "503": Out.FAILED,  # cancelled at the customer's request: refused
        "504": Out.RETURNED,
        "505": Out.FAILED,  # held, return pending approval
        "506": Out.FAILED,  # held, customer away
        "507": Out.TRANSIT,  # held, customer will collect
        "508": Out.TRANSIT,  # redelivery
        "509": Out.TRANSIT,
        "510": Out.INFO,
        "515": Out.RETURNING,  # return approved
        "550": Out.TRANSIT,
    }
    for first, last in ((200, 202), (300, 320), (400, 403)):
        for code in range(first, last + 1):
            pairs[str(code)] = Out.TRANSIT
    return table(pairs)


CARRIER = Carrier(
    id="viettel_post",
    name="Viettel Post",
    services=(("VCN", "Chuyển phát nhanh"), ("VTK", "Tiết kiệm"), ("LCOD", "TMĐT đồng giá")),
    tracking_pattern=re.compile(r"\d{9,15}"),
    inspection={
        Inspection.VIEW: "Cho xem hàng, không cho thử",
        Inspection.TRY: "Cho thử hàng",
        Inspection.NONE: "Không cho xem hàng",
    },
    tracking_url="https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?orderNumber={number}",
    upload_columns=(
        UploadColumn("Mã đơn hàng", "code"),
        UploadColumn("Họ tên người nhận", "name"),
        UploadColumn("Điện thoại người nhận", "phone"),
        UploadColumn("Địa chỉ nhận", "address"),
        UploadColumn("Tên hàng hóa", "items"),
        UploadColumn("Số lượng", "qty"),
        UploadColumn("Trọng lượng (gram)", "weight_g"),
        UploadColumn("Tiền thu hộ", "cod"),
        UploadColumn("Giá trị hàng", "value"),
        UploadColumn("Dịch vụ", "service"),
        UploadColumn("Yêu cầu khác", "inspection"),
        UploadColumn("Ghi chú", "note"),
    ),
    upload_format="xlsx",
    status_fields=StatusFields(
        tracking=names("ORDER_NUMBER"),
        code=names("ORDER_REFERENCE"),
        status=names("ORDER_STATUS"),
        time=names("ORDER_STATUSDATE"),
        location=names("LOCALION_CURRENTLY", "LOCATION_CURRENTLY"),
        note=names("NOTE"),
        status_name=names("STATUS_NAME"),
    ),
    statuses=_statuses(),
    cod_fields=CodFields(
        tracking=names("ORDER_NUMBER", "Mã vận đơn", "Số hiệu đơn"),
        code=names("ORDER_REFERENCE", "Mã đơn hàng"),
        cod=names("MONEY_COLLECTION", "Tiền thu hộ"),
        fees=names("MONEY_TOTALFEE", "MONEY_FEECOD", "Tổng cước", "Phí thu hộ"),
        paid=names("MONEY_PAYMENT", "Số tiền thanh toán", "Thực trả"),
        date=names("PAYMENT_DATE", "Ngày thanh toán"),
        statement=names("Số bảng kê"),
    ),
    status_names={
        "-100": "Đơn mới tạo",
        "-108": "Đã gửi tại bưu cục",
        "-109": "Đã gửi tại điểm thu gom",
        "-110": "Đang bàn giao qua bưu cục",
        "100": "Tiếp nhận đơn từ đối tác",
        "101": "VTP yêu cầu hủy đơn",
        "102": "Đơn hàng chờ xử lý",
        "103": "Giao cho bưu cục",
        "104": "Giao bưu tá đi nhận",
        "105": "Bưu tá đã nhận hàng",
        "106": "Đối tác yêu cầu lấy lại hàng",
        "107": "Hủy qua API",
        "200": "Nhận từ bưu tá tại bưu cục gốc",
        "201": "Hủy nhập phiếu gửi",
        "202": "Sửa phiếu gửi",
        "300": "Khai thác đi",
        "400": "Khai thác đến",
        "500": "Giao bưu tá đi phát",
        "501": "Phát thành công",
        "502": "Chuyển hoàn bưu cục gốc",
        "503": "Hủy theo yêu cầu khách hàng",
        "504": "Hoàn thành công cho người gửi",
        "505": "Tồn: chờ duyệt hoàn",
        "506": "Tồn: khách vắng nhà",
        "507": "Tồn: khách đến bưu cục nhận",
        "508": "Phát tiếp",
        "509": "Chuyển tiếp bưu cục khác",
        "510": "Hủy phân công phát",
        "515": "Duyệt hoàn",
        "550": "Phát tiếp theo yêu cầu khách",
    },
)
