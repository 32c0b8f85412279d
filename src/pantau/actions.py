"""Actions against accounts, their statements of reasons, and signed webhook delivery.

An action is written together with a webhook delivery row (an outbox) in the caller's
transaction; ``deliver_pending`` sends due deliveries after commit, signs each body with
HMAC-SHA256 over ``"{timestamp}.{body}"``, retries with exponential back-off, and logs every
attempt. Delivery is at-least-once: the receiver de-duplicates on ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from pantau import audit
from pantau.config import Settings
from pantau.regions import WIB
from pantau.store.schema import ActionRecord, Case, WebhookDelivery, as_utc

log = logging.getLogger(__name__)

ACTION_TYPES = ("hide_nearby", "warn", "suspend", "escalate_child_safety", "restore")
# Sending is retried with back-off (2, 4, 8 … seconds, at most an hour apart) for about 29 hours
# (40 attempts) before a delivery is marked failed; `pantau webhooks retry` or the console's admin page
# sends failed ones again.
MAX_ATTEMPTS = 40
SIGNATURE_HEADER = "X-Pantau-Signature"

_WHAT = {
    "hide_nearby": ("Akun disembunyikan dari daftar orang di sekitar (Sekitar) sampai {ends}.",
                    "The account is hidden from the nearby list until {ends}."),
    "warn": ("Akun menerima peringatan.", "The account receives a warning."),
    "suspend": ("Akun ditangguhkan.", "The account is suspended."),
    # What the account holder reads says nothing of child protection: the notice must not warn whoever
    # may be exploiting the child (the referral package's guidance says the same). The platform learns
    # it from the action's type and the webhook's ``platform_note``, which stands beside the statement.
    "escalate_child_safety": (
        "Akun dibatasi dan disembunyikan dari daftar orang di sekitar (Sekitar) selama peninjauan keamanan.",
        "The account is restricted and hidden from the nearby list during a safety review.",
    ),
    "restore": ("Pembatasan sebelumnya dicabut dan akun dipulihkan.",
                "The earlier restriction is lifted and the account restored."),
}


_HOW = {
    "automated": ("Dideteksi dan diputuskan secara otomatis oleh pantau; belum ditinjau manusia.",
                  "Detected and decided by automated means (pantau); not yet reviewed by a person."),
    "reviewed": ("Dideteksi secara otomatis; keputusan diambil oleh peninjau manusia.",
                 "Detected by automated means; decided by a human reviewer."),
    "human": ("Diputuskan oleh peninjau manusia.", "Decided by a human reviewer."),
}


SAFETY_REVIEW_FACT = "Peninjauan keamanan sedang berlangsung. / A safety review is under way."
SAFETY_REVIEW_DONE = "Peninjauan keamanan selesai. / The safety review is complete."
# In a child-safety case whose account was never told of a safety review (an officer's review of mild words,
# "umurku 14, bisa temenin"): no reviewer's words, and no word of a safety review either.
REVIEWED_FACT = "Ditinjau oleh peninjau. / Reviewed by a reviewer."
PLATFORM_NOTE = {
    "id": "Untuk tim keamanan platform, jangan diteruskan ke akun: kasus ini diteruskan ke petugas perlindungan "
          "anak karena ada tanda seorang anak mungkin dieksploitasi. Anak diperlakukan sebagai korban. Jangan "
          "menghubungi akun tentang rujukan ini.",
    "en": "For the platform's safety team, not for the account: this case is referred to a child-protection "
          "officer because there are signs that a child may be exploited. The child is treated as a victim. Do "
          "not contact the account about the referral.",
}
_NO_REDRESS = ("Tidak ada yang perlu diajukan: pembatasan sudah dicabut.",
               "There is nothing to appeal: the restriction has been lifted.")


def statement_of_reasons(action: str, *, automated: bool, rule: str, policy_version: str,
                         facts: Sequence[str], ends_at: datetime | None, reviewed: bool) -> dict[str, Any]:
    """DSA Art. 17-style statement in Bahasa Indonesia and English, written for the account holder.
    A child-safety escalation's facts stay with pantau and the referral (the account reads only that
    a safety review is under way); a restoration offers no appeal, since there is nothing to appeal."""
    ends = f"{ends_at.astimezone(WIB):%Y-%m-%d %H:%M} WIB" if ends_at else "-"
    what_id, what_en = (text.format(ends=ends) for text in _WHAT[action])
    escalation = action == "escalate_child_safety"
    fact_list = [SAFETY_REVIEW_FACT] if escalation else list(facts) or ["-"]
    rule = "safety-review" if escalation else rule  # the rule's own name ("child-safety") would tell
    how_id, how_en = _HOW["reviewed" if reviewed else "automated" if automated else "human"]
    statement: dict[str, Any] = {
        "id": {
            "keputusan": what_id,
            "fakta": fact_list,
            "otomatis": how_id,
            "dasar": f"Kebijakan pantau versi {policy_version}, aturan {rule}; ketentuan layanan platform tentang "
                     "penawaran seks komersial dan eksploitasi anak.",
            "keberatan": "Anda dapat mengajukan keberatan melalui menu bantuan aplikasi dalam 6 bulan. Keberatan "
                         "ditinjau oleh peninjau lain yang tidak mengambil keputusan ini.",
        },
        "en": {
            "decision": what_en,
            "facts": fact_list,
            "automated": how_en,
            "ground": f"pantau policy version {policy_version}, rule {rule}; the platform's terms on commercial-sex "
                      "offers and child exploitation.",
            "redress": "You can appeal through the app's help menu within 6 months. An appeal is reviewed by a "
                       "different reviewer from the one who made this decision.",
        },
        "automated_detection": True,
        "automated_decision": automated and not reviewed,
        "ends_at": ends_at.isoformat() if ends_at else None,
    }
    if action == "restore":
        statement["id"]["keberatan"], statement["en"]["redress"] = _NO_REDRESS
    return statement


@dataclass(frozen=True)
class ActionSpec:
    """One action to take: who it is against, what, why, and on which rule."""

    account_id: str
    case_id: int | None
    action: str
    automated: bool
    decided_by: int | None
    rule: str
    policy_version: str
    facts: Sequence[str]
    ends_at: datetime | None = None
    source_event_id: str | None = None
    reviewed: bool = False
    lifts: tuple[int, ...] = ()  # a restore: the actions it lifts (named in the webhook)


def take_action(session: Session, *, actor: str, **spec: Any) -> ActionRecord:
    """Record an action and queue its webhook, in the caller's transaction."""
    return take_actions(session, actor, [ActionSpec(**spec)])[0]


_CHILD_CASES = select(Case.__table__.c.id).where(  # built once: every batch that acts runs it
    Case.__table__.c.id.in_(bindparam("ids", expanding=True)), Case.__table__.c.child_safety.is_(True))


def take_actions(session: Session, actor: str, specs: Sequence[ActionSpec], now: datetime | None = None
                 ) -> list[ActionRecord]:
    """Record actions and queue their webhooks, in the caller's transaction (one flush for all).
    ``now``: when they were decided (default: the clock; ``ingest_batch`` passes its own)."""
    if not specs:  # most batches take none: no flush, no look-up
        return []
    for spec in specs:
        if spec.action not in ACTION_TYPES:
            raise ValueError(f"unknown action {spec.action!r}")
    now = now or datetime.now(UTC)
    records = [ActionRecord(
        case_id=s.case_id, account_id=s.account_id, type=s.action, automated=s.automated and not s.reviewed,
        decided_by=s.decided_by, rule=s.rule, created_at=now, ends_at=s.ends_at, source_event_id=s.source_event_id,
        statement=statement_of_reasons(s.action, automated=s.automated, rule=s.rule, policy_version=s.policy_version,
                                       facts=s.facts, ends_at=s.ends_at, reviewed=s.reviewed),
    ) for s in specs]
    session.add_all(records)
    session.flush()  # the records have ids, which the webhooks and the audit name
    case_ids = {r.case_id for r in records if r.case_id is not None}
    child_cases = set(session.connection().execute(_CHILD_CASES, {"ids": list(case_ids)}).scalars()) \
        if case_ids else set()
    for record, spec in zip(records, specs, strict=True):
        body: dict[str, Any] = {
            "type": "pantau.action", "action_id": record.id,
            "account_id": record.account_id, "action": record.type, "case_id": record.case_id,
            "automated": record.automated, "ends_at": record.statement["ends_at"], "created_at": now.isoformat(),
            "statement_of_reasons": record.statement,
        }
        if record.type == "restore":
            body["lifts_action_ids"] = list(spec.lifts)
        if record.type == "escalate_child_safety" or record.case_id in child_cases:  # beside the statement, never in
            body["platform_note"] = dict(PLATFORM_NOTE)
        queue_webhook(session, record.id, f"pantau-action-{record.id}", body, now)
        audit.record(session, actor, "action.take", f"action:{record.id}",
                     {"action": record.type, "account": record.account_id, "case": record.case_id,
                      "automated": record.automated})
    return records


def queue_webhook(session: Session, action_id: int, key_prefix: str, body: dict[str, Any], now: datetime) -> None:
    """Put one webhook in the outbox (sent after commit, in order per account: ``deliver_pending``)."""
    key = f"{key_prefix}-{uuid.uuid4().hex[:12]}"
    text = json.dumps({**body, "idempotency_key": key}, ensure_ascii=False, sort_keys=True)
    session.add(WebhookDelivery(action_id=action_id, idempotency_key=key, body=text, status="pending", attempts=0,
                                next_attempt_at=now))


_UPHELD = ("Keberatan Anda telah ditinjau oleh peninjau lain yang tidak mengambil keputusan awal. Keputusan "
           "tetap berlaku.",
           "Your appeal was reviewed by a reviewer who did not make the original decision. The decision stands.")
_AFTER_APPEAL = ("Keberatan ini sudah diputuskan. Jika tidak setuju, Anda dapat menempuh penyelesaian sengketa "
                 "sesuai ketentuan layanan platform atau melapor ke instansi yang berwenang.",
                 "This appeal has been decided. If you disagree, you can use the out-of-court dispute settlement "
                 "in the platform's terms or complain to the competent authority.")


def notify_appeal_upheld(session: Session, appeal_id: int, action: ActionRecord, reason: str, *,
                         child_safety: bool, told: bool = True) -> None:
    """Tell the platform (for the account holder) that an appeal was decided and the action stands:
    the reviewer's reason as the fact, or in a child-safety case only that a safety review is under way
    (``told``: the account was told of one) or that a reviewer looked."""
    now = datetime.now(UTC)
    fact = (SAFETY_REVIEW_FACT if told else REVIEWED_FACT) if child_safety else f"Peninjau / reviewer: {reason}"
    statement = {
        "id": {"keputusan": _UPHELD[0], "fakta": [fact], "otomatis": _HOW["human"][0], "keberatan": _AFTER_APPEAL[0]},
        "en": {"decision": _UPHELD[1], "facts": [fact], "automated": _HOW["human"][1], "redress": _AFTER_APPEAL[1]},
        "automated_detection": True, "automated_decision": False,
    }
    body: dict[str, Any] = {
        "type": "pantau.appeal_decision", "appeal_id": appeal_id, "action_id": action.id,
        "account_id": action.account_id, "action": action.type, "case_id": action.case_id, "outcome": "upheld",
        "created_at": now.isoformat(), "statement_of_reasons": statement,
    }
    if child_safety:
        body["platform_note"] = dict(PLATFORM_NOTE)
    queue_webhook(session, action.id, f"pantau-appeal-{appeal_id}", body, now)


def sign(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: str, tolerance: int = 300, now: int | None = None) -> bool:
    """For receivers (and tests): the signature matches and is fresh."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or int(time.time())) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** attempts, 3600))


SEND_TIMEOUT = 10.0  # seconds per phase of a webhook request (connect, write, each read)
CLAIM_SECONDS = 120  # a claimed delivery is left to its sender this long (well past a slow send's phases)


def deliver_pending(sessions: sessionmaker[Session], settings: Settings, *, limit: int = 100,
                    client: httpx.Client | None = None) -> int:
    """Send due deliveries; returns how many were delivered. Safe to run from several processes.

    What lifts and what restricts reach the platform in the order they were taken
    (``_earlier_undelivered``). Each delivery is claimed in a short transaction (its next attempt
    moved ``CLAIM_SECONDS`` ahead, so no other sender takes it), sent with no transaction open, and
    its outcome recorded in a second short one: a slow receiver never holds the database (on
    SQLite, its only write lock). A sender that dies between claim and record leaves the delivery to
    be sent again once the claim lapses, with the same idempotency key (at least once).
    """
    if not settings.webhook_url or settings.webhook_secret is None:
        return 0
    secret = settings.webhook_secret.get_secret_value()
    delivered = tried = 0
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(SEND_TIMEOUT))
    try:
        while tried < limit:  # again after a pass that delivered: an account's next action is due now
            with sessions() as session, session.begin():
                due = session.execute(_due(datetime.now(UTC)).limit(limit - tried)).scalars().all()
            sent_now = 0
            for delivery_id in due:
                tried += 1
                sent_now += _send(sessions, settings.webhook_url, secret, http, delivery_id)
            delivered += sent_now
            if not sent_now:
                break
    finally:
        if own:
            http.close()
    return delivered


def _send(sessions: sessionmaker[Session], url: str, secret: str, http: httpx.Client, delivery_id: int) -> int:
    """Claim, send and record one delivery; 1 if the receiver accepted it."""
    claimed = _claim(sessions, delivery_id)
    if claimed is None:
        return 0  # another process has it, or it is no longer due
    body, key, attempts = claimed
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, timestamp, body),
               "Idempotency-Key": key}
    try:
        response = http.post(url, content=body.encode(), headers=headers)
        ok = 200 <= response.status_code < 300
        status = response.status_code
        error = None if ok else f"HTTP {status}: {response.text.strip()}"[:500]
    except httpx.HTTPError as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    return _record(sessions, delivery_id, attempts, status, error)


def _earlier_undelivered() -> Any:
    """An earlier delivery for the same account that has not arrived (pending, or failed for good)
    and must arrive first, as an EXISTS over ``WebhookDelivery``'s row: a ``restore`` waits for
    everything before it, and everything waits for a ``restore`` before it — what lifts and what
    restricts must not change places. Restrictions among themselves need no order, so a hide the
    receiver keeps refusing never holds back a later escalation."""
    earlier = aliased(WebhookDelivery)
    earlier_action = aliased(ActionRecord)
    return (select(earlier.id).join(earlier_action, earlier_action.id == earlier.action_id)
            .where(earlier_action.account_id == ActionRecord.account_id, earlier.status.in_(("pending", "failed")),
                   earlier.id < WebhookDelivery.id,
                   or_(ActionRecord.type == "restore", earlier_action.type == "restore"))).exists()


def _due(now: datetime) -> Select[tuple[int]]:
    """Pending deliveries due by ``now`` with no earlier undelivered one for the same account."""
    return (select(WebhookDelivery.id).join(ActionRecord, ActionRecord.id == WebhookDelivery.action_id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                   ~_earlier_undelivered())
            .order_by(WebhookDelivery.id))


def retry_failed(session: Session, actor: str, ids: Sequence[int] = ()) -> int:
    """Send failed deliveries again (all of them, or those of ``ids``), from a first attempt; audited.
    Returns how many were queued."""
    query = select(WebhookDelivery).where(WebhookDelivery.status == "failed")
    if ids:
        query = query.where(WebhookDelivery.id.in_(ids))
    rows = list(session.execute(query.order_by(WebhookDelivery.id).with_for_update()).scalars())
    now = datetime.now(UTC)
    for d in rows:
        d.status, d.attempts, d.next_attempt_at = "pending", 0, now
    if rows:
        audit.record(session, actor, "webhook.retry", "webhooks", {"deliveries": [d.id for d in rows]})
    return len(rows)


def _claim(sessions: sessionmaker[Session], delivery_id: int) -> tuple[str, str, int] | None:
    """Take a due delivery for sending: (body, idempotency key, this attempt's number), or None."""
    with sessions() as session, session.begin():
        d = session.execute(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
                            .with_for_update(skip_locked=True)).scalar()
        now = datetime.now(UTC)
        if d is None or d.status != "pending" or as_utc(d.next_attempt_at) > now:
            return None
        blocked = session.execute(select(WebhookDelivery.id).join(
            ActionRecord, ActionRecord.id == WebhookDelivery.action_id)
            .where(WebhookDelivery.id == delivery_id, _earlier_undelivered())).first()
        if blocked is not None:  # an earlier one was sent again since the list was made: it goes first
            return None
        d.attempts += 1
        d.next_attempt_at = now + timedelta(seconds=CLAIM_SECONDS)
        return d.body, d.idempotency_key, d.attempts


def _record(sessions: sessionmaker[Session], delivery_id: int, attempts: int, status: int | None,
            error: str | None) -> int:
    """Write a sending's outcome; 1 if it was delivered."""
    ok = status is not None and error is None
    with sessions() as session, session.begin():
        d = session.execute(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()).scalar()
        if d is None or d.status != "pending" or d.attempts != attempts:
            return 0  # the claim lapsed and another sender has taken it since: its outcome stands
        d.last_status, d.last_error = status, error
        if not ok:  # a receiver that refuses or is down shows in the logs at once, not after ~29 hours
            log.warning("webhook delivery %d (attempt %d) not accepted: %s", delivery_id, attempts, error)
        if ok:
            d.status, d.delivered_at = "delivered", datetime.now(UTC)
        elif attempts >= MAX_ATTEMPTS:
            d.status = "failed"
        else:
            d.next_attempt_at = datetime.now(UTC) + backoff(attempts)
    return int(ok)


def delivery_loop(sessions: sessionmaker[Session], settings: Settings, stop: threading.Event) -> None:
    """Background webhook delivery (API and workers): due deliveries are sent about once a second."""
    while not stop.wait(1.0):
        try:
            deliver_pending(sessions, settings)
        except Exception:  # a failed round is retried next second; never kill the process
            log.exception("webhook delivery round failed")


def start_delivery(sessions: sessionmaker[Session], settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """Run ``delivery_loop`` in a daemon thread; set the returned event (and join) to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=delivery_loop, args=(sessions, settings, stop), name="webhooks", daemon=True)
    thread.start()
    return thread, stop
