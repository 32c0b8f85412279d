"""Group commit: single events that arrive together are scored and stored in one transaction.

``POST /v1/events`` hands its event to the ``GroupCommit`` of its event loop and waits for the
decision. While one transaction is being written, the events that arrive meanwhile queue; the next
transaction takes those of one platform token (up to ``MAX_GROUP``; one token per transaction keeps
every transaction's row locks in the order ``ingest_batch`` takes them). One client sending one
event at a time sees one event per transaction, exactly as before; many concurrent clients share
transactions, which is where a database spends its time (each commit writes the pages of every
index it touched).

Each caller still gets its own decision, and idempotency holds (a repeated id in a group is a
replay of its first occurrence). When a shared transaction fails because of one event, its events
are retried one by one, so one request's failure is never another's; when the database itself
failed (unreachable, locked, timed out) every caller gets that error at once. At most
``MAX_PENDING`` events wait; beyond that ``submit`` raises ``Busy`` (the API answers 503).

A ``GroupCommit`` belongs to one event loop: nothing in it is shared between threads except the
counters in ``GroupStats``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool

from pantau.api.schemas import EventIn
from pantau.ingest import Stored

MAX_GROUP = 1000  # the batch endpoint's limit: one transaction never holds more
MAX_PENDING = 10_000  # waiting events beyond this are refused (503), not buffered

Writer = Callable[[str, Sequence[EventIn]], list[Stored]]  # (actor, events) → stored, in one transaction
_DATABASE_DOWN = (OperationalError, InterfaceError, TimeoutError)  # no event of the group is to blame


class Busy(Exception):
    """Too many single events are waiting for the database; the caller should retry later."""


@dataclass
class GroupStats:
    """Counters over every loop's group commits (for tests and benchmarks)."""

    groups: int = 0  # transactions committed
    events: int = 0  # events in them
    retried: int = 0  # events retried on their own after their shared transaction failed
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, groups: int = 0, events: int = 0, retried: int = 0) -> None:
        with self._lock:
            self.groups += groups
            self.events += events
            self.retried += retried


@dataclass(frozen=True)
class _Waiting:
    event: EventIn
    actor: str
    answer: asyncio.Future[Stored]


class GroupCommit:
    """Queues submissions and drains them, a group per transaction, in a worker thread."""

    def __init__(self, write: Writer, stats: GroupStats, max_pending: int = MAX_PENDING) -> None:
        self._write = write
        self._pending: list[_Waiting] = []
        self._drainer: asyncio.Task[None] | None = None  # kept: the loop holds tasks only weakly
        self.stats = stats
        self.max_pending = max_pending

    async def submit(self, event: EventIn, actor: str) -> Stored:
        if len(self._pending) >= self.max_pending:
            raise Busy(f"{len(self._pending):,} events are waiting for the database")
        loop = asyncio.get_running_loop()
        waiting = _Waiting(event, actor, loop.create_future())
        self._pending.append(waiting)
        if self._drainer is None:
            self._drainer = loop.create_task(self._drain())
        return await waiting.answer

    async def _drain(self) -> None:
        try:
            while self._pending:
                actor = self._pending[0].actor
                group: list[_Waiting] = []
                rest: list[_Waiting] = []
                for w in self._pending:  # the first token's events, in order; the others wait their turn
                    (group if w.actor == actor and len(group) < MAX_GROUP else rest).append(w)
                self._pending = rest
                await self._commit(actor, group)
        finally:
            self._drainer = None

    async def _commit(self, actor: str, group: list[_Waiting]) -> None:
        try:
            results = await run_in_threadpool(self._write, actor, [w.event for w in group])
        except Exception as exc:
            if len(group) == 1 or isinstance(exc, _DATABASE_DOWN):
                for w in group:
                    if not w.answer.done():
                        w.answer.set_exception(exc)
                return
            self.stats.add(retried=len(group))
            for w in group:  # find the event to blame: each on its own
                await self._commit(actor, [w])
            return
        self.stats.add(groups=1, events=len(group))
        for w, stored in zip(group, results, strict=True):
            if not w.answer.done():  # the caller may have gone (client disconnected); the event is stored
                w.answer.set_result(stored)
