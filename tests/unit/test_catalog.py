"""The translation catalog: both languages say everything, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from orderdesk.i18n import en, vi
from orderdesk.models.enums import Action, Inspection, MoveKind, OrderStatus, PaymentMethod
from orderdesk.services.checklist import GROUPS, MANUAL_ITEMS

SOURCE = Path(__file__).parents[2] / "src" / "orderdesk"
# Catalog keys as they appear in code: "err.x.y" passed to t(), errors and checks.
# (Binding ids such as id="stock.receive" look alike and are skipped.)
_KEY = re.compile(
    r"""(?<!id=)["']((?:err|import|cli|check|doctor|demo|col|field|desk|stock|status|action|payment|"""
    r"""inspection|move|kind|event|doc|pack)\.[a-z_]+(?:\.[a-z_]+)*)["']"""
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    assert set(en.MESSAGES) == set(vi.MESSAGES)


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_placeholders_match_across_languages(key: str) -> None:
    assert placeholders(en.MESSAGES[key]) == placeholders(vi.MESSAGES[key])


def test_every_key_the_code_uses_is_in_the_catalog() -> None:
    used = {
        key
        for path in SOURCE.rglob("*.py")
        if "i18n" not in path.parts
        for key in _KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 150
    not_keys = {"demo.db"}  # a file name that looks like a key
    missing = sorted(key for key in used - not_keys if key not in en.MESSAGES)
    assert missing == []


def test_every_vocabulary_word_is_translated() -> None:
    needed = (
        [f"status.{s.value}" for s in OrderStatus]
        + [f"action.{a.value}" for a in Action]
        + [f"event.{a.value}" for a in Action]
        + [f"payment.{p.value}" for p in PaymentMethod]
        + [f"inspection.{i.value}" for i in Inspection]
        + [f"move.{m.value}" for m in MoveKind]
        + [f"check.group.{g}" for g in GROUPS]
        + [f"check.{item}" for item in MANUAL_ITEMS]
    )
    assert [key for key in needed if key not in en.MESSAGES] == []


def test_vietnamese_text_is_really_vietnamese() -> None:
    same = [
        k
        for k in en.MESSAGES
        if en.MESSAGES[k] == vi.MESSAGES[k] and re.search(r"[a-z]{4,}", en.MESSAGES[k])
    ]
    # Words that are the same in both (SKU, email, size, COD placeholders) only.
    assert all(
        k
        in {
            "field.email",
            "field.size",
            "err.config.invalid",
            # Marketplace names.
            "desk.market.from.shopee",
            "desk.market.from.tiktok",
            "desk.market.from.lazada",
            "field.sku",
            "col.sku",
            "cli.order.now",
            "desk.search_label",
            "desk.province_hint",
            "desk.ward_hint",
            "desk.print.done_line",
        }
        for k in same
    ), same
