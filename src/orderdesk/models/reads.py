"""Plain, frozen read shapes handed to the desk and the CLI: never live ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from orderdesk.models.enums import (
    Inspection,
    MoveKind,
    OrderStatus,
    PaymentMethod,
    ReturnReason,
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


class Jsonable:
    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload, no-any-return]


@dataclass(frozen=True)
class ProductRead(Jsonable):
    sku: str
    name: str
    variant: str
    color: str
    size: str
    price: int
    weight_g: int
    barcode: str | None
    low_stock: int
    active: bool


@dataclass(frozen=True)
class StockRow(Jsonable):
    sku: str
    name: str
    variant: str
    color: str
    size: str
    price: int
    on_hand: int
    reserved: int
    available: int
    low_stock: int
    barcode: str | None = None

    @property
    def is_low(self) -> bool:
        return self.available <= self.low_stock


@dataclass(frozen=True)
class MoveRead(Jsonable):
    at: datetime
    sku: str
    kind: MoveKind
    on_hand_delta: int
    reserved_delta: int
    order_code: str | None
    reason: str


@dataclass(frozen=True)
class OrderLineRead(Jsonable):
    sku: str
    name: str
    variant: str
    qty: int
    unit_price: int
    reserved: int

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price


@dataclass(frozen=True)
class EventRead(Jsonable):
    at: datetime
    action: str
    from_status: OrderStatus | None
    to_status: OrderStatus | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class OrderRow(Jsonable):
    """One line of the orders table in the desk."""

    id: int
    code: str
    status: OrderStatus
    created_at: datetime
    name: str
    phone: str
    province: str
    total: int
    cod: int
    channel: str


@dataclass(frozen=True)
class OrderRead(Jsonable):
    code: str
    status: OrderStatus
    channel: str
    name: str
    phone: str
    email: str
    street: str
    ward: str
    ward_code: int
    province: str
    province_code: int
    district: str
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    paid: int
    cod: int
    payment: PaymentMethod
    deliver_by: date | None
    inspection: Inspection
    note: str
    cancel_reason: str
    created_at: datetime
    status_times: dict[str, datetime]
    lines: list[OrderLineRead]
    old_address: str = ""  # as written before July 2025, when converted to `ward`

    @property
    def owed(self) -> int:
        return self.total - self.paid


@dataclass(frozen=True)
class CheckItem(Jsonable):
    key: str
    group: str
    automatic: bool
    passed: bool
    reason_key: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Checklist(Jsonable):
    items: list[CheckItem]

    @property
    def passed(self) -> bool:
        return all(item.passed for item in self.items)

    @property
    def failing(self) -> list[CheckItem]:
        return [item for item in self.items if not item.passed]


@dataclass(frozen=True)
class OrderDetail(Jsonable):
    order: OrderRead
    history: list[EventRead]
    checklist: Checklist


@dataclass(frozen=True)
class CustomerRead(Jsonable):
    phone: str
    name: str
    email: str
    street: str
    ward: str
    province: str
    notes: str
    orders: int
    spent: int  # on delivered orders
    refused: int  # COD parcels sent back (returning or returned)
    returns: int = 0  # orders with goods returned after delivery
    reviews: int = 0
    tags: list[str] = field(default_factory=list)
    last_order: datetime | None = None
    # An address from before July 2025 whose ward must be chosen (it was split); the ward
    # is then empty until the customer's next order.
    old_address: str = ""


@dataclass(frozen=True)
class CustomerRow(Jsonable):
    """One line of the customer book's search results."""

    phone: str  # as sellers write it: 0912 345 678
    name: str
    province: str
    orders: int
    spent: int
    returns: int
    refused: int
    reviews: int
    tags: list[str]
    last_order: datetime | None


@dataclass(frozen=True)
class CustomerOrder(Jsonable):
    code: str
    created_at: datetime
    status: OrderStatus
    total: int


@dataclass(frozen=True)
class CustomerReview(Jsonable):
    code: str
    sku: str
    stars: int
    comment: str
    at: datetime


@dataclass(frozen=True)
class CustomerReturn(Jsonable):
    code: str
    kind: str  # return | exchange
    reason: ReturnReason
    refund: int
    at: datetime


@dataclass(frozen=True)
class CustomerBook(Jsonable):
    """A customer's page: details and figures, then orders, reviews and returns, newest
    first."""

    customer: CustomerRead
    orders: list[CustomerOrder]
    reviews: list[CustomerReview]
    returns: list[CustomerReturn]
