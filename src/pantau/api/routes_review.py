"""The review queue, case decisions, appeals and child-safety escalations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from pantau import review
from pantau.api.deps import DB, State, require
from pantau.api.schemas import Id, NoNul, UtcTime
from pantau.auth import Principal, Role
from pantau.store.schema import ActionRecord, Appeal, Case, ChildSafetyRecord, Event, Review

router = APIRouter(tags=["review"])
Reviewer = Annotated[Principal, Depends(require(Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN))]
Platform = Annotated[Principal, Depends(require(Role.PLATFORM))]
Officer = Annotated[Principal, Depends(require(Role.CHILD_SAFETY_OFFICER, Role.ADMIN))]
Reason = Annotated[str, Field(min_length=1, max_length=2000), NoNul]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class CaseOut(BaseModel):
    id: int
    account_id: str
    status: str
    child_safety: bool
    max_score: float
    events_count: int
    opened_at: UtcTime
    claimed: bool
    claimed_by_me: bool
    outcome: str | None


class EventOut(BaseModel):
    event_id: str
    kind: str
    occurred_at: UtcTime
    text: str
    action: str
    score: float
    minor_risk: bool
    reasons: list[str]
    signals: list[dict[str, Any]]
    model_version: str


class ActionOut(BaseModel):
    id: int
    type: str
    automated: bool
    created_at: UtcTime
    ends_at: UtcTime | None
    statement: dict[str, Any]


class CaseDetail(CaseOut):
    events: list[EventOut]
    actions: list[ActionOut]
    reviews: list[dict[str, Any]]


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["confirm", "dismiss", "escalate"]
    action: Literal["hide_nearby", "warn", "suspend"] | None = None
    reason: Reason
    hide_days: Annotated[int, Field(ge=1, le=365)] = 7


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    account_id: Id
    statement: Annotated[str, Field(max_length=5000), NoNul] = ""


class AppealOut(BaseModel):
    id: int
    action_id: int
    account_id: str
    statement: str
    status: str
    created_at: UtcTime
    reason: str | None


class AppealDecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["restore", "uphold"]
    reason: Reason


class EscalationOut(BaseModel):
    case_id: int
    status: str  # open | referred | dismissed
    created_at: UtcTime
    retention_until: UtcTime
    exported_at: UtcTime | None  # the last download of its referral package
    referred_at: UtcTime | None = None  # when an officer marked it referred
    referred_via: str | None = None  # the channel they named


class ReferredIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: str = Field(min_length=1, max_length=200, examples=["SAPA 129", "UPTD PPA Kota Malang"],
                         description="through which channel the package was handed over")


def _case_out(case: Case, who: Principal, now_claim: int | None) -> dict[str, Any]:
    return {"id": case.id, "account_id": case.account_id, "status": case.status, "child_safety": case.child_safety,
            "max_score": case.max_score, "events_count": case.events_count, "opened_at": case.opened_at,
            "claimed": now_claim is not None, "claimed_by_me": now_claim == who.id, "outcome": case.outcome}


def _holder(case: Case) -> int | None:
    return review.claim_holder(case, datetime.now(UTC))


@router.get("/v1/cases", response_model=list[CaseOut],
            summary="The review queue: child safety first (oldest first), then score",
            description="The open cases the caller works (a child-protection officer: child-safety cases; a "
                        "moderator: the others; an admin: all), in queue order; page with `offset`. The "
                        "`X-Total-Count` header gives how many there are.")
def list_cases(who: Reviewer, session: DB, response: Response, limit: Annotated[int, Query(ge=1, le=200)] = 50,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[dict[str, Any]]:
    response.headers["X-Total-Count"] = str(review.queue_size(session, who))
    return [_case_out(c, who, _holder(c)) for c in review.queue(session, who, limit=limit, offset=offset)]


@router.get("/v1/cases/{case_id}", response_model=CaseDetail, summary="A case with its events, actions, reviews")
def get_case(case_id: RowId, who: Reviewer, session: DB) -> dict[str, Any]:
    case = review.visible_case(session, case_id, who)
    events = session.execute(select(Event).where(Event.case_id == case_id).order_by(Event.occurred_at)).scalars()
    actions = session.execute(select(ActionRecord).where(ActionRecord.case_id == case_id)
                              .order_by(ActionRecord.id)).scalars()
    reviews = session.execute(select(Review).where(Review.case_id == case_id).order_by(Review.at)).scalars()
    return {
        **_case_out(case, who, _holder(case)),
        "events": [{"event_id": e.event_id, "kind": e.kind, "occurred_at": e.occurred_at, "text": e.text,
                    "action": e.action, "score": e.score, "minor_risk": e.minor_risk, "reasons": e.reasons,
                    "signals": e.signals, "model_version": e.model_version} for e in events],
        "actions": [{"id": a.id, "type": a.type, "automated": a.automated, "created_at": a.created_at,
                     "ends_at": a.ends_at, "statement": a.statement} for a in actions],
        "reviews": [{"at": r.at.isoformat(), "decision": r.decision, "action": r.action, "reason": r.reason,
                     "by_me": r.user_id == who.id} for r in reviews],
    }


@router.post("/v1/cases/{case_id}/claim", response_model=CaseOut, summary="Claim a case (a lock with expiry)")
def claim_case(case_id: RowId, who: Reviewer, st: State, session: DB) -> dict[str, Any]:
    case = review.claim(session, case_id, who, st.settings.claim_minutes)
    return _case_out(case, who, who.id)


@router.post("/v1/cases/{case_id}/release", response_model=CaseOut, summary="Give a claimed case back")
def release_case(case_id: RowId, who: Reviewer, session: DB) -> dict[str, Any]:
    return _case_out(review.release(session, case_id, who), who, None)


@router.post("/v1/cases/{case_id}/decide", response_model=CaseOut, summary="Confirm, dismiss or escalate a case")
def decide_case(case_id: RowId, body: DecideIn, who: Reviewer, session: DB) -> dict[str, Any]:
    case = review.decide(session, case_id, who, body.decision, body.reason, body.action, body.hide_days)
    return _case_out(case, who, _holder(case))


@router.post("/v1/appeals", response_model=AppealOut, summary="File an appeal on behalf of a user")
def file_appeal(body: AppealIn, who: Platform, session: DB) -> Appeal:
    return review.file_appeal(session, who, body.action_id, body.account_id, body.statement)


@router.get("/v1/appeals", response_model=list[AppealOut], summary="Open appeals you may decide")
def list_appeals(who: Reviewer, session: DB) -> list[Appeal]:
    return review.appeals_for(session, who)


@router.post("/v1/appeals/{appeal_id}/decide", response_model=AppealOut, summary="Restore or uphold")
def decide_appeal(appeal_id: RowId, body: AppealDecideIn, who: Reviewer, session: DB) -> Appeal:
    return review.decide_appeal(session, appeal_id, who, body.outcome, body.reason)


@router.get("/v1/child-safety", response_model=list[EscalationOut], summary="Child-safety escalations")
def list_escalations(who: Officer, session: DB) -> list[ChildSafetyRecord]:
    query = select(ChildSafetyRecord).order_by(ChildSafetyRecord.created_at.desc()).limit(200)
    return list(session.execute(query).scalars())


@router.post("/v1/child-safety/{case_id}/referred", response_model=EscalationOut,
             summary="Mark an escalation referred to the authorities, naming the channel")
def mark_referred(case_id: RowId, body: ReferredIn, who: Officer, session: DB) -> ChildSafetyRecord:
    return review.mark_referred(session, case_id, who, body.channel)


@router.get("/v1/child-safety/{case_id}/referral.json", summary="Referral package (JSON, with integrity digests)")
def referral_json(case_id: RowId, who: Officer, session: DB) -> dict[str, Any]:
    from pantau.referral import referral_json as build_json

    return build_json(review.build_referral(session, case_id, who))


@router.get("/v1/child-safety/{case_id}/referral.pdf", summary="Referral package (PDF, Bahasa Indonesia + English)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def referral_pdf(case_id: RowId, who: Officer, session: DB) -> Response:
    from pantau.referral import referral_pdf as build_pdf

    pdf = build_pdf(review.build_referral(session, case_id, who))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="rujukan-kasus-{case_id}.pdf"'})
