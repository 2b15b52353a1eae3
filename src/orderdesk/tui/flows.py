"""Flows more than one screen runs: a return or an exchange of one order (from After-sales,
the order page and the customer book)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.screen import Screen

from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.services import orders, returns
from orderdesk.services.returns import ReturnRead
from orderdesk.tui.desk import desk_of
from orderdesk.tui.modals.return_form import ReturnAnswer, ReturnForm


def stars_text(stars: int) -> Text:
    return Text("★" * stars + "☆" * (5 - stars), style="bold red" if stars <= 2 else "yellow")


def returned_items(found: ReturnRead) -> str:
    return ", ".join(
        f"{ln.sku}×{ln.qty}" + ("" if ln.restock else f" ({t('desk.after.written_off')})")
        for ln in found.lines
    )


def start_return(
    screen: Screen[object], code: str, done: Callable[[], None], *, swap: bool
) -> None:
    desk = desk_of(screen.app)
    try:
        with desk.store.read() as session:
            lines = returns.returnable(session, code)
            order = orders.get(session, code)
    except Exception as error:  # noqa: BLE001 - reported, never lost
        from orderdesk.tui.guard import report

        report(screen, error)
        return

    def submit(answer: ReturnAnswer) -> str:
        with desk.store.write() as session:
            if swap:
                found = returns.exchange(
                    session,
                    order.code,
                    answer.items,
                    returns.items_of(answer.give),
                    reason=answer.reason,
                )
                new = orders.get(session, found.exchange_code)
                return t(
                    "cli.exchange.done",
                    code=order.code,
                    new=new.code,
                    status=t("status." + new.status.value),
                    cod=format_money(new.cod),
                    refund=format_money(found.refund),
                )
            found = returns.create(
                session,
                order.code,
                answer.items,
                reason=answer.reason,
                write_off=answer.write_off,
                refund=answer.refund.strip() or None,
                note=answer.note,
            )
            return t(
                "desk.after.returned",
                code=order.code,
                items=returned_items(found),
                refund=format_money(found.refund),
            )

    def closed(message: str | None) -> None:
        if message:
            screen.notify(message, markup=False)
            done()

    title = t(
        "desk.after.exchange_title" if swap else "desk.after.return_title",
        code=order.code,
        name=order.name,
    )
    screen.app.push_screen(ReturnForm(title, lines, submit, exchange=swap), closed)
