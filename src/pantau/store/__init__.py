"""Storage: the SQLAlchemy schema, engines and sessions, and Alembic migrations."""
