"""Time: stored in UTC, shown in the shop's local time (Asia/Ho_Chi_Minh by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_local: tzinfo = ZoneInfo(DEFAULT_TIMEZONE)


def utcnow() -> datetime:
    return datetime.now(UTC)


def set_local_timezone(name: str) -> None:
    global _local
    _local = ZoneInfo(name)


def local_tz() -> tzinfo:
    return _local


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_local)


def local_today(now: datetime | None = None) -> date:
    return to_local(now or utcnow()).date()


def format_local(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return to_local(moment).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
