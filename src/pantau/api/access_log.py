"""One JSON log line per HTTP request (logger ``pantau.access``): method, route, status, duration.

What is left out on purpose (UU PDP: log what operating the service needs, nothing more): query
strings, headers (tokens, cookies), bodies and the client's address. The route is the path
template (``/v1/cases/{case_id}``) where one matched, so the log does not list case or event ids;
other paths (404s) are logged as sent, cut to 200 characters.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("pantau.access")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before any response: the server answers 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = scope.get("route")
            log.info("request", extra={
                "method": scope["method"],
                "route": getattr(route, "path", None) or str(scope.get("path", ""))[:200],
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            })
