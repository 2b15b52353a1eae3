"""A customer's record of refused COD parcels, as the new-order and confirm screens show it."""

from __future__ import annotations

from rich.text import Text

from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.services import customers
from orderdesk.timeutil import format_local
from orderdesk.tui.widgets.order_table import capital


def risk_text(danger: customers.Risk) -> Text:
    """The warning and the history behind it, for the new-order and confirm screens."""
    text = Text(
        t("desk.risk_warning", refused=danger.refused, failed=danger.failed), style="bold red"
    )
    for event in danger.history:
        text.append(
            f"\n  ⚠ {event.code}  {format_local(event.at)}  "
            f"{capital(t('status.' + event.status.value))}  {format_money(event.cod)}",
            style="red",
        )
        if event.reason:
            text.append(f"  · {event.reason}", style="red")
    return text
