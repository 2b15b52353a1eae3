"""What an import did, to read before going on: a summary line and its details (orders
whose status stayed, items left out, what a later file says differently). Enter or Escape
closes it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from orderdesk.i18n import t


class ReportModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,enter", "close", t("desk.close"), id="report.close"),
    ]

    def __init__(self, title: str, summary: str, details: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.summary = summary
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.summary, id="report-summary")
            if self.details:
                with VerticalScroll(id="report-details"):
                    yield Static(Text("\n".join(self.details)))
            yield Label(t("desk.report_close_hint"), classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
