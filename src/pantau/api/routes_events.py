"""Event ingest: one event or a batch of up to 1,000; idempotent on event_id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from pantau.api.deps import DB, State, require
from pantau.api.schemas import BatchOut, DecisionOut, EventBatch, EventIn
from pantau.auth import Principal, Role
from pantau.ingest import ingest_batch

router = APIRouter(prefix="/v1/events", tags=["events"])
Platform = Annotated[Principal, Depends(require(Role.PLATFORM))]


@router.post("", response_model=DecisionOut, summary="Score and store one event")
def post_event(event: Annotated[EventIn, Body()], who: Platform, st: State, session: DB) -> DecisionOut:
    key = st.settings.hash_key.get_secret_value().encode()  # type: ignore[union-attr]
    [stored] = ingest_batch(session, st.pipeline, [event], who.actor, key, st.regions)
    return DecisionOut.model_validate(stored.to_dict())


@router.post("/batch", response_model=BatchOut, summary="Score and store up to 1,000 events in one transaction")
def post_batch(batch: EventBatch, who: Platform, st: State, session: DB) -> BatchOut:
    key = st.settings.hash_key.get_secret_value().encode()  # type: ignore[union-attr]
    stored = ingest_batch(session, st.pipeline, batch.events, who.actor, key, st.regions)
    return BatchOut(decisions=[DecisionOut.model_validate(s.to_dict()) for s in stored])
