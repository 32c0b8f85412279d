"""`pantau serve --workers N`: N server processes, each with its own listening socket on the port.

One Python process uses about one core (the GIL), so the API runs in several. Each process binds
its own socket with ``SO_REUSEPORT`` and the kernel spreads new connections across them by hash;
a single shared socket (uvicorn's own ``--workers``) lets whichever process wakes first take every
connection, which left one process doing all the work of a few busy clients.

Before starting anything the port is bound once without ``SO_REUSEPORT``: a port already in use
(by anything, including another pantau) stops the start with a clear message instead of silently
sharing the traffic; the parent then holds the port with a bound, non-listening socket until the
end. The parent only supervises: SIGTERM or SIGINT stops every process gracefully (each finishes
the requests in hand); if one process ends on its own, the others are stopped and ``serve`` exits
non-zero, for the service manager to restart it whole; if the parent is killed, the processes
notice within a second and stop.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import threading
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

    from pantau.logs import configure_json

    _stop_with_parent()
    configure_json()  # like the parent: JSON lines on stderr, one per request (pantau.access)
    sock = _shared_port(host, port)
    config = uvicorn.Config("pantau.api.app:app_from_environment", factory=True, log_level="warning",
                            log_config=None, access_log=False)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches every process: stop quietly
        uvicorn.Server(config).run(sockets=[sock])


def _stop_with_parent() -> None:
    """If the supervisor dies without stopping this process (SIGKILL), stop it too: an orphan would
    keep the port and serve on after the rest is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="pantau-parent-watch", daemon=True).start()


def _reserve(host: str, port: int) -> socket.socket:
    """Check the port is free, then hold it with a bound (not listening) ``SO_REUSEPORT`` socket for
    as long as the server runs: another program, or a second ``pantau serve`` starting at the same
    moment, now finds it in use. Connections only ever go to the listening sockets."""
    check_port_free(host, port)
    return _shared_port(host, port)


def _shared_port(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT``: the others of this server may bind it too."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve(host: str, port: int, workers: int) -> int:
    """Run ``workers`` server processes until a signal or a process's exit; returns the exit code."""
    if port == 0:
        raise ConfigError("--port 0 (any free port) cannot be shared by several processes; name a port")
    reservation = _reserve(host, port)
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
        started = [c for c in children if c.pid is not None]
        ended = [] if stopping else [c for c in started if not c.is_alive()]  # on their own: a failure
        for child in started:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes the requests in hand
        deadline = time.monotonic() + STOP_SECONDS
        for child in started:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join()
        reservation.close()
    if ended:
        codes = ", ".join(f"{c.name} exited with {c.exitcode}" for c in ended)
        print(f"pantau serve: a server process stopped ({codes}); stopped the others", file=sys.stderr)
        return 1
    return 0
