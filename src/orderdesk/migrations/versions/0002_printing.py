"""printing: carrier, service and tracking on orders; print jobs and what each printed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch rebuild: rebuilding `orders` would drop the search
    # triggers of 0001.
    op.add_column(
        "orders", sa.Column("carrier", sa.String(length=20), nullable=False, server_default="")
    )
    op.add_column(
        "orders", sa.Column("service", sa.String(length=40), nullable=False, server_default="")
    )
    op.add_column("orders", sa.Column("tracking", sa.String(length=40), nullable=True))
    op.create_index("ix_orders_tracking", "orders", ["tracking"], unique=True)
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("size", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=False),
        sa.Column("printer", sa.String(length=200), nullable=False),
        sa.Column("printer_job", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "print_job_orders",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["print_jobs.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("job_id", "order_id"),
    )
    op.create_index("ix_print_job_orders_order_id", "print_job_orders", ["order_id"])
    op.create_table(
        "order_prints",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["print_jobs.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("order_id", "kind"),
    )


def downgrade() -> None:
    op.drop_table("order_prints")
    op.drop_index("ix_print_job_orders_order_id", table_name="print_job_orders")
    op.drop_table("print_job_orders")
    op.drop_table("print_jobs")
    op.drop_index("ix_orders_tracking", table_name="orders")
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch rebuild, which would drop
    # the search triggers of 0001.
    for column in ("tracking", "service", "carrier"):
        op.execute(f"ALTER TABLE orders DROP COLUMN {column}")
