"""What comes in before it is checked: an order, a product or a customer as the seller typed
it or a file held it. Text and numbers as given; the services validate them once (the
ladder of shapes: `OrderCreate` in, `Order` in the table, `OrderRead` out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from orderdesk.models.enums import Inspection, PaymentMethod

# A number as typed or read from a cell (`350.000`, `2`) or as code passes it.
Amount = str | int | float
Day = str | date


@dataclass
class LineInput:
    sku: str
    qty: Amount
    unit_price: Amount | None = None  # None: the product's current price


@dataclass
class OrderCreate:
    """An order as the seller typed it (or a file held it): text until validated."""

    name: str
    phone: str
    street: str
    ward: str
    province: str
    items: list[LineInput]
    email: str = ""
    district: str = ""
    channel: str = ""
    code: str = ""
    shipping_fee: Amount = 0
    discount: Amount = 0
    paid: Amount | None = None  # None: nothing for COD, everything for prepaid/bank
    cod: Amount | None = None  # None: whatever is still owed
    payment: str = PaymentMethod.COD.value
    deliver_by: Day | None = None
    inspection: str = Inspection.VIEW.value
    note: str = ""
    # The buyer's address from before July 2025, when the seller chose today's ward for it
    # (the desk's type-ahead); an old address in `ward` itself is converted by `validate`.
    old_address: str = ""


EDITABLE = (
    "name",
    "phone",
    "email",
    "street",
    "ward",
    "province",
    "district",
    "channel",
    "shipping_fee",
    "discount",
    "paid",
    "cod",
    "payment",
    "deliver_by",
    "inspection",
    "note",
)


@dataclass
class OrderEdit:
    """Changes to a pending order; fields left None stay as they are."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    street: str | None = None
    ward: str | None = None
    province: str | None = None
    district: str | None = None
    channel: str | None = None
    shipping_fee: Amount | None = None
    discount: Amount | None = None
    paid: Amount | None = None
    cod: Amount | None = None
    payment: str | None = None
    deliver_by: Day | None = None
    inspection: str | None = None
    note: str | None = None
    items: list[LineInput] | None = None

    @classmethod
    def whole(cls, data: OrderCreate) -> OrderEdit:
        """Every field set as `data` has it (a form showing the whole order). A value left
        out there (None) becomes blank here, which means "the default", not "unchanged"."""
        values = {name: getattr(data, name) for name in EDITABLE}
        return cls(**{k: "" if v is None else v for k, v in values.items()}, items=data.items)


@dataclass
class ProductCreate:
    """A product as typed or imported; `price` etc. may be text until validated."""

    sku: str
    name: str
    price: Amount
    variant: str = ""
    color: str = ""
    size: str = ""
    weight_g: Amount = 0
    barcode: str | None = None
    low_stock: Amount = 0
    active: bool = True
    stock: Amount | None = None  # on hand to set, when given


@dataclass(frozen=True)
class CustomerEntry:
    """A customer as a book gives them: text until checked."""

    phone: str
    name: str
    email: str = ""
    street: str = ""
    ward: str = ""
    district: str = ""
    province: str = ""
    notes: str = ""
    tags: str = ""
