"""Print (mode 5): mark confirmed and packed orders, choose documents, print them in one go.

The batch renders in a thread worker with a progress bar; Escape cancels it and nothing is
marked printed. Orders already printed are printed again only after the seller says so.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    SelectionList,
    Static,
)
from textual.worker import Worker, WorkerState, get_current_worker

from orderdesk import validation
from orderdesk.carriers import CARRIERS
from orderdesk.errors import OrderdeskError
from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.printing import printers
from orderdesk.printing.label import LABEL_SIZES
from orderdesk.printing.sheet import PAPERS
from orderdesk.services import print_batches as batch
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.yesno import YesNoModal

# What decides whether to print comes first: a narrow terminal still shows it.
COLUMNS = ("mark", "code", "name", "cod", "printed", "deliver_by", "carrier", "status", "province")
_FLAGS = {"labels": "L", "invoices": "H", "picklist": "P", "slips": "S"}


class PrintScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("space", "mark", t("desk.print.mark"), id="print.mark"),
        Binding("shift+down", "extend(1)", t("desk.print.extend"), id="print.extend_down"),
        Binding("shift+up", "extend(-1)", t("desk.print.extend"), id="print.extend_up", show=False),
        Binding("a", "mark_all", t("desk.print.mark_all"), id="print.mark_all"),
        Binding("i", "invert", t("desk.print.invert"), id="print.invert"),
        Binding("p", "print", t("desk.print.print"), id="print.print"),
        Binding("o", "open", t("desk.print.open"), id="print.open"),
        Binding("k", "pack", t("desk.print.pack"), id="print.pack"),
        Binding("escape", "cancel", t("desk.print.cancel"), id="print.cancel"),
        Binding("f5", "reload", t("desk.reload"), id="print.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[batch.PrintRow] = []
        self.marked: set[str] = set()
        self.files: list[str] = []
        self.worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="print-filters"):
            yield Select(
                [(name, key) for key, name in CARRIERS.items()],
                prompt=t("desk.print.any_carrier"),
                id="print-carrier",
            )
            yield Select([], prompt=t("desk.print.any_channel"), id="print-channel")
            yield Input(placeholder=t("desk.print.deliver_by_hint"), id="print-deliver-by")
            yield Select(
                [(t("desk.print.not_printed"), "no"), (t("desk.print.printed"), "yes")],
                prompt=t("desk.print.printed_or_not"),
                id="print-printed",
            )
        with Horizontal(id="print-body"):
            yield DataTable(id="print-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="print-side"):
                yield Label(t("desk.print.documents"), classes="side-title")
                yield SelectionList[str](
                    (t("desk.print.labels"), "labels", True),
                    (t("desk.print.invoices"), "invoices", False),
                    (t("desk.print.picklist"), "picklist", True),
                    (t("desk.print.slips"), "slips", False),
                    id="print-kinds",
                )
                yield Label(t("desk.print.label_size"), classes="side-title")
                yield Select(
                    [(key, key) for key in LABEL_SIZES],
                    allow_blank=False,
                    value=self.desk.settings.get("print.label_size"),
                    id="print-label-size",
                )
                yield Label(t("desk.print.label_format"), classes="side-title")
                yield Select(
                    [("PDF", "pdf"), (t("desk.print.zpl"), "zpl")],
                    allow_blank=False,
                    value=self.desk.settings.get("print.label_format"),
                    id="print-label-format",
                )
                yield Label(t("desk.print.paper_size"), classes="side-title")
                yield Select(
                    [(key, key) for key in PAPERS],
                    allow_blank=False,
                    value=self.desk.settings.get("print.invoice_size"),
                    id="print-paper-size",
                )
        yield Static("", id="print-summary")
        yield ProgressBar(id="print-progress", show_eta=False)
        yield Static("", id="print-result")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#print-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"desk.print.col.{key}"), key=key)
        self.query_one("#print-progress").display = False
        self.sub_title = t("desk.mode.print")
        self._load_channels()
        self.reload()
        table.focus()

    @guarded
    def _load_channels(self) -> None:
        with self.desk.store.read() as session:
            found = batch.channels(session)
        self.query_one("#print-channel", Select).set_options([(c, c) for c in found])

    # ------------------------------------------------------------------ the list

    def _selection(self) -> tuple[batch.Selection, str]:
        carrier = self.query_one("#print-carrier", Select).value
        channel = self.query_one("#print-channel", Select).value
        printed = self.query_one("#print-printed", Select).value
        by_text = self.query_one("#print-deliver-by", Input).value.strip()
        deliver_by = validation.day(by_text, "deliver_by") if by_text else None
        return (
            batch.Selection(
                carrier=carrier if isinstance(carrier, str) else "",
                channel=channel if isinstance(channel, str) else "",
                deliver_by=deliver_by,
            ),
            printed if isinstance(printed, str) else "",
        )

    @guarded
    def reload(self) -> None:
        selection, printed = self._selection()
        with self.desk.store.read() as session:
            self.rows = batch.list_printable(
                session,
                selection,
                default_carrier=self.desk.settings.get("shipping.default_carrier"),
                printed=printed,
            )
        shown = {row.code for row in self.rows}
        self.marked &= shown
        table = self.query_one("#print-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.code)
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        self._summary()

    def _cells(self, row: batch.PrintRow) -> list[Text]:
        flags = "".join(flag for kind, flag in _FLAGS.items() if kind in row.printed)
        return [
            Text("●" if row.code in self.marked else " ", style="bold green"),
            Text(row.code),
            Text(row.name),
            Text(format_money(row.cod), justify="right"),
            Text(flags, style="dim"),
            Text(row.deliver_by.strftime("%d/%m") if row.deliver_by else ""),
            Text(row.carrier_name),
            Text(t(f"status.{row.status.value}")),
            Text(row.province),
        ]

    def _summary(self) -> None:
        text = t("desk.print.summary", shown=len(self.rows), marked=len(self.marked))
        if len(self.rows) >= batch.SHOWN_LIMIT:
            text += " " + t("desk.print.limited", limit=batch.SHOWN_LIMIT)
        self.query_one("#print-summary", Static).update(text)

    def _set_mark(self, code: str, on: bool) -> None:
        if on:
            self.marked.add(code)
        else:
            self.marked.discard(code)
        table = self.query_one("#print-table", DataTable)
        table.update_cell(code, "mark", Text("●" if on else " ", style="bold green"))

    def _cursor_code(self) -> str | None:
        table = self.query_one("#print-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[table.cursor_row].code

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("print-carrier", "print-channel", "print-printed"):
            self.reload()

    @on(Input.Submitted, "#print-deliver-by")
    def _deliver_by(self) -> None:
        self.reload()
        self.query_one("#print-table", DataTable).focus()

    # ------------------------------------------------------------------ marking

    def action_mark(self) -> None:
        code = self._cursor_code()
        if code is None:
            return
        self._set_mark(code, code not in self.marked)
        self.query_one("#print-table", DataTable).action_cursor_down()
        self._summary()

    def action_extend(self, step: int) -> None:
        table = self.query_one("#print-table", DataTable)
        code = self._cursor_code()
        if code is None:
            return
        self._set_mark(code, True)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()
        code = self._cursor_code()
        if code is not None:
            self._set_mark(code, True)
        self._summary()

    def action_mark_all(self) -> None:
        for row in self.rows:
            if row.code not in self.marked:
                self._set_mark(row.code, True)
        self._summary()

    def action_invert(self) -> None:
        for row in self.rows:
            self._set_mark(row.code, row.code not in self.marked)
        self._summary()

    def action_reload(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ printing

    def _requests(self, reprint: bool) -> list[batch.Request]:
        kinds = self.query_one("#print-kinds", SelectionList).selected
        label_size = str(self.query_one("#print-label-size", Select).value)
        paper_size = str(self.query_one("#print-paper-size", Select).value)
        label_format = str(self.query_one("#print-label-format", Select).value)
        codes = tuple(row.code for row in self.rows if row.code in self.marked)
        return [
            batch.Request(
                kind=kind,
                selection=batch.Selection(codes=codes),
                size=label_size if kind == "labels" else paper_size,
                format=label_format if kind == "labels" else "pdf",
                reprint=reprint,
            )
            for kind in batch.KINDS
            if kind in kinds
        ]

    @guarded
    def action_print(self) -> None:
        if self.worker is not None and self.worker.is_running:
            return
        if not self.marked:
            self.notify(t("desk.print.nothing_marked"), severity="warning", markup=False)
            return
        kinds = self.query_one("#print-kinds", SelectionList).selected
        if not kinds:
            self.notify(t("desk.print.no_documents"), severity="warning", markup=False)
            return
        again = [
            row.code
            for row in self.rows
            if row.code in self.marked and any(kind in row.printed for kind in kinds)
        ]
        if again:
            question = YesNoModal(
                t("desk.print.reprint_question", count=len(again)),
                t("desk.print.reprint_detail", codes=", ".join(again[:8])),
            )
            self.app.push_screen(question, self._start)
        else:
            self._start(False)

    @guarded
    def _start(self, reprint: bool | None) -> None:
        requests = self._requests(bool(reprint))
        total = sum(1 for _ in requests) * len(self.marked)
        bar = self.query_one("#print-progress", ProgressBar)
        bar.update(total=total, progress=0)
        bar.display = True
        self.query_one("#print-result", Static).update(t("desk.print.working"))
        self.worker = self._run(requests)

    @work(thread=True, exit_on_error=False, exclusive=True, group="print")
    def _run(self, requests: list[batch.Request]) -> None:
        worker = get_current_worker()
        lines: list[Text] = []
        files: list[str] = []
        base = 0
        total = len(self.marked)
        for request in requests:

            def progress(done: int, offset: int = base) -> None:
                if worker.is_cancelled:
                    raise batch.Cancelled()
                if done % 10 == 0 or done == total:
                    self.app.call_from_thread(self._progress, offset + done)

            def waiting() -> None:
                self.app.call_from_thread(self._say, t("desk.print.waiting"))

            try:
                result = batch.run(
                    self.desk.store,
                    request,
                    self.desk.settings,
                    progress=progress,
                    on_wait=waiting,
                )
            except batch.Cancelled:
                # Documents finished before the cancel stay printed and are listed.
                kind = t(f"doc.kind.{request.kind}")
                lines.append(Text(f"✗ {kind}: {t('err.print.cancelled')}", style="yellow"))
                self.app.call_from_thread(self._finished, lines, files)
                return
            except OrderdeskError as error:
                lines.append(Text(f"✗ {t('doc.kind.' + request.kind)}: {error}", style="red"))
                base += len(request.selection.codes)
                continue
            base += len(request.selection.codes)
            self.app.call_from_thread(self._progress, base)
            files.append(str(result.file))
            line = t(
                "desk.print.done_line",
                count=result.count,
                kind=t(f"doc.kind.{result.kind}"),
                path=str(result.file),
            )
            if result.printer:
                line += " " + t(
                    "desk.print.sent_line", printer=result.printer, job=result.printer_job or "-"
                )
            if result.skipped:
                line += " " + t("desk.print.skipped_line", count=len(result.skipped))
            lines.append(Text("✓ " + line, style="green"))
        self.app.call_from_thread(self._finished, lines, files)

    def _say(self, text: str) -> None:
        self.query_one("#print-result", Static).update(text)

    def _progress(self, done: int) -> None:
        self.query_one("#print-progress", ProgressBar).update(progress=done)

    def _finished(self, lines: list[Text], files: list[str]) -> None:
        self.query_one("#print-progress", ProgressBar).display = False
        self.query_one("#print-result", Static).update(Text("\n").join(lines))
        if files:
            self.files = files
            self.marked.clear()
        self.reload()

    def action_cancel(self) -> None:
        if self.worker is not None and self.worker.is_running:
            self.worker.cancel()
            self.query_one("#print-result", Static).update(t("desk.print.cancelling"))
            return
        if self.marked:
            for code in list(self.marked):
                self._set_mark(code, False)
            self._summary()

    @guarded
    def action_open(self) -> None:
        if not self.files:
            self.notify(t("desk.print.nothing_to_open"), severity="warning", markup=False)
            return
        for path in self.files:
            if path.endswith(".pdf"):
                printers.open_with_viewer(path)

    def action_pack(self) -> None:
        from orderdesk.tui.screens.pack import PackScreen

        self.app.push_screen(PackScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app reports a failed worker; here the progress bar just goes away.
        if event.worker is self.worker and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self.query_one("#print-progress", ProgressBar).display = False
