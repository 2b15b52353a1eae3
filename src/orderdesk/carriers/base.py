"""What orderdesk knows about a carrier: one `Carrier` value per company.

Carriers are reached offline, through the files their portals take (bulk upload) and give
(status exports, COD statements). Each file names its columns in the carrier's own words,
so a carrier lists, per field, every header it is known to use; headers are compared after
NFC, accent folding and case folding (`text.fold`).

An online adapter (a carrier's API) can plug in later as `Carrier.source`: anything with
`events(numbers)` that yields `StatusRow`s feeds the same import as a file does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple, Protocol

from orderdesk.models.enums import Inspection
from orderdesk.text import fold

_SPACE = re.compile(r"\s+")


class Outcome(StrEnum):
    """What a carrier status means for the order; the state machine decides the rest."""

    __catalog__ = "outcome"

    INFO = "info"  # the carrier knows the parcel but does not have it yet
    TRANSIT = "transit"  # the carrier has it and is moving it
    DELIVERED = "delivered"
    FAILED = "failed"  # a delivery attempt failed; it may be tried again
    RETURNING = "returning"
    RETURNED = "returned"  # back at the shop
    PROBLEM = "problem"  # lost, damaged, cancelled by the carrier: the seller must act


class StatusRow(NamedTuple):
    """One row of a carrier's status file (or one event from an online source).

    A named tuple: a 20,000-row file makes 20,000 of them."""

    row: int
    tracking: str
    code: str
    status: str
    at: datetime  # UTC
    location: str = ""
    note: str = ""


class StatusSource(Protocol):
    """An online adapter: status events for these tracking numbers. None ship yet."""

    def events(self, numbers: Sequence[str]) -> Iterable[StatusRow]: ...


@dataclass(frozen=True)
class StatusFields:
    """Header names of a carrier's status export, each field with every known spelling."""

    tracking: tuple[str, ...]
    code: tuple[str, ...]
    status: tuple[str, ...]
    time: tuple[str, ...]
    location: tuple[str, ...] = ()
    note: tuple[str, ...] = ()
    status_name: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodFields:
    """Header names of a carrier's COD statement. Fees may be several columns, summed;
    when there is no "paid" column the amount paid is COD collected minus fees."""

    tracking: tuple[str, ...]
    code: tuple[str, ...]
    cod: tuple[str, ...]
    fees: tuple[str, ...] = ()
    paid: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    statement: tuple[str, ...] = ()


@dataclass(frozen=True)
class UploadColumn:
    head: str
    value: str  # an attribute of `io.carrier_files.UploadRow`


@dataclass(frozen=True)
class Carrier:
    id: str
    name: str
    services: tuple[tuple[str, str], ...]  # (code, display name)
    tracking_pattern: re.Pattern[str]
    inspection: Mapping[Inspection, str]  # the carrier's own wording, printed and uploaded
    tracking_url: str  # with {number}; "" when there is nothing to look up
    upload_columns: tuple[UploadColumn, ...]
    upload_format: str  # "xlsx" or "csv": what the portal's bulk upload takes
    status_fields: StatusFields
    statuses: Mapping[str, Outcome]  # folded status text → outcome
    cod_fields: CodFields
    # Times in this carrier's files that carry no zone are UTC (GHN) or local time.
    naive_utc: bool = False
    # How many days without a new event before a parcel counts as stuck.
    stale_days: int = 3
    normalize: Callable[[str], str] = field(default=lambda number: number)
    # The carrier's own name for a numeric status (GHTK `9` is "Không giao được hàng").
    status_names: Mapping[str, str] = field(default_factory=dict)
    source: StatusSource | None = None

    def tracking_number(self, text: str) -> str:
        """The stored form of a number typed, scanned or read from a file."""
        return self.normalize(_SPACE.sub("", text).upper())

    def fits(self, number: str) -> bool:
        return bool(self.tracking_pattern.fullmatch(number))

    def outcome(self, status: str, extra: Mapping[str, Outcome] | None = None) -> Outcome | None:
        key = status_key(status)
        if extra and key in extra:
            return extra[key]
        return self.statuses.get(key)

    def status_label(self, status: str) -> str:
        """A status as a person reads it: the code, then the carrier's name for it."""
        name = self.status_names.get(status_key(status), "")
        return f"{status} {name}" if name else status

    def url(self, number: str) -> str:
        return self.tracking_url.format(number=number) if self.tracking_url and number else ""


@lru_cache(maxsize=4096)
def status_key(status: str) -> str:
    """Carrier statuses compare folded; `5.0` from a spreadsheet cell is `5`."""
    key = fold(status)
    if re.fullmatch(r"-?\d+\.0+", key):
        key = key.split(".")[0]
    return key


def table(pairs: Mapping[str, Outcome] | Iterable[tuple[str, Outcome]]) -> dict[str, Outcome]:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return {status_key(k): v for k, v in items}


def names(*spellings: str) -> tuple[str, ...]:
    return tuple(fold(s) for s in spellings)
