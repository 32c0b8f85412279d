"""`pantau serve --workers N`: N server processes, each with its own listening socket on the port.

One Python process uses about one core (the GIL), so the API runs in several. Each process binds
its own socket with ``SO_REUSEPORT`` and the kernel spreads new connections across them by hash;
a single shared socket (uvicorn's own ``--workers``) lets whichever process wakes first take every
connection, which left one process doing all the work of a few busy clients.

Before starting anything the port is bound once without ``SO_REUSEPORT``: a port already in use
(by anything, including another pantau) stops the start with a clear message instead of silently
sharing the traffic. The parent only supervises: SIGTERM or SIGINT stops every process gracefully
(each finishes the requests in hand); if one process dies, the others are stopped and ``serve``
exits non-zero, for the service manager to restart it whole.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType

from pantau.errors import ConfigError

STOP_SECONDS = 30.0  # how long the processes get to finish their requests before they are killed


def check_port_free(host: str, port: int) -> None:
    """Raise ConfigError if ``host:port`` cannot be bound (in use, or not an address of this machine)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _serve_one(host: str, port: int) -> None:
    """One server process: its own socket on the shared port, the app built from the environment."""
    import uvicorn

    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    config = uvicorn.Config("pantau.api.app:app_from_environment", factory=True, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


def serve(host: str, port: int, workers: int) -> int:
    """Run ``workers`` server processes until a signal or a process's death; returns the exit code."""
    check_port_free(host, port)
    spawn = multiprocessing.get_context("spawn")  # fresh interpreters: nothing inherited from this one
    children: list[BaseProcess] = [spawn.Process(target=_serve_one, args=(host, port), name=f"pantau-serve-{n}")
                                   for n in range(workers)]
    stopping = False

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for child in children:
            child.start()
        while not stopping and all(child.is_alive() for child in children):
            time.sleep(0.2)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        died = [c for c in children if not c.is_alive() and c.exitcode not in (None, 0)] if not stopping else []
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes the requests in hand
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join()
    if died:
        codes = ", ".join(f"{c.name} exited with {c.exitcode}" for c in died)
        print(f"pantau serve: a server process stopped ({codes}); stopped the others", file=sys.stderr)
        return 1
    return 0
