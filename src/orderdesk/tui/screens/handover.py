"""Scan to hand over (pushed from Track with `h`): each parcel's label is scanned as it
goes into the courier's bag, and its row is ticked.

Closing asks first and lists the parcels not scanned; it ships the scanned ones, writes
the signed manifest and the carrier's bulk-upload file, and leaves the rest packed for the
next pickup. Leaving without closing keeps the handover open to carry on later.

Keys: Enter / ctrl+j submit a scan; ctrl+z takes back the last tick; ctrl+o writes the
draft manifest and the upload file; ctrl+s closes the handover; Esc clears a half-typed
scan, else leaves.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from orderdesk.carriers import REGISTRY
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.paths import prints_dir
from orderdesk.printing.documents import Shop
from orderdesk.services import handover
from orderdesk.services.handover import HandoverRead
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.yesno import StrictYesNoModal
from orderdesk.tui.widgets.scan import ScanScreen

COLUMNS = ("tick", "code", "tracking", "name", "phone", "cod")


class HandoverScreen(ScanScreen):
    SCAN_FIELD = "handover-scan"
    BINDINGS = [
        Binding("ctrl+j", "submit_scan", t("pack.submit"), id="handover.submit_lf", show=False),
        Binding("ctrl+z", "untick", t("desk.handover.untick"), id="handover.untick"),
        Binding("ctrl+o", "files", t("desk.handover.files"), id="handover.files"),
        Binding("ctrl+s", "close_handover", t("desk.handover.close"), id="handover.close"),
        Binding("escape", "clear_scan", t("pack.clear"), id="handover.clear"),
        Binding("escape", "leave", t("desk.handover.leave"), id="handover.leave"),
    ]

    def __init__(self, carrier: str) -> None:
        super().__init__()
        self.carrier = carrier
        self.handover: HandoverRead | None = None
        self.ticked: list[str] = []  # codes ticked on this screen, newest last

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="handover-head")
        yield Input(placeholder=t("desk.handover.scan_hint"), id="handover-scan")
        yield Static("", id="handover-status")
        yield DataTable(id="handover-parcels", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#handover-parcels", DataTable)
        table.can_focus = False
        for key in COLUMNS:
            table.add_column(t(f"desk.handover.col.{key}"), key=key)
        self.sub_title = t("desk.handover.title", carrier=REGISTRY[self.carrier].name)
        self._open()
        self.query_one("#handover-scan", Input).focus()

    @guarded
    def _open(self) -> None:
        with self.desk.store.write() as session:
            self.handover = handover.open_handover(
                session, self.carrier, default_carrier=self.desk.settings.default_carrier
            )
        self._show()
        self._say(
            t("desk.handover.opened", number=self.handover.number, total=len(self.handover.parcels))
        )

    def _reload(self) -> None:
        assert self.handover is not None
        with self.desk.store.read() as session:
            self.handover = handover.get(session, self.handover.id)
        self._show()

    def _show(self) -> None:
        found = self.handover
        if found is None:
            return
        table = self.query_one("#handover-parcels", DataTable)
        table.clear()
        for p in found.parcels:
            table.add_row(
                Text("✓", style="bold green") if p.scanned else Text("·", style="dim"),
                p.code,
                p.tracking or Text("—", style="dim"),
                p.name,
                p.phone,
                format_money(p.cod),
                key=p.code,
            )
        self.query_one("#handover-head", Static).update(
            Text(
                t(
                    "desk.handover.head",
                    number=found.number,
                    carrier=REGISTRY[found.carrier].name,
                    scanned=len(found.scanned),
                    total=len(found.parcels),
                    cod=format_money(sum(p.cod for p in found.scanned)),
                ),
                style="bold",
            )
        )

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_scan":
            return self._typing
        if action == "leave":
            return not self._typing
        return True

    def action_leave(self) -> None:
        self.dismiss(None)

    @guarded
    def scan(self, value: str) -> None:
        if self.handover is None or not value:
            return
        try:
            with self.desk.store.write() as session:
                result = handover.scan(session, self.handover.id, value)
        except OrderdeskError as error:
            self._refuse(error)
            return
        self._reload()
        table = self.query_one("#handover-parcels", DataTable)
        table.move_cursor(row=table.get_row_index(result.code))
        if result.again:
            self._say(
                t(
                    "cli.handover.again",
                    code=result.code,
                    scanned=result.scanned,
                    total=result.total,
                ),
                style="bold yellow",
            )
            self.app.bell()
            return
        self.ticked.append(result.code)
        self._say(
            t("cli.handover.ticked", code=result.code, scanned=result.scanned, total=result.total),
            style="green",
        )

    @guarded
    def action_untick(self) -> None:
        if self.handover is None or not self.ticked:
            self._say(t("pack.nothing_to_undo"))
            return
        code = self.ticked.pop()
        with self.desk.store.write() as session:
            handover.unscan(session, self.handover.id, code)
        self._reload()
        self._say(t("desk.handover.unticked", code=code))

    @guarded
    def action_files(self) -> None:
        if self.handover is None:
            return
        with self.desk.store.read() as session:
            files = handover.write_files(
                session, self.handover.id, Shop.from_settings(self.desk.settings), prints_dir()
            )
        self.notify(
            t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)),
            timeout=12,
            markup=False,
        )

    def action_close_handover(self) -> None:
        found = self.handover
        if found is None:
            return
        missing = found.missing
        detail = t(
            "desk.handover.close_detail", scanned=len(found.scanned), total=len(found.parcels)
        )
        if missing:
            names = ", ".join(p.code for p in missing[:12]) + (" …" if len(missing) > 12 else "")
            detail += "\n" + t("desk.handover.missing", count=len(missing), codes=names)

        def answer(yes: bool | None) -> None:
            if yes:
                self._close()

        self.app.push_screen(
            StrictYesNoModal(t("desk.handover.close_question", number=found.number), detail), answer
        )

    @guarded
    def _close(self) -> None:
        assert self.handover is not None
        hid = self.handover.id
        with self.desk.store.write() as session:
            closed = handover.close(session, hid)
        with self.desk.store.read() as session:
            files = handover.write_files(
                session, hid, Shop.from_settings(self.desk.settings), prints_dir()
            )
        self.notify(
            t(
                "cli.handover.closed",
                number=closed.number,
                shipped=len(closed.shipped),
                left=len(closed.left),
            )
            + "\n"
            + t("cli.handover.files", manifest=str(files.manifest), upload=str(files.upload)),
            timeout=15,
            markup=False,
        )
        self.dismiss(None)

    def _say(self, message: str, *, style: str = "") -> None:
        self.query_one("#handover-status", Static).update(Text(message, style=style))

    def _refuse(self, error: OrderdeskError) -> None:
        """Loud on purpose, as in scan to pack: a wrong parcel must not go in the bag."""
        message = str(error)
        self.notify(message, severity="error", timeout=8, markup=False)
        self._say(f"✗ {message}", style="bold red")
        self.app.bell()
