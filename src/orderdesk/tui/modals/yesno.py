"""A yes-or-no question: `y`/Enter answers yes, `n`/Escape answers no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from orderdesk.i18n import t


class YesNoModal(ModalScreen[bool]):
    HINT = "desk.yes_no_hint"
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
            yield Label(t(self.HINT), classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class StrictYesNoModal(YesNoModal, inherit_bindings=False):
    """Only `y` answers yes: for questions asked while a scanner may still be typing, whose
    Enter must not say yes by accident (closing a handover)."""

    BINDINGS = [
        Binding("y", "answer(True)", t("desk.yes"), id="yesno_strict.yes"),
        Binding("n,escape", "answer(False)", t("desk.no"), id="yesno_strict.no"),
    ]
    HINT = "desk.yes_no_strict_hint"
