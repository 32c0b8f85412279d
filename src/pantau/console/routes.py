"""The web console under /console: sign-in, sign-out, language, and the role pages' routers.

Pages are rendered on the server and forms POST back and redirect; the console calls the same
domain functions as the /v1 API and exposes no API of its own. See docs/console.md.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from pantau import audit
from pantau.api.deps import ServiceState
from pantau.auth import Principal, Role, authenticate
from pantau.console import routes_admin, routes_child_safety, routes_regions, routes_review
from pantau.console import session as sessions
from pantau.console.deps import ConsoleError, ConsoleRoute, Form, NotSignedIn, State, Viewer, viewer
from pantau.console.i18n import COOKIE as LANG_COOKIE
from pantau.console.i18n import LANGS, for_request
from pantau.console.render import landing, page
from pantau.store.db import transaction

# The role pages' routers carry the /console prefix themselves (as the /v1 routers carry theirs), so
# every route's path is its full path; this router includes them and adds sign-in and language.
router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Next = Annotated[str, Query(alias="next", max_length=300)]


def safe_next(target: str | None) -> str | None:
    """Only a path inside the console: never another site (``//host``) or scheme."""
    if target and target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _signed_in(request: Request, st: State) -> Viewer | None:
    try:
        return viewer(request, st)
    except NotSignedIn:
        return None


@router.get("/console", summary="Start page: the signed-in role's first page")
def home(found: Annotated[Viewer, Depends(viewer)]) -> Response:
    return RedirectResponse(landing(found.who), status_code=303)


def _login_form(request: Request, *, next_: str = "", error: str = "", message: str = "", status: int = 200
                ) -> Response:
    csrf = secrets.token_urlsafe(32)
    response = page(request, "login.html", csrf=csrf, next=next_, error=error, flash=message, status=status)
    sessions.set_cookie(response, request, sessions.LOGIN_CSRF_COOKIE, csrf, max_age=3600)
    return response


@router.get("/console/login", summary="Sign in with a role token")
def login_form(request: Request, st: State, next_: Next = "", bye: bool = False) -> Response:
    found = _signed_in(request, st)
    if found is not None:
        return RedirectResponse(safe_next(next_) or landing(found.who), status_code=303)
    return _login_form(request, next_=next_, message=for_request(request)("logged_out") if bye else "")


@router.post("/console/login", summary="Sign in")
async def login(request: Request, st: State) -> Response:
    fields = await sessions.form_fields(request)
    if not sessions.same_token(request.cookies.get(sessions.LOGIN_CSRF_COOKIE), fields.get("csrf")):
        raise ConsoleError(403, key="csrf_failed")
    t = for_request(request)
    # The database work runs on a worker thread: waiting for the database (on SQLite, for its turn
    # to write) must never stall the event loop, which serves every other request of this process.
    who, value = await run_in_threadpool(_sign_in, st, fields.get("token", "").strip())
    if who is None:
        return _login_form(request, next_=fields.get("next", ""), error=t("login_failed"), status=401)
    if value is None:
        return _login_form(request, error=t("platform_no_console"), status=403)
    response = RedirectResponse(safe_next(fields.get("next")) or landing(who), status_code=303)
    sessions.set_cookie(response, request, sessions.COOKIE, value)
    sessions.clear_cookie(response, request, sessions.LOGIN_CSRF_COOKIE)
    return response


def _sign_in(st: ServiceState, token: str) -> tuple[Principal | None, str | None]:
    """Check a token, audit the attempt and start a session: (who, cookie value); no session for a
    platform token (it may not use the console) and no one for an unknown token."""
    with transaction(st.sessions) as db:
        who = authenticate(db, token)
        if who is None:
            audit.record(db, "anonymous", "login.failed", "console", {})
        elif who.role is Role.PLATFORM:  # a valid token the console refuses: recorded like a failed login
            audit.record(db, who.actor, "login.refused", f"user:{who.id}", {"role": who.role.value, "via": "console"})
        else:
            audit.record(db, who.actor, "login", f"user:{who.id}", {"role": who.role.value, "via": "console"})
    if who is None or who.role is Role.PLATFORM:
        return who, None
    value, _ = st.console_sessions.start(who.id)
    return who, value


@router.post("/console/logout", summary="Sign out")
def logout(request: Request, st: State, found: Annotated[Viewer, Depends(viewer)], _: Form) -> Response:
    with transaction(st.sessions) as db:
        audit.record(db, found.who.actor, "logout", f"user:{found.who.id}", {"via": "console"})
    st.console_sessions.end(request)
    response = RedirectResponse("/console/login?bye=1", status_code=303)
    sessions.clear_cookie(response, request, sessions.COOKIE)
    return response


@router.get("/console/lang/{lang}", summary="Switch the language (id, en)")
def switch_language(request: Request, lang: str, next_: Next = "/console") -> Response:
    response = RedirectResponse(safe_next(next_) or "/console", status_code=303)
    if lang in LANGS:
        sessions.set_cookie(response, request, LANG_COOKIE, lang, max_age=365 * 86400)
    return response


for _pages in (routes_review.router, routes_child_safety.router, routes_regions.router, routes_admin.router):
    router.include_router(_pages)
