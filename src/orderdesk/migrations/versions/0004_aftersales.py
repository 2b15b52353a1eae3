"""after-sales: reviews, returns and exchanges, customer tags

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_created_at", "orders", ["created_at"])
    op.add_column(
        "customers", sa.Column("tags", sa.String(length=500), nullable=False, server_default="")
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reply", sa.String(length=2000), nullable=False),
        sa.Column("replied_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="review_stars_range"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "sku", name="uq_review_order_sku"),
    )
    op.create_index("ix_reviews_open", "reviews", ["replied_at", "stars", "at"])
    op.create_index("ix_reviews_product_id", "reviews", ["product_id"])
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("refund", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("exchange_order_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("refund >= 0", name="return_refund_nonneg"),
        sa.ForeignKeyConstraint(["exchange_order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_returns_order_id", "returns", ["order_id"])
    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("restock", sa.Boolean(), nullable=False),
        sa.CheckConstraint("qty > 0", name="return_line_qty_pos"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_lines_return_id", "return_lines", ["return_id"])
    op.create_index("ix_return_lines_product_id", "return_lines", ["product_id"])


def downgrade() -> None:
    op.drop_index("ix_orders_created_at", table_name="orders")
    op.drop_index("ix_return_lines_product_id", table_name="return_lines")
    op.drop_index("ix_return_lines_return_id", table_name="return_lines")
    op.drop_table("return_lines")
    op.drop_index("ix_returns_order_id", table_name="returns")
    op.drop_table("returns")
    op.drop_index("ix_reviews_product_id", table_name="reviews")
    op.drop_index("ix_reviews_open", table_name="reviews")
    op.drop_table("reviews")
    op.execute("ALTER TABLE customers DROP COLUMN tags")
