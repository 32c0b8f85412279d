"""Human review: the prioritised queue, claims with expiry, decisions, and appeals.

Order of the queue: child-safety cases first, oldest first; then the others by the highest score in
the case, then by reach (how many events the case collected). A reviewer claims a case before
deciding; a claim expires after ``claim_minutes`` so a case never stays locked by someone who left.
An appeal is decided by a different reviewer from anyone who decided the appealed action or
reviewed its case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pantau import audit
from pantau.actions import REVIEWED_FACT, SAFETY_REVIEW_DONE, SAFETY_REVIEW_FACT, notify_appeal_upheld, take_action
from pantau.auth import Principal, Role
from pantau.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from pantau.ingest import RETENTION
from pantau.store.schema import ActionRecord, Appeal, Case, ChildSafetyRecord, Event, Review, User

Decision = Literal["confirm", "dismiss", "escalate"]
CONFIRM_ACTIONS = ("hide_nearby", "warn", "suspend")
# In a child-safety case an escalation restricts the account without an end date: a hide with an end date
# would lift it, and a warning would tell the account. Suspending adds to it. (A case an offer hint opened,
# "umurku 14, bisa temenin", has no escalation yet: the officer escalates, suspends or dismisses.)
CHILD_SAFETY_ACTIONS = ("suspend",)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def queue(session: Session, who: Principal, *, limit: int = 50, offset: int = 0) -> list[Case]:
    """The open cases ``who`` works, in queue order: a child-protection officer's are the child-safety
    cases, a moderator's the others, an admin's all of them."""
    query = _remit_filter(select(Case).where(Case.status == "open"), who)
    # Child-safety cases first, oldest first: each needs an officer, and a text's offer score says
    # nothing of a child's risk (a user report of a child scores near 0). Then the others by score.
    cs_age = sql_case((Case.child_safety.is_(True), Case.opened_at), else_=None)
    query = query.order_by(Case.child_safety.desc(), cs_age.asc(), Case.max_score.desc(), Case.events_count.desc(),
                           Case.id)
    return list(session.execute(query.limit(limit).offset(offset)).scalars())


def queue_size(session: Session, who: Principal) -> int:
    return session.execute(_remit_filter(select(func.count(Case.id)).where(Case.status == "open"), who)).scalar_one()


def _remit_filter(query: Any, who: Principal) -> Any:
    if who.role is Role.CHILD_SAFETY_OFFICER:
        return query.where(Case.child_safety.is_(True))
    if who.role is not Role.ADMIN:
        return query.where(Case.child_safety.is_(False))
    return query


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(f"case {case_id} does not exist")
    return case


def claim_holder(case: Case, now: datetime) -> int | None:
    expires = _aware(case.claim_expires_at)
    return case.claimed_by if case.claimed_by is not None and expires is not None and expires > now else None


def locked_case(session: Session, case_id: int) -> Case:
    """The case, locked until the transaction ends and read afresh. FOR NO KEY UPDATE: it waits for
    (and makes wait) an ingest batch that is raising the case's counters and taking its automatic
    actions, so a decision sees every action taken before it; but not the batches that are only
    writing events which refer to the case (their foreign-key check takes FOR KEY SHARE, which
    FOR UPDATE would conflict with: a busy account's case could then never be claimed)."""
    case = session.execute(select(Case).where(Case.id == case_id).with_for_update(key_share=True)
                           .execution_options(populate_existing=True)).scalar_one_or_none()
    if case is None:
        raise NotFoundError(f"case {case_id} does not exist")
    return case


def _works(who: Principal, child_safety: bool) -> bool:
    """Child-safety work (claiming, reading and deciding such a case, its appeals, its referral) is for
    child-protection officers and admins, the rest for moderators and admins. A moderator's "hide
    from nearby" had closed a child-safety case and replaced the escalation's open-ended restriction
    with a seven-day one."""
    return who.role is Role.ADMIN or child_safety == (who.role is Role.CHILD_SAFETY_OFFICER)


def in_remit(case: Case, who: Principal) -> bool:
    """Whether ``who`` works (and may read) ``case``."""
    return _works(who, case.child_safety)


def visible_case(session: Session, case_id: int, who: Principal) -> Case:
    """The case, or NotFoundError for one outside ``who``'s remit (as if it did not exist)."""
    case = get_case(session, case_id)
    if not in_remit(case, who):
        raise NotFoundError(f"case {case_id} does not exist")
    return case


def _officer_scope(case: Case, who: Principal) -> None:
    if in_remit(case, who):
        return
    if who.role is Role.CHILD_SAFETY_OFFICER:
        raise ForbiddenError(f"case {case.id} is not a child-safety case: a child-protection officer works those only")
    raise NotFoundError(f"case {case.id} does not exist")  # as reading it: nothing to tell it apart


def under_escalation(session: Session, account_id: str, *, besides: int | None = None) -> bool:
    """Whether the account has a child-safety escalation that is not over (open or referred), in a
    case other than ``besides``: while it stands, nothing may lift the account's restrictions."""
    query = (select(ChildSafetyRecord.id).join(Case, Case.id == ChildSafetyRecord.case_id)
             .where(Case.account_id == account_id, ChildSafetyRecord.status.in_(("open", "referred"))))
    if besides is not None:
        query = query.where(Case.id != besides)
    return session.execute(query.limit(1)).first() is not None


def claim(session: Session, case_id: int, who: Principal, minutes: int) -> Case:
    now = datetime.now(UTC)
    case = locked_case(session, case_id)
    _officer_scope(case, who)
    if case.status != "open":
        raise ConflictError(f"case {case_id} is closed")
    holder = claim_holder(case, now)
    if holder is not None and holder != who.id:
        raise ConflictError(f"case {case_id} is being reviewed by someone else until "
                            f"{_aware(case.claim_expires_at).isoformat()}")  # type: ignore[union-attr]
    case.claimed_by, case.claim_expires_at = who.id, now + timedelta(minutes=minutes)
    audit.record(session, who.actor, "case.claim", f"case:{case_id}", {"until": case.claim_expires_at.isoformat()})
    return case


def release(session: Session, case_id: int, who: Principal) -> Case:
    case = locked_case(session, case_id)
    if claim_holder(case, datetime.now(UTC)) != who.id:
        raise ConflictError(f"you do not hold a claim on case {case_id}")
    case.claimed_by, case.claim_expires_at = None, None
    audit.record(session, who.actor, "case.release", f"case:{case_id}")
    return case


def _policy_version(session: Session, case_id: int) -> str:
    version = session.execute(
        select(Event.model_version).where(Event.case_id == case_id).order_by(Event.received_at.desc()).limit(1)
    ).scalar()
    return (version or "").rsplit("policy@", 1)[-1] or "-"


def decide(session: Session, case_id: int, who: Principal, decision: Decision, reason: str,
           action: str | None = None, hide_days: int = 7) -> Case:
    """Confirm (with an action), dismiss or escalate a claimed case; closes it unless escalated."""
    if not reason.strip():
        raise InputError("a reason is required for every decision")
    case = locked_case(session, case_id)  # before reading its actions: see ``locked_case``
    _officer_scope(case, who)
    holder = claim_holder(case, datetime.now(UTC))
    if case.status != "open":
        raise ConflictError(f"case {case_id} is closed ({case.outcome or 'decided'})")
    if holder is not None and holder != who.id:
        raise ConflictError(f"case {case_id} is claimed by someone else")
    if holder is None:
        raise ConflictError(f"claim case {case_id} before deciding it (no claim of yours holds: never taken, "
                            "released or expired)")
    if decision == "confirm" and action not in CONFIRM_ACTIONS:
        raise InputError(f"confirm needs an action: one of {', '.join(CONFIRM_ACTIONS)}")
    if decision == "confirm" and case.child_safety and action not in CHILD_SAFETY_ACTIONS:
        raise InputError(f"case {case_id} is a child-safety case: confirm it with {' or '.join(CHILD_SAFETY_ACTIONS)}, "
                         "or escalate (a restriction with no end date) or dismiss; a hide with an end date would lift "
                         "an escalation, and a warning would tell the account")
    if decision != "confirm" and action is not None:
        raise InputError(f"an action is given only with confirm; {decision} takes none")
    now = datetime.now(UTC)
    session.add(Review(case_id=case_id, user_id=who.id, decision=decision, action=action, reason=reason, at=now))
    # In a child-safety case the reviewer's words stay in pantau: the account must not learn of it.
    # (a case an officer's review of mild words made, whose account was told of no safety review, says neither)
    safety_fact = (SAFETY_REVIEW_DONE if decision == "dismiss" else SAFETY_REVIEW_FACT) \
        if _safety_review_told(session, case) else REVIEWED_FACT
    facts = [safety_fact if case.child_safety else f"Peninjau / reviewer: {reason}"]
    common: dict[str, Any] = {"actor": who.actor, "account_id": case.account_id, "case_id": case_id,
                              "automated": False, "decided_by": who.id, "policy_version": _policy_version(session,
                                                                                                          case_id),
                              "facts": facts, "reviewed": True}
    if decision == "confirm":
        ends = now + timedelta(days=hide_days) if action == "hide_nearby" else None
        take_action(session, action=action or "", rule=f"review:{decision}", ends_at=ends, **common)
        _close(case, now, f"confirmed:{action}")
    elif decision == "dismiss":
        lifted = list(session.execute(select(ActionRecord.id).where(
            ActionRecord.case_id == case_id, ActionRecord.type.in_(("hide_nearby", "escalate_child_safety")))
        ).scalars())
        if case.child_safety and lifted and not _safety_review_told(session, case):
            # an officer's review of mild words ("umurku 14, bisa temenin") joined an adult's hidden ad: no child
            # found, the ad is still the moderators' to decide; nothing is lifted and the case stays open
            case.child_safety = False
            case.claimed_by, case.claim_expires_at = None, None
            audit.record(session, who.actor, "child_safety.hand_back", f"case:{case_id}", {"reason": reason})
            audit.record(session, who.actor, "case.decide", f"case:{case_id}",
                         {"decision": decision, "action": action, "reason": reason})
            return case
        if lifted and under_escalation(session, case.account_id, besides=case_id):
            # another case's escalation still restricts the account: a restore would lift it too
            audit.record(session, who.actor, "restore.withheld", f"case:{case_id}", {"reason": "escalation"})
        elif lifted:
            take_action(session, action="restore", rule="review:dismiss", lifts=tuple(lifted), **common)
        _end_escalation(session, case_id)  # the officer found no child at risk
        _close(case, now, "dismissed")
    else:
        case.child_safety = True
        record = _escalation_record(session, case_id)
        notified = _safety_review_told(session, case)
        if not notified or (record is not None and record.status == "dismissed"):  # never a second notice
            take_action(session, action="escalate_child_safety", rule="review:escalate", **common)
        if record is None:
            session.add(ChildSafetyRecord(case_id=case_id, created_at=now, retention_until=now + RETENTION,
                                          status="open"))
        elif record.status == "dismissed":  # escalated again after an officer had ended it
            record.status = "open"
        audit.record(session, who.actor, "child_safety.escalate", f"case:{case_id}", {"by": "reviewer"})
        case.claimed_by, case.claim_expires_at = None, None
    audit.record(session, who.actor, "case.decide", f"case:{case_id}",
                 {"decision": decision, "action": action, "reason": reason})
    return case


def _escalation_record(session: Session, case_id: int) -> ChildSafetyRecord | None:
    return session.execute(select(ChildSafetyRecord).where(ChildSafetyRecord.case_id == case_id)).scalar()


def _end_escalation(session: Session, case_id: int) -> None:
    """The escalation record becomes ``dismissed`` (an officer found no child at risk, or restored
    the account on appeal); a referral it had keeps its ``referred_at``/``referred_via`` as history."""
    record = _escalation_record(session, case_id)
    if record is not None and record.status != "dismissed":
        record.status = "dismissed"


def _close(case: Case, now: datetime, outcome: str) -> None:
    case.status, case.closed_at, case.outcome = "closed", now, outcome
    case.claimed_by, case.claim_expires_at = None, None


# ------------------------------------------------------------------------------------ appeals


def file_appeal(session: Session, who: Principal, action_id: int, account_id: str, statement: str) -> Appeal:
    # Locked (PostgreSQL; SQLite writers take turns anyway): two appeals filed at once cannot both pass
    # the check below.
    action = session.execute(select(ActionRecord).where(ActionRecord.id == action_id).with_for_update()
                             ).scalar_one_or_none()
    if action is None or action.account_id != account_id:
        raise NotFoundError(f"action {action_id} does not exist for account {account_id}")
    if action.type == "restore":
        raise InputError("a restoration cannot be appealed")
    earlier = session.execute(select(Appeal.id, Appeal.status).where(Appeal.action_id == action_id)
                              .order_by(Appeal.id)).first()
    if earlier is not None:
        raise ConflictError(f"action {action_id} already has an open appeal ({earlier.id})" if earlier.status == "open"
                            else f"action {action_id} was already appealed (appeal {earlier.id}, {earlier.status}); "
                            "an action is appealed once")
    appeal = Appeal(action_id=action_id, account_id=account_id, statement=statement, status="open",
                    created_at=datetime.now(UTC))
    session.add(appeal)
    session.flush()
    audit.record(session, who.actor, "appeal.file", f"appeal:{appeal.id}", {"action": action_id})
    return appeal


def _involved(session: Session, action: ActionRecord) -> set[int]:
    """Users who decided the action or reviewed its case: they may not decide the appeal."""
    users = {action.decided_by} if action.decided_by is not None else set()
    if action.case_id is not None:
        users |= set(session.execute(select(Review.user_id).where(Review.case_id == action.case_id)).scalars())
    return users


def _safety_review_told(session: Session, case: Case) -> bool:
    """Whether the account was told of a safety review in this case: an escalation was sent for it."""
    return session.execute(select(ActionRecord.id).where(
        ActionRecord.case_id == case.id, ActionRecord.type == "escalate_child_safety")).first() is not None


def _child_safety(session: Session, action: ActionRecord) -> bool:
    """Whether the appealed action is, or belongs to, a child-safety escalation — or its account is
    under one that is not over (an appeal on an older hide must not reach a moderator then)."""
    if action.type == "escalate_child_safety":
        return True
    case = session.get(Case, action.case_id) if action.case_id is not None else None
    return bool(case is not None and case.child_safety) or under_escalation(session, action.account_id)


def appeals_for(session: Session, who: Principal, *, limit: int = 50) -> list[Appeal]:
    """Open appeals this reviewer may decide (never those of their own decisions)."""
    appeals = session.execute(select(Appeal).where(Appeal.status == "open").order_by(Appeal.id)).scalars()
    out = []
    for appeal in appeals:
        action = session.get(ActionRecord, appeal.action_id)
        if action is None or who.id in _involved(session, action):
            continue
        if _works(who, _child_safety(session, action)):
            out.append(appeal)
        if len(out) >= limit:
            break
    return out


def decide_appeal(session: Session, appeal_id: int, who: Principal, outcome: Literal["restore", "uphold"],
                  reason: str) -> Appeal:
    if not reason.strip():
        raise InputError("a reason is required for every appeal decision")
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFoundError(f"appeal {appeal_id} does not exist")
    action = session.get(ActionRecord, appeal.action_id)
    assert action is not None
    child_safety = _child_safety(session, action)
    if not _works(who, child_safety):  # first: any other answer would tell a moderator it exists
        if who.role is not Role.CHILD_SAFETY_OFFICER:
            raise NotFoundError(f"appeal {appeal_id} does not exist")
        raise ForbiddenError("a child-protection officer decides only appeals in child-safety cases")
    if appeal.status != "open":
        raise ConflictError(f"appeal {appeal_id} is already decided ({appeal.status})")
    if who.id in _involved(session, action):
        raise ForbiddenError("an appeal must be decided by a different reviewer from the one who decided the action")
    if outcome == "restore" and under_escalation(session, appeal.account_id, besides=action.case_id):
        raise ConflictError("the account is under a child-safety escalation in another case: a restore would "
                            "lift it too; decide that case first (or uphold this appeal)")
    now = datetime.now(UTC)
    case = session.get(Case, action.case_id) if action.case_id is not None else None
    told = action.type == "escalate_child_safety" or under_escalation(session, appeal.account_id) or (
        case is not None and _safety_review_told(session, case))
    appeal.status = "restored" if outcome == "restore" else "upheld"
    appeal.reviewer_id, appeal.reason, appeal.decided_at = who.id, reason, now
    if outcome == "restore":
        take_action(session, actor=who.actor, account_id=appeal.account_id, case_id=action.case_id, action="restore",
                    automated=False, decided_by=who.id, rule="appeal:restore", lifts=(action.id,),
                    policy_version=_policy_version(session, action.case_id) if action.case_id is not None else "-",
                    facts=[(SAFETY_REVIEW_DONE if told else REVIEWED_FACT) if child_safety else
                           f"Keberatan diterima / the appeal succeeded: {reason}"], reviewed=True)
        if child_safety and action.case_id is not None:
            _end_escalation(session, action.case_id)
            if case is not None and case.status == "open":  # the record is over, so is its case
                _close(case, now, "restored_on_appeal")
    else:
        notify_appeal_upheld(session, appeal_id, action, reason, child_safety=child_safety, told=told)
    audit.record(session, who.actor, "appeal.decide", f"appeal:{appeal_id}", {"outcome": outcome, "reason": reason})
    return appeal


def labelled_rows(session: Session) -> list[dict[str, Any]]:
    """Reviewed texts as training rows for `pantau train --extra`: confirmed ⇒ 1; dismissed or
    restored on appeal ⇒ 0. Only the text and the label leave; no account ids."""
    rows: dict[str, dict[str, Any]] = {}
    for review in session.execute(select(Review).order_by(Review.at)).scalars():
        label = {"confirm": 1, "escalate": 1, "dismiss": 0}[review.decision]
        for event in session.execute(select(Event).where(Event.case_id == review.case_id)).scalars():
            if event.kind != "user_report":
                rows[event.event_id] = {"text": event.text, "label": label, "category": f"review:{review.decision}"}
    restored = session.execute(
        select(ActionRecord.case_id).join(Appeal, Appeal.action_id == ActionRecord.id)
        .where(Appeal.status == "restored", or_(ActionRecord.case_id.is_not(None)))
    ).scalars()
    for case_id in restored:
        for event in session.execute(select(Event).where(Event.case_id == case_id)).scalars():
            if event.kind != "user_report":
                rows[event.event_id] = {"text": event.text, "label": 0, "category": "appeal:restored"}
    return list(rows.values())


def build_referral(session: Session, case_id: int, who: Principal) -> Any:
    """The referral package of a child-safety case, from the stored evidence; marks it referred."""
    from pantau.referral import EvidenceItem, Referral, referral_json

    case = get_case(session, case_id)
    record = _escalation_record(session, case_id)
    if record is None:
        raise NotFoundError(f"case {case_id} has no child-safety escalation")
    events = list(session.execute(select(Event).where(Event.case_id == case_id).order_by(Event.occurred_at)).scalars())
    users = {u.id: u.name for u in session.execute(select(User)).scalars()}
    reviews = session.execute(select(Review).where(Review.case_id == case_id).order_by(Review.at)).scalars()
    decided = [{"at": _aware(r.at).isoformat(), "by": users.get(r.user_id, str(r.user_id)),  # type: ignore[union-attr]
                "decision": r.decision, "reason": r.reason} for r in reviews]
    appeals = session.execute(select(Appeal).join(ActionRecord, ActionRecord.id == Appeal.action_id).where(
        ActionRecord.case_id == case_id, Appeal.decided_at.is_not(None)).order_by(Appeal.decided_at)).scalars()
    decided += [{"at": _aware(a.decided_at).isoformat(),  # type: ignore[union-attr]
                 "by": users.get(a.reviewer_id, str(a.reviewer_id)) if a.reviewer_id is not None else "-",
                 "decision": f"appeal {a.status}", "reason": a.reason or "", "statement": a.statement}
                for a in appeals]
    # The place: the region code the platform sent, else the one pantau found from the coordinates.
    region = next(filter(None, (e.region_code or e.kelurahan or e.kecamatan or e.kota for e in events)), None)
    now = datetime.now(UTC)
    referral = Referral(
        case_id=case_id, account_id=case.account_id, opened_at=_aware(case.opened_at),  # type: ignore[arg-type]
        escalated_at=_aware(record.created_at), retention_until=_aware(record.retention_until),  # type: ignore[arg-type]
        region_code=region,
        evidence=tuple(
            EvidenceItem(
                event_id=e.event_id, kind=e.kind, occurred_at=_aware(e.occurred_at),  # type: ignore[arg-type]
                received_at=_aware(e.received_at), text=e.text, action=e.action,  # type: ignore[arg-type]
                score=e.score, reasons=tuple(e.reasons), model_version=e.model_version, details=dict(e.details or {}),
                signals=tuple((s["name"], s["start"], s["end"], s["text"]) for s in e.signals if s["end"] > s["start"]),
            )
            for e in events
        ),
        decisions=tuple(sorted(decided, key=lambda d: d["at"])),
        prepared_by=who.name, prepared_at=now,
    )
    record.exported_at = now  # downloading is not referring: an officer marks that (``mark_referred``)
    digest = referral_json(referral)["integrity"]["package_sha256"]
    audit.record(session, who.actor, "child_safety.export", f"case:{case_id}",
                 {"items": len(events), "package_sha256": digest})
    return referral


def mark_referred(session: Session, case_id: int, who: Principal, channel: str) -> ChildSafetyRecord:
    """An officer says the case was handed to the authorities, and through which channel."""
    if not _works(who, True):
        raise ForbiddenError("a child-protection officer marks an escalation referred")
    channel = channel.strip()
    if not 1 <= len(channel) <= 200:
        raise InputError("say through which channel it was referred (1–200 characters), e.g. SAPA 129")
    record = session.execute(select(ChildSafetyRecord).where(ChildSafetyRecord.case_id == case_id)
                             .with_for_update()).scalar()
    if record is None:
        raise NotFoundError(f"case {case_id} has no child-safety escalation")
    if record.status == "dismissed":
        raise ConflictError(f"the escalation of case {case_id} was dismissed; escalate the case again first")
    if record.referred_at is not None:
        raise ConflictError(f"the escalation of case {case_id} was already marked referred "
                            f"({record.referred_via}, {_aware(record.referred_at).isoformat()})")  # type: ignore[union-attr]
    now = datetime.now(UTC)
    record.status, record.referred_at, record.referred_via, record.referred_by = "referred", now, channel, who.id
    audit.record(session, who.actor, "child_safety.referred", f"case:{case_id}", {"channel": channel})
    return record
