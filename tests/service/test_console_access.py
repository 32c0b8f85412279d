"""The console's role × page matrix, its sessions and CSRF, without a browser (tests/browser drives one).

Every /console route declares its roles with ``pantau.console.deps.allow`` (the /v1 API's Role
enum); a new route fails ``test_every_console_route_is_in_the_matrix`` until it is added here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pantau.api.app import create_app
from pantau.auth import Role
from pantau.pipeline import Pipeline
from pantau.store.db import transaction
from pantau.store.schema import AuditEntry, Event, User
from tests.service.conftest import Service
from tests.service.test_access_audit import api_routes, declared_roles

REVIEWERS = {Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN}
OFFICERS = {Role.CHILD_SAFETY_OFFICER, Role.ADMIN}
REGIONAL = {Role.REGIONAL_OFFICIAL, Role.ADMIN}
# None: no role check (public, or any signed-in user; see test_pages_without_a_role_check).
MATRIX: dict[tuple[str, str], set[Role] | None] = {
    ("GET", "/console"): None,
    ("GET", "/console/login"): None,
    ("POST", "/console/login"): None,
    ("POST", "/console/logout"): None,
    ("GET", "/console/lang/{lang}"): None,
    ("GET", "/console/review"): REVIEWERS,
    ("GET", "/console/cases/{case_id}"): REVIEWERS,
    ("POST", "/console/cases/{case_id}/claim"): REVIEWERS,
    ("POST", "/console/cases/{case_id}/release"): REVIEWERS,
    ("POST", "/console/cases/{case_id}/decide"): REVIEWERS,
    ("GET", "/console/appeals"): REVIEWERS,
    ("POST", "/console/appeals/{appeal_id}/decide"): REVIEWERS,
    ("GET", "/console/child-safety"): OFFICERS,
    ("GET", "/console/child-safety/{case_id}/referral.pdf"): OFFICERS,
    ("GET", "/console/child-safety/{case_id}/referral.json"): OFFICERS,
    ("POST", "/console/child-safety/{case_id}/referred"): OFFICERS,
    ("GET", "/console/regions"): REGIONAL,
    ("GET", "/console/regions/{code}"): REGIONAL,
    ("GET", "/console/regions/{code}/report.pdf"): REGIONAL,
    ("POST", "/console/regions/{code}/field-reports"): {Role.REGIONAL_OFFICIAL},
    ("GET", "/console/admin"): {Role.ADMIN},
    ("POST", "/console/admin/users"): {Role.ADMIN},
    ("POST", "/console/admin/users/{user_id}/toggle"): {Role.ADMIN},
    ("POST", "/console/admin/webhooks/retry"): {Role.ADMIN},
    ("GET", "/console/audit"): {Role.AUDITOR, Role.ADMIN},
}
FORMS: dict[str, dict[str, str]] = {
    "/console/cases/{case_id}/decide": {"decision": "dismiss", "reason": "test"},
    "/console/appeals/{appeal_id}/decide": {"outcome": "uphold", "reason": "test"},
    "/console/regions/{code}/field-reports": {"text": "status 'open BO' di sekitar alun-alun",
                                              "occurred_at": "2026-01-05T21:30"},
    "/console/admin/users": {"name": "matrix-user", "role": "auditor"},
}
CONSOLE_ROLES = [r for r in Role if r is not Role.PLATFORM]
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def concrete(path: str) -> str:
    return (path.replace("{case_id}", "999999").replace("{appeal_id}", "999999").replace("{user_id}", "999999")
            .replace("{code}", "35.73.05").replace("{lang}", "en"))


def sign_in(service: Service, role: Role) -> tuple[TestClient, str]:
    """A client signed in to the console as ``role`` and its session's CSRF token."""
    client = TestClient(service.app, raise_server_exceptions=False)
    form = client.get("/console/login")
    answer = client.post("/console/login", data={"csrf": _CSRF.search(form.text).group(1),  # type: ignore[union-attr]
                                                 "token": service.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"])
    return client, _CSRF.search(page.text).group(1)  # type: ignore[union-attr]


def test_every_console_route_is_in_the_matrix(service: Service) -> None:
    routes = {(m, r.path): declared_roles(r) for r in api_routes(service.app.routes)
              if r.path.startswith("/console") for m in r.methods}
    assert routes == MATRIX


@pytest.mark.parametrize("role", CONSOLE_ROLES)
def test_role_by_page_matrix(service: Service, role: Role) -> None:
    client, csrf = sign_in(service, role)
    for (method, path), allowed in MATRIX.items():
        if allowed is None:
            continue
        url = concrete(path)
        data: dict[str, Any] = {**FORMS.get(path, {}), "csrf": csrf}
        r = client.request(method, url, data=data if method == "POST" else None, follow_redirects=False)
        if role in allowed:  # admitted: it may still be 404/409 for a made-up id
            assert r.status_code != 403 and r.status_code < 500, (role, method, path, r.status_code, r.text[:300])
        else:
            assert r.status_code == 403 and "text/html" in r.headers["content-type"], (role, method, path)
        if method == "POST":  # the same request without the session's CSRF token is refused, for everyone
            bare = client.post(url, data=FORMS.get(path, {}), follow_redirects=False)
            assert bare.status_code == 403 and ("CSRF" in bare.text or role not in allowed), (role, path)
        anonymous = TestClient(service.app).request(method, url, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/console/login")


def test_official_is_kept_to_their_region(service: Service) -> None:
    client, _ = sign_in(service, Role.REGIONAL_OFFICIAL)  # scope 35.73.05
    assert client.get("/console/regions/35.73.05.1003").status_code == 200
    for code in ("35.73.02", "35.73", "35.73.02.1001"):
        r = client.get(f"/console/regions/{code}")
        assert r.status_code == 403 and "Akses ditolak" in r.text, code
    assert client.get("/console/regions/35.73.05/report.pdf").status_code == 200
    assert client.get("/console/regions/35.73.02/report.pdf").status_code == 403


def test_pages_without_a_role_check(service: Service) -> None:
    client, csrf = sign_in(service, Role.AUDITOR)
    assert client.get("/console", follow_redirects=False).headers["location"] == "/console/audit"
    assert TestClient(service.app).get("/console", follow_redirects=False).status_code == 303  # not signed in
    r = client.get("/console/lang/en?next=https://example.org/", follow_redirects=False)
    assert r.headers["location"] == "/console" and "pantau_lang=en" in r.headers["set-cookie"]
    assert client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/console/audit", follow_redirects=False).status_code == 303  # the session has ended


def test_login_cookie_csrf_and_audit(service: Service) -> None:
    client = TestClient(service.app)
    form = client.get("/console/login")
    assert "SameSite=strict" in form.headers["set-cookie"] and "HttpOnly" in form.headers["set-cookie"]
    token = _CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    forged = client.post("/console/login", data={"csrf": "forged", "token": service.tokens[Role.MODERATOR]})
    assert forged.status_code == 403
    wrong = client.post("/console/login", data={"csrf": token, "token": "pt_not-a-token"})
    assert wrong.status_code == 401  # the form again, with a fresh login token
    token = _CSRF.search(wrong.text).group(1)  # type: ignore[union-attr]
    platform = client.post("/console/login", data={"csrf": token, "token": service.tokens[Role.PLATFORM]},
                           follow_redirects=False)
    assert platform.status_code == 403 and "pantau_session" not in platform.headers.get("set-cookie", "")
    token = _CSRF.search(platform.text).group(1)  # type: ignore[union-attr]
    ok = client.post("/console/login", data={"csrf": token, "token": service.tokens[Role.MODERATOR],
                                             "next": "//example.org/"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/console/review"  # never another site
    cookie = ok.headers["set-cookie"]
    assert all(flag in cookie for flag in ("pantau_session=", "HttpOnly", "Path=/console", "SameSite=strict"))
    assert "Secure" not in cookie  # plain http on localhost; set when served over https
    assert service.tokens[Role.MODERATOR] not in cookie
    page = client.get("/console/review")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    with transaction(service.sessions) as session:
        actions = [(e.action, e.details) for e in session.execute(select(AuditEntry)).scalars()]
    assert ("login.failed", {}) in actions
    assert any(a == "login" and d.get("via") == "console" for a, d in actions)
    assert ("login.refused", {"role": "platform", "via": "console"}) in actions  # the platform token, refused


def test_a_session_holds_across_server_processes(service: Service, pipeline: Pipeline) -> None:
    """`pantau serve --workers N`: a login served by one process is known to the others, with its
    CSRF token and its flash message; a logout in one ends it in all."""
    other = create_app(service.settings, pipeline)  # a second process's app: its own memory, the same database
    client, csrf = sign_in(service, Role.ADMIN)
    elsewhere = TestClient(other, raise_server_exceptions=False, cookies=dict(client.cookies))
    assert elsewhere.get("/console/admin", follow_redirects=False).status_code == 200
    with transaction(service.sessions) as session:
        auditor = session.execute(select(User.id).where(User.name == "test-auditor")).scalar_one()
    toggled = elsewhere.post(f"/console/admin/users/{auditor}/toggle", data={"csrf": csrf}, follow_redirects=False)
    assert toggled.status_code == 303
    shown = client.get("/console/admin")  # the first process shows the message the second one left
    assert "test-auditor" in shown.text and 'class="flash' in shown.text
    assert 'class="flash' not in client.get("/console/admin").text  # once
    assert client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert elsewhere.get("/console/admin", follow_redirects=False).status_code == 303  # ended everywhere


def test_a_nul_character_in_a_console_form_is_stored_as_a_replacement_character(service: Service) -> None:
    """A field report typed with U+0000 (PostgreSQL's text cannot hold it) is stored with U+FFFD."""
    client, csrf = sign_in(service, Role.REGIONAL_OFFICIAL)
    form = {"csrf": csrf, "text": "status open BO\x00 di alun-alun", "occurred_at": "2026-01-05T21:30"}
    answer = client.post("/console/regions/35.73.05/field-reports", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    with service.sessions() as session:
        texts = session.execute(select(Event.text).where(Event.kind == "field_report")).scalars().all()
    assert texts == ["status open BO\ufffd di alun-alun"]
