"""The desk application: modes, keys, and the one factory the CLI and tests use."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from orderdesk import crashlog
from orderdesk.config import Settings
from orderdesk.db import Store
from orderdesk.errors import OrderdeskError
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

    def _handle_exception(self, error: Exception) -> None:
        # Textual would print a traceback on exit. Screens catch domain errors where they
        # act (a handler that raised has stopped its widget's message loop, so there is no
        # safe way on); anything reaching here is a bug: logged, one line, exit code 1.
        where = crashlog.record(error)
        if self._exception is None:
            self._exception = error  # tests re-raise it
            self._exception_event.set()
        self.exit(return_code=1, message=t("cli.crashed", path=str(where) if where else "-"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False; a bug in one must still be seen and logged.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            if isinstance(error, OrderdeskError):
                self.notify(str(error), severity="error")
                return
            where = crashlog.record(error)
            self.notify(
                t("desk.worker_failed", path=str(where) if where else "-"),
                severity="error",
                timeout=15,
            )

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(store: Store, settings: Settings, *, demo: bool = False) -> OrderdeskApp:
    return OrderdeskApp(store, settings, demo=demo)


def run_desk(store: Store, settings: Settings, *, demo: bool = False) -> int:
    """Run the desk until the seller quits; the exit code (1 after an unexpected error)."""
    app = make_app(store, settings, demo=demo)
    app.run()
    return app.return_code or 0
