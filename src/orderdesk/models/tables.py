"""The tables of the store. Only services touch these; the desk and CLI get read shapes.

Money is integer đồng, weights are grams, times are UTC. The CHECK constraints are a
second line of defence behind the services: stock can never go negative or be reserved
beyond what is on hand, even by a bug.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from orderdesk.models.enums import (
    Action,
    Inspection,
    MoveKind,
    OrderStatus,
    PaymentMethod,
    ReturnReason,
)
from orderdesk.models.types import UTCDateTime, enum_type
from orderdesk.timeutil import utcnow


def _now_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)  # type: ignore[no-any-return]


def _when_field() -> datetime | None:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)  # type: ignore[no-any-return]


class Product(SQLModel, table=True):
    __tablename__ = "products"
    __table_args__ = (
        sa.CheckConstraint("price >= 0", name="product_price_nonneg"),
        sa.CheckConstraint("weight_g >= 0", name="product_weight_nonneg"),
        sa.CheckConstraint("low_stock >= 0", name="product_low_stock_nonneg"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    variant: str = Field(default="", max_length=100)
    color: str = Field(default="", max_length=50)
    size: str = Field(default="", max_length=30)
    price: int = 0
    weight_g: int = 0
    barcode: str | None = Field(default=None, max_length=64, unique=True)
    low_stock: int = 0
    active: bool = True
    search_key: str = Field(default="", max_length=500)
    created_at: datetime = _now_field()
    updated_at: datetime = _now_field()


class Stock(SQLModel, table=True):
    __tablename__ = "stock"
    __table_args__ = (
        sa.CheckConstraint("on_hand >= 0", name="stock_on_hand_nonneg"),
        sa.CheckConstraint("reserved >= 0", name="stock_reserved_nonneg"),
        sa.CheckConstraint("reserved <= on_hand", name="stock_reserved_le_on_hand"),
    )

    product_id: int = Field(foreign_key="products.id", primary_key=True)
    on_hand: int = 0
    reserved: int = 0


class StockMove(SQLModel, table=True):
    """One row of the stock ledger; stock figures are always the sums of these."""

    __tablename__ = "stock_moves"
    __table_args__ = (sa.Index("ix_stock_moves_product", "product_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id")
    kind: MoveKind = Field(sa_type=enum_type(MoveKind))
    on_hand_delta: int = 0
    reserved_delta: int = 0
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    reason: str = Field(default="", max_length=500)
    at: datetime = _now_field()


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    street: str = Field(default="", max_length=300)
    ward_code: int | None = None
    province_code: int | None = None
    # An address from before July 2025 that could not be converted without asking (its old
    # ward was split): kept as written, ward_code empty, until the customer's next order.
    old_address: str = Field(default="", max_length=400, sa_column_kwargs={"server_default": ""})
    notes: str = Field(default="", max_length=2000)
    # Comma-separated words the seller files the customer under ("sỉ, vip").
    tags: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    search_key: str = Field(default="", max_length=500)
    created_at: datetime = _now_field()
    updated_at: datetime = _now_field()


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        sa.Index("ix_orders_status_id", "status", "id"),
        sa.Index("ix_orders_tracking", "tracking", unique=True),
        # Reports take the orders placed in a date range.
        sa.Index("ix_orders_created_at", "created_at"),
        sa.CheckConstraint(
            "subtotal >= 0 AND shipping_fee >= 0 AND discount >= 0 AND paid >= 0 AND cod >= 0",
            name="order_money_nonneg",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    channel: str = Field(default="", max_length=40)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    # A snapshot of the customer as the order was taken: later edits of the customer
    # record never change what was shipped where.
    name: str = Field(max_length=200)
    phone: str = Field(max_length=20, index=True)
    email: str = Field(default="", max_length=254)
    street: str = Field(default="", max_length=300)
    ward_code: int
    ward_name: str = Field(max_length=100)
    province_code: int
    province_name: str = Field(max_length=100)
    district: str = Field(default="", max_length=100)
    # The address as the buyer wrote it before July 2025, when it was converted to today's
    # ward (shown beside the new one); empty otherwise.
    old_address: str = Field(default="", max_length=400, sa_column_kwargs={"server_default": ""})
    subtotal: int = 0
    shipping_fee: int = 0
    discount: int = 0
    paid: int = 0
    cod: int = 0
    payment: PaymentMethod = Field(default=PaymentMethod.COD, sa_type=enum_type(PaymentMethod))
    deliver_by: date | None = None
    inspection: Inspection = Field(default=Inspection.VIEW, sa_type=enum_type(Inspection))
    note: str = Field(default="", max_length=2000)
    status: OrderStatus = Field(sa_type=enum_type(OrderStatus))
    cancel_reason: str = Field(default="", max_length=500)
    # Empty carrier: the shop's default carrier (config `shipping.default_carrier`).
    carrier: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    # The carrier as a file named it, when orderdesk has no module for it (carrier "other").
    carrier_name: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    service: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    tracking: str | None = Field(default=None, max_length=40)
    # The carrier's latest word on the parcel (kept here so the problems queue and the
    # track list read one row per order, not the whole event history).
    track_at: datetime | None = _when_field()
    track_status: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    track_outcome: str = Field(default="", max_length=12, sa_column_kwargs={"server_default": ""})
    search_key: str = Field(default="", max_length=500)
    created_at: datetime = _now_field()
    updated_at: datetime = _now_field()
    # When the order last entered each status (None: never).
    pending_at: datetime | None = _when_field()
    awaiting_stock_at: datetime | None = _when_field()
    confirmed_at: datetime | None = _when_field()
    packed_at: datetime | None = _when_field()
    shipped_at: datetime | None = _when_field()
    delivered_at: datetime | None = _when_field()
    delivery_failed_at: datetime | None = _when_field()
    returning_at: datetime | None = _when_field()
    returned_at: datetime | None = _when_field()
    cancelled_at: datetime | None = _when_field()


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "product_id", name="uq_order_line_product"),
        sa.CheckConstraint("qty > 0", name="line_qty_pos"),
        sa.CheckConstraint("unit_price >= 0", name="line_price_nonneg"),
        sa.CheckConstraint("reserved >= 0 AND reserved <= qty", name="line_reserved_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    # Snapshots, so an invoice reprinted next year shows what was sold.
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    variant: str = Field(default="", max_length=200)
    qty: int
    unit_price: int
    reserved: int = 0


class OrderEvent(SQLModel, table=True):
    """The order's history: every status change and every edit, in order."""

    __tablename__ = "order_events"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    at: datetime = _now_field()
    action: str = Field(max_length=30)
    from_status: OrderStatus | None = Field(default=None, sa_type=enum_type(OrderStatus))
    to_status: OrderStatus | None = Field(default=None, sa_type=enum_type(OrderStatus))
    detail: str = Field(default="", max_length=4000)


class OrderCheck(SQLModel, table=True):
    """A manual checklist item the seller ticked for an order."""

    __tablename__ = "order_checks"

    order_id: int = Field(foreign_key="orders.id", primary_key=True)
    item: str = Field(max_length=40, primary_key=True)
    ticked_at: datetime = _now_field()


class PrintJob(SQLModel, table=True):
    """One finished print batch: one file of one document kind, maybe sent to a printer."""

    __tablename__ = "print_jobs"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    # "pending" from before its file is written until its orders are marked; a pending job
    # left by a crash is finished (its file exists) or dropped (it does not) by the next batch.
    state: str = Field(default="pending", max_length=10)
    format: str = Field(max_length=10)
    size: str = Field(max_length=20)
    at: datetime = _now_field()
    file: str = Field(max_length=1000)
    printer: str = Field(default="", max_length=200)
    printer_job: str = Field(default="", max_length=200)
    count: int = 0


class PrintJobOrder(SQLModel, table=True):
    """Which orders a job printed, in the order they appear in its file."""

    __tablename__ = "print_job_orders"

    job_id: int = Field(foreign_key="print_jobs.id", primary_key=True)
    order_id: int = Field(foreign_key="orders.id", primary_key=True, index=True)
    position: int


class OrderPrint(SQLModel, table=True):
    """The last time each document kind was printed for an order (not a status)."""

    __tablename__ = "order_prints"

    order_id: int = Field(foreign_key="orders.id", primary_key=True)
    kind: str = Field(max_length=20, primary_key=True)
    job_id: int = Field(foreign_key="print_jobs.id")
    at: datetime = _now_field()
    times: int = 1


class TrackingEvent(SQLModel, table=True):
    """One status event of a parcel, from a carrier's file or typed by the seller.

    The same carrier status at the same moment is the same event, so importing a file
    twice adds nothing.
    """

    __tablename__ = "tracking_events"
    # The unique key starts with order_id, so it is also the index a timeline reads by.
    __table_args__ = (
        sa.UniqueConstraint("order_id", "carrier_status", "at", name="uq_tracking_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id")
    carrier: str = Field(max_length=20)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    carrier_status: str = Field(max_length=60)
    outcome: str = Field(max_length=12)
    location: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=500)
    source: str = Field(default="file", max_length=10)  # file | manual
    recorded_at: datetime = _now_field()


class Handover(SQLModel, table=True):
    """Parcels handed to one carrier's courier in one go (bàn giao)."""

    __tablename__ = "handovers"

    id: int | None = Field(default=None, primary_key=True)
    carrier: str = Field(max_length=20)
    state: str = Field(default="open", max_length=10)  # open | closed
    opened_at: datetime = _now_field()
    closed_at: datetime | None = _when_field()


class HandoverParcel(SQLModel, table=True):
    __tablename__ = "handover_parcels"

    handover_id: int = Field(foreign_key="handovers.id", primary_key=True)
    order_id: int = Field(foreign_key="orders.id", primary_key=True, index=True)
    position: int
    scanned_at: datetime | None = _when_field()


class CodLine(SQLModel, table=True):
    """One line of a carrier's COD statement. The same line read twice is one line."""

    __tablename__ = "cod_lines"
    __table_args__ = (
        sa.UniqueConstraint("carrier", "ref", "cod", "fees", "paid", name="uq_cod_line"),
    )

    id: int | None = Field(default=None, primary_key=True)
    carrier: str = Field(max_length=20)
    ref: str = Field(max_length=60)  # the tracking number or order code as the line gives it
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    statement: str = Field(default="", max_length=200)
    cod: int = 0
    fees: int = 0
    paid: int = 0
    imported_at: datetime = _now_field()


class CodRemit(SQLModel, table=True):
    """An order's COD as the statements add up: what came back, against what was due."""

    __tablename__ = "cod_remits"

    order_id: int = Field(foreign_key="orders.id", primary_key=True)
    expected: int = 0
    collected: int = 0
    fees: int = 0
    paid: int = 0
    difference: int = 0  # expected − (paid + fees); not 0 is a problem
    reconciled_at: datetime = _now_field()


class ProblemSnooze(SQLModel, table=True):
    """A problem the seller has acted on (a call noted): hidden until `until`."""

    __tablename__ = "problem_snoozes"

    order_id: int = Field(foreign_key="orders.id", primary_key=True)
    rule: str = Field(max_length=20, primary_key=True)
    until: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Review(SQLModel, table=True):
    """A customer's stars for an order, or for one product of it (`sku` not empty)."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "sku", name="uq_review_order_sku"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="review_stars_range"),
        # The response queue: unanswered low ratings, oldest first.
        sa.Index("ix_reviews_open", "replied_at", "stars", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id")
    product_id: int | None = Field(default=None, foreign_key="products.id", index=True)
    sku: str = Field(default="", max_length=64)
    stars: int
    comment: str = Field(default="", max_length=2000)
    channel: str = Field(default="", max_length=40)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    reply: str = Field(default="", max_length=2000)
    replied_at: datetime | None = _when_field()
    created_at: datetime = _now_field()


class Return(SQLModel, table=True):
    """Goods that came back after delivery (a return), maybe for others (an exchange)."""

    __tablename__ = "returns"
    __table_args__ = (sa.CheckConstraint("refund >= 0", name="return_refund_nonneg"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    kind: str = Field(max_length=10)  # return | exchange
    reason: ReturnReason = Field(sa_type=enum_type(ReturnReason))
    refund: int = 0
    note: str = Field(default="", max_length=500)
    exchange_order_id: int | None = Field(default=None, foreign_key="orders.id")
    at: datetime = _now_field()


class ReturnLine(SQLModel, table=True):
    __tablename__ = "return_lines"
    __table_args__ = (sa.CheckConstraint("qty > 0", name="return_line_qty_pos"),)

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="returns.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    sku: str = Field(max_length=64)
    qty: int
    unit_price: int  # as sold, for refunds and reports
    restock: bool = True  # False: written off (damaged, not sellable)


class CodeCounter(SQLModel, table=True):
    """The last sequence number handed out per order-code prefix (`DH2611`)."""

    __tablename__ = "code_counters"

    prefix: str = Field(max_length=20, primary_key=True)
    last: int = 0


def table_of(model: type[SQLModel]) -> sa.Table:
    """A model's table, typed: the services build their statements on tables (SQLModel
    declares `__table__` without a type)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


__all__ = [
    "table_of",
    "Action",
    "CodLine",
    "CodRemit",
    "CodeCounter",
    "Handover",
    "HandoverParcel",
    "Customer",
    "Order",
    "OrderCheck",
    "OrderEvent",
    "OrderLine",
    "OrderPrint",
    "PrintJob",
    "PrintJobOrder",
    "ProblemSnooze",
    "Return",
    "ReturnLine",
    "Review",
    "Product",
    "Stock",
    "StockMove",
    "TrackingEvent",
]
