"""Random sequences of everything a shop does to stock and orders never break the books:
on hand is the sum of the ledger, reserved is what open orders hold, nothing negative."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from orderdesk.db import open_store
from orderdesk.errors import OrderdeskError
from orderdesk.models.enums import Action
from orderdesk.models.inputs import LineInput, OrderCreate, OrderEdit, ProductCreate
from orderdesk.services import doctor, ledger, orders, products, stock

SKUS = ["A", "B", "C"]
_template: Path | None = None


def _fresh_db() -> Path:
    global _template
    if _template is None:
        _template = Path(tempfile.mkdtemp(prefix="od-prop-template-")) / "template.db"
        open_store(_template).dispose()
    path = Path(tempfile.mkdtemp(prefix="od-prop-")) / "shop.db"
    shutil.copy(_template, path)
    return path


items = st.dictionaries(st.sampled_from(SKUS), st.integers(1, 4), min_size=1, max_size=3)


class Shop(RuleBasedStateMachine):
    codes = Bundle("codes")

    def __init__(self) -> None:
        super().__init__()
        self.path = _fresh_db()
        self.store = open_store(self.path)
        with self.store.write() as session:
            for sku in SKUS:
                products.save(session, ProductCreate(sku=sku, name=f"Hàng {sku}", price=10_000))
                stock.receive(session, sku, 5)

    def teardown(self) -> None:
        self.store.dispose()
        shutil.rmtree(self.path.parent, ignore_errors=True)

    def _try(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            with self.store.write() as session:
                return fn(session, *args, **kwargs)
        except OrderdeskError:
            return None  # refused: the books must be exactly as before

    @rule(target=codes, lines=items, backorder=st.booleans())
    def create(self, lines: dict[str, int], backorder: bool) -> str:
        data = OrderCreate(
            name="Lê Văn Tám",
            phone="0987654321",
            street="1 Lê Lợi",
            ward="Bến Thành",
            province="hcm",
            items=[LineInput(sku, qty) for sku, qty in lines.items()],
        )
        order = self._try(orders.create, data, allow_backorder=backorder)
        return order.code if order else "NONE"

    @rule(code=codes, lines=items, backorder=st.booleans())
    def edit(self, code: str, lines: dict[str, int], backorder: bool) -> None:
        change = OrderEdit(items=[LineInput(sku, qty) for sku, qty in lines.items()])
        self._try(orders.edit, code, change, allow_backorder=backorder)

    @rule(
        code=codes,
        action=st.sampled_from([a for a in Action if a not in (Action.EDIT, Action.ALLOCATE)]),
    )
    def act(self, code: str, action: Action) -> None:
        self._try(orders.apply, code, action, tick_all=True)

    @rule(sku=st.sampled_from(SKUS), qty=st.integers(1, 6))
    def receive(self, sku: str, qty: int) -> None:
        self._try(stock.receive, sku, qty)

    @rule(sku=st.sampled_from(SKUS), delta=st.integers(-6, 6).filter(bool))
    def adjust(self, sku: str, delta: int) -> None:
        self._try(stock.adjust, sku, delta, reason="kiểm kho")

    @invariant()
    def books_balance(self) -> None:
        with self.store.read() as session:
            assert doctor.run(session) == []
            conn = session.connection()
            summed = dict(
                conn.execute(
                    sa.text(
                        "SELECT p.sku, sum(m.on_hand_delta) FROM stock_moves m "
                        "JOIN products p ON p.id = m.product_id GROUP BY p.sku"
                    )
                ).fetchall()
            )
            held = dict(
                conn.execute(
                    sa.text(
                        "SELECT p.sku, coalesce(sum(l.reserved), 0) FROM products p "
                        "LEFT JOIN order_lines l ON l.product_id = p.id "
                        "LEFT JOIN orders o ON o.id = l.order_id "
                        "AND o.status IN ('pending', 'confirmed', 'packed') GROUP BY p.sku"
                    )
                ).fetchall()
            )
            for row in ledger.list_stock(session):
                assert row.on_hand == summed[row.sku]
                assert row.reserved == held[row.sku]
                assert row.on_hand >= 0 and 0 <= row.reserved <= row.on_hand


Shop.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestShop = Shop.TestCase
