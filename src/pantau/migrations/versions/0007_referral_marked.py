"""an escalation is marked referred by an officer, not by downloading its package

Downloading the referral package (an admin's preview included) used to set the status to
``referred`` for good. Now an officer marks it, saying through which channel; these columns keep when,
by whom and where. Records already ``referred`` keep that status (their export time is all that is
known of them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("child_safety_records") as batch_op:
        batch_op.add_column(sa.Column("referred_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("referred_via", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("referred_by", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("child_safety_records") as batch_op:
        batch_op.drop_column("referred_by")
        batch_op.drop_column("referred_via")
        batch_op.drop_column("referred_at")
