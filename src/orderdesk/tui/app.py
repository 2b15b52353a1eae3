"""The desk application: modes, keys, and the one factory the CLI and tests use."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from orderdesk import crashlog
from orderdesk.config import Settings
from orderdesk.db import Store
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.tui.commands import DeskCommands
from orderdesk.tui.screens.after import AfterScreen
from orderdesk.tui.screens.confirm import ConfirmScreen
from orderdesk.tui.screens.entry import EntryScreen
from orderdesk.tui.screens.orders import OrdersScreen
from orderdesk.tui.screens.print import PrintScreen
from orderdesk.tui.screens.reports import ReportsScreen
from orderdesk.tui.screens.stock import StockScreen
from orderdesk.tui.screens.track import TrackScreen


class OrderdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "orderdesk"
    # The steps of PRODUCT.md, then after-sales and reports.
    MODES = {
        "orders": OrdersScreen,
        "entry": EntryScreen,
        "stock": StockScreen,
        "confirm": ConfirmScreen,
        "print": PrintScreen,
        "track": TrackScreen,
        "after": AfterScreen,
        "reports": ReportsScreen,
    }
    DEFAULT_MODE = "orders"
    COMMANDS = App.COMMANDS | {DeskCommands}
    BINDINGS = [
        Binding("1", "switch_mode('orders')", t("desk.mode.orders"), id="app.mode.orders"),
        Binding("2", "switch_mode('entry')", t("desk.mode.entry"), id="app.mode.entry"),
        Binding("3", "switch_mode('stock')", t("desk.mode.stock"), id="app.mode.stock"),
        Binding("4", "switch_mode('confirm')", t("desk.mode.confirm"), id="app.mode.confirm"),
        Binding("5", "switch_mode('print')", t("desk.mode.print"), id="app.mode.print"),
        Binding("6", "switch_mode('track')", t("desk.mode.track"), id="app.mode.track"),
        Binding("7", "switch_mode('after')", t("desk.mode.after"), id="app.mode.after"),
        Binding("8", "switch_mode('reports')", t("desk.mode.reports"), id="app.mode.reports"),
        Binding("question_mark", "toggle_help", t("desk.help"), id="app.help"),
        # Our own palette binding, so its label is translated (Textual's says "palette").
        Binding(
            "ctrl+p",
            "command_palette",
            t("desk.palette"),
            id="app.palette",
            show=False,
            priority=True,
        ),
        Binding("ctrl+q", "quit", t("desk.quit"), id="app.quit", priority=True),
    ]

    def __init__(self, store: Store, settings: Settings, *, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.title = settings.shop_name + (f" — {t('desk.demo')}" if demo else "")

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Number keys switch steps only when they are not being typed into a field.
        if action in ("switch_mode", "toggle_help") and isinstance(self.focused, Input | TextArea):
            return False
        return True

    async def run_in_mode(self, mode: str, action: str | None = None) -> None:
        """Go to a step and run one of its screen's actions (the command palette's way)."""
        await self.switch_mode(mode)
        if action:
            await self.screen.run_action(action)

    async def edit_order(self, code: str) -> None:
        await self.switch_mode("entry")
        screen = self.screen
        assert isinstance(screen, EntryScreen)
        screen.load_order(code)

    async def confirm_order(self, code: str) -> None:
        await self.switch_mode("confirm")
        screen = self.screen
        assert isinstance(screen, ConfirmScreen)
        screen.select(code)

    def _handle_exception(self, error: Exception) -> None:
        # Screens catch errors where they act (tui/guard.py). Anything reaching here escaped
        # that net: logged, one line instead of Textual's traceback, exit code 1.
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
                self.notify(str(error), severity="error", markup=False)
                return
            where = crashlog.record(error)
            self.notify(
                t("desk.worker_failed", path=str(where) if where else "-"),
                severity="error",
                timeout=15,
                markup=False,
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
