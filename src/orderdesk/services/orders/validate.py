"""An order checked at once, every field (`validate`), and what it comes to in money
(`settle`, `quote`): the same rules for the desk, the command line and every file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from orderdesk import address, validation
from orderdesk.errors import (
    FieldError,
    InvalidInput,
)
from orderdesk.models.enums import Inspection, PaymentMethod
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.services import ledger
from orderdesk.services.orders.base import (
    _CODE,
    ProductRef,
    ValidOrder,
    _Line,
    _variant,
    product_refs,
)
from orderdesk.text import clean
from orderdesk.validation import Collector

# ---------------------------------------------------------------------------- validation


def order_code(value: str, field_name: str = "order_code") -> str:
    text = clean(value)
    if not _CODE.match(text):
        raise InvalidInput([FieldError(field_name, "err.code.format", {"value": text})])
    return text


def validate(
    session: Session, data: OrderCreate, *, products: dict[str, ProductRef] | None = None
) -> ValidOrder:
    """Every field of an order checked at once; raises InvalidInput listing all errors.

    `products` (SKU → product) saves a query per order when validating a whole file.
    """
    check = Collector()
    name = check.check(validation.required_text, data.name, "name", max_len=200)
    phone = check.check(validation.phone, data.phone)
    email = check.check(validation.email, data.email)
    district = check.check(validation.optional_text, data.district, "district", max_len=100)
    place = check.check(address.resolve, data.province, data.ward, district or "", data.street)
    # The street is what is left of the line once a ward found inside it is taken out.
    street = check.check(
        validation.required_text, place.street if place else data.street, "street", max_len=300
    )
    channel = check.check(validation.optional_text, data.channel, "channel", max_len=40)
    note = check.check(validation.optional_text, data.note, "note", max_len=2000)
    payment = check.check(validation.choice, data.payment or "cod", "payment", PaymentMethod)
    inspection = check.check(validation.choice, data.inspection or "view", "inspection", Inspection)
    shipping = check.check(validation.money, data.shipping_fee or 0, "shipping_fee")
    discount = check.check(validation.money, data.discount or 0, "discount")
    paid = None if _blank(data.paid) else check.check(validation.money, data.paid, "paid")
    cod = None if _blank(data.cod) else check.check(validation.money, data.cod, "cod")
    deliver_by = (
        None
        if _blank(data.deliver_by)
        else check.check(validation.day, data.deliver_by, "deliver_by")
    )
    code = ""
    if clean(data.code):
        code = check.check(order_code, data.code) or ""
    lines = _validate_lines(session, data.items, check, products)
    check.raise_if_any()
    assert place is not None and payment is not None and inspection is not None
    money = settle(
        sum(line.qty * line.unit_price for line in lines),
        shipping or 0,
        discount or 0,
        paid,
        cod,
        payment,
    )
    if money.discount > money.subtotal + money.shipping_fee:
        check.add("discount", "err.discount.too_large", value=money.discount)
    if money.paid > money.total:
        check.add("paid", "err.paid.too_large", value=money.paid)
    check.raise_if_any()
    subtotal, shipping, discount = money.subtotal, money.shipping_fee, money.discount
    paid, cod = money.paid, money.cod
    return ValidOrder(
        code=code,
        channel=channel or "",
        name=name or "",
        phone=phone or "",
        email=email or "",
        street=street or "",
        province=place.province,
        ward=place.ward,
        district=place.district,
        lines=lines,
        shipping_fee=shipping,
        discount=discount,
        paid=paid,
        cod=cod,
        payment=payment,
        deliver_by=deliver_by,
        inspection=inspection,
        note=note or "",
        subtotal=subtotal,
        old_address=place.written or clean(data.old_address)[:400],
    )


@dataclass(frozen=True)
class Money:
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    paid: int
    cod: int

    @property
    def owed(self) -> int:
        return self.total - self.paid


def settle(
    subtotal: int,
    shipping_fee: int,
    discount: int,
    paid: int | None,
    cod: int | None,
    payment: PaymentMethod,
) -> Money:
    """An order's money: what is not given follows the payment method. Nothing paid yet on
    COD, everything on prepaid or bank transfer; COD is what is still owed."""
    total = subtotal + shipping_fee - discount
    if paid is None:
        paid = 0 if payment is PaymentMethod.COD else max(total, 0)
    if cod is None:
        cod = max(total - paid, 0)
    return Money(subtotal, shipping_fee, discount, total, paid, cod)


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    name: str
    variant: str
    qty: int
    unit_price: int
    available: int

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price

    @property
    def short(self) -> bool:
        return self.qty > self.available


@dataclass(frozen=True)
class Quote:
    """An order being typed: its lines with what is free on the shelf, and its money."""

    lines: list[QuoteLine]
    money: Money
    unknown: list[str]

    @property
    def short(self) -> list[QuoteLine]:
        return [line for line in self.lines if line.short]


def _lenient(parse: Callable[[object], int], value: object) -> int | None:
    if _blank(value):
        return None
    try:
        return parse(value)
    except InvalidInput:
        return None


def quote(
    session: Session,
    items: Sequence[LineInput],
    *,
    shipping_fee: object = 0,
    discount: object = 0,
    paid: object | None = None,
    cod: object | None = None,
    payment: str = "cod",
    holding: dict[str, int] | None = None,
) -> Quote:
    """Live totals and availability while an order is typed; never raises on bad input
    (saving does, with the reasons). `holding` is what an edited order already reserves."""
    refs = product_refs(session, [clean(item.sku) for item in items])
    free = ledger.available(session, {ref.id for ref in refs.values()})
    held = holding or {}
    lines, unknown = [], []
    for item in items:
        ref = refs.get(clean(item.sku))
        qty = _lenient(validation.quantity, item.qty) or 0
        if ref is None:
            unknown.append(clean(item.sku))
            continue
        price = _lenient(lambda v: validation.money(v, "unit_price"), item.unit_price)
        lines.append(
            QuoteLine(
                ref.sku,
                ref.name,
                _variant(ref),
                qty,
                ref.price if price is None else price,
                free.get(ref.id, 0) + held.get(ref.sku, 0),
            )
        )
    method = (
        PaymentMethod(payment) if payment in PaymentMethod._value2member_map_ else PaymentMethod.COD
    )
    money = settle(
        sum(line.amount for line in lines),
        _lenient(lambda v: validation.money(v, "shipping_fee"), shipping_fee) or 0,
        _lenient(lambda v: validation.money(v, "discount"), discount) or 0,
        _lenient(lambda v: validation.money(v, "paid"), paid),
        _lenient(lambda v: validation.money(v, "cod"), cod),
        method,
    )
    return Quote(lines, money, unknown)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _validate_lines(
    session: Session,
    items: Sequence[LineInput],
    check: Collector,
    known: dict[str, ProductRef] | None,
) -> list[_Line]:
    if not items:
        check.add("items", "err.items.empty")
        return []
    skus = [clean(item.sku) for item in items]
    if known is None:
        products = product_refs(session, skus)
    else:
        products = known
    lines: list[_Line] = []
    seen: dict[str, int] = {}
    for index, (item, sku) in enumerate(zip(items, skus, strict=True)):
        before = len(check.errors)
        qty = check.check(validation.quantity, item.qty, "qty")
        price = (
            None
            if _blank(item.unit_price)
            else check.check(validation.money, item.unit_price, "unit_price")
        )
        product = products.get(sku)
        if not sku:
            check.add("sku", "err.required")
        elif product is None:
            check.add("sku", "err.sku.unknown", sku=sku)
        elif not product.active:
            check.add("sku", "err.sku.inactive", sku=sku)
        elif sku in seen:
            check.add("sku", "err.sku.repeated", sku=sku, line=seen[sku] + 1)
        seen.setdefault(sku, index)
        for position in range(before, len(check.errors)):
            error = check.errors[position]
            check.errors[position] = FieldError(error.field, error.key, error.params, index)
        if len(check.errors) == before and product is not None and qty is not None:
            lines.append(_Line(product, qty, product.price if price is None else price))
    return lines
