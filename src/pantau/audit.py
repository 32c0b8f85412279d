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

from pantau.store import bulk
from pantau.store.schema import AuditEntry

GENESIS = "0" * 64


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # made once, not per entry


def _digest(prev: str, at: datetime, actor: str, action: str, subject: str, details: dict[str, Any]) -> str:
    return _chain(prev, at, actor, action, subject, _CANONICAL.encode(details))


def _chain(prev: str, at: datetime, actor: str, action: str, subject: str, details_json: str) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON (keys sorted, no spaces), with
    the details already encoded: what ``_CANONICAL.encode`` of the whole entry gives, built from its
    parts so that the details can be encoded before the chain is locked (``record``)."""
    enc = _CANONICAL.encode
    body = (f'{{"action":{enc(action)},"actor":{enc(actor)},"at":{enc(at.astimezone(UTC).isoformat())},'
            f'"details":{details_json},"subject":{enc(subject)}}}')
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


_PENDING = "pantau.audit.pending"
_LOCK = text("SELECT pg_advisory_xact_lock(7012026)")
_HEAD = select(AuditEntry.__table__.c.hash).order_by(AuditEntry.__table__.c.seq.desc()).limit(1)  # built once
_KEYS = ("at", "actor", "action", "subject", "details", "prev_hash", "hash")


def record(session: Session, actor: str, action: str, subject: str, details: dict[str, Any] | None = None) -> None:
    """Append one entry in the caller's transaction: it is written when the transaction commits (and
    dropped if it rolls back), so the chain is only locked for the moment of writing. The details
    are encoded now, outside that moment (and as they are now)."""
    encoded = _CANONICAL.encode(details or {})
    # The stored details are read back from what was hashed: a caller changing its dict later
    # cannot make the entry disagree with its hash.
    session.info.setdefault(_PENDING, []).append((actor, action, subject, json.loads(encoded), encoded))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Chain and insert this transaction's entries, in the order they were recorded."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    connection = session.connection()  # Core: the chain's rows need no ORM bookkeeping
    if connection.dialect.name == "postgresql":
        # Writers append one at a time: the lock is held until this transaction ends, so the next
        # writer reads the hash this one commits. (SQLite transactions begin IMMEDIATE: see db.py.)
        connection.execute(_LOCK)
    prev = connection.execute(_HEAD).scalar() or GENESIS
    at = datetime.now(UTC)
    rows = []
    for actor, action, subject, details, details_json in pending:
        digest = _chain(prev, at, actor, action, subject, details_json)
        rows.append({"at": at, "actor": actor, "action": action, "subject": subject, "details": details,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    out = bulk.writer(AuditEntry.__table__, connection.dialect, _KEYS)
    out.insert(connection, [out.row(r) for r in rows])  # one executemany, no ORM bookkeeping


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended (committed or rolled back)
        session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    head: str = GENESIS  # the last entry's hash: kept elsewhere, it shows a cut-off end (see docs/service.md)


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
    return Verification(True, count, head=prev)
