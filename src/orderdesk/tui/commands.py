"""The command palette (ctrl+p): every action of every screen, found by words without
diacritics ("tao don" finds "Tạo đơn")."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from orderdesk.i18n import t
from orderdesk.text import fold
from orderdesk.tui.desk import desk_of

# (label key, mode, action run on that mode's screen or None to just go there)
COMMANDS: list[tuple[str, str, str | None]] = [
    ("desk.cmd.orders", "orders", None),
    ("desk.cmd.search_orders", "orders", "search"),
    ("desk.cmd.open_order", "orders", "open_current"),
    ("desk.cmd.reload", "orders", "reload"),
    ("desk.cmd.import_market", "orders", "import_market"),
    ("desk.cmd.new_order", "entry", "clear"),
    ("desk.cmd.paste_order", "entry", "paste"),
    ("desk.cmd.save_order", "entry", "save"),
    ("desk.cmd.stock", "stock", None),
    ("desk.cmd.search_stock", "stock", "search"),
    ("desk.cmd.receive", "stock", "receive"),
    ("desk.cmd.adjust", "stock", "adjust"),
    ("desk.cmd.history", "stock", "history"),
    ("desk.cmd.low_stock", "stock", "low_only"),
    ("desk.cmd.confirm_queue", "confirm", None),
    ("desk.cmd.confirm_order", "confirm", "confirm"),
    ("desk.cmd.next_order", "confirm", "step(1)"),
    ("desk.cmd.previous_order", "confirm", "step(-1)"),
    ("desk.cmd.tick", "confirm", "tick"),
    ("desk.cmd.edit_order", "confirm", "edit"),
    ("desk.cmd.cancel_order", "confirm", "cancel_order"),
    ("desk.cmd.print", "print", "print"),
    ("desk.cmd.pack", "print", "pack"),
    ("desk.cmd.problems", "track", None),
    ("desk.cmd.handover", "track", "handover"),
    ("desk.cmd.tracking_number", "track", "tracking_number"),
    ("desk.cmd.track_event", "track", "event"),
    ("desk.cmd.track_import", "track", "import_file"),
    ("desk.cmd.cod", "track", "cod"),
    ("desk.cmd.reviews", "after", None),
    ("desk.cmd.add_review", "after", "add_review"),
    ("desk.cmd.import_reviews", "after", "import_reviews"),
    ("desk.cmd.new_return", "after", "new_return"),
    ("desk.cmd.exchange", "after", "exchange"),
    ("desk.cmd.customers", "after", "view_customers"),
    ("desk.cmd.reports", "reports", None),
    ("desk.cmd.report_export", "reports", "export"),
    ("desk.cmd.report_custom", "reports", "custom"),
]


class DeskCommands(Provider):
    def _command(self, mode: str, action: str | None) -> Callable[[], None]:
        return partial(desk_of(self.app).run_in_mode, mode, action)

    async def discover(self) -> Hits:
        for key, mode, action in COMMANDS:
            yield DiscoveryHit(t(key), self._command(mode, action), help=t(f"desk.mode.{mode}"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for key, mode, action in COMMANDS:
            label = t(key)
            score = matcher.match(fold(label))
            if score > 0:
                yield Hit(
                    score, Text(label), self._command(mode, action), help=t(f"desk.mode.{mode}")
                )
