"""The catalog: products by SKU, each with its stock row created alongside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from orderdesk import validation
from orderdesk.errors import NotFound
from orderdesk.models.enums import MoveKind
from orderdesk.models.inputs import ProductCreate
from orderdesk.models.reads import ProductRead
from orderdesk.models.tables import Product, Stock
from orderdesk.services import ledger
from orderdesk.text import clean, fold
from orderdesk.timeutil import utcnow
from orderdesk.validation import Collector

_SKU_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./+")


@dataclass(frozen=True)
class CleanProduct:
    sku: str
    name: str
    price: int
    variant: str
    color: str
    size: str
    weight_g: int
    barcode: str | None
    low_stock: int
    active: bool
    stock: int | None


def sku(value: str, field: str = "sku") -> str:
    text = clean(value)
    if not text:
        raise validation.fail(field, "err.required")
    if len(text) > 64 or not set(text) <= _SKU_CHARS:
        raise validation.fail(field, "err.sku.format", value=text)
    return text


def validate(data: ProductCreate) -> CleanProduct:
    """Every field of a product checked at once; raises InvalidInput listing all errors."""
    check = Collector()
    clean_sku = check.check(sku, data.sku)
    name = check.check(validation.required_text, data.name, "name", max_len=200)
    price = check.check(validation.money, data.price, "price")
    weight = check.check(validation.whole, data.weight_g or 0, "weight_g")
    low = check.check(validation.whole, data.low_stock or 0, "low_stock")
    barcode = clean(data.barcode) or None
    if barcode is not None and (len(barcode) > 64 or not set(barcode) <= _SKU_CHARS):
        check.add("barcode", "err.barcode.format", value=barcode)
    on_hand = None
    if data.stock is not None and clean(str(data.stock)) != "":
        on_hand = check.check(validation.whole, data.stock, "stock")
    check.raise_if_any()
    return CleanProduct(
        sku=clean_sku or "",
        name=name or "",
        price=price or 0,
        variant=clean(data.variant)[:100],
        color=clean(data.color)[:50],
        size=clean(data.size)[:30],
        weight_g=weight or 0,
        barcode=barcode,
        low_stock=low or 0,
        active=data.active,
        stock=on_hand,
    )


def search_key(p: CleanProduct | Product) -> str:
    return fold(" ".join([p.sku, p.name, p.variant, p.color, p.size, p.barcode or ""]))


def save(
    session: Session, data: ProductCreate | CleanProduct, *, now: datetime | None = None
) -> tuple[ProductRead, bool]:
    """Create the product or update the one with the same SKU. Returns (product, created).

    A given `stock` sets the SKU's on-hand figure through the ledger (a receive for a new
    product, an adjustment for a known one), never below what open orders have reserved.
    """
    item = data if isinstance(data, CleanProduct) else validate(data)
    moment = now or utcnow()
    product = session.exec(select(Product).where(Product.sku == item.sku)).first()
    if item.barcode:
        holder = session.exec(select(Product).where(Product.barcode == item.barcode)).first()
        if holder is not None and holder.sku != item.sku:
            raise validation.fail(
                "barcode", "err.barcode.taken", value=item.barcode, sku=holder.sku
            )
    created = product is None
    if product is None:
        product = Product(sku=item.sku, name=item.name, created_at=moment)
    for name in (
        "name",
        "price",
        "variant",
        "color",
        "size",
        "weight_g",
        "barcode",
        "low_stock",
        "active",
    ):
        setattr(product, name, getattr(item, name))
    product.search_key = search_key(item)
    product.updated_at = moment
    session.add(product)
    session.flush()
    assert product.id is not None
    if created:
        session.add(Stock(product_id=product.id))
        session.flush()
    if item.stock is not None:
        current = ledger.stock_row(session, item.sku)
        change = item.stock - current.on_hand
        if change:
            if created:
                ledger.move(
                    session,
                    product.id,
                    MoveKind.RECEIVE,
                    on_hand=change,
                    reason="import",
                    now=moment,
                )
            else:
                try:
                    ledger.move(
                        session,
                        product.id,
                        MoveKind.ADJUST,
                        on_hand=change,
                        reason="import",
                        now=moment,
                    )
                except ledger.LedgerRefused:
                    raise validation.fail(
                        "stock",
                        "err.stock.below_reserved",
                        value=item.stock,
                        reserved=current.reserved,
                    ) from None
    return to_read(product), created


def to_read(product: Product) -> ProductRead:
    return ProductRead(
        sku=product.sku,
        name=product.name,
        variant=product.variant,
        color=product.color,
        size=product.size,
        price=product.price,
        weight_g=product.weight_g,
        barcode=product.barcode,
        low_stock=product.low_stock,
        active=product.active,
    )


def get(session: Session, code: str) -> ProductRead:
    """A product by SKU or by barcode (what a scanner types)."""
    text = clean(code)
    product = session.exec(select(Product).where(Product.sku == text)).first()
    if product is None:
        product = session.exec(select(Product).where(Product.barcode == text)).first()
    if product is None:
        raise NotFound("err.sku.unknown", sku=text)
    return to_read(product)


def list_products(session: Session) -> list[ProductRead]:
    return [to_read(p) for p in session.exec(select(Product).order_by(Product.sku))]
