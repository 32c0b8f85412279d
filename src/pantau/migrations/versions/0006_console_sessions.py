"""console sessions in the database

``pantau serve --workers N`` runs several server processes; a console session started in one must be
known to the others, so the records move from process memory into this table (the cookie value is
stored only as its SHA-256).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
        sa.Column("flash", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("console_sessions")
