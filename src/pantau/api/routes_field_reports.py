"""Field reports: what an official (or, later, a citizen) saw, classified by the same pipeline.

The reporter sees only the status of their own reports — never the accounts, decisions or cases
behind them. Reports count in the regional aggregates (``field_reports``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update

from pantau import regions
from pantau.api.deps import DB, State, require
from pantau.api.schemas import FieldReportEvent, Location, NoNul, OccurredAt, RegionCode, UtcTime
from pantau.auth import Principal, Role
from pantau.errors import ForbiddenError
from pantau.ingest import event_record, ingest_batch
from pantau.store.schema import Event

router = APIRouter(prefix="/v1/field-reports", tags=["field reports"])
Reporter = Annotated[Principal, Depends(require(Role.REGIONAL_OFFICIAL))]

_STATUS = {
    "allow": ("diterima — tidak ditemukan penawaran", "received — no offer found"),
    # A report names no account, so there is nothing for the platform's moderators to act on: it
    # counts in the area's figures (only a sign of a child opens a case, for child protection).
    "review": ("tercatat sebagai kemungkinan penawaran; dihitung dalam angka wilayah",
               "recorded as a probable offer; counted in the area's figures"),
    "hide_nearby": ("tercatat sebagai penawaran; dihitung dalam angka wilayah",
                    "recorded as an offer; counted in the area's figures"),
    "escalate_child_safety": ("diteruskan ke petugas perlindungan anak", "referred to child protection"),
}


class FieldReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=20_000, description="the text seen, as written"), NoNul]
    place: Annotated[str, Field(max_length=300, description="approximate place, in words"), NoNul] = ""
    occurred_at: OccurredAt
    location: Location | None = None
    region_code: RegionCode | None = None


class FieldReportOut(BaseModel):
    id: str
    occurred_at: UtcTime
    place: str
    status_id: str
    status_en: str


def _out(event: dict[str, Any]) -> dict[str, Any]:
    status_id, status_en = _STATUS.get(event["action"], _STATUS["review"])
    return {"id": event["event_id"], "occurred_at": event["occurred_at"],
            "place": event["details"].get("place", ""), "status_id": status_id, "status_en": status_en}


@router.post("", response_model=FieldReportOut, summary="Report what you saw (text, approximate place, time)")
def file_report(body: FieldReportIn, who: Reporter, st: State, session: DB) -> dict[str, Any]:
    if body.region_code and not any(regions.within(body.region_code, scope) for scope in who.regions):
        raise ForbiddenError(f"region {body.region_code} is outside your area ({', '.join(who.regions)})")
    if body.location is not None:  # the place pantau finds for the point must not lie in another area
        found = st.regions.assign(body.location.lat, body.location.lon, region_code=body.region_code)  # as ingest
        code = found.code if found is not None else None
        if code and not any(regions.within(code, scope) or regions.within(scope, code) for scope in who.regions):
            raise ForbiddenError(f"the location lies in region {code}, outside your area ({', '.join(who.regions)})")
    event = FieldReportEvent(kind="field_report", event_id=f"fr-{uuid.uuid4().hex}", **body.model_dump())
    [stored] = ingest_batch(session, st.pipeline, [event], who.actor, st.settings.contact_key, st.regions)
    details = {**stored.record["details"], "reported_by_user": who.id}
    session.execute(update(Event).where(Event.event_id == event.event_id).values(details=details))
    return _out(stored.record | {"details": details})


@router.get("", response_model=list[FieldReportOut], summary="The status of your own field reports")
def my_reports(who: Reporter, session: DB) -> list[dict[str, Any]]:
    rows = session.execute(select(Event).where(Event.kind == "field_report", Event.details["reported_by_user"]
                                               .as_integer() == who.id)
                           .order_by(Event.received_at.desc()).limit(500)).scalars()
    return [_out(event_record(e)) for e in rows]
