"""The audit log, read-only, for auditors and admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select

from pantau import audit
from pantau.api.deps import DB, require
from pantau.auth import Principal, Role
from pantau.store.schema import AuditEntry, as_utc

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require(Role.AUDITOR, Role.ADMIN))]


@router.get("", summary="Audit entries, newest first")
def list_entries(who: Auditor, session: DB, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    return [
        {"seq": e.seq, "at": as_utc(e.at).isoformat(), "actor": e.actor, "action": e.action, "subject": e.subject,
         "details": e.details, "hash": e.hash}
        for e in session.execute(query).scalars()
    ]


@router.get("/verify", summary="Check the hash chain end to end")
def verify(who: Auditor, session: DB) -> dict[str, Any]:
    result = audit.verify(session)
    return {"ok": result.ok, "entries": result.entries, "first_bad_seq": result.first_bad_seq,
            "problem": result.problem, "head": result.head if result.ok else None}
