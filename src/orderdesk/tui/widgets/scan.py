"""A screen driven by a barcode scanner: one scan field that keeps the focus.

Keyboard-wedge scanners type one key per character and end with Enter (CR) or ctrl+j (LF);
both submit the field. Whether something is half-typed decides what Escape does, so the
screen's bindings are refreshed when that changes.
"""

from __future__ import annotations

from textual.widgets import Input

from orderdesk.tui.desk import DeskScreen


class ScanScreen(DeskScreen[None]):
    SCAN_FIELD = ""  # the id of the scan Input

    def __init__(self) -> None:
        super().__init__()
        self._typing = False

    def scan(self, value: str) -> None:
        raise NotImplementedError

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != self.SCAN_FIELD:
            return
        typing = bool(event.value)
        if typing != self._typing:
            self._typing = typing
            self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != self.SCAN_FIELD:
            return
        event.stop()
        self.action_submit_scan()

    def action_submit_scan(self) -> None:
        field = self.query_one(f"#{self.SCAN_FIELD}", Input)
        value = field.value.strip()
        field.value = ""
        self.scan(value)

    def action_clear_scan(self) -> None:
        self.query_one(f"#{self.SCAN_FIELD}", Input).value = ""
