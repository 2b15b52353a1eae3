"""What a screen may ask of the desk it runs in, and the one base class of its screens.

Screens reach the shop's store and settings through `self.desk`, typed by the `Desk`
protocol the application satisfies: the screens need not import the application (which
imports them), so the desk has no circle."""

from __future__ import annotations

from typing import Protocol, TypeVar, cast

from textual.app import App
from textual.screen import Screen

from orderdesk.config import Settings
from orderdesk.db import Store

ResultT = TypeVar("ResultT")


class Desk(Protocol):
    store: Store
    settings: Settings

    async def run_in_mode(self, mode: str, action: str | None = None) -> None: ...

    async def edit_order(self, code: str) -> None: ...

    async def confirm_order(self, code: str) -> None: ...


def desk_of(app: App[object]) -> Desk:
    return cast(Desk, app)


class DeskScreen(Screen[ResultT]):
    """A screen of the desk: every step, page and scan screen is one."""

    @property
    def desk(self) -> Desk:
        return desk_of(self.app)
