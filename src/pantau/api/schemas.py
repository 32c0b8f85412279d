"""Request and response models of the HTTP API (Pydantic at the edge; plain dataclasses inside)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from pantau.store.schema import as_utc


def without_nul(value: str) -> str:
    """Free text with U+0000 written as U+FFFD: PostgreSQL's text cannot hold NUL (the event would
    fail to store), and one character for one keeps every offset, so signal spans still point into
    the text as sent. Both backends store the same text."""
    return value.replace("\x00", "\ufffd")


NoNul = AfterValidator(without_nul)
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:@/+=-]+$")]
RESERVED_ACCOUNT_PREFIX = "field-report:"  # the cases of officials' field reports (ingest.FIELD_REPORT_ACCOUNT)


def _platform_account(value: str) -> str:
    if value.startswith(RESERVED_ACCOUNT_PREFIX):
        raise ValueError(f"account ids starting with {RESERVED_ACCOUNT_PREFIX!r} are pantau's own (field reports)")
    return value


AccountId = Annotated[Id, AfterValidator(_platform_account)]
RegionCode = Annotated[str, Field(pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", examples=["35.73.05.1001"])]
Text = Annotated[str, Field(max_length=20_000), NoNul]
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)  # also keeps a far date's UTC conversion in range


class Location(BaseModel):
    """Coarse location; exact coordinates are not kept once a region is assigned."""

    model_config = ConfigDict(extra="forbid")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


# A stored time in a response: SQLite gives them back without a zone; they are UTC.
UtcTime = Annotated[datetime, AfterValidator(as_utc)]


def _occurred_at(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-11-29T08:00:00+07:00")
    if value - datetime.now(UTC) > FUTURE_TOLERANCE:
        raise ValueError("is in the future (more than 5 minutes ahead of the server clock)")
    if value < EARLIEST_EVENT:
        raise ValueError(f"is before {EARLIEST_EVENT.date()}: not a time on a chat platform")
    return value


OccurredAt = Annotated[datetime, AfterValidator(_occurred_at),
                       Field(description="when it happened on the platform (ISO 8601 with time zone)")]


class _EventBase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_id: Id = Field(description="the platform's id; ingest is idempotent on it")
    occurred_at: OccurredAt


class ProfileEvent(_EventBase):
    kind: Literal["profile"]
    account_id: AccountId
    display_name: Annotated[str, Field(max_length=200), NoNul] = ""
    status: Text = ""
    # strict: JSON true would be read as age 1 (a minor indicator), "14" hides a client's bug
    declared_age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = None
    location: Location | None = None
    region_code: RegionCode | None = None
    account_age_days: Annotated[int, Field(ge=0, strict=True)] | None = None


class StatusPostEvent(_EventBase):
    kind: Literal["status_post"]
    account_id: AccountId
    text: Text
    location: Location | None = None
    region_code: RegionCode | None = None


class MessageSampleEvent(_EventBase):
    kind: Literal["message_sample"]
    account_id: AccountId
    text: Text


class UserReportEvent(_EventBase):
    kind: Literal["user_report"]
    reporter_id: Id
    reported_account_id: AccountId
    reason: Annotated[str, Field(max_length=100), NoNul] = "other"
    text: Text = ""


class FieldReportEvent(_EventBase):
    kind: Literal["field_report"]
    text: Text
    place: Annotated[str, Field(max_length=300), NoNul] = ""
    location: Location | None = None
    region_code: RegionCode | None = None


EventIn = Annotated[
    ProfileEvent | StatusPostEvent | MessageSampleEvent | UserReportEvent | FieldReportEvent,
    Field(discriminator="kind"),
]


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: Annotated[list[EventIn], Field(min_length=1, max_length=1000)]


class SignalOut(BaseModel):
    name: str
    start: int
    end: int
    text: str


class DecisionOut(BaseModel):
    event_id: str
    replayed: bool = Field(description="true when this event_id was seen before: the original decision")
    action: str
    score: float
    solicitation: bool
    minor_risk: bool
    reasons: list[str]
    signals: list[SignalOut]
    model_version: str
    case_id: int | None


class BatchOut(BaseModel):
    decisions: list[DecisionOut]


class QueuedOut(BaseModel):
    """With PANTAU_INGEST=stream: the event is queued for a worker; its decision follows on the
    decisions subject (and any action by webhook)."""

    event_id: str
    status: str = "queued"
    duplicate: bool = Field(description="true when the stream already held this event_id (de-duplication window)")


class QueuedBatchOut(BaseModel):
    queued: list[QueuedOut]
