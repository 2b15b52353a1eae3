"""The confirmation checklist (step 2): what must be true before an order is confirmed.

Automatic checks are computed from the order; manual ones are ticked by the seller after
talking to the customer. These are exactly the reasons carriers report for refused COD
parcels (wrong size, wrong colour, wrong COD amount, wrong address, bad phone...).
"""

from __future__ import annotations

from datetime import date

from orderdesk import geo, validation
from orderdesk.errors import InvalidInput
from orderdesk.models.money import format_money
from orderdesk.models.reads import CheckItem, Checklist, OrderRead

GROUPS = ("contact", "product", "other")
# Ticked by the seller on the phone with the customer. Each one answers a reason carriers
# give for refused COD parcels: wrong address, model, colour, size, quantity, COD amount.
MANUAL_ITEMS = (
    "contact.address_read_back",
    "product.model",
    "product.color",
    "product.size",
    "product.quantity",
    "other.cod_agreed",
)


def evaluate(order: OrderRead, ticked: set[str], today: date) -> Checklist:
    items = [
        _name(order),
        _phone(order),
        _address(order),
        _email(order),
        _manual("contact.address_read_back", ticked),
        _reserved(order),
        _manual("product.model", ticked),
        _manual("product.color", ticked),
        _manual("product.size", ticked),
        _manual("product.quantity", ticked),
        _cod(order),
        _deliver_by(order, today),
        _manual("other.cod_agreed", ticked),
    ]
    return Checklist(items)


def _auto(key: str, passed: bool, reason: str = "", **params: object) -> CheckItem:
    return CheckItem(key, key.split(".")[0], True, passed, "" if passed else reason, params)


def _manual(key: str, ticked: set[str]) -> CheckItem:
    passed = key in ticked
    return CheckItem(key, key.split(".")[0], False, passed, "" if passed else "check.not_ticked")


def _name(order: OrderRead) -> CheckItem:
    return _auto("contact.name", len(order.name) >= 2, "check.name.missing")


def _phone(order: OrderRead) -> CheckItem:
    try:
        validation.phone(order.phone)
    except InvalidInput:
        return _auto("contact.phone", False, "check.phone.invalid", phone=order.phone)
    return _auto("contact.phone", True)


def _address(order: OrderRead) -> CheckItem:
    try:
        ward = geo.ward(order.ward_code)
        province = geo.province(order.province_code)
    except KeyError:
        return _auto("contact.address", False, "check.address.unknown")
    if ward.province_code != province.code:
        return _auto(
            "contact.address",
            False,
            "check.address.mismatch",
            ward=ward.name,
            province=province.name,
        )
    if not order.street:
        return _auto("contact.address", False, "check.address.no_street")
    return _auto("contact.address", True)


def _email(order: OrderRead) -> CheckItem:
    try:
        validation.email(order.email)
    except InvalidInput:
        return _auto("contact.email", False, "check.email.invalid", email=order.email)
    return _auto("contact.email", True)


def _reserved(order: OrderRead) -> CheckItem:
    short = [line.sku for line in order.lines if line.reserved < line.qty]
    if not order.lines:
        return _auto("product.reserved", False, "check.lines.none")
    return _auto("product.reserved", not short, "check.lines.unreserved", skus=", ".join(short))


def _cod(order: OrderRead) -> CheckItem:
    owed = order.total - order.paid
    return _auto(
        "other.cod",
        order.cod == owed,
        "check.cod.mismatch",
        cod=format_money(order.cod),
        owed=format_money(owed),
    )


def _deliver_by(order: OrderRead, today: date) -> CheckItem:
    if order.deliver_by is None or order.deliver_by >= today:
        return _auto("other.deliver_by", True)
    return _auto(
        "other.deliver_by",
        False,
        "check.deliver_by.past",
        date=order.deliver_by.strftime("%d/%m/%Y"),
    )
