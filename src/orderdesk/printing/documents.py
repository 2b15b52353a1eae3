"""What a printed document knows about an order and the shop: plain data, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from orderdesk.carriers import carrier_label
from orderdesk.config import Settings
from orderdesk.models.enums import Inspection, OrderStatus, PaymentMethod
from orderdesk.text import nfc
from orderdesk.validation import display_phone


@dataclass(frozen=True)
class Shop:
    name: str
    phone: str
    address: str
    logo: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Shop:
        parts = [settings.get(k) for k in ("shop.street", "shop.ward", "shop.province")]
        phone = settings.get("shop.phone")
        logo = settings.values.get("shop.logo") or ""
        return cls(
            name=nfc(settings.shop_name),
            phone=display_phone(phone) if phone else "",
            address=nfc(", ".join(p for p in parts if p)),
            logo=Path(logo) if logo and Path(logo).is_file() else None,
        )


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    variant: str
    qty: int
    unit_price: int
    weight_g: int = 0

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price

    @property
    def label(self) -> str:
        return f"{self.name} ({self.variant})" if self.variant else self.name


@dataclass(frozen=True)
class PrintOrder:
    """An order as documents print it; every text is NFC already."""

    id: int
    code: str
    status: OrderStatus
    created_at: datetime
    name: str
    phone: str
    street: str
    ward: str
    district: str
    province: str
    subtotal: int
    shipping_fee: int
    discount: int
    paid: int
    cod: int
    payment: PaymentMethod
    deliver_by: date | None
    inspection: Inspection
    note: str
    carrier: str
    service: str
    tracking: str
    channel: str = ""
    lines: list[Line] = field(default_factory=list)
    carrier_written: str = ""  # the carrier as a file named it (carrier "other")

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee - self.discount

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, self.ward, self.district, self.province) if p)

    @property
    def phone_shown(self) -> str:
        return display_phone(self.phone)

    @property
    def weight_g(self) -> int:
        return sum(line.qty * line.weight_g for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def carrier_name(self) -> str:
        return carrier_label(self.carrier, self.carrier_written)
