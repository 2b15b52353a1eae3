"""Carriers the shop hands parcels to. Issue 5 grows each entry into a full adapter."""

from __future__ import annotations

CARRIERS: dict[str, str] = {
    "ghn": "Giao Hàng Nhanh (GHN)",
    "ghtk": "Giao Hàng Tiết Kiệm (GHTK)",
    "viettel_post": "Viettel Post",
    "jt": "J&T Express",
    "vnpost": "VNPost",
    "self": "Tự giao / Self delivery",
}
