"""Pick one of a short list with the arrow keys and Enter; Escape gives up."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from orderdesk.i18n import t


class ChoiceModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", t("desk.cancel"), id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], help_text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.help_text:
                yield Label(self.help_text, classes="dialog-help")
            yield OptionList(
                *(Option(label, id=value) for label, value in self.options), id="choices"
            )

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
