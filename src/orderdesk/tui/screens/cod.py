"""COD (pushed from Track with `c`): every statement read, and per statement the orders it
paid with what was expected, the fees, what came back and the difference. `m` lists the
delivered COD orders no statement has paid yet; `i` reads a statement file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from orderdesk.carriers import CARRIERS
from orderdesk.errors import ImportRejected
from orderdesk.i18n import t
from orderdesk.models.money import format_money
from orderdesk.services import cod
from orderdesk.timeutil import format_local
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded, report_rejected
from orderdesk.tui.modals.prompt import Ask, PromptModal

STATEMENT_COLUMNS = ("carrier", "statement", "lines", "matched", "paid", "fees", "when")
ORDER_COLUMNS = ("code", "tracking", "expected", "fees", "paid", "difference")
MISSING_COLUMNS = ("code", "tracking", "name", "expected", "delivered", "days")


class CodScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("m", "missing", t("desk.cod.missing"), id="cod.missing"),
        Binding("i", "import_file", t("desk.cod.import"), id="cod.import"),
        Binding("escape", "leave", t("desk.back"), id="cod.leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.statements: list[cod.StatementRead] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("desk.cod.statements"), classes="side-title")
        yield DataTable(id="cod-statements", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cod-lines-title", classes="side-title")
        yield DataTable(id="cod-orders", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cod-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("desk.cod.title")
        table = self.query_one("#cod-statements", DataTable)
        for key in STATEMENT_COLUMNS:
            table.add_column(t(f"desk.cod.col.{key}"), key=key)
        self.reload()
        table.focus()

    @guarded
    def reload(self) -> None:
        with self.desk.store.read() as session:
            self.statements = cod.statements(session)
        table = self.query_one("#cod-statements", DataTable)
        table.clear()
        for i, s in enumerate(self.statements):
            table.add_row(
                CARRIERS.get(s.carrier, s.carrier),
                s.statement,
                str(s.lines),
                str(s.matched),
                format_money(s.paid or 0),
                format_money(s.fees or 0),
                format_local(s.imported_at),
                key=str(i),
            )
        if not self.statements:
            self.query_one("#cod-lines-title", Static).update(t("desk.cod.none"))
        self._show_statement()

    @on(DataTable.RowHighlighted, "#cod-statements")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_statement()

    @guarded
    def _show_statement(self) -> None:
        table = self.query_one("#cod-statements", DataTable)
        if not self.statements or not table.row_count:
            return
        s = self.statements[table.cursor_row]
        with self.desk.store.read() as session:
            rows = cod.statement_orders(session, s.carrier, s.statement)
        self.query_one("#cod-lines-title", Static).update(
            t("desk.cod.statement_title", statement=s.statement)
        )
        self._fill(rows)

    def _lines(self, columns: tuple[str, ...]) -> DataTable[object]:
        lines: DataTable[object] = self.query_one("#cod-orders", DataTable)
        lines.clear(columns=True)
        for key in columns:
            lines.add_column(t(f"desk.cod.col.{key}"), key=key)
        return lines

    def _fill(self, rows: list[cod.Reconciled]) -> None:
        lines = self._lines(ORDER_COLUMNS)
        for r in rows:
            lines.add_row(
                r.code,
                r.tracking,
                format_money(r.expected),
                format_money(r.fees),
                format_money(r.paid),
                Text(format_money(r.difference), style="bold red") if r.difference else "",
            )
        off = [r for r in rows if r.difference]
        self.query_one("#cod-summary", Static).update(
            t(
                "desk.cod.summary",
                orders=len(rows),
                expected=format_money(sum(r.expected for r in rows)),
                paid=format_money(sum(r.paid for r in rows)),
                off=len(off),
                difference=format_money(sum(r.difference for r in off)),
            )
        )

    @guarded
    def action_missing(self) -> None:
        default = self.desk.settings.default_carrier
        with self.desk.store.read() as session:
            found = cod.missing(session, None, default_carrier=default)
        self.query_one("#cod-lines-title", Static).update(
            t("desk.cod.missing_title", count=len(found))
        )
        lines = self._lines(MISSING_COLUMNS)
        for m in sorted(found, key=lambda m: -m.days):
            lines.add_row(
                m.code,
                m.tracking,
                m.name,
                format_money(m.cod),
                format_local(m.delivered_at),
                t("desk.track.days", n=m.days),
            )
        self.query_one("#cod-summary", Static).update(
            t(
                "desk.cod.missing_summary",
                count=len(found),
                amount=format_money(sum(m.cod for m in found)),
            )
        )

    def action_import_file(self) -> None:
        def done(values: list[str] | None) -> None:
            if values is not None:
                self._import(values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.cod.import_title"),
                [Ask(t("desk.track.import_path"), "~/Downloads/doi-soat.xlsx", required=True)],
            ),
            done,
        )

    @guarded
    def _import(self, path_text: str) -> None:
        path = Path(path_text.strip()).expanduser()
        try:
            with self.desk.store.write() as session:
                report = cod.import_statement(
                    session, path, default_carrier=self.desk.settings.default_carrier
                )
        except ImportRejected as error:
            report_rejected(self, error)
            return
        self.notify(
            report.summary(),
            markup=False,
            timeout=8,
        )
        self.reload()

    def action_leave(self) -> None:
        self.dismiss(None)
