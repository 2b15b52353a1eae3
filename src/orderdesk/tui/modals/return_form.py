"""Take goods back from a delivered order: how many of each line, why, and what becomes of
them; or, for an exchange, what is sent instead.

Keyboard: Tab/Enter walk the boxes (Enter on the last one saves, so does ctrl+s), space
ticks "write off", Escape gives up. The form only gathers; `submit` (the core, in one
transaction) decides, and its refusal shows under the form, which stays open to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select

from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.enums import ReturnReason
from orderdesk.models.money import format_money
from orderdesk.services.returns import ReturnableLine
from orderdesk.tui.guard import report
from orderdesk.tui.widgets.order_table import capital


@dataclass(frozen=True)
class ReturnAnswer:
    items: dict[str, str]  # SKU → quantity as typed
    reason: str
    write_off: list[str]
    refund: str  # blank: what the goods were sold for
    note: str
    give: str  # an exchange's replacement, `SKU=QTY, …`


class ReturnForm(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", t("desk.cancel"), id="return.cancel"),
        Binding("ctrl+s", "save", t("desk.save"), id="return.save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        lines: list[ReturnableLine],
        submit: Callable[[ReturnAnswer], str],
        *,
        exchange: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.submit = submit
        self.exchange = exchange

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(t("desk.after.return_help"), classes="dialog-help")
            for i, line in enumerate(self.lines):
                with Horizontal(classes="return-line"):
                    yield Label(
                        t(
                            "desk.after.return_line",
                            sku=line.sku,
                            name=line.name,
                            left=line.left,
                            sold=line.sold,
                            price=format_money(line.unit_price),
                        ),
                        classes="return-item",
                    )
                    yield Input(
                        placeholder="0",
                        id=f"qty-{i}",
                        classes="return-qty",
                        disabled=line.left <= 0,
                        restrict=r"[0-9]*",
                    )
                    if not self.exchange:
                        yield Checkbox(
                            t("desk.after.write_off"),
                            id=f"off-{i}",
                            disabled=line.left <= 0,
                        )
            yield Label(capital(t("field.reason")))
            yield Select(
                [(t("return_reason." + r.value), r.value) for r in ReturnReason],
                prompt=t("desk.after.pick_reason"),
                id="return-reason",
            )
            if self.exchange:
                yield Label(t("desk.after.give"))
                yield Input(placeholder="AT-DEN-L=1, QJ-31", id="return-give")
            else:
                yield Label(t("desk.after.refund"))
                yield Input(placeholder=t("desk.after.refund_hint"), id="return-refund")
            yield Label(capital(t("field.note")))
            yield Input(id="return-note")
            yield Label("", id="return-error", classes="field-error")

    def on_mount(self) -> None:
        first = next(
            (box for box in self.query(".return-qty").results(Input) if not box.disabled), None
        )
        (first or self.query_one("#return-reason", Select)).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "return-note":
            self.action_save()
        else:
            self.focus_next()

    def _answer(self) -> ReturnAnswer:
        items: dict[str, str] = {}
        write_off: list[str] = []
        for i, line in enumerate(self.lines):
            qty = self.query_one(f"#qty-{i}", Input).value.strip()
            if qty and qty.strip("0"):
                items[line.sku] = qty
                if not self.exchange and self.query_one(f"#off-{i}", Checkbox).value:
                    write_off.append(line.sku)
        picked = self.query_one("#return-reason", Select)
        return ReturnAnswer(
            items=items,
            reason="" if picked.is_blank() else str(picked.value),
            write_off=write_off,
            refund="" if self.exchange else self.query_one("#return-refund", Input).value,
            note=self.query_one("#return-note", Input).value,
            give=self.query_one("#return-give", Input).value if self.exchange else "",
        )

    def action_save(self) -> None:
        try:
            done = self.submit(self._answer())
        except OrderdeskError as error:
            self.query_one("#return-error", Label).update(str(error))
            return
        except Exception as error:  # noqa: BLE001 - a bug: logged, the form stays open
            report(self, error)
            return
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)
