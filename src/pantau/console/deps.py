"""Who is asking, and may they: the console's dependencies and its error pages.

Every console route declares its roles with ``allow(...)`` (the same ``Role`` enum as the /v1
API; ``tests/service/test_console_access.py`` walks the matrix). A missing or ended session
redirects to the login page; a wrong role, a region outside the caller's scope, or a POST without
the session's CSRF token is a 403 page in the caller's language. Domain errors become pages too.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from pantau.api.deps import ServiceState
from pantau.auth import Principal, Role
from pantau.console import session as sessions
from pantau.console.i18n import for_request
from pantau.console.render import page
from pantau.errors import ConflictError, ForbiddenError, InputError, NotFoundError, PantauError
from pantau.store.schema import User


class ConsoleError(Exception):
    """An error page: ``status`` and the message (already in the caller's language, or a key of it)."""

    def __init__(self, status: int, message: str = "", *, key: str = "") -> None:
        super().__init__(message or key)
        self.status, self.message, self.key = status, message, key


class NotSignedIn(Exception):
    pass


_TITLES = {403: "forbidden", 404: "not_found", 409: "conflict", 400: "bad_input"}
_DOMAIN = ((ForbiddenError, 403), (NotFoundError, 404), (ConflictError, 409), (InputError, 400))


def error_page(request: Request, status: int, message: str) -> Response:
    t = for_request(request)
    record = getattr(request.state, "console_viewer", None)
    return page(request, "error.html", who=record.who if record else None, csrf=record.session.csrf if record else "",
                status=status, title=t(_TITLES.get(status, "error")), message=message)


class ConsoleRoute(APIRoute):
    """Turns the console's exceptions into HTML pages (or the login redirect) instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            t = for_request(request)
            try:
                return await handler(request)
            except NotSignedIn:
                target = quote(request.url.path if request.method == "GET" else "/console")
                return RedirectResponse(f"/console/login?next={target}", status_code=303)
            except ConsoleError as exc:
                return error_page(request, exc.status, t(exc.key) if exc.key else exc.message)
            except RequestValidationError as exc:
                fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
                return error_page(request, 400, f"{t('bad_input')}: {fields}")
            except PantauError as exc:
                status = next((code for kind, code in _DOMAIN if isinstance(exc, kind)), None)
                if status is None:
                    raise
                return error_page(request, status, str(exc))

        return guarded


def state(request: Request) -> ServiceState:
    return request.app.state.pantau  # type: ignore[no-any-return]


State = Annotated[ServiceState, Depends(state)]


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a console request and their session."""

    who: Principal
    session: sessions.ConsoleSession

    @property
    def csrf(self) -> str:
        return self.session.csrf


def viewer(request: Request, st: State) -> Viewer:
    record = st.console_sessions.find(request)
    if record is None:
        raise NotSignedIn
    with st.sessions() as db:  # the user is read on every request, so disabling a user ends their sessions
        user = db.get(User, record.user_id)
        who = None if user is None or user.disabled else Principal(user.id, user.name, Role(user.role),
                                                                   tuple(user.regions or ()))
    if who is None:
        st.console_sessions.end(request)
        raise NotSignedIn
    found = Viewer(who, record)
    request.state.console_viewer = found
    return found


def allow(*roles: Role) -> Callable[[Viewer], Viewer]:
    """A dependency that admits only ``roles`` (403 page otherwise); every console route declares one."""

    def check(found: Annotated[Viewer, Depends(viewer)]) -> Viewer:
        if found.who.role not in roles:
            raise ConsoleError(403, key="forbidden_text")
        return found

    check.roles = roles  # type: ignore[attr-defined]  # read by the console access-matrix test
    return check


async def posted(request: Request, found: Annotated[Viewer, Depends(viewer)]) -> dict[str, str]:
    """The form of a POST, refused with 403 unless it carries this session's CSRF token."""
    fields = await sessions.form_fields(request)
    if not sessions.same_token(found.csrf, fields.get("csrf")):
        raise ConsoleError(403, key="csrf_failed")
    return fields


Form = Annotated[dict[str, str], Depends(posted)]

