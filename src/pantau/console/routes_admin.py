"""Admin and audit pages: users and tokens, versions in force, webhook delivery health, the audit log.

Roles as in /v1: the admin page is for admins; the audit log for auditors and admins. A new
user's token is shown once, on the page that answers the form, and stored only as a hash.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from pantau import audit
from pantau.actions import retry_failed
from pantau.api.routes_review import RowId
from pantau.auth import Role, add_user
from pantau.console.deps import ConsoleRoute, Form, State, Viewer, allow
from pantau.console.i18n import for_request
from pantau.console.render import page
from pantau.errors import InputError, NotFoundError
from pantau.store.db import transaction
from pantau.store.schema import AuditEntry, User, WebhookDelivery

router = APIRouter(prefix="/console", route_class=ConsoleRoute)
Admin = Annotated[Viewer, Depends(allow(Role.ADMIN))]
Auditor = Annotated[Viewer, Depends(allow(Role.AUDITOR, Role.ADMIN))]
AUDIT_PAGE = 100


def _webhooks(db: Session) -> dict[str, Any]:
    by_status = dict(db.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all())
    oldest = db.execute(select(func.min(WebhookDelivery.next_attempt_at))
                        .where(WebhookDelivery.status == "pending")).scalar()
    delivered = db.execute(select(func.max(WebhookDelivery.delivered_at))).scalar()
    error = db.execute(select(WebhookDelivery.last_error).where(WebhookDelivery.last_error.is_not(None))
                       .order_by(WebhookDelivery.id.desc()).limit(1)).scalar()
    return {"counts": {s: by_status.get(s, 0) for s in ("pending", "delivered", "failed")}, "oldest_pending": oldest,
            "last_delivered": delivered, "last_error": error}


def _admin_page(request: Request, st: State, found: Viewer, *, token: str = "", token_for: str = ""
                ) -> Response:
    with transaction(st.sessions) as db:
        users = list(db.execute(select(User).order_by(User.id)).scalars())
        return page(request, "admin.html", who=found.who, csrf=found.csrf, flash=found.session.take_flash(),
                    users=users, roles=[r.value for r in Role], versions=st.pipeline.versions,
                    policy=st.pipeline.policy.version, webhooks=_webhooks(db), webhook_url=st.settings.webhook_url,
                    token=token, token_for=token_for)


@router.get("/admin", summary="Users and tokens, versions in force, webhook delivery health")
def admin_page(request: Request, st: State, found: Admin) -> Response:
    return _admin_page(request, st, found)


@router.post("/admin/users", summary="Add a user; the token is shown once")
def create_user(request: Request, st: State, found: Admin, form: Form) -> Response:
    name, role = form.get("name", "").strip(), form.get("role", "")
    if role not in {r.value for r in Role} or not 1 <= len(name) <= 100:
        raise InputError("a name (1–100 characters) and one of the roles are required")
    scopes = [r.strip() for r in form.get("regions", "").split(",") if r.strip()]
    with transaction(st.sessions) as db:
        token = add_user(db, name, Role(role), scopes)
        audit.record(db, found.who.actor, "user.create.console", f"user:{name}", {"role": role, "regions": scopes})
    return _admin_page(request, st, found, token=token, token_for=name)


@router.post("/admin/users/{user_id}/toggle", summary="Disable or enable a user (their sessions end at once)")
def toggle_user(request: Request, user_id: RowId, st: State, found: Admin, _: Form) -> Response:
    with transaction(st.sessions) as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFoundError(f"user {user_id} does not exist")
        user.disabled = not user.disabled
        audit.record(db, found.who.actor, "user.disable" if user.disabled else "user.enable", f"user:{user.id}", {})
        name = user.name
    st.forget_tokens()  # the API's token cache: here at once; other server processes within TOKEN_CACHE_SECONDS
    found.session.flash_next(for_request(request)("user_updated", name=name))
    return RedirectResponse("/console/admin", status_code=303)


@router.post("/admin/webhooks/retry", summary="Send every failed webhook delivery again")
def retry_webhooks(request: Request, st: State, found: Admin, _: Form) -> Response:
    with transaction(st.sessions) as db:
        queued = retry_failed(db, found.who.actor)
    found.session.flash_next(for_request(request)("webhooks_queued", n=queued))
    return RedirectResponse("/console/admin", status_code=303)


@router.get("/audit", summary="The audit log, newest first, with the hash chain checked")
def audit_page(request: Request, st: State, found: Auditor,
               before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None) -> Response:
    with transaction(st.sessions) as db:
        query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(AUDIT_PAGE)
        if before is not None:
            query = query.where(AuditEntry.seq < before)
        entries = list(db.execute(query).scalars())
        return page(request, "audit.html", who=found.who, csrf=found.csrf, entries=entries,
                    check=audit.verify(db), before=before,
                    older=entries[-1].seq if len(entries) == AUDIT_PAGE else None)
