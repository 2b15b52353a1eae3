"""The order state machine: which action is allowed in which status, and where it leads.

This table is the only place status rules live. Services ask `next_status`; an action the
table does not allow raises `IllegalTransition` naming the order, its status and the action.
"""

from __future__ import annotations

from orderdesk.errors import IllegalTransition
from orderdesk.models.enums import Action, OrderStatus

S = OrderStatus

TRANSITIONS: dict[Action, dict[OrderStatus, OrderStatus]] = {
    # Editing re-reserves; the service decides between pending and awaiting_stock, and the
    # target here is where a successful full reservation leads.
    Action.EDIT: {S.PENDING: S.PENDING, S.AWAITING_STOCK: S.PENDING},
    Action.ALLOCATE: {S.AWAITING_STOCK: S.PENDING},
    Action.CONFIRM: {S.PENDING: S.CONFIRMED},
    Action.CANCEL: {
        S.PENDING: S.CANCELLED,
        S.AWAITING_STOCK: S.CANCELLED,
        S.CONFIRMED: S.CANCELLED,
        S.PACKED: S.CANCELLED,
    },
    Action.PACK: {S.CONFIRMED: S.PACKED},
    Action.SHIP: {S.PACKED: S.SHIPPED},
    Action.DELIVER: {S.SHIPPED: S.DELIVERED, S.DELIVERY_FAILED: S.DELIVERED},
    Action.FAIL_DELIVERY: {S.SHIPPED: S.DELIVERY_FAILED},
    Action.REDELIVER: {S.DELIVERY_FAILED: S.SHIPPED},
    Action.START_RETURN: {S.SHIPPED: S.RETURNING, S.DELIVERY_FAILED: S.RETURNING},
    # A carrier file may skip "returning" and report the parcel back at once.
    Action.MARK_RETURNED: {
        S.SHIPPED: S.RETURNED,
        S.DELIVERY_FAILED: S.RETURNED,
        S.RETURNING: S.RETURNED,
    },
}

# Statuses whose lines hold a reservation on the shelf.
HOLDS_STOCK: frozenset[OrderStatus] = frozenset({S.PENDING, S.CONFIRMED, S.PACKED})
# Statuses in which the goods have left the shelf.
OUT_OF_SHOP: frozenset[OrderStatus] = frozenset(
    {S.SHIPPED, S.DELIVERED, S.DELIVERY_FAILED, S.RETURNING}
)
FINAL: frozenset[OrderStatus] = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED})


def allowed(status: OrderStatus, action: Action) -> bool:
    return status in TRANSITIONS[action]


def next_status(code: str, status: OrderStatus, action: Action) -> OrderStatus:
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise IllegalTransition(code, status, action) from None


def actions_from(status: OrderStatus) -> list[Action]:
    return [action for action, table in TRANSITIONS.items() if status in table]


def path(
    status: OrderStatus, target: OrderStatus, *, via: frozenset[Action] | None = None
) -> list[Action] | None:
    """The fewest actions that take an order from `status` to `target` through the table
    (none when it is there already), or None when the table has no way there. `via`
    limits the actions a caller may take (an import never re-delivers or edits).

    The one place a path between statuses is worked out: imports, the carrier's events and
    the problems queue ask it."""
    allowed_actions = via if via is not None else frozenset(TRANSITIONS) - _NOT_A_STEP
    paths: dict[OrderStatus, list[Action]] = {status: []}
    frontier = [status]
    while frontier:
        if target in paths:
            return paths[target]
        following: list[OrderStatus] = []
        for here in frontier:
            for action, table in TRANSITIONS.items():
                there = table.get(here)
                if action in allowed_actions and there is not None and there not in paths:
                    paths[there] = [*paths[here], action]
                    following.append(there)
        frontier = following
    return paths.get(target)


# Not steps of a path: editing stays where it is, allocation follows stock.
_NOT_A_STEP = frozenset({Action.EDIT, Action.ALLOCATE})
