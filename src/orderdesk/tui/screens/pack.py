"""Scan to pack (pushed from Print): scan an order's code, then every item into the box.

Keyboard-wedge scanners type one key per character and end with Enter (CR) or ctrl+j (LF);
both submit the scan field, which keeps the focus the whole time. A refused scan is loud:
an error notification, a red status line and the terminal bell, so a packer looking at the
box still notices. The rules live in `services.packing`; this screen only shows them.

Keys: Enter / ctrl+j submit a scan; ctrl+z takes back the last tick (always, whatever is
in the field); Esc clears a half-typed scan, else abandons the open order (nothing is
saved for it), else closes the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from orderdesk.errors import NotFound, OrderdeskError
from orderdesk.i18n import t
from orderdesk.services import packing
from orderdesk.services.packing import PackLine, PackSession, ScanOutcome
from orderdesk.tui.guard import guarded
from orderdesk.tui.widgets.scan import ScanScreen

COLUMNS = ("col.sku", "col.product", "col.variant", "pack.col.scanned")


class PackScreen(ScanScreen):
    SCAN_FIELD = "pack-scan"
    BINDINGS = [
        Binding("ctrl+j", "submit_scan", t("pack.submit"), id="pack.submit_lf", show=False),
        Binding("ctrl+z", "undo", t("pack.undo"), id="pack.undo"),
        # One key, three meanings, tried in this order (check_action enables one).
        Binding("escape", "clear_scan", t("pack.clear"), id="pack.clear"),
        Binding("escape", "abandon", t("pack.abandon"), id="pack.abandon"),
        Binding("escape", "close", t("pack.close"), id="pack.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pack: PackSession | None = None
        self.packed = 0  # orders packed since the screen opened

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("pack.scan_order_hint"), id="pack-scan")
        yield Static("", id="pack-order")
        yield Static(Text(t("pack.idle")), id="pack-status")
        yield DataTable(id="pack-lines", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#pack-lines", DataTable)
        table.can_focus = False  # every key goes to the scan field
        for key in COLUMNS:
            table.add_column(t(key), key=key)
        self._subtitle()
        self.query_one("#pack-scan", Input).focus()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_scan":
            return self._typing
        if action == "abandon":
            return self.pack is not None and not self._typing
        if action == "close":
            return self.pack is None and not self._typing
        return True

    def action_abandon(self) -> None:
        if self.pack is None:
            return
        self._left_unfinished(self.pack)
        self.pack = None
        self.query_one("#pack-order", Static).update("")
        self.query_one("#pack-lines", DataTable).clear()
        self._placeholder()
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)

    @guarded
    def action_undo(self) -> None:
        line = self.pack.undo() if self.pack is not None else None
        if line is None:
            self._say(t("pack.nothing_to_undo"))
            return
        self._update_line(line)
        self._header()
        self._say(t("pack.undone", sku=line.sku, scanned=line.scanned, qty=line.qty))

    # ------------------------------------------------------------------ scanning

    @guarded
    def scan(self, value: str) -> None:
        """One scan: an order code when no order is open, else an item or another order."""
        if not value:
            if self.pack is not None and self.pack.complete:
                self._finish()  # Enter on an empty field retries a save that failed
            return
        if self.pack is None:
            self._open(value)
            return
        result = self.pack.scan(value)
        if result.ok:
            assert result.line is not None
            self._update_line(result.line)
            self._header()
            self._say(
                t(
                    "pack.ticked",
                    sku=result.line.sku,
                    scanned=result.line.scanned,
                    qty=result.line.qty,
                    remaining=result.remaining,
                ),
                style="green",
            )
            if self.pack.complete:
                self._finish()
            return
        if result.outcome is ScanOutcome.WRONG_ITEM and self._switch(value):
            return
        error = result.error
        assert error is not None
        self._refuse(error)

    def _open(self, code: str) -> None:
        try:
            with self.desk.store.read() as session:
                pack = packing.start(session, code)
        except OrderdeskError as error:
            self._refuse(error)
            return
        self._show(pack)
        self._say(t("pack.opened", code=pack.code, total=pack.progress.total))

    def _switch(self, value: str) -> bool:
        """Open `value` as another order if it is one; False when no order has that code."""
        assert self.pack is not None
        try:
            with self.desk.store.read() as session:
                pack = packing.start(session, value)
        except NotFound:
            return False
        except OrderdeskError as error:  # an order, but not one to pack: keep this one
            self._refuse(error)
            return True
        old = self.pack
        if pack.code == old.code:
            self._say(t("pack.already_open", code=old.code))
            return True
        self._show(pack)
        opened = t("pack.opened", code=pack.code, total=pack.progress.total)
        if old.progress.done:
            self._left_unfinished(old, then=opened, bell=True)
        else:
            self._say(opened)
        return True

    def _finish(self) -> None:
        assert self.pack is not None
        try:
            with self.desk.store.write() as session:
                order = self.pack.finish(session)
        except OrderdeskError as error:
            self._refuse(error, hint=t("pack.retry_hint"))
            return
        self.pack = None
        self.packed += 1
        self.query_one("#pack-order", Static).update(
            self._order_line(order.code, order.name, t("status.packed"), style="bold green")
        )
        message = t("pack.packed", code=order.code)
        self.notify(message, markup=False)
        self._say(message, style="bold green")
        self._placeholder()
        self._subtitle()
        self.refresh_bindings()

    # ------------------------------------------------------------------ view

    def _show(self, pack: PackSession) -> None:
        self.pack = pack
        table = self.query_one("#pack-lines", DataTable)
        table.clear()
        for line in pack.lines:
            table.add_row(*self._cells(line), key=line.sku)
        self._header()
        self._placeholder()
        self.refresh_bindings()

    def _header(self) -> None:
        if self.pack is None:
            return
        done, total = self.pack.progress
        self.query_one("#pack-order", Static).update(
            self._order_line(
                self.pack.code, self.pack.order.name, t("pack.progress", done=done, total=total)
            )
        )

    @staticmethod
    def _order_line(code: str, name: str, state: str, *, style: str = "bold") -> Text:
        """Code, receiver and state; the receiver's name is customer text, never markup."""
        return Text.assemble((code, style), "  ·  ", name, "  ·  ", (state, style))

    def _cells(self, line: PackLine) -> list[Text]:
        style = "green" if line.complete else ("yellow" if line.scanned else "")
        return [
            Text(line.sku, style=style),
            Text(line.name, style=style),
            Text(line.variant, style=style),
            Text(f"{line.scanned}/{line.qty}", style=f"bold {style}".strip(), justify="right"),
        ]

    def _update_line(self, line: PackLine) -> None:
        table = self.query_one("#pack-lines", DataTable)
        for key, cell in zip(COLUMNS, self._cells(line), strict=True):
            table.update_cell(line.sku, key, cell)
        table.move_cursor(row=table.get_row_index(line.sku))

    def _placeholder(self) -> None:
        field = self.query_one("#pack-scan", Input)
        field.placeholder = t("pack.scan_item_hint" if self.pack else "pack.scan_order_hint")

    def _subtitle(self) -> None:
        self.sub_title = t("pack.title") + (f" · {self.packed}" if self.packed else "")

    def _say(self, message: str, *, style: str = "") -> None:
        status = self.query_one("#pack-status", Static)
        status.remove_class("-error")
        status.update(Text(message, style=style))

    def _left_unfinished(self, old: PackSession, *, then: str = "", bell: bool = False) -> None:
        """Nothing is saved for an order left half-scanned; say so, in yellow."""
        done, total = old.progress
        message = t("pack.left_unfinished", code=old.code, done=done, total=total)
        self.notify(message, severity="warning", timeout=10, markup=False)
        self._say(f"{message} {then}".strip(), style="bold yellow")
        if bell:  # a switch by scanning may be a slip; an Esc is the packer's own choice
            self.app.bell()

    def _refuse(self, error: OrderdeskError, *, hint: str = "") -> None:
        """Loud on purpose: notification, red line and bell. Nothing was ticked."""
        message = str(error)
        self.notify(message, severity="error", timeout=8, markup=False)
        status = self.query_one("#pack-status", Static)
        status.add_class("-error")
        status.update(Text(f"✗ {message}" + (f" — {hint}" if hint else ""), style="bold red"))
        self.app.bell()
