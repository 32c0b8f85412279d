"""Alembic environment: runs against the engine pantau passes in (``alembic_config``)."""

from __future__ import annotations

from alembic import context

from pantau.store.schema import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
