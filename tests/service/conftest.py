"""Service fixtures: the same tests run against the embedded SQLite and a real PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth, as on the CI machine); each test session
creates its own throwaway database and drops it afterwards. Outside CI the PostgreSQL runs are
skipped when no server answers; in CI (CI=true) they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from pantau.api.app import create_app
from pantau.auth import Role, add_user
from pantau.config import Settings
from pantau.pipeline import Pipeline
from pantau.store.db import make_engine, session_factory, transaction, upgrade

PG_ADMIN = os.environ.get("PANTAU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.default()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    name = f"pantau_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {PG_ADMIN}: {exc}")
    yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server")
    s = Settings(data_dir=tmp_path / "data", database_url=url, hash_key=SecretStr("k" * 32),
                 webhook_secret=SecretStr("w" * 32))
    engine = make_engine(s)
    if url:
        with engine.begin() as conn:  # a clean schema for every test
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    engine.dispose()
    yield s


class Service:
    """A running app (in-process, real database) plus one token per role."""

    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self.settings = settings
        self.app = create_app(settings, pipeline)
        self.client = TestClient(self.app, raise_server_exceptions=False)
        self.sessions = session_factory(make_engine(settings))
        self.tokens: dict[Role, str] = {}
        with transaction(self.sessions) as session:
            for role in Role:
                regions = ["35.73.05"] if role is Role.REGIONAL_OFFICIAL else []
                self.tokens[role] = add_user(session, f"test-{role.value}", role, regions)

    def headers(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def service(settings: Settings, pipeline: Pipeline) -> Service:
    return Service(settings, pipeline)
