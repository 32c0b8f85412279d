"""Event ingest: one event or a batch of up to 1,000; idempotent on event_id.

Single events go through group commit (``pantau.api.group_commit``): events that arrive while a
transaction is being written share the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from pantau.api.deps import DB, ServiceState, State, require
from pantau.api.group_commit import GroupCommit, Submission
from pantau.api.schemas import BatchOut, DecisionOut, EventBatch, EventIn
from pantau.auth import Principal, Role
from pantau.ingest import Stored, ingest_batch
from pantau.store.db import transaction

router = APIRouter(prefix="/v1/events", tags=["events"])
Platform = Annotated[Principal, Depends(require(Role.PLATFORM))]


def _hash_key(st: ServiceState) -> bytes:
    return st.settings.hash_key.get_secret_value().encode()  # type: ignore[union-attr]


def store_group(st: ServiceState, submissions: Sequence[Submission]) -> list[Stored]:
    """One transaction for a group of single events; each platform token's run keeps its actor."""
    out: list[Stored] = []
    with transaction(st.sessions) as session:
        for actor, run in groupby(submissions, key=lambda s: s.actor):
            out += ingest_batch(session, st.pipeline, [s.event for s in run], actor, _hash_key(st), st.regions)
    return out


def group_commit(st: ServiceState) -> GroupCommit:
    if st.group_commit is None:
        st.group_commit = GroupCommit(lambda submissions: store_group(st, submissions))
    return st.group_commit


@router.post("", response_model=DecisionOut, summary="Score and store one event")
async def post_event(event: Annotated[EventIn, Body()], who: Platform, st: State) -> Response:
    stored = await group_commit(st).submit(event, who.actor)
    return Response(DecisionOut.model_validate(stored.to_dict()).model_dump_json(), media_type="application/json")


@router.post("/batch", response_model=BatchOut, summary="Score and store up to 1,000 events in one transaction")
def post_batch(batch: EventBatch, who: Platform, st: State, session: DB) -> Response:
    stored = ingest_batch(session, st.pipeline, batch.events, who.actor, _hash_key(st), st.regions)
    # Validated and serialised once, in pydantic's compiled core (not per decision, then again by FastAPI).
    out = BatchOut.model_validate({"decisions": [s.to_dict() for s in stored]})
    return Response(out.model_dump_json(), media_type="application/json")
