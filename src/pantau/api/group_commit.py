"""Group commit: single events that arrive together are scored and stored in one transaction.

``POST /v1/events`` hands its event to a ``GroupCommit`` and waits for the decision. While one
transaction is being written, the events that arrive meanwhile queue; the next transaction takes
all of them (up to ``MAX_GROUP``). One client sending one event at a time sees one event per
transaction, exactly as before; many concurrent clients share transactions, which is where a
database spends its time (each commit writes the pages of every index it touched). Each caller
still gets its own decision, idempotency holds (a repeated id in a group is a replay of its first
occurrence), and an error inside a shared transaction is retried event by event, so one request's
failure is never another's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from pantau.api.schemas import EventIn
from pantau.ingest import Stored

MAX_GROUP = 1000  # the batch endpoint's limit: one transaction never holds more


@dataclass(frozen=True)
class Submission:
    event: EventIn
    actor: str


Writer = Callable[[Sequence[Submission]], list[Stored]]  # stores submissions in one transaction, in order


class GroupCommit:
    """Queues submissions and drains them, a group per transaction, in a worker thread."""

    def __init__(self, write: Writer) -> None:
        self._write = write
        self._pending: list[tuple[Submission, asyncio.Future[Stored]]] = []
        self._drainer: asyncio.Task[None] | None = None  # kept: the loop holds tasks only weakly
        self.groups = 0  # transactions written, and the events in them (for the benchmark and tests)
        self.events = 0

    async def submit(self, event: EventIn, actor: str) -> Stored:
        loop = asyncio.get_running_loop()
        if self._drainer is not None and self._drainer.get_loop() is not loop:
            # Another event loop (a test client's own) is draining: write this event on its own.
            [stored] = await run_in_threadpool(self._write, [Submission(event, actor)])
            return stored
        future: asyncio.Future[Stored] = loop.create_future()
        self._pending.append((Submission(event, actor), future))
        if self._drainer is None:
            self._drainer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                group, self._pending = self._pending[:MAX_GROUP], self._pending[MAX_GROUP:]
                await self._commit(group)
        finally:
            self._drainer = None

    async def _commit(self, group: list[tuple[Submission, asyncio.Future[Stored]]]) -> None:
        submissions = [s for s, _ in group]
        try:
            results = await run_in_threadpool(self._write, submissions)
        except Exception as exc:  # retried one by one below, so each caller gets its own outcome
            if len(group) == 1:
                if not group[0][1].done():
                    group[0][1].set_exception(exc)
                return
            for one in group:
                await self._commit([one])
            return
        self.groups += 1
        self.events += len(group)
        for (_, future), stored in zip(group, results, strict=True):
            if not future.done():  # the caller may have gone (client disconnected)
                future.set_result(stored)

