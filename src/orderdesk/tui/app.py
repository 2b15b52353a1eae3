"""The desk application: modes, keys, and the one factory the CLI and tests use."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from orderdesk.config import Settings
from orderdesk.db import Store
from orderdesk.i18n import t
from orderdesk.tui.screens.orders import OrdersScreen


class OrderdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "orderdesk"
    MODES = {"orders": OrdersScreen}
    DEFAULT_MODE = "orders"
    BINDINGS = [
        Binding(
            "1", "switch_mode('orders')", t("desk.mode.orders"), id="app.mode.orders", show=False
        ),
        Binding("question_mark", "toggle_help", t("desk.help"), id="app.help"),
        Binding("ctrl+q", "quit", t("desk.quit"), id="app.quit", priority=True),
    ]

    def __init__(self, store: Store, settings: Settings, *, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.title = settings.shop_name + (f" — {t('desk.demo')}" if demo else "")
        self.sub_title = t("desk.mode.orders")

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(store: Store, settings: Settings, *, demo: bool = False) -> OrderdeskApp:
    return OrderdeskApp(store, settings, demo=demo)


def run_desk(store: Store, settings: Settings, *, demo: bool = False) -> None:
    make_app(store, settings, demo=demo).run()
