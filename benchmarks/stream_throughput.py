"""End-to-end stream throughput: publish a simulated nearby feed to NATS JetStream, `pantau worker`
processes score it and store it in PostgreSQL; events/s for 1, 2 and 4 workers.

    .venv/bin/python benchmarks/stream_throughput.py [--events 200000] [--workers 1,2,4] [--batch 500] [--backlog]

For each worker count it creates a throwaway database on 127.0.0.1:5432 (``pantau_bench_<hex>``,
dropped afterwards) and a JetStream namespace of its own (deleted afterwards), starts the workers and
waits until each has loaded its model, then publishes the feed (the demo's simulated week over Kota
Malang, scaled to ``--events``; ids unique per run) while the workers consume it. The clock runs from
the first publish to the moment the last event's decision is committed, so publishing, NATS, scoring
and PostgreSQL all share this machine's cores — it is the end-to-end figure. It prints events/s per
worker count, the scaling ratio against one worker, and the publish rate. Asserts nothing.

With ``--backlog`` the whole feed is published first and the workers start afterwards: the figure is
the rate at which they drain it (first to last stored batch), with no publisher on the same cores.
It tells what the workers themselves do, as when a platform publishes from its own machines; the
issue's target is judged on the end-to-end figure.
Target (issue "Scale-out"): >= 5,000 events/s end-to-end with 2 workers on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import nats
import psycopg
from machine import speed_line  # benchmarks/machine.py: this machine's Python speed
from nats.aio.msg import Msg

from pantau.config import Settings
from pantau.demo import simulate
from pantau.store.db import make_engine, upgrade
from pantau.stream import Names, connect, ensure_streams

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
NATS_URL = "nats://127.0.0.1:4222"
PANTAU = str(Path(sys.executable).with_name("pantau"))


def feed(count: int) -> list[tuple[str, bytes]]:
    planned = simulate(count, 3573, 1, datetime.now(UTC))[:count]
    return [(p.body["kind"], json.dumps(p.body, ensure_ascii=False).encode()) for p in planned]


PUBLISH_WINDOW = 2000  # publishes awaiting the stream's acknowledgement at most


async def publish(settings: Settings, events: list[tuple[str, bytes]], run: str) -> float:
    """Publish every event (id ``<run>-<n>``, spliced into the JSON) and wait until the stream has
    acknowledged each; returns seconds taken. Raises if the stream refused any.

    As a platform's publisher would, it keeps up to ``PUBLISH_WINDOW`` publishes in flight, each with
    a reply subject of its own under one inbox, and counts the acknowledgements as they arrive.
    (nats-py's ``js.publish`` makes each publish a request with its own timer and future: 44 µs of
    CPU an event against 8 here, CPU the workers need on the same two cores.)"""
    names = Names.of(settings)
    nc = await nats.connect(NATS_URL)
    inbox = nc.new_inbox()
    room = asyncio.Semaphore(PUBLISH_WINDOW)
    acked, refused, everything = 0, [], asyncio.Event()

    async def acknowledged(msg: Msg) -> None:
        nonlocal acked
        if b'"error"' in msg.data:  # {"error": {...}} instead of {"stream": ..., "seq": ...}
            refused.append(msg.data[:300].decode(errors="replace"))
        acked += 1
        room.release()
        if acked == len(events):
            everything.set()

    await nc.subscribe(f"{inbox}.*", cb=acknowledged)
    started = time.perf_counter()
    for i, (kind, body) in enumerate(events):
        await room.acquire()
        event_id = f"{run}-{i}"
        payload = b'{"event_id":"' + event_id.encode() + b'",' + body[1:]
        await nc.publish(names.event_subject(kind), payload, reply=f"{inbox}.{i}", headers={"Nats-Msg-Id": event_id})
    if events:
        await everything.wait()
    took = time.perf_counter() - started
    await nc.close()
    if refused:
        raise RuntimeError(f"the stream refused {len(refused)} events, e.g. {refused[0]}")
    return took


def wait_until_stored(url: str, total: int, workers: int) -> None:
    """Return once ``total`` events are stored. The count is read on one connection kept open, about
    once a second while far from the end and four times a second near it: the watcher's own cost
    (a new connection and a count over a growing table four times a second cost several percent
    of a core) stays out of the measurement, and the end is still seen within a quarter second."""
    with psycopg.connect(url, autocommit=True) as conn:
        while (n := int(conn.execute("SELECT count(*) FROM events").fetchone()[0])) < total:  # type: ignore[index]
            print(f"\r  {workers} worker(s): {n:,}/{total:,}", end="", file=sys.stderr, flush=True)
            time.sleep(0.25 if total - n < 5_000 else 1.0)


def drained_rate(url: str) -> float:
    """Events/s over the span the workers stored a backlog in: from the first batch's decision time
    to the last's (``received_at``; the first batch's own storing is not in the span, about 0.3 % of
    200,000 events)."""
    with psycopg.connect(url, autocommit=True) as conn:
        n, first, last = conn.execute("SELECT count(*), min(received_at), max(received_at) FROM events").fetchone()  # type: ignore[misc]
    return int(n) / max((last - first).total_seconds(), 1e-3)


def run(workers: int, events: list[tuple[str, bytes]], batch: int, logs: Path, backlog: bool = False
        ) -> tuple[float, float]:
    name = f"pantau_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    namespace = f"bench_{secrets.token_hex(4)}"
    env = {**os.environ, "PANTAU_DATABASE_URL": url, "PANTAU_NATS_URL": NATS_URL, "PANTAU_STREAM": namespace,
           "PANTAU_HASH_KEY": secrets.token_urlsafe(24), "PANTAU_WEBHOOK_SECRET": secrets.token_urlsafe(24),
           "PANTAU_WORKER_BATCH": str(batch), "PANTAU_STREAM_MAX_MESSAGES": str(max(len(events) * 2, 1000))}
    settings = Settings(database_url=url, nats_url=NATS_URL, stream=namespace,
                        stream_max_messages=max(len(events) * 2, 1000))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(make_engine(settings))

        async def prepare() -> None:
            nc = await connect(settings, "bench")
            await ensure_streams(nc.jetstream(), settings)
            await nc.close()

        asyncio.run(prepare())
        publish_seconds = asyncio.run(publish(settings, events, namespace)) if backlog else 0.0
        files = [logs / f"{namespace}-{i}.log" for i in range(workers)]
        procs = [subprocess.Popen([PANTAU, "worker"], env=env, stdout=f.open("wb"), stderr=subprocess.STDOUT)
                 for f in files]
        while not all("worker started" in f.read_text(errors="replace") for f in files):
            if any(p.poll() is not None for p in procs):
                raise RuntimeError(f"a worker exited; see {logs}")
            time.sleep(0.2)
        started = time.perf_counter()
        if not backlog:
            publish_seconds = asyncio.run(publish(settings, events, namespace))
        wait_until_stored(url, len(events), workers)
        elapsed = time.perf_counter() - started
        print(file=sys.stderr)
        return (drained_rate(url) if backlog else len(events) / elapsed), len(events) / publish_seconds
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)

        async def clean() -> None:
            nc = await nats.connect(NATS_URL)
            names = Names.of(settings)
            for stream in (names.events_stream, names.dead_stream):
                await nc.jetstream().delete_stream(stream)
            await nc.close()

        asyncio.run(clean())
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts (default 1,2,4)")
    parser.add_argument("--batch", type=int, default=500, help="PANTAU_WORKER_BATCH (default 500)")
    parser.add_argument("--backlog", action="store_true",
                        help="publish the whole feed first, then time the workers draining it (no publisher "
                             "sharing the cores: what the workers alone do)")
    args = parser.parse_args()
    counts = [int(x) for x in args.workers.split(",")]
    events = feed(args.events)
    # The feed lives as long as the run: kept out of the collector's scans, as pantau's processes keep
    # what they loaded (pantau.heap). Without this the publisher spent a third of its CPU collecting.
    gc.collect()
    gc.freeze()
    print(f"feed: {len(events):,} simulated nearby events (Kota Malang), batch {args.batch}, "
          f"{os.cpu_count()} cores; NATS {NATS_URL}, PostgreSQL {PG_ADMIN.rsplit('/', 1)[0]}")
    print(speed_line())
    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as logs:
        for n in counts:
            rate, publish_rate = run(n, events, args.batch, Path(logs), args.backlog)
            results[n] = rate
            ratio = f"   scaling vs 1 worker: {rate / results[counts[0]]:.2f}x" if n != counts[0] else ""
            what = "draining a backlog" if args.backlog else "end-to-end"
            print(f"{n} worker(s): {rate:8,.0f} events/s {what}   (publishing alone: {publish_rate:,.0f}/s)"
                  f"{ratio}", flush=True)
    if 2 in results and not args.backlog:
        verdict = "met" if results[2] >= 5000 else "not met"
        print(f"target >= 5,000 events/s with 2 workers: {verdict} ({results[2]:,.0f}/s)")


if __name__ == "__main__":
    main()
