"""Track (mode 6): shipments and the problems queue, with one-key actions.

Tabs across the top: the problems queue first (it is why the seller comes here), then
shipments by status. The highlighted order's timeline shows underneath. Keys act on the
highlighted order; every rule lives in `services.tracking` and `services.problems`.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static, Tab, Tabs

from orderdesk.carriers import REGISTRY, Outcome, status_label
from orderdesk.errors import ImportRejected
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.money import format_money, format_number
from orderdesk.services import customers, handover, orders, problems, tracking
from orderdesk.services.problems import Act, Problem, Rule
from orderdesk.services.tracking import ShipmentRow
from orderdesk.timeutil import format_local, utcnow
from orderdesk.tui.desk import DeskScreen
from orderdesk.tui.guard import guarded, report_rejected
from orderdesk.tui.modals.choice import ChoiceModal
from orderdesk.tui.modals.prompt import Ask, PromptModal
from orderdesk.tui.widgets.order_table import capital

S = OrderStatus
PROBLEMS = "problems"
# Tabs: the problems queue, then shipments by status.
VIEWS: dict[str, tuple[OrderStatus, ...]] = {
    PROBLEMS: (),
    "moving": (S.SHIPPED, S.DELIVERY_FAILED, S.RETURNING),
    "failed": (S.DELIVERY_FAILED,),
    "returning": (S.RETURNING,),
    "packed": (S.PACKED,),
    "delivered": (S.DELIVERED,),
    "returned": (S.RETURNED,),
}
# What to act on first: a narrow terminal still shows who to call and since when.
PROBLEM_COLUMNS = ("problem", "code", "phone", "name", "age", "last_event", "detail", "status")
SHIPMENT_COLUMNS = ("code", "phone", "name", "status", "carrier", "tracking", "last_event", "age")
_REDELIVERABLE = {S.DELIVERY_FAILED}
_RETURNABLE = {S.SHIPPED, S.DELIVERY_FAILED}


def event_text(outcome: str, word: str, carrier: str) -> Text:
    """What the carrier's last word means, then the word itself (GHTK says `9`)."""
    if not outcome:
        return Text("—", style="dim")
    text = Text(t("outcome." + outcome))
    if word and not word.startswith("("):
        text.append(f" · {status_label(carrier, word)}", style="dim")
    return text


def _age(moment: datetime | None) -> str:
    if moment is None:
        return ""
    days = (utcnow() - moment).days
    return t("desk.track.days", n=days) if days else t("desk.track.today")


class TrackScreen(DeskScreen[None]):
    BINDINGS = [
        # Before the table's own ←/→ (which only scroll a row cursor sideways).
        Binding(
            "left", "view(-1)", t("desk.track.prev"), id="track.prev", show=False, priority=True
        ),
        Binding(
            "right", "view(1)", t("desk.track.next"), id="track.next", show=False, priority=True
        ),
        Binding("f", "rule", t("desk.track.rule"), id="track.rule"),
        Binding("n", "call", t("desk.track.call"), id="track.call"),
        Binding("r", "redeliver", t("desk.track.redeliver"), id="track.redeliver"),
        Binding("a", "approve_return", t("desk.track.return"), id="track.return"),
        Binding("x", "cancel_order", t("desk.track.cancel"), id="track.cancel"),
        Binding("e", "event", t("desk.track.event"), id="track.event"),
        Binding("t", "tracking_number", t("desk.track.number"), id="track.number"),
        Binding("h", "handover", t("desk.track.handover"), id="track.handover"),
        Binding("c", "cod", t("desk.track.cod"), id="track.cod"),
        Binding("i", "import_file", t("desk.track.import"), id="track.import"),
        Binding("f5", "reload", t("desk.reload"), id="track.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = PROBLEMS
        self.rule: Rule | None = None
        self.problems: list[Problem] = []
        self.rows: list[ShipmentRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        tabs = Tabs(*(Tab(self._tab_label(v, 0), id=f"view-{v}") for v in VIEWS), id="track-tabs")
        tabs.can_focus = False
        yield tabs
        yield Static("", id="track-filter")
        yield DataTable(id="track-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="track-empty")
        yield Static("", id="track-timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = t("desk.mode.track")
        self.reload()
        self.query_one("#track-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ loading

    def _tab_label(self, view: str, count: int) -> str:
        return f"{t('desk.track.view.' + view)} {format_number(count)}"

    def action_reload(self) -> None:
        self.reload()

    @guarded
    def reload(self) -> None:
        settings = self.desk.settings
        with self.desk.store.read() as session:
            self.problems = problems.queue(
                session,
                default_carrier=settings.default_carrier,
                stale_days=settings.stale_days(),
                cod_days=int(settings.get("problems.cod_days")),
            )
            counts = orders.status_counts(session)
            if self.view != PROBLEMS:
                self.rows = tracking.shipments(
                    session, VIEWS[self.view], default_carrier=settings.default_carrier
                )
        tabs = self.query_one("#track-tabs", Tabs)
        for view, statuses in VIEWS.items():
            count = (
                len({p.code for p in self.problems})
                if view == PROBLEMS
                else sum(counts.get(s, 0) for s in statuses)
            )
            tabs.query_one(f"#view-{view}", Tab).label = self._tab_label(view, count)
        if tabs.active != f"view-{self.view}":
            tabs.active = f"view-{self.view}"
        self._fill()

    def _shown_problems(self) -> list[Problem]:
        return [p for p in self.problems if self.rule is None or p.rule is self.rule]

    def _fill(self) -> None:
        table = self.query_one("#track-table", DataTable)
        keep = self._current_code()
        table.clear(columns=True)
        if self.view == PROBLEMS:
            for key in PROBLEM_COLUMNS:
                table.add_column(t(f"desk.track.col.{key}"), key=key)
            shown = self._shown_problems()
            for i, p in enumerate(shown):
                table.add_row(
                    Text(
                        t("problem." + p.rule.value),
                        style="bold red"
                        if p.rule in (Rule.FAILED, Rule.CARRIER, Rule.COD_DIFF)
                        else "yellow",
                    ),
                    p.code,
                    p.phone,
                    p.name,
                    _age(p.last_event_at)
                    if p.last_event_at
                    else t("desk.track.days", n=p.age_days),
                    event_text(p.last_outcome, p.last_event, p.carrier),
                    self._detail(p),
                    capital(t("status." + p.status.value)),
                    key=f"{i}:{p.code}",
                )
            count = len(shown)
            counts = problems.counts(self.problems)
            parts = [
                ("▶ " if r is self.rule else "") + f"{t('problem.' + r.value)} {n}"
                for r, n in counts.items()
                if n
            ]
            where = t("problem." + self.rule.value) if self.rule else t("desk.all")
            self.query_one("#track-filter", Static).update(
                Text(t("desk.track.filter", rule=where) + "   " + " · ".join(parts), style="dim")
            )
        else:
            for key in SHIPMENT_COLUMNS:
                table.add_column(t(f"desk.track.col.{key}"), key=key)
            for i, row in enumerate(self.rows):
                table.add_row(
                    row.code,
                    row.phone,
                    row.name,
                    capital(t("status." + row.status.value)),
                    row.carrier,
                    row.tracking or Text("—", style="dim"),
                    event_text(row.last_outcome, row.last_event, row.carrier),
                    _age(row.moved_at),
                    key=f"{i}:{row.code}",
                )
            count = len(self.rows)
            self.query_one("#track-filter", Static).update(
                Text(t("desk.track.shipments_hint"), style="dim")
            )
        empty = self.query_one("#track-empty", Static)
        empty.update(t("desk.track.none") if self.view == PROBLEMS else t("desk.track.no_rows"))
        empty.display = count == 0
        table.display = count > 0
        if keep:
            for index, row_key in enumerate(table.rows):
                if str(row_key.value).split(":", 1)[1] == keep:
                    table.move_cursor(row=index)
                    break
        self._show_timeline()

    def _detail(self, p: Problem) -> str:
        if p.rule is Rule.COD_DIFF:
            return t("desk.track.detail.cod_diff", amount=format_money(int(p.detail)))
        if p.rule is Rule.COD_UNPAID:
            return t("desk.track.detail.unpaid", n=int(p.detail))
        if p.rule is Rule.LATE:
            return t("desk.track.detail.late", date=p.detail)
        if p.rule is Rule.RISKY:
            return t("desk.track.detail.risky", n=int(p.detail))
        return p.tracking

    def _current_code(self) -> str | None:
        table = self.query_one("#track-table", DataTable)
        if not table.row_count or not table.display:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key).split(":", 1)[1] if key else None

    def _current_problem(self) -> Problem | None:
        if self.view != PROBLEMS:
            return None
        table = self.query_one("#track-table", DataTable)
        if not table.row_count:
            return None
        index = int(
            str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value).split(":", 1)[
                0
            ]
        )
        shown = self._shown_problems()
        return shown[index] if index < len(shown) else None

    @on(DataTable.RowHighlighted, "#track-table")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_timeline()

    @guarded
    def _show_timeline(self) -> None:
        panel = self.query_one("#track-timeline", Static)
        code = self._current_code()
        if code is None:
            panel.update("")
            return
        with self.desk.store.read() as session:
            order = orders.get(session, code)
            events = tracking.timeline(session, code)
            refused = customers.risk(session, order.phone, other_than=code).refused
            url = tracking.link(session, code, default_carrier=self.desk.settings.default_carrier)
        text = Text()
        text.append(f"{order.code}  ", style="bold")
        text.append(f"{order.name}  {order.phone and self._phone(order.phone)}  ")
        text.append(capital(t("status." + order.status.value)), style="bold")
        text.append(f"  COD {format_money(order.cod)}")
        if url:
            text.append(f"  {url}", style="dim underline")
        if refused:
            text.append("  " + t("desk.refused_warning", n=refused), style="bold red")
        text.append("\n")
        if not events:
            text.append(t("desk.track.no_events"), style="dim")
        for event in events[:6]:
            word = (
                t("desk.track.by_hand")
                if event.source == "manual"
                else status_label(event.carrier, event.carrier_status)
            )
            text.append(f"{format_local(event.at)}  ", style="dim")
            text.append(f"{t('outcome.' + event.outcome)}", style="bold")
            text.append(f"  {word}")
            if event.location:
                text.append(f"  · {event.location}", style="dim")
            if event.note:
                text.append(f"  · {event.note}")
            text.append("\n")
        panel.update(text)

    @staticmethod
    def _phone(e164: str) -> str:
        from orderdesk.validation import display_phone

        return display_phone(e164)

    # ------------------------------------------------------------------ keys

    def action_view(self, step: int) -> None:
        keys = list(VIEWS)
        self.view = keys[(keys.index(self.view) + step) % len(keys)]
        self.reload()

    @on(Tabs.TabActivated, "#track-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "").removeprefix("view-")
        if view in VIEWS and view != self.view:
            self.view = view
            self.reload()

    def action_rule(self) -> None:
        if self.view != PROBLEMS:
            self.view = PROBLEMS
            self.reload()
            return
        present = [r for r in Rule if any(p.rule is r for p in self.problems)]
        options: list[Rule | None] = [None, *present]
        at = options.index(self.rule) if self.rule in options else 0
        self.rule = options[(at + 1) % len(options)]
        self._fill()

    def _act(self, what: Act, note: str = "") -> None:
        code = self._current_code()
        if code is None:
            return
        problem = self._current_problem()
        self._do(code, what, note, problem.rule if problem else None)

    @guarded
    def _do(self, code: str, what: Act, note: str, rule: Rule | None) -> None:
        with self.desk.store.write() as session:
            status = problems.act(
                session,
                code,
                what,
                rule=rule,
                note=note,
                default_carrier=self.desk.settings.default_carrier,
            )
        self.notify(
            t(
                "cli.problems.acted",
                code=code,
                action=t("problem_act." + what.value),
                status=t("status." + status.value),
            ),
            markup=False,
        )
        self.reload()

    def action_call(self) -> None:
        code = self._current_code()
        if code is None:
            return

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._act(Act.CALL, values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.track.call_title", code=code),
                [Ask(t("desk.track.call_note"), t("desk.track.call_hint"))],
            ),
            done,
        )

    def action_redeliver(self) -> None:
        self._act(Act.REDELIVER)

    def action_approve_return(self) -> None:
        self._act(Act.RETURN)

    def action_cancel_order(self) -> None:
        code = self._current_code()
        if code is None:
            return

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._act(Act.CANCEL, values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.track.cancel_title", code=code),
                [Ask(t("desk.cancel_reason"), required=True)],
            ),
            done,
        )

    def action_event(self) -> None:
        code = self._current_code()
        if code is None:
            return
        choices = [
            (capital(t("outcome." + o.value)), o.value) for o in Outcome if o is not Outcome.INFO
        ]

        def picked(value: str | None) -> None:
            if value is None:
                return

            def noted(values: list[str] | None) -> None:
                if values is not None:
                    self._add_event(code, Outcome(value), values[0])

            self.app.push_screen(
                PromptModal(
                    t("desk.track.event_title", code=code),
                    [Ask(t("desk.track.event_note"))],
                ),
                noted,
            )

        self.app.push_screen(ChoiceModal(t("desk.track.event_title", code=code), choices), picked)

    @guarded
    def _add_event(self, code: str, outcome: Outcome, note: str) -> None:
        with self.desk.store.write() as session:
            tracking.add_event(
                session,
                code,
                outcome,
                note=note,
                default_carrier=self.desk.settings.default_carrier,
            )
        self.reload()

    def action_tracking_number(self) -> None:
        code = self._current_code()
        if code is None:
            return

        def done(values: list[str] | None) -> None:
            if values is not None:
                self._set_number(code, values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.track.number_title", code=code),
                [Ask(t("desk.track.number_label"), t("desk.track.number_hint"), required=True)],
            ),
            done,
        )

    @guarded
    def _set_number(self, code: str, number: str) -> None:
        with self.desk.store.write() as session:
            stored = tracking.set_number(
                session, code, number, default_carrier=self.desk.settings.default_carrier
            )
        self.notify(t("cli.tracking.set", code=code, number=stored), markup=False)
        self.reload()

    def action_handover(self) -> None:
        self._choose_carrier()

    @guarded
    def _choose_carrier(self) -> None:
        with self.desk.store.read() as session:
            carriers = handover.ready(session, default_carrier=self.desk.settings.default_carrier)
        if not any(c.packed or c.open for c in carriers):
            self.notify(t("desk.track.nothing_packed"), severity="warning", markup=False)
            return
        choices = [
            (
                f"{REGISTRY[c.carrier].name}  · "
                + t("desk.track.packed_n", n=c.packed)
                + (f"  · {t('handover_state.open')}" if c.open else ""),
                c.carrier,
            )
            for c in carriers
        ]

        def picked(value: str | None) -> None:
            if value:
                from orderdesk.tui.screens.handover import HandoverScreen

                self.app.push_screen(HandoverScreen(value))

        self.app.push_screen(ChoiceModal(t("desk.track.handover_title"), choices), picked)

    def action_cod(self) -> None:
        from orderdesk.tui.screens.cod import CodScreen

        self.app.push_screen(CodScreen())

    def action_import_file(self) -> None:
        def done(values: list[str] | None) -> None:
            if values is not None:
                self._import(values[0])

        self.app.push_screen(
            PromptModal(
                t("desk.track.import_title"),
                [Ask(t("desk.track.import_path"), "~/Downloads/ghn.xlsx", required=True)],
                t("desk.track.import_help"),
            ),
            done,
        )

    @guarded
    def _import(self, path_text: str) -> None:
        from pathlib import Path

        path = Path(path_text.strip()).expanduser()
        try:
            with self.desk.store.write() as session:
                report = tracking.import_file(
                    session, path, extra_statuses=self.desk.settings.taught_statuses()
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
