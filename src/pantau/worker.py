"""``pantau worker``: pull events from JetStream, score and store them, ack only after the commit.

Each worker runs one batch at a time (at most ``PANTAU_WORKER_BATCH`` messages in hand):

1. decode every message into an event; one that is not valid JSON or not a valid event (unknown kind,
   bad field) is a *poison message*: it goes to the dead letters at once with the error, and is acked;
2. score and store the batch in **one database transaction** (the same ``ingest_batch`` as the API,
   idempotent on the event id, so a redelivered event is a replay that writes nothing);
3. after the commit: publish each decision on ``<ns>.decisions``, then ack the messages.

If the database cannot be reached, the worker keeps the batch (telling NATS it is still working on
it) and retries with back-off until the database is back; such failures are not the messages'
fault and never send them to the dead letters. Any other error is
retried message by message, so one bad event cannot hold back the others; a message that still
fails after ``PANTAU_MAX_DELIVER`` deliveries goes to the dead letters with its error.
SIGTERM (or Ctrl-C) finishes the batch in hand, then stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pantau.actions import start_delivery
from pantau.api.schemas import EventIn
from pantau.config import Settings
from pantau.heap import freeze_loaded
from pantau.ingest import ingest_in_transaction
from pantau.metrics import WorkerMetrics
from pantau.pipeline import SERVICE_CACHE_SIZE, Pipeline
from pantau.region_store import build_index
from pantau.regions import RegionIndex
from pantau.store.db import make_engine, session_factory
from pantau.store.keys import check_hash_key
from pantau.stream import ERROR_HEADER, Names, connect, ensure_streams

log = logging.getLogger("pantau.worker")
_EVENT: TypeAdapter[EventIn] = TypeAdapter(EventIn)
LAG_EVERY = 5.0  # seconds between lag readings (consumer info)
MAX_BACKOFF = 60.0


class Poison(Exception):
    """A message that can never become a valid event."""


def decode(data: bytes) -> EventIn:
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Poison(f"not JSON: {exc}") from None
    except RecursionError:
        raise Poison("not JSON we accept: nested too deeply") from None
    try:
        return _EVENT.validate_python(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(body)'}: {e['msg']}" for e in exc.errors())
        raise Poison(f"not a valid event: {problems}"[:1000]) from None
    except Exception as exc:  # whatever else a hostile body triggers, it is the body's fault
        raise Poison(f"not a valid event: {type(exc).__name__}: {exc}"[:1000]) from None


def backoff(deliveries: int) -> float:
    return min(2.0 ** deliveries, MAX_BACKOFF)


def transient(exc: BaseException) -> bool:
    """The database (not the message) is the problem: it is down, restarting or unreachable."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


@dataclass
class Worker:
    settings: Settings
    sessions: sessionmaker[Session]
    pipeline: Pipeline
    regions: RegionIndex
    nc: Client
    js: JetStreamContext
    names: Names
    metrics: WorkerMetrics
    stop: asyncio.Event
    actor: str = "platform:stream"

    def store(self, events: Sequence[EventIn]) -> list[dict[str, Any]]:
        """One transaction for the batch (again if it lost a race to another worker or a reviewer);
        returns the decisions (replays included)."""
        stored = ingest_in_transaction(self.sessions, self.pipeline, events, self.actor, self.settings.contact_key,
                                       self.regions)
        return [s.to_dict() for s in stored]

    async def handle(self, msgs: Sequence[Msg]) -> None:
        """Process one fetched batch: every message ends acked, nak'd for later, or dead-lettered."""
        started = time.perf_counter()
        good: list[tuple[Msg, EventIn]] = []
        for msg in msgs:
            if msg.metadata.num_delivered > 1:
                self.metrics.redeliveries.inc()
            try:
                good.append((msg, decode(msg.data)))
            except Poison as exc:
                await self.dead_letter(msg, str(exc))
        if good:
            try:
                decisions = await self.store_holding([m for m, _ in good], [e for _, e in good])
            except Exception as exc:
                await self.one_by_one(good, exc)
            else:
                await self.done([m for m, _ in good], decisions)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)

    async def store_holding(self, msgs: Sequence[Msg], events: Sequence[EventIn]) -> list[dict[str, Any]]:
        """Store, and while the database is unreachable keep the batch (telling NATS we are still on
        it) and try again with back-off: an outage is not the events' fault and does not count
        against their deliveries. Stops retrying (and re-raises) only when the worker is stopping."""
        attempt = 0
        while True:
            try:
                return await asyncio.to_thread(self.store, events)
            except Exception as exc:
                if not transient(exc) or self.stop.is_set():
                    raise
                attempt += 1
                delay = backoff(attempt)
                log.warning("database unavailable; holding %d events, retry in %.0f s", len(msgs), delay,
                            extra={"error": _describe(exc)})
                await self.keep_alive(msgs, delay)

    async def keep_alive(self, msgs: Sequence[Msg], seconds: float) -> None:
        """Wait ``seconds`` (or until stopping), telling NATS the messages are still being worked on."""
        deadline = time.monotonic() + seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            for msg in msgs:
                await msg.in_progress()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), min(self.settings.ack_wait / 3, deadline - time.monotonic()))

    async def done(self, msgs: Sequence[Msg], decisions: Sequence[dict[str, Any]]) -> None:
        """After the commit: publish the decisions, then ack (a crash in between only causes a replay)."""
        replayed = 0
        for decision in decisions:  # orjson: compact UTF-8 JSON, several times faster than json.dumps
            await self.nc.publish(self.names.decisions_subject, orjson.dumps(decision))
            replayed += bool(decision["replayed"])
        self.metrics.events.labels("stored").inc(len(decisions) - replayed)
        self.metrics.events.labels("replayed").inc(replayed)
        for msg in msgs:
            await msg.ack()

    async def one_by_one(self, good: Sequence[tuple[Msg, EventIn]], batch_error: Exception) -> None:
        """The batch failed for a reason other than an outage: retry each event on its own, so one bad
        event cannot hold back the rest. A race with another worker on the same event, account or case
        (an integrity error) clears on retry; other errors dead-letter the event after
        PANTAU_MAX_DELIVER deliveries."""
        log.warning("batch failed, retrying its %d events one by one", len(good),
                    extra={"error": _describe(batch_error)})
        for i, (msg, event) in enumerate(good):
            if i % 50 == 0:
                for later, _ in good[i:]:
                    await later.in_progress()
            try:
                decisions = await self.store_holding([msg], [event])
            except Exception as exc:
                deliveries = msg.metadata.num_delivered
                limit = self.settings.max_deliver * (3 if isinstance(exc, IntegrityError) else 1)
                if self.stop.is_set() or deliveries < limit:
                    await msg.nak(delay=backoff(deliveries))
                else:
                    await self.dead_letter(msg, _describe(exc))
            else:
                await self.done([msg], decisions)

    async def dead_letter(self, msg: Msg, error: str) -> None:
        headers = {k: v for k, v in (msg.headers or {}).items() if k == "Nats-Msg-Id"}
        headers |= {ERROR_HEADER: error[:2000], "Pantau-Subject": msg.subject,
                    "Pantau-Deliveries": str(msg.metadata.num_delivered)}
        await self.js.publish(self.names.dead_subject, msg.data, headers=headers)
        await msg.ack()
        self.metrics.dead_letters.inc()
        log.error("dead letter", extra={"subject": msg.subject, "error": error[:500],
                                        "deliveries": msg.metadata.num_delivered,
                                        "event_id": headers.get("Nats-Msg-Id")})


def _describe(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:1000]


async def run(settings: Settings, *, metrics_port: int | None = None, metrics_host: str = "127.0.0.1",
              stop: asyncio.Event | None = None) -> None:
    """Run one worker until SIGTERM/SIGINT (or ``stop``); the batch in hand is always finished."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    check_hash_key(engine, settings.contact_key, settings.hash_key_source)
    with sessions() as session:
        regions = build_index(session)
    metrics = WorkerMetrics.create(metrics_port, metrics_host)  # a taken port: an error before anything starts
    nc = await connect(settings, "pantau-worker")
    js = nc.jetstream()
    names = await ensure_streams(js, settings, owner=False)
    pipeline = Pipeline.default(cache_size=SERVICE_CACHE_SIZE)
    worker = Worker(settings, sessions, pipeline, regions, nc, js, names, metrics, stop)
    sub = await js.pull_subscribe(names.events_subjects, durable=names.consumer, stream=names.events_stream)
    delivery, delivery_stop = start_delivery(sessions, settings)
    freeze_loaded()  # pipeline and regions live as long as the worker
    log.info("worker started", extra={"stream": names.events_stream, "consumer": names.consumer,
                                      "batch": settings.worker_batch, "metrics_port": metrics_port,
                                      "metrics_host": metrics_host})
    last_lag = 0.0
    try:
        while not stop.is_set():
            if time.monotonic() - last_lag > LAG_EVERY:
                last_lag = time.monotonic()
                await _read_lag(sub, metrics)
                await _check_key(engine, settings)
            try:
                msgs = await sub.fetch(settings.worker_batch, timeout=1.0)
            except TimeoutError:
                continue
            except Exception as exc:  # NATS restarting, leader election, …: wait and fetch again
                log.warning("cannot fetch from the stream", extra={"error": _describe(exc)})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)
                continue
            try:
                await worker.handle(msgs)
            except Exception:  # never die on one batch: what was not acked is delivered again
                log.exception("batch failed unexpectedly", extra={"events": len(msgs)})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)
                continue
            log.info("batch", extra={"events": len(msgs)})
    finally:
        log.info("worker stopping")
        delivery_stop.set()
        delivery.join(timeout=5)
        await sub.unsubscribe()
        await nc.drain()
        engine.dispose()


async def _check_key(engine: Engine, settings: Settings) -> None:
    """Stop (ConfigError) if the store's hash key was rotated while this worker runs: its hashes would
    never link. A database that does not answer is the batches' concern, not a reason to stop."""
    try:
        await asyncio.to_thread(check_hash_key, engine, settings.contact_key, settings.hash_key_source, running=True)
    except SQLAlchemyError as exc:
        log.warning("cannot check the hash key", extra={"error": _describe(exc)})


async def _read_lag(sub: JetStreamContext.PullSubscription, metrics: WorkerMetrics) -> None:
    try:
        info = await sub.consumer_info()
    except Exception as exc:  # a missed reading is not worth stopping for
        log.warning("cannot read consumer lag", extra={"error": _describe(exc)})
        return
    metrics.lag.set(info.num_pending or 0)
    metrics.in_flight.set(info.num_ack_pending or 0)
