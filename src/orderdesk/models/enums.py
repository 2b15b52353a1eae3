"""The closed vocabularies of the store. Values are what the database and files hold."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    __catalog__ = "status"

    PENDING = "pending"
    AWAITING_STOCK = "awaiting_stock"
    CONFIRMED = "confirmed"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURNING = "returning"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class Action(StrEnum):
    """What a seller (or an import, or a carrier file) does to an order."""

    __catalog__ = "action"

    EDIT = "edit"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    PACK = "pack"
    SHIP = "ship"
    DELIVER = "deliver"
    FAIL_DELIVERY = "fail_delivery"
    REDELIVER = "redeliver"
    START_RETURN = "start_return"
    MARK_RETURNED = "mark_returned"
    ALLOCATE = "allocate"


class PaymentMethod(StrEnum):
    __catalog__ = "payment"

    COD = "cod"
    PREPAID = "prepaid"
    BANK = "bank"


class Inspection(StrEnum):
    """What the courier lets the buyer do before paying (printed on the label)."""

    __catalog__ = "inspection"

    VIEW = "view"
    TRY = "try"
    NONE = "none"


class MoveKind(StrEnum):
    """A row of the stock ledger."""

    __catalog__ = "move"

    RECEIVE = "receive"
    ADJUST = "adjust"
    RESERVE = "reserve"
    RELEASE = "release"
    SHIP = "ship"
    RETURN = "return"
    WRITE_OFF = "write_off"


class ReturnReason(StrEnum):
    """Why goods came back after delivery."""

    __catalog__ = "return_reason"

    WRONG_SIZE = "wrong_size"
    WRONG_COLOUR = "wrong_colour"
    DEFECT = "defect"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"
