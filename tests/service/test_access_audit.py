"""Who may call what (the full role × endpoint matrix), the audit chain, settings and users."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select, text

from pantau.auth import Role, add_user
from pantau.config import Settings, load_settings
from pantau.errors import ConfigError, ConflictError, InputError
from pantau.store.db import transaction
from pantau.store.schema import User
from tests.service.conftest import Service
from tests.test_cli import PANTAU

# Every endpoint under /v1 and the roles it admits. A new endpoint fails this test until it is
# added here, on purpose: access is decided in review, not by accident.
MATRIX: dict[tuple[str, str], set[Role] | None] = {
    ("POST", "/v1/events"): {Role.PLATFORM},
    ("POST", "/v1/events/batch"): {Role.PLATFORM},
    ("GET", "/v1/audit"): {Role.AUDITOR, Role.ADMIN},
    ("GET", "/v1/audit/verify"): {Role.AUDITOR, Role.ADMIN},
    ("GET", "/v1/me"): None,  # any authenticated caller
    ("GET", "/v1/cases"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("GET", "/v1/cases/{case_id}"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/cases/{case_id}/claim"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/cases/{case_id}/release"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/cases/{case_id}/decide"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/appeals"): {Role.PLATFORM},
    ("GET", "/v1/appeals"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/appeals/{appeal_id}/decide"): {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("GET", "/v1/child-safety"): {Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("GET", "/v1/child-safety/{case_id}/referral.json"): {Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("POST", "/v1/child-safety/{case_id}/referred"): {Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("GET", "/v1/child-safety/{case_id}/referral.pdf"): {Role.CHILD_SAFETY_OFFICER, Role.ADMIN},
    ("GET", "/v1/regions/{code}/stats"): {Role.REGIONAL_OFFICIAL, Role.ADMIN},
    ("GET", "/v1/regions/{code}/hotspots"): {Role.REGIONAL_OFFICIAL, Role.ADMIN},
    ("GET", "/v1/regions/{code}/report.pdf"): {Role.REGIONAL_OFFICIAL, Role.ADMIN},
    ("GET", "/v1/regions/{code}/report.html"): {Role.REGIONAL_OFFICIAL, Role.ADMIN},
    ("POST", "/v1/field-reports"): {Role.REGIONAL_OFFICIAL},
    ("GET", "/v1/field-reports"): {Role.REGIONAL_OFFICIAL},
}
BODIES: dict[str, Any] = {
    "/v1/events": {"event_id": "m1", "kind": "status_post", "occurred_at": "2026-11-29T07:00:00+07:00",
                   "account_id": "a1", "text": "halo"},
    "/v1/events/batch": {"events": [{"event_id": "m2", "kind": "status_post",
                                     "occurred_at": "2026-11-29T07:00:00+07:00", "account_id": "a1",
                                     "text": "halo"}]},
    "/v1/cases/{case_id}/decide": {"decision": "dismiss", "reason": "test"},
    "/v1/appeals": {"action_id": 1, "account_id": "a1", "statement": "x"},
    "/v1/field-reports": {"text": "status 'open BO' di sekitar alun-alun", "occurred_at": "2026-11-29T07:00:00+07:00"},
    "/v1/appeals/{appeal_id}/decide": {"outcome": "uphold", "reason": "test"},
}


def concrete(path: str) -> str:
    return path.replace("{case_id}", "999999").replace("{appeal_id}", "999999").replace("{code}", "35.73.05")


def declared_roles(route: APIRoute) -> set[Role] | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        roles = getattr(dep.call, "roles", None)
        if roles is not None:
            return set(roles)
        stack.extend(dep.dependencies)
    return None


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, including those of included routers (which FastAPI may wrap)."""
    out: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            out.extend(api_routes(route.original_router.routes))
        elif hasattr(route, "routes"):
            out.extend(api_routes(route.routes))
    return out


def test_every_endpoint_is_in_the_matrix(service: Service) -> None:
    routes = {(m, r.path): declared_roles(r) for r in api_routes(service.app.routes)
              if r.path.startswith("/v1") for m in r.methods}
    assert routes == MATRIX


@pytest.mark.parametrize("role", list(Role))
def test_role_by_endpoint_matrix(service: Service, role: Role) -> None:
    for (method, path), allowed in MATRIX.items():
        url = concrete(path)
        r = service.client.request(method, url, json=BODIES.get(path), headers=service.headers(role))
        if allowed is None or role in allowed:  # admitted: it may still be 404/409 for a made-up id
            assert r.status_code not in (401, 403) and r.status_code < 500, (role, method, path, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, method, path, r.status_code)
        assert service.client.request(method, url, json=BODIES.get(path)).status_code == 401


def test_regional_official_cannot_read_any_event_or_text(service: Service) -> None:
    service.client.post("/v1/events", json=BODIES["/v1/events"], headers=service.headers(Role.PLATFORM))
    h = service.headers(Role.REGIONAL_OFFICIAL)
    for (method, path), allowed in MATRIX.items():
        if allowed is not None and Role.REGIONAL_OFFICIAL not in allowed:
            assert service.client.request(method, concrete(path), json=BODIES.get(path), headers=h).status_code == 403


def test_audit_chain_verifies_and_detects_tampering(service: Service) -> None:
    service.client.post("/v1/events", json=BODIES["/v1/events"], headers=service.headers(Role.PLATFORM))
    h = service.headers(Role.AUDITOR)
    ok = service.client.get("/v1/audit/verify", headers=h).json()
    assert ok["ok"] is True and ok["entries"] >= 7  # six users created, one decision
    entries = service.client.get("/v1/audit", headers=h).json()
    actions = [e["action"] for e in entries]
    assert "event.decide" in actions and "login" in actions  # token use is audited as a login
    assert ok["head"] == entries[0]["hash"]  # the newest entry's hash, to keep outside pantau
    with transaction(service.sessions) as session:
        session.execute(text("UPDATE audit_log SET details = '{\"action\": \"allow\"}' WHERE action = 'event.decide'"))
    bad = service.client.get("/v1/audit/verify", headers=h).json()
    assert bad["ok"] is False and "altered" in bad["problem"]
    env = {**os.environ, "PANTAU_DATA_DIR": str(service.settings.data_dir),
           "PANTAU_DATABASE_URL": service.settings.database_url or "", "PANTAU_HASH_KEY": "k" * 32,
           "PANTAU_WEBHOOK_SECRET": "w" * 32}
    if not service.settings.database_url:
        env.pop("PANTAU_DATABASE_URL")
    result = subprocess.run([PANTAU, "audit", "verify"], env=env, capture_output=True, check=False, timeout=60)
    assert result.returncode == 1 and b"TAMPERED" in result.stdout


def test_failed_api_logins_are_audited_at_most_once_a_minute(service: Service) -> None:
    for token in ("not-a-token", "guess-2", "guess-3"):
        r = service.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
    entries = service.client.get("/v1/audit", headers=service.headers(Role.AUDITOR)).json()
    failed = [(e["actor"], e["details"]) for e in entries if e["action"] == "login.failed"]
    assert failed == [("anonymous", {"failures": 1})]  # the next two fall in the same minute: counted later


def test_deleting_an_entry_breaks_the_chain(service: Service) -> None:
    with transaction(service.sessions) as session:
        session.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    bad = service.client.get("/v1/audit/verify", headers=service.headers(Role.AUDITOR)).json()
    assert bad["ok"] is False and bad["first_bad_seq"] == 3 and "broken" in bad["problem"]


def test_user_validation(service: Service) -> None:
    with transaction(service.sessions) as session:
        with pytest.raises(InputError, match="needs at least one --region"):
            add_user(session, "camat", Role.REGIONAL_OFFICIAL)
        with pytest.raises(InputError, match="not a Kemendagri region code"):
            add_user(session, "camat", Role.REGIONAL_OFFICIAL, ["malang"])
        with pytest.raises(InputError, match="not a Kemendagri region code"):
            add_user(session, "camat", Role.REGIONAL_OFFICIAL, ["35.99.99"])  # well-formed, but no such region
        with pytest.raises(InputError, match="is a province"):
            add_user(session, "gubernur", Role.REGIONAL_OFFICIAL, ["35"])  # the endpoints start at kabupaten/kota
        with pytest.raises(InputError, match="needs a name"):
            add_user(session, " ", Role.ADMIN)
        add_user(session, "lurah", Role.REGIONAL_OFFICIAL, ["3573051001"])  # undotted, as regions.md allows
        assert session.execute(select(User.regions).where(User.name == "lurah")).scalar() == ["35.73.05.1001"]
        with pytest.raises(ConflictError, match="already exists"):
            add_user(session, "test-admin", Role.ADMIN)


def test_embedded_default_generates_private_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "pantau-data"
    monkeypatch.setenv("PANTAU_DATA_DIR", str(data))
    monkeypatch.delenv("PANTAU_DATABASE_URL", raising=False)
    first = load_settings()
    mode = stat.S_IMODE((data / "secrets.json").stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700  # nobody else can open the database in it either
    assert first.hash_key is not None and len(first.hash_key.get_secret_value()) >= 32
    assert load_settings().hash_key == first.hash_key  # kept across starts


def test_server_database_refuses_missing_or_default_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_DATABASE_URL", "postgresql://pantau@db/pantau")
    monkeypatch.setenv("PANTAU_HASH_KEY", "changeme")
    monkeypatch.delenv("PANTAU_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match="PANTAU_HASH_KEY, PANTAU_WEBHOOK_SECRET must be set"):
        load_settings()
    assert Settings(database_url="postgresql://x/y").embedded is False


def test_every_refusal_has_the_same_shape(service: Service) -> None:
    """Missing token, wrong role and unknown path answer {"error": …} like every other error
    (they answered FastAPI's {"detail": …})."""
    r = service.client.get("/v1/cases")
    assert r.status_code == 401 and r.json() == {"error": "missing bearer token"}
    assert r.headers["www-authenticate"] == "Bearer"
    r = service.client.get("/v1/cases", headers=service.headers(Role.PLATFORM))
    assert r.status_code == 403 and set(r.json()) == {"error"}
    r = service.client.get("/v1/nothing-here", headers=service.headers(Role.ADMIN))
    assert r.status_code == 404 and set(r.json()) == {"error"}
