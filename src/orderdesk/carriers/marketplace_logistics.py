"""The marketplaces' own couriers: Shopee Express (SPX), Lazada Express (LEX) and BEST
Express, as they come on marketplace orders. The marketplace arranges and tracks these
parcels, so orderdesk learns their progress from the next order export; there is no bulk
upload of the shop's own, and no COD statement (the marketplace pays the seller)."""

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

# The marketplace's wording of the inspection rule is set on its site; these print.
_INSPECTION = {
    Inspection.VIEW: "Cho xem hàng",
    Inspection.TRY: "Cho thử hàng",
    Inspection.NONE: "Không cho xem hàng",
}
# A hand-over list the courier signs: the same columns for all three.
_UPLOAD = (
    UploadColumn("Mã vận đơn", "tracking"),
    UploadColumn("Mã đơn hàng", "code"),
    UploadColumn("Người nhận", "name"),
    UploadColumn("Điện thoại", "phone"),
    UploadColumn("Thu hộ", "cod"),
)
# Words on their tracking pages, for events typed by hand.
_STATUSES = table(
    [
        ("Đã lấy hàng", Out.TRANSIT),
        ("Đang vận chuyển", Out.TRANSIT),
        ("Đang giao hàng", Out.TRANSIT),
        ("Giao hàng thành công", Out.DELIVERED),
        ("Giao hàng không thành công", Out.FAILED),
        ("Đang hoàn hàng", Out.RETURNING),
        ("Hoàn hàng thành công", Out.RETURNED),
        ("Delivered", Out.DELIVERED),
        ("In transit", Out.TRANSIT),
        ("Delivery failed", Out.FAILED),
        ("Returning", Out.RETURNING),
        ("Returned", Out.RETURNED),
    ]
)


def _fields(cid: str) -> tuple[StatusFields, CodFields]:
    """They give the shop no files: names no other file uses, so that recognising a
    carrier's file by its columns never picks one of these."""
    status = StatusFields(
        tracking=names(f"{cid}_tracking"),
        code=names(f"{cid}_order_code"),
        status=names(f"{cid}_status"),
        time=names(f"{cid}_time"),
    )
    cod = CodFields(
        tracking=names(f"{cid}_tracking"), code=names(f"{cid}_order_code"), cod=names(f"{cid}_cod")
    )
    return status, cod


def _marketplace(cid: str, name: str, pattern: str, url: str) -> Carrier:
    status_fields, cod_fields = _fields(cid)
    return Carrier(
        id=cid,
        name=name,
        services=(("standard", "Tiêu chuẩn"),),
        tracking_pattern=re.compile(pattern),
        inspection=_INSPECTION,
        tracking_url=url,
        upload_columns=_UPLOAD,
        upload_format="csv",
        status_fields=status_fields,
        statuses=_STATUSES,
        cod_fields=cod_fields,
        # Progress comes with the marketplace's export, not daily events: a parcel is
        # worth a look only after two weeks without reaching the buyer.
        stale_days=14,
    )


SPX = _marketplace(
    "spx", "Shopee Express (SPX)", r"SPXVN\d{10,14}[A-Z]?", "https://spx.vn/track?{number}"
)
LEX = _marketplace("lex", "Lazada Express (LEX)", r"LEXVN[0-9A-Z]{8,16}", "")
BEST = _marketplace("best", "BEST Express", r"TTVN\d{10}", "")
# A courier orderdesk has no module for (`Ninja Van`, or Shopee's bare `Nhanh`): the order
# keeps the name as the file wrote it (`orders.carrier_name`), shown and printed, never
# replaced by the shop's default carrier.
OTHER = _marketplace("other", "Hãng khác", r"[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]", "")
