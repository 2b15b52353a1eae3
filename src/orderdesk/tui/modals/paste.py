"""A box to paste a chat message into (terminals paste; Textual cannot read the clipboard)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from orderdesk.i18n import t


class PasteModal(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "read", t("desk.paste_read"), id="paste.read", priority=True),
        Binding("escape", "cancel", t("desk.cancel"), id="paste.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("desk.paste_title"), classes="dialog-title")
            yield Label(t("desk.paste_help"), classes="dialog-help")
            yield TextArea(id="paste-text")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_read(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
