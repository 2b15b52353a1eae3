"""Form inputs of the desk: an error line under each field, scanner-friendly submit."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label


class FormInput(Input):
    """An Input that submits on LF too (scanners ending with LF send ctrl+j) and hands a
    multi-line paste (a chat message) to the screen instead of keeping its first line."""

    BINDINGS = [Binding("ctrl+j", "submit", show=False, id="input.submit_lf")]

    class ChatPasted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    async def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.strip():
            event.stop()
            event.prevent_default()
            self.post_message(self.ChatPasted(event.text))
            return
        await super()._on_paste(event)


class Field(Vertical):
    """A label, an input (or any widget) and the line where its error is shown."""

    DEFAULT_CSS = """
    Field { height: auto; width: 1fr; }
    Field > .field-label { color: $text-muted; height: 1; }
    Field > .field-error { color: $error; height: auto; display: none; }
    Field.-invalid > .field-error { display: block; }
    Field.-invalid Input { border: tall $error; }
    """

    def __init__(
        self,
        label: str,
        widget: Widget | None = None,
        *,
        name: str,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{name}")
        self.label = label
        self.field_name = name
        self.widget = widget or FormInput(placeholder=placeholder, id=f"in-{name}")

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.widget
        yield Label("", classes="field-error")

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Label).update(message)
        self.set_class(bool(message), "-invalid")
