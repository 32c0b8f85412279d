"""one open case per account, enforced by the database

Several stream workers may open a case for the same account at once; this partial unique index makes
the second one fail (and retry, when it then finds the first one's case) instead of opening a twin.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ux_cases_open_account", "cases", ["account_id"], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_index("ux_cases_open_account", table_name="cases")
