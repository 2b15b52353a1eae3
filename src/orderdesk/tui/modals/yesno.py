"""A yes-or-no question: `y`/Enter answers yes, `n`/Escape answers no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from orderdesk.i18n import t


class YesNoModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", t("desk.yes"), id="yesno.yes"),
        Binding("n,escape", "answer(False)", t("desk.no"), id="yesno.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            if self.detail:
                yield Label(self.detail, classes="dialog-help")
            yield Label(t("desk.yes_no_hint"), classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
