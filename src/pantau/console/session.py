"""Console sessions: a random id in a cookie, the record on the server, a CSRF token per session.

After a token login the browser holds only ``pantau_session`` (HttpOnly, SameSite=Strict,
Path=/console, Secure when served over https); the role token itself is never stored. Records
live in the database (table ``console_sessions``, keyed by the SHA-256 of the cookie value), so
every server process of ``pantau serve --workers N`` knows them and they survive a restart; a
session ends at logout, after ``IDLE`` without use, or ``LIFETIME`` after login.

Every POST carries the session's CSRF token in a hidden ``csrf`` field; the login form, which has
no session yet, uses a double-submit token (``pantau_login_csrf`` cookie = form field).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response

from pantau.api.schemas import without_nul
from pantau.store.schema import ConsoleSessionRecord

COOKIE = "pantau_session"
LOGIN_CSRF_COOKIE = "pantau_login_csrf"
PATH = "/console"
IDLE = 2 * 3600.0  # seconds without a request before a session ends
LIFETIME = 12 * 3600.0  # seconds after login when a session ends regardless
TOUCH_EVERY = 60.0  # seconds: how stale ``last_seen`` may get before a request writes it again


@dataclass
class ConsoleSession:
    """One session as a request sees it.

    The flash (a one-time message for the next page) is read and cleared when the request finds its
    session, so a page shows it with ``take_flash`` without opening a transaction of its own;
    ``flash_next`` writes one for the next request, whichever server process serves that.
    """

    store: Store
    key: str
    user_id: int
    csrf: str
    arrived_flash: str = ""

    def flash_next(self, message: str) -> None:
        """Leave ``message`` for the session's next page."""
        self.store.write_flash(self.key, message)

    def take_flash(self) -> str:
        message, self.arrived_flash = self.arrived_flash, ""
        return message


def _key(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


class Store:
    """The console's sessions in the service database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._db = sessions

    def start(self, user_id: int) -> tuple[str, ConsoleSession]:
        """A new session for ``user_id``: returns the cookie value (shown to the browser only) and the record."""
        now = time.time()
        value = secrets.token_urlsafe(32)
        record = ConsoleSession(self, _key(value), user_id, secrets.token_urlsafe(32))
        with self._db() as db, db.begin():  # ended sessions are forgotten as new ones start
            db.execute(delete(ConsoleSessionRecord).where(or_(ConsoleSessionRecord.last_seen < now - IDLE,
                                                              ConsoleSessionRecord.created < now - LIFETIME)))
            db.add(ConsoleSessionRecord(key=record.key, user_id=user_id, csrf=record.csrf, created=now,
                                        last_seen=now, flash=""))
        return value, record

    def find(self, request: Request) -> ConsoleSession | None:
        value = request.cookies.get(COOKIE)
        if not value:
            return None
        key, now = _key(value), time.time()
        with self._db() as db, db.begin():
            row = db.get(ConsoleSessionRecord, key)
            if row is None:
                return None
            if now - row.last_seen > IDLE or now - row.created > LIFETIME:
                db.delete(row)
                return None
            if now - row.last_seen > TOUCH_EVERY:
                row.last_seen = now
            found = ConsoleSession(self, key, row.user_id, row.csrf, row.flash)
            if row.flash:
                row.flash = ""
            return found

    def end(self, request: Request) -> None:
        value = request.cookies.get(COOKIE)
        if value:
            with self._db() as db, db.begin():
                db.execute(delete(ConsoleSessionRecord).where(ConsoleSessionRecord.key == _key(value)))

    def write_flash(self, key: str, message: str) -> None:
        with self._db() as db, db.begin():
            db.execute(update(ConsoleSessionRecord).where(ConsoleSessionRecord.key == key).values(flash=message))


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
    return {k: without_nul(v) for k, v in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)}
