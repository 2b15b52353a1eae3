"""The carriers the shop hands parcels to. Adding one is a module and one entry here."""

from __future__ import annotations

from orderdesk.carriers import (
    ghn,
    ghtk,
    jt,
    marketplace_logistics,
    self_delivery,
    viettel_post,
    vnpost,
)
from orderdesk.carriers.base import Carrier, Outcome, StatusRow, StatusSource

REGISTRY: dict[str, Carrier] = {
    c.id: c
    for c in (
        ghn.CARRIER,
        ghtk.CARRIER,
        viettel_post.CARRIER,
        jt.CARRIER,
        vnpost.CARRIER,
        self_delivery.CARRIER,
        marketplace_logistics.SPX,
        marketplace_logistics.LEX,
        marketplace_logistics.BEST,
        marketplace_logistics.OTHER,
    )
}

# id → display name, for pickers and documents.
CARRIERS: dict[str, str] = {c.id: c.name for c in REGISTRY.values()}


def carrier_label(carrier: str, written: str = "") -> str:
    """A carrier as a person reads it: `Giao Hàng Nhanh`; a courier orderdesk has no module
    for (`other`) by the name its file wrote (`Ninja Van`)."""
    if carrier == "other" and written:
        return written
    return CARRIERS.get(carrier, carrier)


def status_label(carrier: str, status: str) -> str:
    """A carrier's status as a person reads it (`506 Tồn: khách vắng nhà`); a word of a
    carrier orderdesk does not know is shown as it is."""
    found = REGISTRY.get(carrier)
    return found.status_label(status) if found is not None and status else status


__all__ = [
    "CARRIERS",
    "REGISTRY",
    "Carrier",
    "Outcome",
    "carrier_label",
    "StatusRow",
    "StatusSource",
    "status_label",
]
