"""Database schema (SQLAlchemy 2). Migrations live in ``pantau/migrations`` (Alembic).

Privacy by construction: accounts are kept by the platform's pseudonymous id; phone numbers and
handles found in texts are stored only as keyed hashes (``contact_hashes``); texts live only in
``events`` (which regional officials can never read); the audit log is append-only and
hash-chained.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, event, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime: SQLite gives back naive ones (pantau writes UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(40))
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class StoreKey(Base):
    """The fingerprint of a key the store's data depends on (``pantau.store.keys``), never the key."""

    __tablename__ = "store_keys"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsoleSessionRecord(Base):
    """A signed-in web console session (pantau.console.session); ``key`` is the cookie's SHA-256."""

    __tablename__ = "console_sessions"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created: Mapped[float] = mapped_column(Float)  # seconds since the epoch
    last_seen: Mapped[float] = mapped_column(Float)
    flash: Mapped[str] = mapped_column(Text, default="", server_default="")


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the platform's pseudonymous id
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Event(Base):
    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)  # sensitive: moderators and child-safety officers only
    region_code: Mapped[str | None] = mapped_column(String(20), index=True)
    # Where, coarsely: Kemendagri codes at each level and an H3 cell (exact coordinates are not kept).
    kota: Mapped[str | None] = mapped_column(String(8), index=True)
    kecamatan: Mapped[str | None] = mapped_column(String(12), index=True)
    kelurahan: Mapped[str | None] = mapped_column(String(20), index=True)
    h3_cell: Mapped[str | None] = mapped_column(String(20), index=True)
    region_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # non-identifying extra fields
    action: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    solicitation: Mapped[bool] = mapped_column(Boolean)
    minor_risk: Mapped[bool] = mapped_column(Boolean)
    rule_id: Mapped[str] = mapped_column(String(80))
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    signals: Mapped[list[Any]] = mapped_column(JSON)
    model_version: Mapped[str] = mapped_column(String(300))
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)


class ContactHash(Base):
    """A phone number or handle seen in an event, as a keyed hash only (enough to link accounts)."""

    __tablename__ = "contact_hashes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64), index=True)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    child_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    events_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_cases_queue", "status", "child_safety", "max_score"),
        Index("ux_cases_open_account", "account_id", unique=True, sqlite_where=text("status = 'open'"),
              postgresql_where=text("status = 'open'")),  # one open case per account
    )


class AuditEntry(Base):
    """Append-only, hash-chained: ``hash`` = SHA-256 over the previous hash and this entry."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Review(Base):
    """A reviewer's decision on a case (confirm with an action, dismiss, escalate)."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    action: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ActionRecord(Base):
    """An action taken against an account, with its statement of reasons; delivered by webhook."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))  # hide_nearby | warn | suspend | escalate_child_safety | restore
    automated: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rule: Mapped[str] = mapped_column(String(120))
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_event_id: Mapped[str | None] = mapped_column(String(200))


class WebhookDelivery(Base):
    """Outbox and delivery log: written with the action, sent (and retried) after commit."""

    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Appeal(Base):
    __tablename__ = "appeals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # open | restored | upheld
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChildSafetyRecord(Base):
    """An escalation: evidence preserved and frozen against deletion until ``retention_until``."""

    __tablename__ = "child_safety_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retention_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | referred | dismissed
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last package download
    referred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # marked by an officer
    referred_via: Mapped[str | None] = mapped_column(String(200))  # the channel: SAPA 129, UPTD PPA, …
    referred_by: Mapped[int | None] = mapped_column(Integer)


class FrozenEvidenceError(RuntimeError):
    """Evidence of a child-safety escalation may not be deleted before its retention date."""


def _frozen(session: Any, case_id: int | None) -> bool:
    if case_id is None:
        return False
    from sqlalchemy import select

    until = session.execute(
        select(ChildSafetyRecord.retention_until).where(ChildSafetyRecord.case_id == case_id)
    ).scalar()
    if until is None:
        return False
    until = until if until.tzinfo else until.replace(tzinfo=UTC)
    return bool(until > datetime.now(UTC))


@event.listens_for(Session, "before_flush")
def _guard_frozen_evidence(session: Session, *_: Any) -> None:
    for obj in session.deleted:
        case_id = obj.case_id if isinstance(obj, Event | ChildSafetyRecord | ActionRecord) else (
            obj.id if isinstance(obj, Case) else None)
        if _frozen(session, case_id):
            raise FrozenEvidenceError(f"{type(obj).__name__} belongs to child-safety case {case_id}, frozen against "
                                      "deletion until its retention date")


class RegionPolygon(Base):
    """An imported boundary (`pantau regions import`); the service builds its region index from these."""

    __tablename__ = "region_polygons"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    geometry_wkb: Mapped[str] = mapped_column(Text)  # hex WKB, lon/lat
    source: Mapped[str] = mapped_column(String(300))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
