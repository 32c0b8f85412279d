"""Moderator pages: the review queue, a case with its evidence, decisions, and the appeals tab.

Roles as in /v1: moderators, child-safety officers (child-safety cases only) and admins. Every
decision needs a reason; appeals are never shown to a reviewer involved in the appealed action
(``review.appeals_for``).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from pantau import review
from pantau.api.routes_review import RowId
from pantau.console.deps import ConsoleError, ConsoleRoute, Form, State, Viewer, allow
from pantau.console.highlight import pieces
from pantau.console.i18n import for_request
from pantau.console.render import REVIEWERS, page
from pantau.normalize import normalize
from pantau.regions import WIB
from pantau.store.db import transaction
from pantau.store.schema import ActionRecord, Case, Event, Review, User

router = APIRouter(prefix="/console", route_class=ConsoleRoute)
Reviewer = Annotated[Viewer, Depends(allow(*REVIEWERS))]
DECISIONS = {"confirm:hide_nearby": ("confirm", "hide_nearby"), "confirm:warn": ("confirm", "warn"),
             "confirm:suspend": ("confirm", "suspend"), "dismiss": ("dismiss", None), "escalate": ("escalate", None)}
# (form value, label key, shortcut key): the buttons of a claimed case, common path first
BUTTONS = (("confirm:hide_nearby", "act_hide_nearby", "1"), ("confirm:warn", "act_warn", "2"),
           ("confirm:suspend", "act_suspend", "3"), ("dismiss", "act_dismiss", "4"), ("escalate", "act_escalate", "5"))
# A child-safety case: an escalation restricts the account with no end date (a hide would end it, a warning
# would tell the account), so an officer suspends, escalates (again) or dismisses. A case an officer's review
# of mild words made ("umurku 14, bisa temenin") has no escalation yet: the same three choices.
CHILD_SAFETY_BUTTONS = (("confirm:suspend", "act_suspend", "1"), ("escalate", "act_escalate", "2"),
                        ("dismiss", "act_dismiss", "3"))


def _case_signals(db: Session, case_ids: list[int]) -> dict[int, list[str]]:
    """The most frequent signal names of each case's events (at most four per case)."""
    counts: dict[int, Counter[str]] = {i: Counter() for i in case_ids}
    rows = db.execute(select(Event.case_id, Event.signals).where(Event.case_id.in_(case_ids))) if case_ids else []
    for case_id, signals in rows:
        counts[case_id].update(s["name"] for s in signals or [])
    return {i: [name for name, _ in c.most_common(4)] for i, c in counts.items()}


QUEUE_PAGE = 100


@router.get("/review", summary="The review queue: child safety first (oldest first), then score")
def queue_page(request: Request, st: State, found: Reviewer,
               page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> Response:
    now = datetime.now(UTC)
    with transaction(st.sessions) as db:
        cases = review.queue(db, found.who, limit=QUEUE_PAGE, offset=(page_no - 1) * QUEUE_PAGE)
        total = review.queue_size(db, found.who)
        signals = _case_signals(db, [c.id for c in cases])
        rows = [{"case": c, "signals": signals[c.id], "holder": review.claim_holder(c, now)} for c in cases]
    first_free = next((r["case"].id for r in rows if r["holder"] is None), None)  # where "c" claims
    pages = max(1, -(-total // QUEUE_PAGE))
    return page(request, "queue.html", who=found.who, csrf=found.csrf, flash=found.session.take_flash(), rows=rows,
                first_free=first_free, page_no=page_no, pages=pages, total=total)


def _visible_case(db: Session, case_id: int, found: Viewer) -> Case:
    return review.visible_case(db, case_id, found.who)  # as GET /v1/cases/{id}


def _history(db: Session, account_id: str, found: Viewer) -> dict[str, Any]:
    """Earlier human decisions and every action on the account, across the cases the viewer works
    (a moderator never sees what was decided in a child-safety case, nor its escalation)."""
    names = {u.id: u.name for u in db.execute(select(User)).scalars()}
    cases = {c.id: c for c in db.execute(select(Case).where(Case.account_id == account_id)).scalars()}
    mine = {i for i, c in cases.items() if review.in_remit(c, found.who)}
    reviews = db.execute(select(Review, Case.id).join(Case, Case.id == Review.case_id)
                         .where(Case.account_id == account_id).order_by(Review.at)).all()
    actions = db.execute(select(ActionRecord).where(ActionRecord.account_id == account_id)
                         .order_by(ActionRecord.created_at)).scalars()
    return {"reviews": [{"review": r, "case_id": cid, "by": names.get(r.user_id, str(r.user_id))}
                        for r, cid in reviews if cid in mine],
            "actions": [a for a in actions if a.case_id in mine or (a.case_id is None and
                                                                  a.type != "escalate_child_safety")]}


@router.get("/cases/{case_id}", summary="A case: events with highlighted signals, history, decision buttons")
def case_page(request: Request, case_id: RowId, st: State, found: Reviewer) -> Response:
    with transaction(st.sessions) as db:
        case = _visible_case(db, case_id, found)
        events = list(db.execute(select(Event).where(Event.case_id == case_id).order_by(Event.occurred_at)).scalars())
        shown = [{"event": e, "pieces": pieces(e.text, e.signals), "normalised": normalize(e.text).text}
                 for e in events if e.kind != "user_report"]
        reports = [e for e in events if e.kind == "user_report"]
        holder = review.claim_holder(case, datetime.now(UTC))
        return page(request, "case.html", who=found.who, csrf=found.csrf, flash=found.session.take_flash(),
                    case=case, events=shown, reports=reports, history=_history(db, case.account_id, found),
                    mine=holder == found.who.id, taken=holder not in (None, found.who.id),
                    buttons=CHILD_SAFETY_BUTTONS if case.child_safety else BUTTONS)


@router.post("/cases/{case_id}/claim", summary="Claim a case and open it")
def claim(request: Request, case_id: RowId, st: State, found: Reviewer, _: Form) -> Response:
    taken: tuple[str, datetime] | None = None
    with transaction(st.sessions) as db:
        case = _visible_case(db, case_id, found)
        holder = review.claim_holder(case, datetime.now(UTC))
        if holder is not None and holder != found.who.id:  # in the reviewer's language, with a name
            user = db.get(User, holder)
            taken = (user.name if user else "?", case.claim_expires_at or datetime.now(UTC))
        else:
            review.claim(db, case_id, found.who, st.settings.claim_minutes)
    if taken is not None:
        until = taken[1].replace(tzinfo=taken[1].tzinfo or UTC).astimezone(WIB)
        found.session.flash_next(for_request(request)("claim_taken", id=case_id, name=taken[0],
                                                      until=f"{until:%H:%M} WIB"))
        return RedirectResponse("/console/review", status_code=303)
    return RedirectResponse(f"/console/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/release", summary="Give a claimed case back")
def release(request: Request, case_id: RowId, st: State, found: Reviewer, _: Form) -> Response:
    with transaction(st.sessions) as db:
        review.release(db, case_id, found.who)
    found.session.flash_next(for_request(request)("released", id=case_id))
    return RedirectResponse("/console/review", status_code=303)


@router.post("/cases/{case_id}/decide", summary="Confirm with an action, dismiss or escalate, with a reason")
def decide(request: Request, case_id: RowId, st: State, found: Reviewer, form: Form) -> Response:
    if form.get("decision") not in DECISIONS:
        raise ConsoleError(400, f"decision must be one of {', '.join(DECISIONS)}")
    decision, action = DECISIONS[form["decision"]]
    with transaction(st.sessions) as db:
        _visible_case(db, case_id, found)
        review.decide(db, case_id, found.who, decision, form.get("reason", ""), action)  # type: ignore[arg-type]
    found.session.flash_next(for_request(request)("decided", id=case_id))
    return RedirectResponse("/console/review", status_code=303)


@router.get("/appeals", summary="Open appeals this reviewer may decide")
def appeals_page(request: Request, st: State, found: Reviewer) -> Response:
    with transaction(st.sessions) as db:
        appeals = review.appeals_for(db, found.who, limit=100)
        rows = [{"appeal": a, "action": db.get(ActionRecord, a.action_id)} for a in appeals]
        return page(request, "appeals.html", who=found.who, csrf=found.csrf, flash=found.session.take_flash(),
                    rows=rows)


@router.post("/appeals/{appeal_id}/decide", summary="Restore or uphold, with a reason")
def decide_appeal(request: Request, appeal_id: RowId, st: State, found: Reviewer, form: Form) -> Response:
    outcome = form.get("outcome")
    if outcome not in ("restore", "uphold"):
        raise ConsoleError(400, "outcome must be restore or uphold")
    with transaction(st.sessions) as db:
        review.decide_appeal(db, appeal_id, found.who, outcome, form.get("reason", ""))  # type: ignore[arg-type]
    found.session.flash_next(for_request(request)("appeal_decided", id=appeal_id))
    return RedirectResponse("/console/appeals", status_code=303)

