"""What an import of a file reports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    pending: int = 0
    awaiting: int = 0
    warnings: list[str] = field(default_factory=list)
    # Addresses from before July 2025 converted to today's ward, one line per order.
    converted: list[str] = field(default_factory=list)
    # Old addresses kept as written until the seller chooses their ward (a split ward).
    to_choose: list[str] = field(default_factory=list)
