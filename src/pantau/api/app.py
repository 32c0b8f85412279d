"""The FastAPI application factory. No work at import time: ``create_app(settings)`` builds it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau import __version__, console
from pantau.actions import start_delivery
from pantau.api import (
    routes_audit,
    routes_events,
    routes_events_stream,
    routes_field_reports,
    routes_regions,
    routes_review,
)
from pantau.api.access_log import AccessLog
from pantau.api.deps import ServiceState, principal
from pantau.auth import Principal
from pantau.config import Settings
from pantau.errors import ConfigError, ConflictError, ForbiddenError, InputError, NotFoundError
from pantau.heap import freeze_loaded
from pantau.pipeline import SERVICE_CACHE_SIZE, Pipeline
from pantau.region_store import build_index
from pantau.store.db import make_engine, session_factory
from pantau.store.keys import check_hash_key
from pantau.stream import connect, ensure_streams

MAX_BODY = 256 * 1024
log = logging.getLogger(__name__)


class BodyLimit:
    """413 for request bodies over MAX_BODY, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
            await _too_large(send)
            return
        seen, over, started = 0, False, False

        async def limited() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    over = True
                    raise _TooLarge
            return message

        async def unless_over(message: Message) -> None:
            # The framework may catch the exception while it reads the body and answer 400 ("error
            # parsing the body"); once over the limit, that answer is dropped for the 413 below. A
            # response already under way (a file streamed while the body still arrives) is not
            # interrupted by a second start: it ends where the limit was hit.
            nonlocal started
            if not over or started:
                started = started or message["type"] == "http.response.start"
                await send(message)

        with suppress(_TooLarge):
            await self.app(scope, limited, unless_over)
        if over and not started:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"error":"request body too large","detail":"the limit is 262144 bytes (256 KiB)"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def create_app(settings: Settings, pipeline: Pipeline | None = None) -> FastAPI:
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        nc = None
        if settings.ingest == "stream":  # before anything else starts: a missing NATS stops the start cleanly
            nc = await connect(settings, "pantau-api")
            js = nc.jetstream()
            app.state.stream = (js, await ensure_streams(js, settings))
        worker, stop = start_delivery(app.state.pantau.sessions, app.state.pantau.settings)
        freeze_loaded()  # pipeline and regions are loaded and live as long as the server
        try:
            yield
        finally:
            if nc is not None:
                await nc.drain()
            stop.set()
            worker.join(timeout=5)

    app = FastAPI(
        lifespan=lifespan,
        title="pantau",
        version=__version__,
        description="Trust-and-safety engine for location-based chat apps. / Mesin keamanan untuk aplikasi "
        "obrolan berbasis lokasi. Every automated decision is explained, reviewable and appealable.",
    )
    sessions = session_factory(engine)
    try:
        with sessions() as session:
            regions = build_index(session)
    except SQLAlchemyError as exc:
        raise ConfigError(f"the database at {engine.url.render_as_string(hide_password=True)} is not ready "
                          f"({type(exc).__name__}); run `pantau db upgrade`") from None
    check_hash_key(engine, settings.contact_key, settings.hash_key_source)  # every server process, not only serve's
    pipeline = pipeline or Pipeline.default(cache_size=SERVICE_CACHE_SIZE)
    app.state.pantau = ServiceState(settings, sessions, pipeline, regions)
    app.add_middleware(BodyLimit)
    app.add_middleware(AccessLog)  # outermost: a 413 is logged too

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _location(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 401, 403 for a role, 404 for an unknown path, 503: the same {"error": …} shape as the rest
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    for error, code in ((InputError, 400), (NotFoundError, 404), (ConflictError, 409), (ForbiddenError, 403)):

        async def _handler(_: Request, exc: Exception, code: int = code) -> JSONResponse:
            return JSONResponse({"error": str(exc)}, status_code=code)

        app.add_exception_handler(error, _handler)

    @app.get("/healthz", tags=["service"], summary="Liveness: no authentication")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/v1/me", tags=["service"], summary="Who the token belongs to")
    def me(who: Annotated[Principal, Depends(principal)]) -> dict[str, Any]:
        return {"name": who.name, "role": who.role.value, "regions": list(who.regions)}

    app.include_router(routes_events_stream.router if settings.ingest == "stream" else routes_events.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_review.router)
    app.include_router(routes_regions.router)
    app.include_router(routes_field_reports.router)
    app.include_router(console.router)  # the web console: server-rendered pages, docs/console.md
    app.mount("/console/static", StaticFiles(directory=console.STATIC), name="console-static")
    return app


def app_from_environment() -> FastAPI:
    """The application as ``pantau serve --workers N`` starts it in each worker process: settings
    from the environment (the parent process has already generated any embedded secrets and
    migrated the database)."""
    from pantau.config import load_settings

    return create_app(load_settings())

