"""Property-based API test: every operation in /openapi.json, fed generated requests, never
answers with a server error (5xx). Runs on the embedded SQLite with a token that the operation
admits, so the handlers themselves are exercised, not only the authorisation layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error

from pantau.auth import Role
from pantau.config import Settings
from pantau.store.db import make_engine, upgrade
from tests.service.conftest import Service


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Iterator[Service]:  # type: ignore[no-untyped-def]
    data: Path = tmp_path_factory.mktemp("schemathesis")
    s = Settings(data_dir=data, hash_key=SecretStr("k" * 32), webhook_secret=SecretStr("w" * 32))
    upgrade(make_engine(s))
    yield Service(s, pipeline)


def token_for(method: str, path: str) -> Role:
    if path.startswith("/v1/events") or (method == "POST" and path == "/v1/appeals"):
        return Role.PLATFORM
    return Role.ADMIN


def test_no_server_errors(service: Service) -> None:
    """Each operation gets its own Hypothesis run (driven here, not by the pytest plugin)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", service.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        check_operation(operation, service.headers(token_for(operation.method.upper(), operation.path)))


def check_operation(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
