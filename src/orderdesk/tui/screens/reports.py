"""Reports (mode 8): what sells, to whom, through which channel, for a range of days.

The range is the row of tabs (←/→, `c` for custom days); the report is the list on the
left (↑/↓). Each report shows its chart where a picture reads faster than the table, its
table, and `e` writes it to CSV. The figures come from `services.reports`, their wording
from `services.report_view` (the same as `orderdesk report`). They are computed off the
desk's thread: on a large shop a range takes half a second, and keys keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from orderdesk.i18n import t
from orderdesk.paths import prints_dir, private_dir
from orderdesk.services import report_view, reports
from orderdesk.services.report_view import Chart
from orderdesk.services.reports import Range
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded
from orderdesk.tui.modals.prompt import Ask, PromptModal

RANGES = (*reports.RANGES, "custom")


class ReportsScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("left", "range(-1)", t("desk.reports.prev"), id="reports.prev", show=False),
        Binding("right", "range(1)", t("desk.reports.next"), id="reports.next", show=False),
        Binding("c", "custom", t("desk.reports.custom"), id="reports.custom"),
        Binding("e", "export", t("desk.reports.export"), id="reports.export"),
        Binding("f5", "reload", t("desk.reload"), id="reports.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.range_name = "30d"
        self.custom: Range | None = None
        self.kind = report_view.SHOWN[0]
        self.found: dict[str, Any] = {}
        self.chart: Chart | None = None  # what the plot shows now

    def compose(self) -> ComposeResult:
        yield Header()
        tabs = Tabs(
            *(Tab(t(f"desk.reports.range.{r}"), id=f"range-{r}") for r in RANGES),
            id="reports-tabs",
            active=f"range-{self.range_name}",
        )
        tabs.can_focus = False
        yield tabs
        with Horizontal(id="reports-body"):
            yield OptionList(
                *(Option(t("report.menu." + k), id=k) for k in report_view.SHOWN),
                id="reports-kinds",
            )
            with Vertical(id="reports-main"):
                yield Static("", id="reports-summary")
                yield PlotextPlot(id="reports-chart")
                yield DataTable(id="reports-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("desk.mode.reports")
        kinds = self.query_one("#reports-kinds", OptionList)
        kinds.highlighted = 0
        kinds.focus()  # the figures come with on_screen_resume, which follows

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading

    def current_range(self) -> Range:
        if self.range_name == "custom" and self.custom is not None:
            return self.custom
        return reports.named_range(self.range_name)

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        rng = self.current_range()
        tabs = self.query_one("#reports-tabs", Tabs)
        if tabs.active != f"range-{self.range_name}":
            tabs.active = f"range-{self.range_name}"
        if self.custom is not None:
            tabs.query_one("#range-custom", Tab).label = self._days(self.custom)
        self.query_one("#reports-summary", Static).update(
            Text(t("desk.reports.computing", days=self._days(rng)), style="dim")
        )
        self._compute(rng)

    @staticmethod
    def _days(rng: Range) -> str:
        if rng.start == rng.end:
            return rng.start.strftime("%d/%m/%Y")
        return f"{rng.start.strftime('%d/%m')}–{rng.end.strftime('%d/%m/%Y')}"

    @work(thread=True, exclusive=True, exit_on_error=False, group="reports")
    def _compute(self, rng: Range) -> None:
        with self.desk.store.read() as session:
            found = reports.all_reports(
                session, rng, default_carrier=self.desk.settings.default_carrier
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._computed, found)

    def _computed(self, found: dict[str, Any]) -> None:
        self.found = found
        self._show()

    def _show(self) -> None:
        if not self.found:
            return
        value = self.found[self.kind]
        shown = report_view.table(self.kind, value)
        summary = Text()
        summary.append(f"{shown.title} · {self._days(self.found['range'])}", style="bold")
        for line in shown.before + shown.after:
            summary.append(f"\n{line}")
        self.query_one("#reports-summary", Static).update(summary)
        table = self.query_one("#reports-table", DataTable)
        table.clear(columns=True)
        for i, head in enumerate(shown.heads):
            table.add_column(Text(head, justify="right" if i in shown.right else "left"))
        for row in shown.rows:
            table.add_row(
                *(
                    Text(cell, justify="right" if i in shown.right else "left")
                    for i, cell in enumerate(row)
                )
            )
        table.display = bool(shown.heads)
        self._draw(report_view.chart(self.kind, value))

    def _draw(self, chart: Chart) -> None:
        self.chart = chart
        plot = self.query_one("#reports-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        plt.title(chart.title)
        if not chart.values or not any(chart.values):
            plt.title(f"{chart.title} — {t('desk.reports.nothing')}")
        elif chart.line:
            plt.plot(list(range(len(chart.values))), chart.values, marker="braille")
            step = max(1, len(chart.labels) // 8)
            ticks = list(range(0, len(chart.labels), step))
            plt.xticks(ticks, [chart.labels[i] for i in ticks])
        else:
            plt.bar(chart.labels, chart.values, width=0.6)
        plot.refresh()

    # ------------------------------------------------------------------ keys

    @on(OptionList.OptionHighlighted, "#reports-kinds")
    def _kind(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.kind:
            self.kind = event.option.id
            self._show()

    def action_range(self, step: int) -> None:
        names = list(RANGES if self.custom is not None else reports.RANGES)
        at = names.index(self.range_name) if self.range_name in names else 0
        self.range_name = names[(at + step) % len(names)]
        self.reload()

    @on(Tabs.TabActivated, "#reports-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        name = (event.tab.id or "").removeprefix("range-")
        if name == self.range_name or name not in RANGES:
            return
        if name == "custom" and self.custom is None:
            self.action_custom()
            return
        self.range_name = name
        self.reload()

    def action_custom(self) -> None:
        rng = self.current_range()

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._set_custom(*values)

        self.app.push_screen(
            PromptModal(
                t("desk.reports.custom"),
                [
                    Ask(t("desk.reports.from"), "YYYY-MM-DD", value=rng.start.isoformat()),
                    Ask(t("desk.reports.to"), "YYYY-MM-DD", value=rng.end.isoformat()),
                ],
            ),
            done,
        )

    @guarded
    def _set_custom(self, start: str, end: str) -> None:
        self.custom = reports.custom_range(start, end)
        self.range_name = "custom"
        self.reload()

    def action_export(self) -> None:
        if not self.found:
            return
        rng = self.found["range"]
        suggested = prints_dir() / f"report-{self.kind}-{rng.start}-{rng.end}.csv"

        def done(values: list[str] | None) -> None:
            if values is not None and values[0].strip():
                self._export(Path(values[0].strip()).expanduser())

        self.app.push_screen(
            PromptModal(
                t("desk.reports.export"),
                [Ask(t("desk.track.import_path"), value=str(suggested))],
            ),
            done,
        )

    @guarded
    def _export(self, path: Path) -> None:
        if path.parent == prints_dir():
            private_dir(path.parent)
        rows = report_view.export(path, self.kind, self.found[self.kind])
        self.notify(t("desk.reports.exported", rows=rows, path=str(path)), markup=False)
