"""Event ingest with ``PANTAU_INGEST=stream``: the same endpoints queue events on NATS JetStream for
the workers and answer 202. When the stream holds its configured maximum they answer 503 with
Retry-After instead of buffering (backpressure)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from nats.errors import Error as NatsError

from pantau.api.deps import require, retry_later
from pantau.api.schemas import EventBatch, EventIn, QueuedBatchOut, QueuedOut
from pantau.auth import Principal, Role
from pantau.stream import StreamFull, publish_events

router = APIRouter(prefix="/v1/events", tags=["events"])
Platform = Annotated[Principal, Depends(require(Role.PLATFORM))]
RETRY_AFTER_SECONDS = 5
_FULL = {503: {"description": "the event stream is full; retry after the number of seconds in Retry-After"}}


async def _queue(request: Request, events: list[EventIn]) -> list[QueuedOut]:
    js, names = request.app.state.stream
    try:
        queued = await publish_events(js, names, [(e.event_id, e.kind, e.model_dump_json().encode()) for e in events])
    except StreamFull:
        raise retry_later("the event stream is full; retry later / antrean penuh, coba lagi nanti",
                          RETRY_AFTER_SECONDS) from None
    except (NatsError, TimeoutError) as exc:  # NATS unreachable or restarting: nothing was lost, retry
        raise retry_later(f"the event stream is unavailable ({type(exc).__name__}); retry later / "
                          "antrean tidak tersedia, coba lagi nanti", RETRY_AFTER_SECONDS) from None
    return [QueuedOut(event_id=q.event_id, duplicate=q.duplicate) for q in queued]


@router.post("", response_model=QueuedOut, status_code=202, responses=_FULL,  # type: ignore[arg-type]
             summary="Queue one event for the workers")
async def post_event(event: Annotated[EventIn, Body()], _: Platform, request: Request) -> QueuedOut:
    [queued] = await _queue(request, [event])
    return queued


@router.post("/batch", response_model=QueuedBatchOut, status_code=202, responses=_FULL,  # type: ignore[arg-type]
             summary="Queue up to 1,000 events for the workers")
async def post_batch(batch: EventBatch, _: Platform, request: Request) -> QueuedBatchOut:
    return QueuedBatchOut(queued=await _queue(request, batch.events))
