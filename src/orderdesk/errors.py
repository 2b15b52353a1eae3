"""Domain errors: the only exceptions a seller may see, each with a translatable message.

The desk shows `str(error)` as a notification or next to a field; the CLI prints it as one
line on stderr and exits 1. Anything else escaping the core is a bug and is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orderdesk.i18n import t


class OrderdeskError(Exception):
    """A failure the seller can understand and act on."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class FieldError:
    """One invalid field: which one, and why (a catalog key with its parameters)."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    # For an order's item fields: which line (0-based) the error belongs to.
    line: int | None = None

    def message(self) -> str:
        return t(self.key, **self.params)


class InvalidInput(OrderdeskError):
    """One or more fields failed validation; `errors` says which and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("err.invalid_input")
        self.errors = errors

    def message(self) -> str:
        return "; ".join(_field_label(e) + e.message() for e in self.errors)

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name]


def _field_label(error: FieldError) -> str:
    label = t("field." + error.field)
    if error.line is not None:
        label = t("field.line", n=error.line + 1) + " " + label
    return label + ": "


class NotFound(OrderdeskError):
    pass


class IllegalTransition(OrderdeskError):
    """An action the order's current status does not allow."""

    def __init__(self, code: str, status: Any, action: Any) -> None:
        super().__init__("err.illegal_transition", code=code, status=status, action=action)
        self.code = code
        self.status = status
        self.action = action


@dataclass(frozen=True)
class Shortage:
    sku: str
    wanted: int
    available: int


class OutOfStock(OrderdeskError):
    """Not enough available stock for one or more lines."""

    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__("err.out_of_stock")
        self.shortages = shortages

    def message(self) -> str:
        parts = [
            t("err.out_of_stock.line", sku=s.sku, wanted=s.wanted, available=s.available)
            for s in self.shortages
        ]
        return t("err.out_of_stock", lines="; ".join(parts))


class ChecklistFailed(OrderdeskError):
    """Confirmation refused: some checklist items do not pass."""

    def __init__(self, code: str, failures: list[str]) -> None:
        super().__init__("err.checklist_failed", code=code)
        self.code = code
        self.failures = failures

    def message(self) -> str:
        return t("err.checklist_failed", code=self.code, items="; ".join(self.failures))


@dataclass(frozen=True)
class RowError:
    """One bad cell of an imported file; `row` is the spreadsheet row number."""

    row: int
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return t("import.row_error", row=self.row, column=self.column, reason=self.reason())

    def reason(self) -> str:
        return t(self.key, **self.params)


class ImportRejected(OrderdeskError):
    """A file with bad rows: nothing was written; `errors` lists every bad row."""

    def __init__(self, path: str, errors: list[RowError], *, rows: int = 0) -> None:
        super().__init__("err.import_rejected", path=path, count=len(errors))
        self.errors = errors
        self.rows = rows  # the file's data rows, when the reader counted them


class StoreError(OrderdeskError):
    """The database could not be opened, upgraded or written."""
