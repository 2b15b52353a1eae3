"""Orders through their life: create, edit, confirm, cancel, pack, ship, deliver, return.

Every function is one step of a user action inside the caller's transaction. Stock moves
only through `services.ledger`; statuses change only through `models.lifecycle`; each change
leaves a row in the order's history. The modules, each over the ones before it:
`base` (statements, stored records, history and stock writes), `validate`, `queries`,
`actions` (the checklist and every step of the state machine), `create`, `edit`. This
face is what the desk, the command line and the other services call.
"""

from __future__ import annotations

from orderdesk.models.reads import OrderRow
from orderdesk.services.orders.actions import (
    advance_many,
    allocate_waiting,
    apply,
    cancel,
    confirm,
    tick,
)
from orderdesk.services.orders.base import ProductRef, ValidOrder, product_refs
from orderdesk.services.orders.create import create, create_many, create_valid
from orderdesk.services.orders.edit import edit
from orderdesk.services.orders.queries import (
    SEARCH_COUNT_CAP,
    confirm_queue,
    detail,
    get,
    has_search_index,
    list_orders,
    list_rows,
    rows_for_phone,
    search_counts,
    search_key,
    status_counts,
    ticked,
)
from orderdesk.services.orders.validate import (
    Money,
    Quote,
    QuoteLine,
    order_code,
    quote,
    settle,
    validate,
)

__all__ = [
    "SEARCH_COUNT_CAP",
    "Money",
    "OrderRow",
    "ProductRef",
    "Quote",
    "QuoteLine",
    "ValidOrder",
    "advance_many",
    "allocate_waiting",
    "apply",
    "cancel",
    "confirm",
    "confirm_queue",
    "create",
    "create_many",
    "create_valid",
    "detail",
    "edit",
    "get",
    "has_search_index",
    "list_orders",
    "list_rows",
    "order_code",
    "product_refs",
    "quote",
    "rows_for_phone",
    "search_counts",
    "search_key",
    "settle",
    "status_counts",
    "tick",
    "ticked",
    "validate",
]
