"""tracking: carrier events, handovers, COD statements, problem snoozes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch rebuild: rebuilding `orders` would drop the search
    # triggers of 0001.
    op.add_column("orders", sa.Column("track_at", sa.DateTime(), nullable=True))
    op.add_column(
        "orders", sa.Column("track_status", sa.String(length=60), nullable=False, server_default="")
    )
    op.add_column(
        "orders",
        sa.Column("track_outcome", sa.String(length=12), nullable=False, server_default=""),
    )
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("carrier_status", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id", "carrier_status", "at", name="uq_tracking_event"),
    )
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "handover_parcels",
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("handover_id", "order_id"),
    )
    op.create_index("ix_handover_parcels_order_id", "handover_parcels", ["order_id"])
    op.create_table(
        "cod_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=60), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.String(length=200), nullable=False),
        sa.Column("cod", sa.Integer(), nullable=False),
        sa.Column("fees", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "ref", "cod", "fees", "paid", name="uq_cod_line"),
    )
    op.create_index("ix_cod_lines_order_id", "cod_lines", ["order_id"])
    op.create_table(
        "cod_remits",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("collected", sa.Integer(), nullable=False),
        sa.Column("fees", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("difference", sa.Integer(), nullable=False),
        sa.Column("reconciled_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "problem_snoozes",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("order_id", "rule"),
    )


def downgrade() -> None:
    op.drop_table("problem_snoozes")
    op.drop_table("cod_remits")
    op.drop_index("ix_cod_lines_order_id", table_name="cod_lines")
    op.drop_table("cod_lines")
    op.drop_index("ix_handover_parcels_order_id", table_name="handover_parcels")
    op.drop_table("handover_parcels")
    op.drop_table("handovers")
    op.drop_table("tracking_events")
    # Plain DROP COLUMN, as in 0002: a batch rebuild would drop the search triggers.
    for column in ("track_outcome", "track_status", "track_at"):
        op.execute(f"ALTER TABLE orders DROP COLUMN {column}")
