"""Giao Hàng Tiết Kiệm. `status_id` numbers from GHTK's webhook; times carry +07:00.

A GHTK label id is `S22749126.SGP39-J31.1375835526` (shop . sorting code . tracking id);
orderdesk stores the bare tracking id, which is what the buyer and the hotline use.
"""

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


def _bare(number: str) -> str:
    return number.rsplit(".", 1)[-1]


CARRIER = Carrier(
    id="ghtk",
    name="Giao Hàng Tiết Kiệm (GHTK)",
    services=(("road", "Đường bộ"), ("fly", "Đường bay"), ("xteam", "Xfast")),
    tracking_pattern=re.compile(r"\d{8,10}"),
    inspection={
        Inspection.VIEW: "Cho xem hàng, không cho thử",
        Inspection.TRY: "Cho thử hàng",
        Inspection.NONE: "Không cho xem hàng",
    },
    tracking_url="https://i.ghtk.vn/{number}",
    upload_columns=(
        UploadColumn("Mã đơn hàng", "code"),
        UploadColumn("Tên người nhận", "name"),
        UploadColumn("Số điện thoại", "phone"),
        UploadColumn("Địa chỉ chi tiết", "street"),
        UploadColumn("Phường/Xã", "ward"),
        UploadColumn("Tỉnh/Thành phố", "province"),
        UploadColumn("Sản phẩm", "items"),
        UploadColumn("Khối lượng (kg)", "weight_kg"),
        UploadColumn("Tiền thu hộ", "cod"),
        UploadColumn("Giá trị đơn hàng", "value"),
        UploadColumn("Xem hàng", "inspection"),
        UploadColumn("Ghi chú", "note"),
    ),
    upload_format="xlsx",
    status_fields=StatusFields(
        tracking=names("label_id"),
        code=names("partner_id"),
        status=names("status_id"),
        time=names("action_time"),
        note=names("reason"),
    ),
    statuses=table(
        {
            "-1": Out.PROBLEM,  # cancelled
            "1": Out.INFO,
            "2": Out.INFO,
            "3": Out.TRANSIT,
            "4": Out.TRANSIT,
            "5": Out.DELIVERED,
            "6": Out.DELIVERED,  # delivered and reconciled
            "7": Out.PROBLEM,  # could not pick up
            "8": Out.INFO,
            "9": Out.FAILED,
            "10": Out.TRANSIT,  # delivery delayed
            "11": Out.RETURNED,  # return debt reconciled
            "12": Out.INFO,
            "13": Out.PROBLEM,  # compensated: lost or damaged
            "20": Out.RETURNING,
            "21": Out.RETURNED,
            "123": Out.TRANSIT,
            "127": Out.PROBLEM,
            "128": Out.INFO,
            "45": Out.DELIVERED,
            "49": Out.FAILED,
            "410": Out.TRANSIT,
        }
    ),
    cod_fields=CodFields(
        tracking=names("label_id", "Mã đơn GHTK"),
        code=names("partner_id", "Mã đơn shop"),
        cod=names("pick_money", "Tiền thu hộ"),
        fees=names("fee", "ship_money", "insurance"),
        paid=names("Thực nhận"),
        date=names("Ngày đối soát"),
        statement=names("Mã phiên"),
    ),
    normalize=_bare,
    status_names={
        "-1": "Hủy đơn hàng",
        "1": "Chưa tiếp nhận",
        "2": "Đã tiếp nhận",
        "3": "Đã lấy hàng/Đã nhập kho",
        "4": "Đang giao hàng",
        "5": "Đã giao hàng/Chưa đối soát",
        "6": "Đã đối soát",
        "7": "Không lấy được hàng",
        "8": "Hoãn lấy hàng",
        "9": "Không giao được hàng",
        "10": "Delay giao hàng",
        "11": "Đã đối soát công nợ trả hàng",
        "12": "Đang lấy hàng",
        "13": "Đơn hàng bồi hoàn",
        "20": "Đang trả hàng",
        "21": "Đã trả hàng",
        "123": "Shipper báo đã lấy hàng",
        "127": "Shipper báo không lấy được hàng",
        "128": "Shipper báo delay lấy hàng",
        "45": "Shipper báo đã giao hàng",
        "49": "Shipper báo không giao được hàng",
        "410": "Shipper báo delay giao hàng",
    },
)
