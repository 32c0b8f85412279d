"""Append-only, hash-chained audit log: every decision, claim, action, appeal, export and login.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON, so
changing, removing or reordering any entry breaks the chain from there on; ``verify`` finds the
first broken link. The first entry chains from 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from pantau.store.schema import AuditEntry

GENESIS = "0" * 64


def _digest(prev: str, at: datetime, actor: str, action: str, subject: str, details: dict[str, Any]) -> str:
    body = json.dumps(
        {"at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action, "subject": subject,
         "details": details},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


_HEAD = "pantau.audit.head"


def record(session: Session, actor: str, action: str, subject: str, details: dict[str, Any] | None = None) -> None:
    """Append one entry in the caller's transaction (it commits or rolls back with the work)."""
    prev = session.info.get(_HEAD)
    if prev is None:
        if session.get_bind().dialect.name == "postgresql":
            # Writers append one at a time: the lock is held until this transaction ends, so the next
            # writer reads the hash this one commits. (SQLite transactions begin IMMEDIATE: see db.py.)
            session.execute(text("SELECT pg_advisory_xact_lock(7012026)"))
        last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
        prev = last or GENESIS
    at = datetime.now(UTC)
    details = details or {}
    digest = _digest(prev, at, actor, action, subject, details)
    session.add(AuditEntry(at=at, actor=actor, action=action, subject=subject, details=details, prev_hash=prev,
                           hash=digest))
    session.info[_HEAD] = digest  # the head of the chain for the rest of this transaction


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: the next one re-reads the head
        session.info.pop(_HEAD, None)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(session: Session) -> Verification:
    prev = GENESIS
    count = 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        if entry.prev_hash != prev:
            return Verification(False, count, entry.seq, "the link to the previous entry is broken (entry removed "
                                                         "or reordered)")
        at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
        if _digest(prev, at, entry.actor, entry.action, entry.subject, entry.details) != entry.hash:
            return Verification(False, count, entry.seq, "the entry's content does not match its hash (altered)")
        prev = entry.hash
    return Verification(True, count)
