"""Type-ahead: an input with a list of matches under it (provinces, wards, products).

Typing filters the list, ↓/↑ move in it, Enter takes the highlighted match (or submits
what was typed when nothing is highlighted, which is what a barcode scanner needs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from orderdesk.tui.widgets.form import FormInput


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text | str


Search = Callable[[str], list[Choice]]


class PickerInput(FormInput):
    BINDINGS = [
        Binding("down", "move(1)", show=False, id="picker.down"),
        Binding("up", "move(-1)", show=False, id="picker.up"),
    ]

    def action_move(self, step: int) -> None:
        picker = self.parent
        assert isinstance(picker, Picker)
        picker.move(step)


class Picker(Vertical):
    DEFAULT_CSS = """
    Picker { height: auto; }
    Picker > OptionList { height: auto; max-height: 8; display: none; border: none; }
    Picker.-open > OptionList { display: block; }
    """

    class Chosen(Message):
        """A match was taken from the list."""

        def __init__(self, picker: Picker, choice: Choice) -> None:
            super().__init__()
            self.picker = picker
            self.choice = choice

        @property
        def control(self) -> Picker:
            return self.picker

    class Typed(Message):
        """Enter on typed text with no match highlighted (a scanned code, say)."""

        def __init__(self, picker: Picker, text: str) -> None:
            super().__init__()
            self.picker = picker
            self.text = text

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        search: Search,
        *,
        placeholder: str = "",
        id: str | None = None,
        input_id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.search = search
        self._input = PickerInput(placeholder=placeholder, id=input_id)
        self._choices: list[Choice] = []
        self._quiet = False

    def compose(self) -> ComposeResult:
        yield self._input
        yield OptionList()

    @property
    def input(self) -> PickerInput:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    def set_value(self, text: str) -> None:
        """Show `text` without opening the list (a value filled in by the program)."""
        self._quiet = True
        self._input.value = text
        self._close()

    def refresh_choices(self) -> None:
        self._fill(self._input.value)

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        self._choices = self.search(text) if text.strip() else []
        options.clear_options()
        options.add_options([Option(c.label, id=str(i)) for i, c in enumerate(self._choices)])
        self.set_class(bool(self._choices) and self._input.has_focus, "-open")
        if self._choices:
            options.highlighted = 0

    def _close(self) -> None:
        self.remove_class("-open")

    def move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.has_class("-open") or not self._choices:
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self._choices) - 1, current + step))

    @on(FormInput.Changed)
    def _changed(self, event: FormInput.Changed) -> None:
        event.stop()
        if self._quiet:
            self._quiet = False
            return
        self._fill(event.value)

    @on(FormInput.Submitted)
    def _submitted(self, event: FormInput.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if self.has_class("-open") and options.highlighted is not None and self._choices:
            self._choose(self._choices[options.highlighted])
        else:
            self.post_message(self.Typed(self, event.value))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self._choices[int(event.option.id or 0)])

    def _choose(self, choice: Choice) -> None:
        self._close()
        self.post_message(self.Chosen(self, choice))

    def on_descendant_blur(self) -> None:
        self._close()
