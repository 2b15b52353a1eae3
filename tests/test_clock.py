"""The suite's one clock: the code under test and the `now` fixture agree, and a `dated`
test runs a second time with the clock a year ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import SHIFTS, TODAY_AT_TEN
from orderdesk.timeutil import local_today, utcnow


@pytest.mark.dated
def test_the_code_reads_the_fixtures_clock(now: datetime, request: pytest.FixtureRequest) -> None:
    assert timedelta(0) <= utcnow() - now < timedelta(minutes=1)
    assert date.today() == now.date() == local_today()
    assert datetime.now(UTC).hour == 3  # 10:00 in Vietnam: no local midnight near
    shift = SHIFTS[request.node.callspec.id]
    assert now - TODAY_AT_TEN == timedelta(days=shift)
