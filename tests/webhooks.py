"""A real local HTTP server standing in for the platform's webhook endpoint (shared by the service
and stream integration tests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """A real local HTTP server standing in for the platform's webhook endpoint."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], str]] = []
        self.fail_next = 0
        self.hold: threading.Event | None = None  # when set, each request waits for it (a slow receiver)
        self.arrived = threading.Event()  # a request has come in
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait(timeout=60)
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.calls.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/pantau"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def actions(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.calls]

    def idempotency_keys(self) -> list[str]:
        return [headers["Idempotency-Key"] for headers, _ in self.calls]
