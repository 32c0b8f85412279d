"""Ingest: event → pipeline → stored decision, account, case and audit entry, in one transaction.

Idempotent on the platform's ``event_id``: a replayed event returns the decision stored the first
time and writes nothing. The API and the stream worker call ``ingest_in_transaction`` (which tries
a batch again when it lost a race to another process or a reviewer); the demo and field reports
call ``ingest_batch`` in a transaction of their own.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Insert, Select, Update, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pantau import audit
from pantau.actions import ActionSpec, take_actions
from pantau.api.schemas import (
    RESERVED_ACCOUNT_PREFIX,
    EventIn,
    FieldReportEvent,
    MessageSampleEvent,
    ProfileEvent,
    StatusPostEvent,
    UserReportEvent,
)
from pantau.errors import ConflictError
from pantau.masking import mask_spans
from pantau.models import Action, Signal, SignalGroup, Verdict
from pantau.pipeline import Pipeline
from pantau.regions import Assignment, RegionIndex, from_region_code
from pantau.store import bulk
from pantau.store.db import among_param, transaction
from pantau.store.schema import Account, ActionRecord, Case, ChildSafetyRecord, ContactHash, Event, as_utc


@dataclass(frozen=True)
class Stored:
    """One event's stored row (column name → value) and whether it had been stored before."""

    record: dict[str, Any]
    replayed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"replayed": self.replayed} | {k: self.record[k] for k in _DECISION_FIELDS}


_DECISION_FIELDS = ("event_id", "action", "score", "solicitation", "minor_risk", "reasons", "signals",
                    "model_version", "case_id")
_COLUMNS = tuple(c.key for c in Event.__table__.columns)


def event_record(event: Event) -> dict[str, Any]:
    """A stored event as a column → value dict."""
    return {k: getattr(event, k) for k in _COLUMNS}


def event_text(event: EventIn) -> str:
    """The text the pipeline reads for each kind of event."""
    if isinstance(event, ProfileEvent):
        return "\n".join(part for part in (event.display_name, event.status) if part)
    return event.text


def field_signals(event: ProfileEvent) -> list[Signal]:
    """Signals from a profile's fields: a declared age under 18 is a minor indicator."""
    if event.declared_age is not None and event.declared_age < 18:
        return [Signal("minor.declared_age", SignalGroup.MINOR, 0.0, 0, 0, "", str(event.declared_age))]
    return []


def subject_account(event: EventIn) -> str | None:
    if isinstance(event, ProfileEvent | StatusPostEvent | MessageSampleEvent):
        return event.account_id
    if isinstance(event, UserReportEvent):
        return event.reported_account_id
    return None  # field reports name no account


def _details(event: EventIn) -> dict[str, Any]:
    """Non-identifying extra fields worth keeping (never coordinates, names or reporter ids)."""
    if isinstance(event, ProfileEvent):
        return {k: v for k, v in (("declared_age", event.declared_age), ("account_age_days", event.account_age_days))
                if v is not None}
    if isinstance(event, UserReportEvent):
        return {"reason": event.reason}
    if isinstance(event, FieldReportEvent):
        return {"place": event.place}
    return {}


def _contact_digests(text: str, key: bytes) -> list[tuple[str, str]]:
    out = []
    for start, end, kind in mask_spans(text):
        if kind in ("phone", "handle"):
            value = "".join(ch for ch in text[start:end] if ch.isalnum()).lower()
            out.append((kind, hmac.new(key, value.encode(), hashlib.sha256).hexdigest()))
    return out


#: ``accounts.last_seen`` is kept to this resolution: an account posting all day is written hourly, not
#: per event (fewer writes, and concurrent batches rarely wait on each other's account rows).
SEEN_RESOLUTION = timedelta(hours=1)
HIDE_DAYS = 7
RETENTION = timedelta(days=365)
_AUTOMATIC = {Action.HIDE_NEARBY: "hide_nearby", Action.ESCALATE_CHILD_SAFETY: "escalate_child_safety"}


# What the account holder reads for each kind of finding (the signal names are pantau's own jargon).
_FINDING = {
    "solicitation": "istilah penawaran / offer term", "online": "layanan seksual daring / online sexual service",
    "agency": "tanda perantara / agency marker", "rate": "tarif / rate",
}


def facts_of(verdict: Verdict) -> list[str]:
    """The facts a statement of reasons cites: the words found, what kind of finding each is, and the
    score with the versions that produced it (signs of a minor are never named to the account, nor
    contact details quoted back)."""
    found = [f"«{s.text}» ({_FINDING[s.group.value]})" for s in verdict.assessment.signals
             if s.weight > 0 and s.group.value in _FINDING]
    return [f"Ditemukan / found: {', '.join(found[:8]) or '-'}",
            f"Skor model / model score {verdict.assessment.score:.2f} (0–1); versi / versions "
            f"{verdict.model_version}"]


@dataclass
class _Existing:
    """What a batch's cases already have: automatic actions by kind, and child-safety records."""

    actions: set[tuple[int, str]]
    child_safety: set[int]

    @classmethod
    def load(cls, session: Session, case_ids: set[int]) -> _Existing:
        if not case_ids:
            return cls(set(), set())
        connection, keys = session.connection(), {"ids": list(case_ids)}
        statements = _statements(connection.dialect.name)
        actions = connection.execute(statements.automatic_actions, keys).all()
        records = connection.execute(statements.child_safety_records, keys).scalars()
        return cls({(c, t) for c, t in actions if c is not None}, set(records))


def _automatic_action(existing: _Existing, event_id: str, account_id: str, case_id: int, verdict: Verdict,
                      now: datetime) -> ActionSpec | None:
    """The automatic action this event calls for: one of a kind per case (later events join the case)."""
    kind = _AUTOMATIC.get(verdict.decision.action)
    if kind is None or (case_id, kind) in existing.actions:
        return None
    if kind == "hide_nearby" and (case_id, "escalate_child_safety") in existing.actions:
        return None  # escalated: restricted with no end date already; a 7-day hide would read as its end
    existing.actions.add((case_id, kind))
    return ActionSpec(account_id=account_id, case_id=case_id, action=kind, automated=True, decided_by=None,
                      rule=verdict.decision.rule_id, policy_version=verdict.decision.policy_version,
                      facts=facts_of(verdict), source_event_id=event_id,
                      ends_at=now + timedelta(days=HIDE_DAYS) if kind == "hide_nearby" else None)


def _child_safety_record(session: Session, existing: _Existing, actor: str, event_id: str, case_id: int,
                         now: datetime) -> None:
    if case_id not in existing.child_safety:
        existing.child_safety.add(case_id)
        session.add(ChildSafetyRecord(case_id=case_id, created_at=now, retention_until=now + RETENTION, status="open"))
        audit.record(session, actor, "child_safety.escalate", f"case:{case_id}", {"event": event_id})


# Words in a user report's reason that say a child is involved (the platforms' codes vary:
# child_exploitation, minor_safety, underage, csam, kid_safety, dibawah_umur, grooming …); matched
# word by word, so "minority_hate" is not one. Over-calling sends a case to an officer, who can
# dismiss it; missing one leaves a child's case among the ordinary ones.
CHILD_REPORT_WORDS = frozenset({
    "kid", "kids", "minor", "minors", "abg", "bocil", "teen", "teens", "remaja", "pelajar", "siswi", "cse", "csa",
    "ocse", "predator",
})
# ... and parts of a word that say it whatever is joined to them ("childSafety", "eksploitasianak",
# "childporn", "pedofilia", "CSEA").
CHILD_REPORT_STEMS = ("child", "anak", "pedo", "paedo", "loli", "csam", "csea", "csae", "groom", "underage",
                      "bawahumur", "under18")
_BELOW_AGE = re.compile(r"bawah[\s_-]*umur|under[\s_-]*(?:age|18)|\bu18\b", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def child_report(event: EventIn, verdict: Verdict) -> bool:
    """A user report that points to a child being offered: its reason says so, or its text escalates.
    It goes to child protection first (a case and an escalation record); nothing is sent to the
    platform on a report alone — an officer decides."""
    if not isinstance(event, UserReportEvent):
        return False
    reason = _CAMEL.sub(" ", event.reason).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", reason) if w]
    return (verdict.decision.action is Action.ESCALATE_CHILD_SAFETY or bool(_BELOW_AGE.search(reason))
            or not CHILD_REPORT_WORDS.isdisjoint(words) or any(s in w for w in words for s in CHILD_REPORT_STEMS))


@dataclass
class _Counters:
    """A joined case's counters, read under its lock and written back with one UPDATE (``ingest_batch``)."""

    id: int
    events_count: int
    max_score: float
    child_safety: bool
    claimed_by: int | None
    claim_expires_at: datetime | None


def _count(cases: dict[str, Case] | dict[str, _Counters], owners: dict[str, str], verdicts: dict[str, Verdict],
           children: set[str]) -> None:
    """Each owned event counted in its account's case (if in ``cases``): the counters that order the
    review queue. ``children``: the events that make a case a child-safety case whatever their verdict."""
    for event_id, account_id in owners.items():
        case = cases.get(account_id)
        if case is not None:
            verdict = verdicts[event_id]
            case.events_count += 1
            case.max_score = max(case.max_score, verdict.assessment.score)
            # (a review with minor risk, "umurku 14, bisa temenin", is an officer's case too: no restriction)
            if not case.child_safety and (verdict.decision.action is Action.ESCALATE_CHILD_SAFETY
                                          or verdict.decision.minor_risk or event_id in children):
                case.child_safety = True  # an officer's case now: a moderator's claim on it ends
                case.claimed_by, case.claim_expires_at = None, None


class CaseClosedMeanwhile(Exception):
    """A case the batch joined was closed (by a reviewer) between reading it and locking it."""


def _identity(event: EventIn) -> tuple[str, str | None, str]:
    """What a replay of an event must repeat: its kind, its account and its text."""
    return event.kind, subject_account(event), event_text(event)


def _needs_case(event: EventIn, verdict: Verdict) -> bool:
    return verdict.decision.action is not Action.ALLOW or isinstance(event, UserReportEvent)


FIELD_REPORT_ACCOUNT = RESERVED_ACCOUNT_PREFIX  # a field report names no account: its case stands on its own


def case_account(event: EventIn, verdict: Verdict) -> str | None:
    """The account a case collects this event under. A field report that points to a child being
    offered (escalated, or sent to an officer's review) opens a case of its own (no platform account is
    known), so a child-protection officer sees it; other field reports only count in the aggregates."""
    account = subject_account(event)
    if account is None and isinstance(event, FieldReportEvent) and (
            verdict.decision.action is Action.ESCALATE_CHILD_SAFETY or verdict.decision.minor_risk):
        return FIELD_REPORT_ACCOUNT + event.event_id
    return account


def _event_row(event: EventIn, verdict: Verdict, place: Assignment | None, now: datetime) -> dict[str, Any]:
    """The stored event (column → value) before its case is known (``case_id`` None until then)."""
    record = verdict.to_scan_record()
    return {
        "event_id": event.event_id, "kind": event.kind, "account_id": subject_account(event),
        "occurred_at": event.occurred_at.astimezone(UTC), "received_at": now, "text": event_text(event),
        "region_code": getattr(event, "region_code", None), "details": _details(event),
        "action": str(record["action"]), "score": float(record["score"]),  # type: ignore[arg-type]
        "solicitation": bool(record["solicitation"]), "minor_risk": bool(record["minor_risk"]),
        "rule_id": verdict.decision.rule_id, "reasons": list(verdict.decision.reasons),
        "signals": record["signals"], "model_version": record["model_version"],
        "degraded": bool(verdict.assessment.degraded), "case_id": None,
        "kota": place.kota if place else None, "kecamatan": place.kecamatan if place else None,
        "kelurahan": place.kelurahan if place else None, "h3_cell": place.h3 if place else None,
        "region_approximate": place.approximate if place else False,
    }


@dataclass(frozen=True)
class _Statements:
    """The statements every batch runs, built once per dialect and run on the session's connection:
    SQLAlchemy then neither rebuilds nor re-keys them per batch, and rows read as plain values skip
    the ORM's bookkeeping (about half of a statement's client time for a group of a few events)."""

    known_events: Select[Any]  # stored events among the batch's ids (replays)
    last_seen: Select[Any]  # (account id, last seen) of the batch's accounts
    add_accounts: Insert  # new accounts; another process adding the same one meanwhile is no error
    touch_accounts: Update  # last_seen raised, rows locked in id order (see ingest_batch)
    open_cases: Select[Any]  # (account id, case id) of the accounts' open cases
    automatic_actions: Select[Any]  # (case id, type) of the cases' automatic actions so far
    child_safety_records: Select[Any]  # case ids among the cases that have a child-safety record
    add_contacts: Insert  # keyed hashes of the phone numbers and handles in the events' texts
    lock_cases: Select[Any]  # the joined cases still open, locked in id order, with their counters
    count_cases: Update  # a joined case's counters written back (executemany)


@functools.cache
def _statements(dialect: str) -> _Statements:
    events, accounts, cases = Event.__table__.c, Account.__table__.c, Case.__table__.c
    actions, records = ActionRecord.__table__.c, ChildSafetyRecord.__table__.c
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    # FOR NO KEY UPDATE (key_share): events and cases inserted for these accounts by others still go
    # ahead (their foreign-key check takes FOR KEY SHARE, which FOR UPDATE would block).
    stale = select(accounts.id).where(among_param(accounts.id, "ids", dialect)).order_by(accounts.id) \
        .with_for_update(key_share=True)
    return _Statements(
        known_events=select(Event.__table__).where(among_param(events.event_id, "ids", dialect)),
        last_seen=select(accounts.id, accounts.last_seen).where(among_param(accounts.id, "ids", dialect)),
        add_accounts=upsert(Account.__table__).on_conflict_do_nothing(index_elements=["id"]),
        touch_accounts=update(Account.__table__).where(accounts.id.in_(stale.scalar_subquery()))
        .values(last_seen=bindparam("now")),
        open_cases=select(cases.account_id, cases.id).where(among_param(cases.account_id, "ids", dialect),
                                                            cases.status == "open"),
        automatic_actions=select(actions.case_id, actions.type).where(
            among_param(actions.case_id, "ids", dialect), actions.type.in_(list(_AUTOMATIC.values()))),
        child_safety_records=select(records.case_id).where(among_param(records.case_id, "ids", dialect)),
        add_contacts=insert(ContactHash.__table__),
        lock_cases=select(cases.id, cases.account_id, cases.events_count, cases.max_score, cases.child_safety,
                          cases.claimed_by, cases.claim_expires_at)
        .where(among_param(cases.id, "ids", dialect), cases.status == "open").order_by(cases.id)
        .with_for_update(key_share=True),
        count_cases=update(Case.__table__).where(cases.id == bindparam("case")).values(
            events_count=bindparam("n"), max_score=bindparam("top"), child_safety=bindparam("child"),
            claimed_by=bindparam("claimer"), claim_expires_at=bindparam("claim_until")),
    )


def _places(events: Sequence[EventIn], regions: RegionIndex | None) -> list[Assignment | None]:
    """Where each event happened, coarsely (one vectorised lookup for the batch); the exact
    coordinates are not kept. An event without a point is NaN there, and its region code decides."""
    codes = [getattr(e, "region_code", None) for e in events]
    if regions is None:
        return [from_region_code(code) for code in codes]
    points = [getattr(e, "location", None) for e in events]
    return regions.assign_many([p.lat if p is not None else math.nan for p in points],
                               [p.lon if p is not None else math.nan for p in points], codes)


def ingest_batch(session: Session, pipeline: Pipeline, events: Sequence[EventIn], actor: str,
                 hash_key: bytes, regions: RegionIndex | None = None, now: datetime | None = None) -> list[Stored]:
    """Score and store ``events`` in the caller's transaction; replays return the stored decision.

    ``now`` is when pantau decides (default: the clock); only ``pantau demo`` sets it, to replay a
    simulated past week as it would have happened.

    Scoring comes first, before the first statement opens the transaction: the database's write
    lock (SQLite's, or PostgreSQL's row locks) is held only for the writing, so another process can
    score its batch meanwhile. A replayed event is scored too, and its score dropped (the
    pipeline's cache makes a recent one cheap). Database work is batched: one lookup each for known
    events, accounts and open cases, and a handful of flushes per batch rather than per event.
    The cases the batch joins are read and written as plain rows (no ORM objects): the session must
    not hold them as ORM objects already (every caller gives a session of its own that holds none).
    """
    ids = [e.event_id for e in events]
    firsts: dict[str, EventIn] = {}
    for e in events:  # the first occurrence of each id, in order
        first = firsts.setdefault(e.event_id, e)
        if _identity(first) != _identity(e):
            raise ConflictError(f"event_id {e.event_id!r} appears twice in the batch with different content: an "
                                "event id names one event (a replay must repeat it exactly)")
    facts = {i: field_signals(e) for i, e in firsts.items() if isinstance(e, ProfileEvent)}
    verdicts = {v.id: v for v in pipeline.run_batch([(i, event_text(e)) for i, e in firsts.items()], facts)}
    places = dict(zip(firsts, _places(list(firsts.values()), regions), strict=True))
    now = now or datetime.now(UTC)
    # Every row that does not depend on what the database holds is made now, values converted for
    # the driver, before the first statement takes the write lock; only case ids are set later.
    records = {i: _event_row(e, verdicts[i], places[i], now) for i, e in firsts.items()}
    dialect = session.get_bind().dialect
    events_out = bulk.writer(Event.__table__, dialect, _COLUMNS)
    prepared = {i: events_out.row(r) for i, r in records.items()}
    contacts = {i: [{"event_id": i, "kind": kind, "digest": digest}
                    for kind, digest in _contact_digests(r["text"], hash_key)] for i, r in records.items()}

    statements, connection = _statements(dialect.name), session.connection()
    existing = {r["event_id"]: dict(r) for r in connection.execute(statements.known_events, {"ids": ids}).mappings()}
    for event_id, stored_event in existing.items():
        if (stored_event["kind"], stored_event["account_id"], stored_event["text"]) != _identity(firsts[event_id]):
            raise ConflictError(f"event_id {event_id!r} was already used for a different event (kind, account or "
                                "text differ): a replay must repeat the event exactly, a new event needs a new id")
    unique = [e for i, e in firsts.items() if i not in existing]

    account_ids = {a for a in (case_account(e, verdicts[e.event_id]) for e in unique) if a is not None}
    seen = dict(connection.execute(statements.last_seen, {"ids": list(account_ids)}).all())
    new_accounts = [{"id": a, "first_seen": now, "last_seen": now} for a in sorted(account_ids - set(seen))]
    if new_accounts:  # another worker may be adding the same account right now: theirs or ours, one row
        connection.execute(statements.add_accounts, new_accounts)
    stale = sorted(a for a, t in seen.items() if as_utc(t) <= now - SEEN_RESOLUTION)
    if stale:  # rows locked in id order: two transactions touching the same accounts never deadlock
        connection.execute(statements.touch_accounts, {"ids": stale, "now": now})
    # Only events that need a case read one (most events are allowed and have none).
    owners = {e.event_id: a for e in unique if _needs_case(e, verdicts[e.event_id])
              and (a := case_account(e, verdicts[e.event_id])) is not None}
    # Rows go in key order, cases below in account order: two transactions writing some of the same
    # keys take their locks in the same order (no deadlock between batches that list them differently).
    events_out.insert(connection, [prepared[i] for i in sorted(e.event_id for e in unique) if i not in owners])
    case_owners = set(owners.values())
    # Each account's open case, read without a lock: the case rows are locked only at the end (below),
    # for as short a time as possible, so that batches sharing accounts wait little for each other.
    case_ids: dict[str, int] = dict(connection.execute(  # type: ignore[arg-type]
        statements.open_cases, {"ids": list(case_owners)}).all()) if case_owners else {}
    opened = [Case(account_id=a, status="open", child_safety=False, max_score=0.0, events_count=0, opened_at=now)
              for a in sorted(case_owners - case_ids.keys())]  # account order: see the note on key order
    new_cases = {c.account_id: c for c in opened}
    children = {e.event_id for e in unique if e.event_id in owners and child_report(e, verdicts[e.event_id])}
    _count(new_cases, owners, verdicts, children)  # a new case's counters go in with it
    if opened:
        session.add_all(opened)
        session.flush()  # new cases exist (and have ids) before events refer to them
    for case in opened:
        case_ids[case.account_id] = case.id
        audit.record(session, "pantau", "case.open", f"case:{case.id}", {"account": case.account_id})

    stored = {e.event_id: records[e.event_id] for e in unique}
    for event_id, owner in owners.items():
        stored[event_id]["case_id"] = case_ids[owner]
        events_out.set(prepared[event_id], "case_id", case_ids[owner])
    events_out.insert(connection, [prepared[i] for i in sorted(owners)])  # values ready, case ids set
    found = [c for i in stored for c in contacts[i]]
    if found:
        connection.execute(statements.add_contacts, found)
    # Now the cases that existed before this batch are locked (in id order; FOR NO KEY UPDATE, so other
    # batches' events may still refer to them), re-read, and their counters raised. A case a reviewer
    # closed since the read above makes the batch start again (``ingest_in_transaction``).
    joined = sorted({case_ids[a] for a in case_owners if a not in new_cases})
    if joined:
        locked = {r.account_id: _Counters(r.id, r.events_count, r.max_score, r.child_safety, r.claimed_by,
                                          r.claim_expires_at)
                  for r in connection.execute(statements.lock_cases, {"ids": joined})}
        if len(locked) != len(joined):
            raise CaseClosedMeanwhile(f"{len(joined) - len(locked)} of the batch's cases were closed meanwhile")
        _count(locked, owners, verdicts, children)
        connection.execute(statements.count_cases, [
            {"case": c.id, "n": c.events_count, "top": c.max_score, "child": c.child_safety, "claimer": c.claimed_by,
             "claim_until": c.claim_expires_at} for c in locked.values()])
    acting = {stored[e.event_id]["case_id"] for e in unique
              if verdicts[e.event_id].decision.action in _AUTOMATIC or isinstance(e, FieldReportEvent)
              or e.event_id in children}
    fresh = {c.id for c in opened}  # opened just now: no earlier actions or records to look up
    existing_work = _Existing.load(session, {c for c in acting if c is not None and c not in fresh})
    specs: list[ActionSpec] = []
    with session.no_autoflush:
        for event in unique:
            row, verdict = stored[event.event_id], verdicts[event.event_id]
            account_id, case_id = row["account_id"], row["case_id"]
            if account_id is not None and case_id is not None and not isinstance(event, UserReportEvent):
                spec = _automatic_action(existing_work, event.event_id, account_id, case_id, verdict, now)
                specs.extend([spec] if spec else [])
                if verdict.decision.action is Action.ESCALATE_CHILD_SAFETY:
                    _child_safety_record(session, existing_work, actor, event.event_id, case_id, now)
            elif (isinstance(event, FieldReportEvent) or event.event_id in children) and case_id is not None:
                _child_safety_record(session, existing_work, actor, event.event_id, case_id, now)
            audit.record(session, actor, "event.decide", f"event:{event.event_id}",
                         {"action": row["action"], "score": row["score"], "model_version": row["model_version"],
                          "case": case_id})
    take_actions(session, actor, specs, now)
    session.flush()
    out: list[Stored] = []
    answered: set[str] = set()
    for i in ids:  # an id repeated inside one batch is a replay of its first occurrence
        out.append(Stored(existing[i], True) if i in existing else Stored(stored[i], i in answered))
        answered.add(i)
    return out


RACE_ATTEMPTS = 3
#: Tries of a batch whose joined case a reviewer closed meanwhile (counted apart from lost races: when
#: one case closes under several batches at once, each starts again and all but one then lose the
#: race to open its successor).
CLOSED_ATTEMPTS = 5


def ingest_in_transaction(sessions: sessionmaker[Session], pipeline: Pipeline, events: Sequence[EventIn], actor: str,
                          hash_key: bytes, regions: RegionIndex | None = None) -> list[Stored]:
    """``ingest_batch`` in a transaction of its own, tried again when it lost a race.

    Two processes storing at once (API server processes, stream workers; on PostgreSQL, where
    transactions run side by side) may both find no open case for an account, or no stored event
    for a replayed id, and both write one: the database's unique indexes let the first commit and
    fail the second with an IntegrityError. Tried again, the second transaction finds what the
    first stored (a replay, a case to join), so nothing is written twice and the caller sees no
    error. PostgreSQL may also end a deadlock by failing one of the transactions in it: that one
    is tried again too, as is a batch that found a case it joined closed by a reviewer in the
    meantime (``CaseClosedMeanwhile``, up to ``CLOSED_ATTEMPTS`` times). A third lost race is not a
    race and is raised.
    """
    races = closed = 0
    while True:
        try:
            with transaction(sessions) as session:
                return ingest_batch(session, pipeline, events, actor, hash_key, regions)
        except CaseClosedMeanwhile:
            closed += 1  # tried again, the batch opens a new case (or joins the one open now)
            if closed >= CLOSED_ATTEMPTS:
                raise
        except DBAPIError as exc:
            races += 1
            if not lost_race(exc) or races >= RACE_ATTEMPTS:  # the last attempt's error is the caller's
                raise


_TRY_AGAIN = frozenset({"40P01", "40001"})  # PostgreSQL: deadlock detected, serialization failure


def lost_race(exc: DBAPIError) -> bool:
    """The transaction failed only because another one got there first: a unique index refused
    what the other wrote, or PostgreSQL broke a deadlock (or a serialization conflict) this way."""
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in _TRY_AGAIN
