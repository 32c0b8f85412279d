"""Console sessions: a random id in a cookie, the record on the server, a CSRF token per session.

After a token login the browser holds only ``pantau_session`` (HttpOnly, SameSite=Strict,
Path=/console, Secure when served over https); the role token itself is never stored. Records
live in memory in the service state, keyed by the SHA-256 of the cookie value, so **sessions end
when the service restarts** (and after ``IDLE`` without use or ``LIFETIME`` in all).

Every POST carries the session's CSRF token in a hidden ``csrf`` field; the login form, which has
no session yet, uses a double-submit token (``pantau_login_csrf`` cookie = form field).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "pantau_session"
LOGIN_CSRF_COOKIE = "pantau_login_csrf"
PATH = "/console"
IDLE = 2 * 3600.0  # seconds without a request before a session ends
LIFETIME = 12 * 3600.0  # seconds after login when a session ends regardless


@dataclass
class ConsoleSession:
    user_id: int
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    created: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)
    flash: str = ""  # a one-time message for the next page

    def expired(self, now: float) -> bool:
        return now - self.last_seen > IDLE or now - self.created > LIFETIME

    def take_flash(self) -> str:
        message, self.flash = self.flash, ""
        return message


Store = dict[str, ConsoleSession]  # SHA-256 of the cookie value → record


def _key(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def start(store: Store, user_id: int) -> tuple[str, ConsoleSession]:
    """A new session for ``user_id``: returns the cookie value (shown to the browser only) and the record."""
    now = time.monotonic()
    for key in [k for k, s in store.items() if s.expired(now)]:  # forget ended sessions as new ones start
        store.pop(key, None)
    value = secrets.token_urlsafe(32)
    record = ConsoleSession(user_id)
    store[_key(value)] = record
    return value, record


def find(store: Store, request: Request) -> ConsoleSession | None:
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    record = store.get(_key(value))
    now = time.monotonic()
    if record is None or record.expired(now):
        store.pop(_key(value), None)
        return None
    record.last_seen = now
    return record


def end(store: Store, request: Request) -> None:
    value = request.cookies.get(COOKIE)
    if value:
        store.pop(_key(value), None)


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PATH, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=PATH, httponly=True, samesite="strict", secure=request.url.scheme == "https")


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; an absent token never matches."""
    return bool(expected) and bool(given) and secrets.compare_digest(str(expected), str(given))


async def form_fields(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as a dict (the last value of a repeated field wins)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {}
    body = await request.body()
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
