"""addresses written before July 2025: the old address kept beside the converted one;
a carrier orderdesk has no module for kept by its name

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("orders", "customers"):
        op.add_column(
            table,
            sa.Column("old_address", sa.String(length=400), nullable=False, server_default=""),
        )
    op.add_column(
        "orders",
        sa.Column("carrier_name", sa.String(length=60), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # Plain DROP COLUMN, as in 0002: a batch rebuild would drop the search triggers.
    op.execute("ALTER TABLE orders DROP COLUMN carrier_name")
    for table in ("orders", "customers"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN old_address")
