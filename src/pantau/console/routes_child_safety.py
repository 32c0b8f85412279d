"""The child-safety desk: escalations, their preserved evidence, and the referral package.

Roles as in /v1: child-safety officers and admins. The evidence itself is read on the case page
(``/console/cases/{id}``); downloading a referral package is audited with its digest
(``review.build_referral``), and an officer marks the escalation referred, naming the channel
(``review.mark_referred``), exactly as through the API.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from starlette.responses import RedirectResponse, Response

from pantau import review
from pantau.api.routes_review import RowId
from pantau.console.deps import ConsoleRoute, Form, State, Viewer, allow
from pantau.console.i18n import for_request
from pantau.console.render import OFFICERS, page
from pantau.referral import referral_json, referral_pdf
from pantau.store.db import transaction
from pantau.store.schema import ChildSafetyRecord, Event

router = APIRouter(prefix="/console", route_class=ConsoleRoute)
Officer = Annotated[Viewer, Depends(allow(*OFFICERS))]


@router.get("/child-safety", summary="Escalations, newest first")
def desk(request: Request, st: State, found: Officer) -> Response:
    with transaction(st.sessions) as db:
        records = db.execute(select(ChildSafetyRecord).order_by(ChildSafetyRecord.created_at.desc()).limit(200))
        records = list(records.scalars())
        items = dict(db.execute(select(Event.case_id, func.count()).where(
            Event.case_id.in_([r.case_id for r in records])).group_by(Event.case_id)).all()) if records else {}
        return page(request, "child_safety.html", who=found.who, csrf=found.csrf, records=records, items=items,
                    flash=found.session.take_flash())


@router.get("/child-safety/{case_id}/referral.pdf", summary="Referral package (PDF, Bahasa Indonesia + English)")
def referral_as_pdf(case_id: RowId, st: State, found: Officer) -> Response:
    with transaction(st.sessions) as db:
        pdf = referral_pdf(review.build_referral(db, case_id, found.who))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="rujukan-kasus-{case_id}.pdf"',
                             "Cache-Control": "no-store"})


@router.get("/child-safety/{case_id}/referral.json", summary="Referral package (JSON, with integrity digests)")
def referral_as_json(case_id: RowId, st: State, found: Officer) -> Response:
    with transaction(st.sessions) as db:
        body = json.dumps(referral_json(review.build_referral(db, case_id, found.who)), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="rujukan-kasus-{case_id}.json"',
                             "Cache-Control": "no-store"})


@router.post("/child-safety/{case_id}/referred", summary="Mark an escalation referred, naming the channel")
def referred(request: Request, case_id: RowId, st: State, found: Officer, form: Form) -> Response:
    with transaction(st.sessions) as db:
        review.mark_referred(db, case_id, found.who, form.get("channel", ""))
    found.session.flash_next(for_request(request)("marked_referred", id=case_id))
    return RedirectResponse("/console/child-safety", status_code=303)
