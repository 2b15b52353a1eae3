"""Ask for one or two values (a cancel reason; a quantity and a note) and return them."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from orderdesk.i18n import t


@dataclass(frozen=True)
class Ask:
    label: str
    placeholder: str = ""
    required: bool = False
    value: str = ""


class PromptModal(ModalScreen[list[str] | None]):
    """Enter moves to the next box and, on the last one, answers; Escape gives up."""

    BINDINGS = [Binding("escape", "cancel", t("desk.cancel"), id="prompt.cancel")]

    def __init__(self, title: str, asks: list[Ask], help_text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.asks = asks
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.help_text:
                yield Label(self.help_text, classes="dialog-help")
            for index, ask in enumerate(self.asks):
                yield Label(ask.label)
                yield Input(value=ask.value, placeholder=ask.placeholder, id=f"ask-{index}")
            yield Label("", id="prompt-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#ask-0", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        index = int((event.input.id or "ask-0").split("-")[1])
        if index + 1 < len(self.asks):
            self.query_one(f"#ask-{index + 1}", Input).focus()
            return
        values = [self.query_one(f"#ask-{i}", Input).value for i in range(len(self.asks))]
        missing = [
            ask.label
            for ask, value in zip(self.asks, values, strict=True)
            if ask.required and not value.strip()
        ]
        if missing:
            self.query_one("#prompt-error", Label).update(t("desk.required", field=missing[0]))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
