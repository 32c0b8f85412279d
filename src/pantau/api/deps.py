"""Dependencies shared by the routers: the service state, the database session, the caller."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from weakref import WeakKeyDictionary

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from pantau import audit
from pantau.api.group_commit import GroupCommit, GroupStats
from pantau.auth import Principal, Role, authenticate, hash_token
from pantau.config import Settings
from pantau.console.session import Store as ConsoleSessions
from pantau.pipeline import Pipeline
from pantau.regions import RegionIndex

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop

LOGIN_RECORD_INTERVAL = 3600.0  # seconds: a token's use is audited as a login at most hourly
FAILED_LOGIN_INTERVAL = 60.0  # seconds: failed token checks are audited at most once a minute, with a count
TOKEN_CACHE_SECONDS = 60.0  # a disabled token stops working within this time


@dataclass
class ServiceState:
    settings: Settings
    sessions: sessionmaker[Session]
    pipeline: Pipeline
    regions: RegionIndex
    last_login: dict[int, float] = field(default_factory=dict)
    tokens: dict[str, tuple[float, Principal]] = field(default_factory=dict)  # token hash → (checked, who)
    console_sessions: ConsoleSessions = field(init=False)  # web console: pantau.console.session
    # single-event ingest (pantau.api.routes_events): one group commit per event loop, shared counters
    group_commits: WeakKeyDictionary[AbstractEventLoop, GroupCommit] = field(default_factory=WeakKeyDictionary)
    group_stats: GroupStats = field(default_factory=GroupStats)
    token_generation: int = 0  # bumped by forget_tokens: a check begun before it is not cached
    failed_logins: int = 0  # failed token checks since the last `login.failed` audit entry
    failed_login_recorded: float = float("-inf")  # when that entry was written (monotonic)

    def __post_init__(self) -> None:
        self.console_sessions = ConsoleSessions(self.sessions)

    def forget_tokens(self) -> None:
        """Drop the token cache (a token was disabled): the change holds from the next request."""
        self.token_generation += 1
        self.tokens.clear()


async def state(request: Request) -> ServiceState:
    return request.app.state.pantau  # type: ignore[no-any-return]


State = Annotated[ServiceState, Depends(state)]


def db(st: State) -> Iterator[Session]:
    """One transaction per request: committed on success, rolled back whole on any error."""
    with st.sessions() as session, session.begin():
        yield session


DB = Annotated[Session, Depends(db)]
_bearer = HTTPBearer(auto_error=False)


async def principal(st: State,
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    """The caller. A token checked in the last minute is answered from memory, without a thread hop."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    key = hash_token(credentials.credentials)
    cached = st.tokens.get(key)
    if cached is not None and time.monotonic() - cached[0] < TOKEN_CACHE_SECONDS:
        return cached[1]
    generation = st.token_generation
    who = await run_in_threadpool(_check_token, st, credentials.credentials)
    if who is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or disabled token", {"WWW-Authenticate": "Bearer"})
    if st.token_generation == generation:  # no token was disabled while this one was being checked
        st.tokens[key] = (time.monotonic(), who)
    return who


def _check_token(st: ServiceState, token: str) -> Principal | None:
    """The token's user, or None. Failed checks are audited (committed, not rolled back) at most
    once a minute, with the number of failures since the last entry: a flood of bad tokens cannot
    flood the log or hold its lock."""
    with st.sessions() as session, session.begin():
        who = authenticate(session, token)
        now = time.monotonic()
        if who is None:
            st.failed_logins += 1
            if now - st.failed_login_recorded >= FAILED_LOGIN_INTERVAL:
                audit.record(session, "anonymous", "login.failed", "token", {"failures": st.failed_logins})
                st.failed_logins, st.failed_login_recorded = 0, now
            return None
        if now - st.last_login.get(who.id, -LOGIN_RECORD_INTERVAL) >= LOGIN_RECORD_INTERVAL:
            st.last_login[who.id] = now
            audit.record(session, who.actor, "login", f"user:{who.id}", {"role": who.role.value})
    return who


def retry_later(detail: str, seconds: int) -> HTTPException:
    """503 with Retry-After: the service cannot take this now and stored nothing; the caller retries."""
    return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail, headers={"Retry-After": str(seconds)})


def require(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency that admits only ``roles``; every endpoint declares its roles with it."""

    async def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            message = f"role {who.role.value} may not do this (allowed: {allowed})"
            raise HTTPException(status.HTTP_403_FORBIDDEN, message)
        return who

    check.roles = roles  # type: ignore[attr-defined]  # read by the authorisation-matrix test
    return check
