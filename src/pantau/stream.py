"""NATS JetStream plumbing shared by the API (which publishes events) and the workers (which consume them).

One namespace per deployment (``PANTAU_STREAM``, default ``pantau``) names everything:

- stream ``PANTAU_EVENTS`` on subjects ``pantau.events.<kind>``: work-queue retention (a message is
  gone once a worker acks it), a de-duplication window on the ``Nats-Msg-Id`` header (the platform's
  event id), at most ``PANTAU_STREAM_MAX_MESSAGES`` queued with new messages refused beyond that;
- durable pull consumer ``workers`` that every worker shares;
- stream ``PANTAU_DEAD`` on ``pantau.dead``: dead letters, kept 30 days, with the error in a header;
- subject ``pantau.decisions``: one message per decision, for the platform to subscribe to.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import APIError, NotFoundError

from pantau.config import Settings
from pantau.errors import ConfigError

log = logging.getLogger(__name__)

DEDUPE_WINDOW = 120.0  # seconds: a replay within this window is dropped by NATS; later ones by the database
DEAD_LETTER_DAYS = 30
MAX_ACK_PENDING = 20_000  # messages delivered and not yet acked, over all workers
ERROR_HEADER = "Pantau-Error"
STREAM_FULL = 10077  # JetStream's "maximum messages exceeded"


class StreamFull(Exception):
    """The event stream holds its configured maximum: the caller should retry later."""


@dataclass(frozen=True)
class Names:
    events_stream: str
    events_subjects: str
    dead_stream: str
    dead_subject: str
    decisions_subject: str
    consumer: str

    def event_subject(self, kind: str) -> str:
        return self.events_subjects.replace("*", kind)

    @classmethod
    def of(cls, settings: Settings) -> Names:
        p = settings.stream
        return cls(events_stream=f"{p.upper()}_EVENTS", events_subjects=f"{p}.events.*",
                   dead_stream=f"{p.upper()}_DEAD", dead_subject=f"{p}.dead", decisions_subject=f"{p}.decisions",
                   consumer="workers")


async def _report(exc: Exception) -> None:
    log.warning("NATS connection: %s: %s", type(exc).__name__, exc)  # one line, not a traceback every 2 s


async def connect(settings: Settings, name: str) -> Client:
    """A NATS connection that keeps reconnecting once up; a clear error if no server answers at start.

    With reconnection allowed, nats-py would retry a first connection that fails forever (and print
    a traceback each time), so the first contact is a plain connection that gives up after a second try."""
    try:
        probe = await nats.connect(settings.nats_url, name=name, connect_timeout=5, allow_reconnect=False,
                                   max_reconnect_attempts=1, reconnect_time_wait=0.5,
                                   error_cb=_report)
        await probe.close()
        return await nats.connect(settings.nats_url, name=name, connect_timeout=5, max_reconnect_attempts=-1,
                                  allow_reconnect=True, error_cb=_report)
    except (OSError, nats.errors.NoServersError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach NATS at {settings.nats_url} ({type(exc).__name__}: {exc}); "
                          "start nats-server with JetStream (-js) or set PANTAU_NATS_URL") from None


async def ensure_streams(js: JetStreamContext, settings: Settings, *, owner: bool = True) -> Names:
    """Create (or, for the ``owner`` — the API, which publishes — bring up to date) the event and
    dead-letter streams, and the workers' consumer. A worker only creates what is missing: its own
    PANTAU_STREAM_MAX_MESSAGES (say, the default) must not reset the limit the API set, which turned
    backpressure off."""
    names = Names.of(settings)
    events = StreamConfig(
        name=names.events_stream, subjects=[names.events_subjects], retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE, max_msgs=settings.stream_max_messages, discard=DiscardPolicy.NEW,
        duplicate_window=DEDUPE_WINDOW)
    dead = StreamConfig(
        name=names.dead_stream, subjects=[names.dead_subject], retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE, max_age=DEAD_LETTER_DAYS * 86400.0)
    for config in (events, dead):
        try:
            await js.stream_info(config.name)  # type: ignore[arg-type]
            if owner:
                await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)
    consumer = ConsumerConfig(
        durable_name=names.consumer, ack_policy=AckPolicy.EXPLICIT, ack_wait=settings.ack_wait, max_deliver=-1,
        max_ack_pending=MAX_ACK_PENDING, filter_subject=names.events_subjects)
    try:
        await js.consumer_info(names.events_stream, names.consumer)
    except NotFoundError:
        await js.add_consumer(names.events_stream, consumer)
    return names


@dataclass(frozen=True)
class Queued:
    event_id: str
    sequence: int
    duplicate: bool


async def publish_events(js: JetStreamContext, names: Names, events: list[tuple[str, str, bytes]]) -> list[Queued]:
    """Publish ``(event_id, kind, payload)`` triples; raises StreamFull when the stream is at its limit.

    The event id is the ``Nats-Msg-Id``, so a replay inside the de-duplication window is acknowledged
    as a duplicate and stored once.
    """
    # Concurrent requests rather than publish_async: nats-py's async publish loses the server's error
    # replies (such as "maximum messages exceeded"), so a full stream would look like a time-out.
    acks = await asyncio.gather(*(js.publish(names.event_subject(kind), payload, headers={"Nats-Msg-Id": event_id})
                                  for event_id, kind, payload in events), return_exceptions=True)
    out: list[Queued] = []
    for (event_id, _, _), ack in zip(events, acks, strict=True):
        if isinstance(ack, APIError) and ack.err_code == STREAM_FULL:
            raise StreamFull(str(ack.description))
        if isinstance(ack, BaseException):
            raise ack
        out.append(Queued(event_id, ack.seq, bool(ack.duplicate)))
    return out


@dataclass(frozen=True)
class DeadLetter:
    sequence: int
    subject: str
    error: str
    deliveries: int
    event_id: str | None
    size: int


@dataclass(frozen=True)
class Status:
    stream: dict[str, Any]
    consumer: dict[str, Any]
    dead_letters: int
    recent_dead: list[DeadLetter]


async def status(js: JetStreamContext, settings: Settings, recent: int = 10) -> Status:
    """What `pantau worker status` shows: queue depth, the consumer's progress and the latest dead letters."""
    names = Names.of(settings)
    try:
        events = await js.stream_info(names.events_stream)
        dead = await js.stream_info(names.dead_stream)
    except NotFoundError:
        raise ConfigError(f"no stream {names.events_stream} on {settings.nats_url} yet: start a worker "
                          "(`pantau worker`) or the API with PANTAU_INGEST=stream to create it") from None
    consumer = await js.consumer_info(names.events_stream, names.consumer)
    letters: list[DeadLetter] = []
    last, first = dead.state.last_seq, dead.state.first_seq
    seq = last
    while seq >= max(first, 1) and len(letters) < recent:
        try:
            raw = await js.get_msg(names.dead_stream, seq)
        except NotFoundError:
            seq -= 1
            continue
        headers = raw.headers or {}
        letters.append(DeadLetter(sequence=seq, subject=headers.get("Pantau-Subject", ""),
                                  error=headers.get(ERROR_HEADER, ""),
                                  deliveries=int(headers.get("Pantau-Deliveries", "0") or 0),
                                  event_id=headers.get("Nats-Msg-Id"), size=len(raw.data or b"")))
        seq -= 1
    return Status(
        stream={"name": names.events_stream, "messages": events.state.messages, "bytes": events.state.bytes,
                "limit": events.config.max_msgs},
        consumer={"name": names.consumer, "pending": consumer.num_pending, "in_flight": consumer.num_ack_pending,
                  "redelivered": consumer.num_redelivered, "waiting_workers": consumer.num_waiting},
        dead_letters=dead.state.messages, recent_dead=letters)
