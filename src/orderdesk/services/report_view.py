"""How each report reads: its table (headers, cells in the seller's formats, summary lines),
its chart's series, and its CSV rows. The CLI prints the table, the desk shows the table and
draws the chart, and both write the same CSV — one wording for all three."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderdesk.carriers import REGISTRY
from orderdesk.formats.csvout import write_csv
from orderdesk.i18n import t
from orderdesk.models.money import format_money

# The reports the desk offers, in its order; "products_by_revenue" is "products" re-sorted.
SHOWN = (
    "daily",
    "channels",
    "products",
    "products_by_revenue",
    "returns",
    "ratings",
    "carriers",
    "repeat",
    "cod",
)


@dataclass(frozen=True)
class Table:
    title: str
    heads: list[str]
    rows: list[list[str]]
    right: set[int] = field(default_factory=set)
    before: list[str] = field(default_factory=list)  # summary lines above the table
    after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """One series of bars (or a line, for days) with its labels; empty when nothing to draw."""

    title: str
    labels: list[str]
    values: list[float]
    line: bool = False


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _carrier(cid: str) -> str:
    found = REGISTRY.get(cid)
    return found.name if found else cid


def table(name: str, value: Any) -> Table:
    title = t("cli.report.title." + name)
    if name == "daily":
        return Table(
            title,
            [t("col.day"), t("col.orders"), t("col.revenue")],
            [[r.day.strftime("%d/%m"), str(r.orders), format_money(r.revenue)] for r in value],
            {1, 2},
            [
                t(
                    "report.daily.total",
                    orders=sum(r.orders for r in value),
                    revenue=format_money(sum(r.revenue for r in value)),
                )
            ],
        )
    if name == "channels":
        return Table(
            title,
            [t("col.channel"), t("col.orders"), t("col.revenue")],
            [[r.channel or "—", str(r.orders), format_money(r.revenue)] for r in value],
            {1, 2},
        )
    if name in ("products", "products_by_revenue"):
        return Table(
            title,
            [t("col.sku"), t("col.product"), t("col.qty"), t("col.revenue")],
            [[r.sku, r.name, str(r.qty), format_money(r.revenue)] for r in value],
            {2, 3},
        )
    if name == "returns":
        return Table(
            title,
            [t("col.sku"), t("col.sold"), t("col.returned"), t("col.rate")],
            [[r.sku, str(r.sold), str(r.returned), _pct(r.rate)] for r in value.products],
            {1, 2, 3},
            [
                t(
                    "cli.report.returns",
                    returned=value.returned,
                    sold=value.sold,
                    rate=_pct(value.rate),
                )
            ],
            [f"{t('return_reason.' + reason)}: {qty}" for reason, qty in value.reasons.items()],
        )
    if name == "ratings":
        return Table(
            title,
            [t("col.sku"), t("col.product"), t("field.stars"), t("col.reviews")],
            [[r.sku, r.name, f"{r.average:.2f}", str(r.reviews)] for r in value],
            {2, 3},
        )
    if name == "carriers":
        return Table(
            title,
            [
                t("col.carrier"),
                t("col.shipped"),
                t("col.delivered"),
                t("col.median_days"),
                t("col.failure_rate"),
            ],
            [
                [
                    _carrier(r.carrier),
                    str(r.shipped),
                    str(r.delivered),
                    "" if r.median_days is None else f"{r.median_days:.1f}",
                    _pct(r.failure_rate),
                ]
                for r in value
            ],
            {1, 2, 3, 4},
        )
    if name == "repeat":
        return Table(
            title,
            [],
            [],
            before=[
                t(
                    "cli.report.repeat",
                    repeat=value.repeat,
                    customers=value.customers,
                    share=_pct(value.share),
                )
            ],
        )
    if name == "cod":
        return Table(
            title,
            [t("col.carrier"), t("col.amount")],
            [[_carrier(c), format_money(a)] for c, a in value.by_carrier.items()],
            {1},
            [
                t(
                    "cli.report.cod",
                    orders=value.orders,
                    amount=format_money(value.amount),
                    days=value.oldest_days,
                    short=format_money(value.short),
                )
            ],
        )
    raise KeyError(name)


_TOP = 10  # bars beyond this many no longer fit a terminal's width


def chart(name: str, value: Any) -> Chart:
    """What a picture shows faster than the table: a trend, or who is biggest."""
    title = t("report.chart." + name)
    if name == "daily":
        return Chart(
            title,
            [r.day.strftime("%d/%m") for r in value],
            [r.revenue / 1_000_000 for r in value],
            line=len(value) > 31,
        )
    if name == "channels":
        return Chart(
            title, [r.channel or "—" for r in value], [r.revenue / 1_000_000 for r in value]
        )
    if name == "products":
        return Chart(title, [r.sku for r in value[:_TOP]], [r.qty for r in value[:_TOP]])
    if name == "products_by_revenue":
        top = value[:_TOP]
        return Chart(title, [r.sku for r in top], [r.revenue / 1_000_000 for r in top])
    if name == "returns":
        return Chart(
            title,
            [t("return_reason." + reason) for reason in value.reasons],
            list(value.reasons.values()),
        )
    if name == "ratings":
        return Chart(title, [r.sku for r in value[:_TOP]], [r.average for r in value[:_TOP]])
    if name == "carriers":
        return Chart(
            title,
            [_carrier(r.carrier) for r in value],
            [round(r.failure_rate * 100, 1) for r in value],
        )
    if name == "repeat":
        return Chart(
            title,
            [t("report.repeat.new"), t("report.repeat.again")],
            [value.customers - value.repeat, value.repeat],
        )
    if name == "cod":
        return Chart(
            title,
            [_carrier(c) for c in value.by_carrier],
            [a / 1_000_000 for a in value.by_carrier.values()],
        )
    raise KeyError(name)


def plain(value: Any) -> Any:
    """A report as JSON-ready data, with its computed rates."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "to_json"):
        data = value.to_json()
        for extra in ("rate", "share", "failure_rate"):
            if hasattr(value, extra):
                data[extra] = getattr(value, extra)
        return data
    return value


def csv_rows(name: str, value: Any) -> tuple[list[str], list[list[object]]]:
    """Plain figures (no currency signs) for a spreadsheet to sum."""
    if name == "returns":
        value = value.products
    if name in ("repeat", "cod"):
        value = [value]
    items = [plain(v) for v in value]
    heads = list(items[0]) if items else ["-"]
    return heads, [[item.get(h, "") for h in heads] for item in items]


def export(path: Path, name: str, value: Any) -> int:
    heads, rows = csv_rows(name, value)
    return write_csv(path, heads, rows)
