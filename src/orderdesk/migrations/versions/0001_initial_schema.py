"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Substring search over orders (code, name, phone) with an FTS5 trigram index, kept in step
# with `orders.search_key` by triggers. A later migration that rebuilds `orders` (batch
# mode on SQLite) drops these triggers and must create them again.
ORDER_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE order_search USING fts5("
    "search_key, content='orders', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN "
    "INSERT INTO order_search(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN "
    "INSERT INTO order_search(order_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER orders_search_update AFTER UPDATE OF search_key ON orders BEGIN "
    "INSERT INTO order_search(order_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO order_search(rowid, search_key) VALUES (new.id, new.search_key); END",
]


def _has_fts5() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    options = {row[0] for row in bind.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade() -> None:
    op.create_table(
        "code_counters",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix"),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("street", sa.String(length=300), nullable=False),
        sa.Column("ward_code", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("search_key", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("phone"),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=100), nullable=False),
        sa.Column("color", sa.String(length=50), nullable=False),
        sa.Column("size", sa.String(length=30), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("low_stock", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("search_key", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("low_stock >= 0", name="product_low_stock_nonneg"),
        sa.CheckConstraint("price >= 0", name="product_price_nonneg"),
        sa.CheckConstraint("weight_g >= 0", name="product_weight_nonneg"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("barcode"),
        sa.UniqueConstraint("sku"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("street", sa.String(length=300), nullable=False),
        sa.Column("ward_code", sa.Integer(), nullable=False),
        sa.Column("ward_name", sa.String(length=100), nullable=False),
        sa.Column("province_code", sa.Integer(), nullable=False),
        sa.Column("province_name", sa.String(length=100), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("subtotal", sa.Integer(), nullable=False),
        sa.Column("shipping_fee", sa.Integer(), nullable=False),
        sa.Column("discount", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("cod", sa.Integer(), nullable=False),
        sa.Column(
            "payment",
            sa.Enum("cod", "prepaid", "bank", name="paymentmethod", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("deliver_by", sa.Date(), nullable=True),
        sa.Column(
            "inspection",
            sa.Enum("view", "try", "none", name="inspection", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "awaiting_stock",
                "confirmed",
                "packed",
                "shipped",
                "delivered",
                "delivery_failed",
                "returning",
                "returned",
                "cancelled",
                name="orderstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("cancel_reason", sa.String(length=500), nullable=False),
        sa.Column("search_key", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("pending_at", sa.DateTime(), nullable=True),
        sa.Column("awaiting_stock_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("packed_at", sa.DateTime(), nullable=True),
        sa.Column("shipped_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("delivery_failed_at", sa.DateTime(), nullable=True),
        sa.Column("returning_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "subtotal >= 0 AND shipping_fee >= 0 AND discount >= 0 AND paid >= 0 AND cod >= 0",
            name="order_money_nonneg",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_phone"), ["phone"], unique=False)
        batch_op.create_index("ix_orders_status_id", ["status", "id"], unique=False)

    op.create_table(
        "stock",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name="stock_on_hand_nonneg"),
        sa.CheckConstraint("reserved <= on_hand", name="stock_reserved_le_on_hand"),
        sa.CheckConstraint("reserved >= 0", name="stock_reserved_nonneg"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("product_id"),
    )
    op.create_table(
        "order_checks",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("ticked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("order_id", "item"),
    )
    op.create_table(
        "order_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "pending",
                "awaiting_stock",
                "confirmed",
                "packed",
                "shipped",
                "delivered",
                "delivery_failed",
                "returning",
                "returned",
                "cancelled",
                name="orderstatus",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "pending",
                "awaiting_stock",
                "confirmed",
                "packed",
                "shipped",
                "delivered",
                "delivery_failed",
                "returning",
                "returned",
                "cancelled",
                name="orderstatus",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("detail", sa.String(length=4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_events_order_id"), ["order_id"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty > 0", name="line_qty_pos"),
        sa.CheckConstraint("reserved >= 0 AND reserved <= qty", name="line_reserved_range"),
        sa.CheckConstraint("unit_price >= 0", name="line_price_nonneg"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "product_id", name="uq_order_line_product"),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_lines_product_id"), ["product_id"], unique=False)

    op.create_table(
        "stock_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "receive",
                "adjust",
                "reserve",
                "release",
                "ship",
                "return",
                "write_off",
                name="movekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("on_hand_delta", sa.Integer(), nullable=False),
        sa.Column("reserved_delta", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_moves_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_stock_moves_product", ["product_id", "id"], unique=False)

    if _has_fts5():
        for statement in ORDER_SEARCH_DDL:
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS order_search")
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_moves_product")
        batch_op.drop_index(batch_op.f("ix_stock_moves_order_id"))

    op.drop_table("stock_moves")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_product_id"))
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id"))

    op.drop_table("order_lines")
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_events_order_id"))

    op.drop_table("order_events")
    op.drop_table("order_checks")
    op.drop_table("stock")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_status_id")
        batch_op.drop_index(batch_op.f("ix_orders_phone"))
        batch_op.drop_index(batch_op.f("ix_orders_customer_id"))

    op.drop_table("orders")
    op.drop_table("products")
    op.drop_table("customers")
    op.drop_table("code_counters")
