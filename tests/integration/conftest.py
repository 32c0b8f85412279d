"""Stream integration fixtures: the real NATS JetStream (127.0.0.1:4222) and PostgreSQL (127.0.0.1:5432).

Every test gets its own PostgreSQL database and its own JetStream namespace (streams, subjects and
consumer), both removed afterwards, so tests never see each other's events. Workers run as real
``pantau worker`` processes. Outside CI the tests skip when either server is missing; in CI
(CI=true) they fail instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import nats
import psycopg
import pytest

from pantau.config import Settings
from pantau.demo import simulate
from pantau.store.db import make_engine, upgrade
from pantau.stream import Names

T = TypeVar("T")
PG_ADMIN = os.environ.get("PANTAU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
NATS_URL = os.environ.get("PANTAU_TEST_NATS", "nats://127.0.0.1:4222")
PANTAU = str(Path(sys.executable).with_name("pantau"))
SECRETS = {"PANTAU_HASH_KEY": "integration-hash-key-0123456789",
           "PANTAU_WEBHOOK_SECRET": "integration-webhook-secret-0123456789"}


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a fresh event loop in its own thread (another test's library,
    such as Playwright's sync API, may have left a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _unavailable(what: str, exc: Exception) -> None:
    if os.environ.get("CI"):
        raise exc
    pytest.skip(f"no {what}: {exc}")


def create_database(admin: str) -> str:
    name = f"pantau_it_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin: str, url: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def database() -> Iterator[str]:
    try:
        url = create_database(PG_ADMIN)
    except psycopg.OperationalError as exc:
        _unavailable(f"PostgreSQL at {PG_ADMIN}", exc)
    upgrade(make_engine(Settings(database_url=url)))
    yield url
    drop_database(PG_ADMIN, url)


@pytest.fixture
def namespace() -> Iterator[str]:
    """A JetStream namespace of this test's own; its streams are deleted afterwards."""
    ns = f"it_{uuid.uuid4().hex[:10]}"

    async def check() -> None:
        nc = await nats.connect(NATS_URL, connect_timeout=3, max_reconnect_attempts=0)
        await nc.jetstream().account_info()
        await nc.close()

    try:
        run_async(check())
    except Exception as exc:
        _unavailable(f"NATS JetStream at {NATS_URL}", exc)
    yield ns

    async def clean() -> None:
        nc = await nats.connect(NATS_URL)
        names = Names.of(Settings(stream=ns))
        for stream in (names.events_stream, names.dead_stream):
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await nc.jetstream().delete_stream(stream)
        await nc.close()

    run_async(clean())


def stream_env(database: str, namespace: str, **extra: str) -> dict[str, str]:
    return {**os.environ, **SECRETS, "PANTAU_DATABASE_URL": database, "PANTAU_NATS_URL": NATS_URL,
            "PANTAU_STREAM": namespace, "PANTAU_ACK_WAIT": "10", **extra}


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(database_url=env["PANTAU_DATABASE_URL"], nats_url=env["PANTAU_NATS_URL"],
                    stream=env["PANTAU_STREAM"], hash_key=env["PANTAU_HASH_KEY"],
                    webhook_secret=env["PANTAU_WEBHOOK_SECRET"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WorkerProcess:
    """``pantau worker`` as a child process, its JSON log in a file."""

    def __init__(self, env: dict[str, str], log: Path, metrics_port: int | None = None) -> None:
        self.log = log
        self.metrics_port = metrics_port or free_port()
        self._out = log.open("ab")
        self.proc = subprocess.Popen([PANTAU, "worker", "--metrics-port", str(self.metrics_port)], env=env,
                                     stdout=self._out, stderr=subprocess.STDOUT)

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._out.close()
        return code

    def log_records(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def start(env: dict[str, str]) -> WorkerProcess:
        w = WorkerProcess(env, tmp_path / f"worker-{len(started)}.log")
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def feed(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """A simulated nearby feed over Kota Malang (the demo's generator), as the platform would send it."""
    planned = simulate(count, seed, 1, datetime.now(UTC))
    return [{"event_id": f"it-{seed}-{i:07d}", **p.body} for i, p in enumerate(planned)]


async def publish_async(namespace: str, events: list[dict[str, Any]], *, msg_ids: bool = True) -> None:
    """Publish events as the platform does: one subject per kind, the event id as Nats-Msg-Id."""
    names = Names.of(Settings(stream=namespace))
    await _publish([(names.event_subject(e.get("kind", "unknown")), json.dumps(e).encode(),
                     e["event_id"] if msg_ids else None) for e in events])


async def _publish(messages: list[tuple[str, bytes, str | None]]) -> None:
    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    pending = []
    for subject, payload, msg_id in messages:
        headers = {"Nats-Msg-Id": msg_id} if msg_id else None
        pending.append(await js.publish_async(subject, payload, headers=headers))
        if len(pending) >= 2000:
            await asyncio.gather(*pending)
            pending.clear()
    await asyncio.gather(*pending)
    await nc.close()


def publish(namespace: str, events: list[dict[str, Any]], *, msg_ids: bool = True) -> None:
    run_async(publish_async(namespace, events, msg_ids=msg_ids))


def publish_raw(namespace: str, subject_kind: str, payload: bytes) -> None:
    names = Names.of(Settings(stream=namespace))
    run_async(_publish([(names.event_subject(subject_kind), payload, None)]))


def ensure(env: dict[str, str]) -> None:
    """Create the streams before anything is published (a worker or the API would do it at start)."""
    from pantau.stream import connect, ensure_streams

    async def go() -> None:
        nc = await connect(settings_of(env), "test")
        await ensure_streams(nc.jetstream(), settings_of(env))
        await nc.close()

    run_async(go())


def hold_unacked(env: dict[str, str], count: int) -> int:
    """Take up to ``count`` messages from the workers' consumer and never ack them, as a worker killed
    while holding a batch would: they come back to the live workers after the ack wait."""
    names = Names.of(settings_of(env))

    async def go() -> int:
        nc = await nats.connect(NATS_URL)
        sub = await nc.jetstream().pull_subscribe_bind(durable=names.consumer, stream=names.events_stream)
        msgs = await sub.fetch(count, timeout=10)
        await nc.close()
        return len(msgs)

    return run_async(go())


def status(env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([PANTAU, "worker", "status", "--json"], env=env, capture_output=True, text=True,
                         timeout=60, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def sql(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, connect_timeout=3) as conn:
        return conn.execute(query).fetchall()


def stored_events(url: str) -> int:
    try:
        return int(sql(url, "SELECT count(*) FROM events")[0][0])
    except psycopg.OperationalError:
        return -1  # the database is restarting


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, every: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def assert_exactly_once(url: str, expected_ids: set[str]) -> None:
    """Every event has exactly one stored decision and nothing downstream was written twice."""
    ids = {row[0] for row in sql(url, "SELECT event_id FROM events")}
    assert ids == expected_ids, f"missing {len(expected_ids - ids)}, unexpected {len(ids - expected_ids)}"
    [(decided, distinct)] = sql(url, "SELECT count(*), count(DISTINCT subject) FROM audit_log "
                                     "WHERE action = 'event.decide'")
    assert decided == distinct == len(expected_ids)  # one decision audited per event, never two
    assert sql(url, "SELECT account_id FROM cases WHERE status = 'open' GROUP BY account_id "
                    "HAVING count(*) > 1") == []
    assert sql(url, "SELECT source_event_id, type FROM actions WHERE source_event_id IS NOT NULL "
                    "GROUP BY source_event_id, type HAVING count(*) > 1") == []
    assert sql(url, "SELECT case_id, type FROM actions WHERE automated GROUP BY case_id, type "
                    "HAVING count(*) > 1") == []  # one automatic action of a kind per case
    [(actions, deliveries)] = sql(url, "SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM "
                                       "webhook_deliveries)")
    assert actions == deliveries  # one webhook per action
    [(events_in_cases,)] = sql(url, "SELECT coalesce(sum(events_count), 0) FROM cases")
    [(linked,)] = sql(url, "SELECT count(*) FROM events WHERE case_id IS NOT NULL")
    assert events_in_cases == linked  # case counters were not bumped by a replay

