"""Failure tests: a worker killed with SIGKILL mid-run, and PostgreSQL stopped and restarted mid-run.

Afterwards every event has exactly one stored decision, nothing downstream is doubled, and the dead
letters are empty (none of these events deserved to be there).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from pantau.config import Settings
from pantau.store.db import make_engine, upgrade
from tests.webhooks import Receiver

from .conftest import (
    WorkerProcess,
    assert_exactly_once,
    create_database,
    ensure,
    feed,
    free_port,
    hold_unacked,
    publish,
    sql,
    status,
    stored_events,
    stream_env,
    wait_for,
)


def _redeliveries(worker: WorkerProcess) -> float:
    text = httpx.get(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=5).text
    line = next(x for x in text.splitlines() if x.startswith("pantau_worker_redeliveries_total"))
    return float(line.split()[-1])


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
        database: str, namespace: str, workers: Callable[..., WorkerProcess], receiver: Receiver) -> None:
    env = stream_env(database, namespace, PANTAU_WORKER_BATCH="250", PANTAU_WEBHOOK_URL=receiver.url)
    ensure(env)
    events = feed(20_000, seed=21)
    publish(namespace, events)
    victim, survivor = workers(env), workers(env)
    wait_for(lambda: stored_events(database) > 3000, 180, "the workers to get going")
    victim.signal(signal.SIGKILL)
    assert victim.proc.wait(10) == -signal.SIGKILL
    before = stored_events(database)
    assert before < len(events)  # it died mid-run
    # Whether the victim held a batch when it died depends on timing (it may have been between
    # batches, sending webhooks). A second "worker" that takes a batch and dies without acking makes
    # sure the redelivery path runs in every run.
    held = hold_unacked(env, 100)
    assert held > 0
    replacement = workers(env)
    wait_for(lambda: stored_events(database) == len(events), 300, "every event stored")
    assert_exactly_once(database, {e["event_id"] for e in events})
    # what the dead held was delivered again, to the live workers
    assert _redeliveries(survivor) + _redeliveries(replacement) >= held
    st = status(env)
    assert st["dead_letters"] == 0 and st["stream"]["messages"] == 0 and st["consumer"]["in_flight"] == 0
    # every action reached the platform, though three workers were delivering webhooks. Delivery is
    # at-least-once with an idempotency key: a worker sends one delivery at a time and marks it sent
    # after the platform's answer, so the kill can repeat at most the one it had in flight.
    wait_for(lambda: sql(database, "SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'")[0][0] == 0,
             120, "every webhook delivered")
    [(actions,)] = sql(database, "SELECT count(*) FROM actions")
    keys = receiver.idempotency_keys()
    assert actions > 0 and len(set(keys)) == actions
    assert len(keys) - len(set(keys)) <= 1, "more repeated deliveries than the killed worker had in flight"


# -- a throwaway PostgreSQL cluster of the test's own: the shared server is never touched ------------------


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
    return found[-1].parent


class Cluster:
    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="pantau-pg-"))
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    @property
    def admin(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    c = Cluster()
    c.start()
    yield c
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        c.stop("immediate")
    shutil.rmtree(c.dir, ignore_errors=True)


def test_postgres_restart_mid_run_loses_nothing(cluster: Cluster, namespace: str,
                                                workers: Callable[..., WorkerProcess]) -> None:
    database = create_database(cluster.admin)
    upgrade(make_engine(Settings(database_url=database)))
    env = stream_env(database, namespace, PANTAU_WORKER_BATCH="250")
    ensure(env)
    events = feed(12_000, seed=33)
    publish(namespace, events)
    worker = workers(env)
    wait_for(lambda: stored_events(database) > 2000, 180, "the worker to get going")
    cluster.stop("immediate")  # as if the server crashed
    time.sleep(3)
    assert worker.proc.poll() is None  # the worker rides it out
    cluster.start()
    wait_for(lambda: stored_events(database) == len(events), 300, "every event stored after the restart")
    assert_exactly_once(database, {e["event_id"] for e in events})
    st = status(env)
    assert st["dead_letters"] == 0 and st["stream"]["messages"] == 0
    assert any(r["message"].startswith("database unavailable") for r in worker.log_records())
