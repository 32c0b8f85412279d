"""the fingerprint of the key that phone numbers and handles are hashed with

Contact hashes link accounts only while every process hashes with the same key. A server or worker
started with another ``PANTAU_HASH_KEY`` (or an embedded data directory whose secrets file was lost
and regenerated) used to write hashes that silently never matched the earlier ones. The store now
keeps a fingerprint of its key (an HMAC of a fixed text, which reveals nothing of the key) and every
command that opens the store compares it (``pantau.store.keys``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_keys")
