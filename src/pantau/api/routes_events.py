"""Event ingest: one event or a batch of up to 1,000; idempotent on event_id.

Single events go through group commit (``pantau.api.group_commit``): events that arrive while a
transaction is being written share the next one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from pantau.api.deps import ServiceState, State, require, retry_later
from pantau.api.group_commit import Busy, GroupCommit
from pantau.api.schemas import BatchOut, DecisionOut, EventBatch, EventIn
from pantau.auth import Principal, Role
from pantau.ingest import Stored, ingest_in_transaction

router = APIRouter(prefix="/v1/events", tags=["events"])
Platform = Annotated[Principal, Depends(require(Role.PLATFORM))]
RETRY_AFTER_SECONDS = 1
_BUSY = {503: {"description": "too many single events are waiting; retry after the seconds in Retry-After"}}


def store_group(st: ServiceState, actor: str, events: Sequence[EventIn]) -> list[Stored]:
    """One transaction for a group of one platform token's single events (again if it lost a race)."""
    return ingest_in_transaction(st.sessions, st.pipeline, events, actor, st.settings.contact_key, st.regions)


def group_commit(st: ServiceState) -> GroupCommit:
    """The group commit of the running event loop (one per loop: nothing crosses threads)."""
    loop = asyncio.get_running_loop()
    found = st.group_commits.get(loop)
    if found is None:
        found = st.group_commits[loop] = GroupCommit(
            lambda actor, events: store_group(st, actor, events), st.group_stats)
    return found


@router.post("", response_model=DecisionOut, responses=_BUSY,  # type: ignore[arg-type]
             summary="Score and store one event")
async def post_event(event: Annotated[EventIn, Body()], who: Platform, st: State) -> Response:
    try:
        stored = await group_commit(st).submit(event, who.actor)
    except Busy as exc:
        raise retry_later(f"{exc}; retry later / antrean penuh, coba lagi nanti", RETRY_AFTER_SECONDS) from None
    return Response(DecisionOut.model_validate(stored.to_dict()).model_dump_json(), media_type="application/json")


@router.post("/batch", response_model=BatchOut, summary="Score and store up to 1,000 events in one transaction")
def post_batch(batch: EventBatch, who: Platform, st: State) -> Response:
    stored = ingest_in_transaction(st.sessions, st.pipeline, batch.events, who.actor, st.settings.contact_key,
                                   st.regions)
    # Validated and serialised once, in pydantic's compiled core (not per decision, then again by FastAPI).
    out = BatchOut.model_validate({"decisions": [s.to_dict() for s in stored]})
    return Response(out.model_dump_json(), media_type="application/json")
