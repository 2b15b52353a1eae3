"""What every file reader shares: required columns, unknown-column warnings, row errors."""

from __future__ import annotations

from pathlib import Path

from orderdesk.errors import FieldError, ImportRejected, RowError
from orderdesk.formats.sheets import Sheet
from orderdesk.i18n import t


def check_columns(
    path: Path,
    sheet: Sheet,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    informational: tuple[str, ...] = (),
) -> list[str]:
    """Raise for missing required columns; return warnings for the ones we ignore."""
    missing = [name for name in required if name not in sheet.headers]
    if missing:
        raise ImportRejected(
            str(path),
            [RowError(1, name, "import.column_missing") for name in missing],
        )
    known = set(required) | set(optional)
    warnings = []
    for name in sheet.headers:
        if name in informational:
            warnings.append(t("import.column_not_imported", column=name))
        elif name not in known:
            warnings.append(t("import.column_unknown", column=name))
    return warnings


def row_errors(
    row: int, errors: list[FieldError], columns: dict[str, str] | None = None
) -> list[RowError]:
    columns = columns or {}
    return [RowError(row, columns.get(e.field, e.field), e.key, e.params) for e in errors]


_TRUE = {"1", "yes", "y", "true", "x", "co", "có", "active"}
_FALSE = {"0", "no", "n", "false", "khong", "không", "inactive"}


def flag(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None
