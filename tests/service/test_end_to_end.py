"""The whole path a platform's safety team uses, against a real webhook receiver over HTTP:

a profile with "open BO 300 include room" is hidden from nearby and queued; a moderator claims and
confirms; the receiver gets correctly signed actions with statements of reasons; an appeal is
reviewed by another moderator and restores the account; the audit log verifies; replaying every
event changes nothing.
"""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from pantau.actions import SIGNATURE_HEADER, deliver_pending, verify_signature
from pantau.auth import Role, add_user
from pantau.config import Settings
from pantau.pipeline import Pipeline
from pantau.store.db import WriterQueue, transaction
from pantau.store.schema import ActionRecord, AuditEntry, Case, Event, WebhookDelivery
from tests.service.conftest import Service
from tests.webhooks import Receiver

NOW = "2026-11-29T07:00:00+07:00"


def test_platform_end_to_end(settings: Settings, pipeline: Pipeline, receiver: Receiver) -> None:
    settings = settings.model_copy(update={"webhook_url": receiver.url})
    svc = Service(settings, pipeline)
    with transaction(svc.sessions) as session:
        second_moderator = add_user(session, "moderator-two", Role.MODERATOR)
    platform, mod_a = svc.headers(Role.PLATFORM), svc.headers(Role.MODERATOR)
    mod_b = {"Authorization": f"Bearer {second_moderator}"}
    events = [
        {"event_id": "p-1", "kind": "profile", "occurred_at": NOW, "account_id": "acc-42", "display_name": "Ayu",
         "status": "open BO 300 include room"},
        {"event_id": "p-2", "kind": "profile", "occurred_at": NOW, "account_id": "acc-43", "display_name": "Rina",
         "status": "jual gamis, open PO, COD area Malang"},
    ]

    # 1. ingest: hidden from nearby and queued
    decisions = svc.client.post("/v1/events/batch", json={"events": events}, headers=platform).json()["decisions"]
    assert decisions[0]["action"] == "hide_nearby" and decisions[0]["case_id"] is not None
    assert decisions[1]["action"] == "allow"
    queue = svc.client.get("/v1/cases", headers=mod_a).json()
    assert [c["account_id"] for c in queue] == ["acc-42"]
    case_id = queue[0]["id"]

    # 2. claim: a lock the other moderator cannot take
    assert svc.client.post(f"/v1/cases/{case_id}/claim", headers=mod_a).json()["claimed_by_me"] is True
    taken = svc.client.post(f"/v1/cases/{case_id}/claim", headers=mod_b)
    assert taken.status_code == 409 and "someone else" in taken.json()["error"]
    detail = svc.client.get(f"/v1/cases/{case_id}", headers=mod_a).json()
    assert detail["events"][0]["text"] == "Ayu\nopen BO 300 include room"
    assert any(s["text"] == "open BO" for s in detail["events"][0]["signals"])

    # 3. confirm with a reason; the case leaves the queue
    r = svc.client.post(f"/v1/cases/{case_id}/decide", headers=mod_a,
                        json={"decision": "confirm", "action": "hide_nearby", "reason": "menawarkan BO dengan tarif"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed"
    assert svc.client.get("/v1/cases", headers=mod_a).json() == []

    # 4. webhooks: signed, with statements of reasons, retried after a failure
    receiver.fail_next = 1
    deliver_pending(svc.sessions, settings)  # first attempt of the first delivery gets a 503
    with svc.sessions() as session:
        retried = session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)).scalars().first()
        assert retried is not None and retried.attempts == 1 and retried.last_status == 503
        retried_id = retried.id
    with transaction(svc.sessions) as session:  # fast-forward the back-off
        row = session.get(WebhookDelivery, retried_id)
        assert row is not None
        row.next_attempt_at = row.next_attempt_at.replace(year=2000)
    deliver_pending(svc.sessions, settings)
    sent = sorted(receiver.actions(), key=lambda a: a["action_id"])  # the retried one arrived last
    assert [a["action"] for a in sent] == ["hide_nearby", "hide_nearby"]
    secret = settings.webhook_secret.get_secret_value()  # type: ignore[union-attr]
    for headers, body in receiver.calls:
        assert verify_signature(secret, headers[SIGNATURE_HEADER], body)
        assert headers["Idempotency-Key"] == json.loads(body)["idempotency_key"]
        statement = json.loads(body)["statement_of_reasons"]
        assert {"keputusan", "fakta", "otomatis", "dasar", "keberatan"} <= set(statement["id"])
        assert {"decision", "facts", "automated", "ground", "redress"} <= set(statement["en"])
    assert sent[0]["statement_of_reasons"]["automated_decision"] is True
    assert sent[1]["statement_of_reasons"]["automated_decision"] is False
    assert not verify_signature("wrong-secret-xxxxxxxx", receiver.calls[0][0][SIGNATURE_HEADER],
                                receiver.calls[0][1])

    # 5. appeal: never shown to, nor decided by, the moderator who decided; another restores
    confirmed = sent[1]["action_id"]
    appeal = svc.client.post("/v1/appeals", headers=platform,
                             json={"action_id": confirmed, "account_id": "acc-42", "statement": "Saya tidak begitu"})
    assert appeal.status_code == 200, appeal.text
    appeal_id = appeal.json()["id"]
    assert svc.client.get("/v1/appeals", headers=mod_a).json() == []
    assert svc.client.post(f"/v1/appeals/{appeal_id}/decide", headers=mod_a,
                           json={"outcome": "restore", "reason": "x"}).status_code == 403
    assert [a["id"] for a in svc.client.get("/v1/appeals", headers=mod_b).json()] == [appeal_id]
    restored = svc.client.post(f"/v1/appeals/{appeal_id}/decide", headers=mod_b,
                               json={"outcome": "restore", "reason": "konteks: akun lain yang menyalin status"})
    assert restored.json()["status"] == "restored"
    deliver_pending(svc.sessions, settings)
    assert receiver.actions()[-1]["action"] == "restore"
    assert len({h["Idempotency-Key"] for h, _ in receiver.calls}) == len(receiver.calls) == 3

    # 6. the audit log verifies
    verdict = svc.client.get("/v1/audit/verify", headers=svc.headers(Role.AUDITOR)).json()
    assert verdict["ok"] is True

    # 7. replaying every event changes nothing
    def counts() -> dict[str, int]:
        with svc.sessions() as session:
            return {t.__name__: session.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (Event, Case, ActionRecord, WebhookDelivery, AuditEntry)}

    before = counts()
    again = svc.client.post("/v1/events/batch", json={"events": events}, headers=platform).json()["decisions"]
    assert all(d["replayed"] for d in again)
    assert counts() == before
    deliver_pending(svc.sessions, settings)
    assert len(receiver.calls) == 3


def test_child_offer_creates_a_frozen_escalation_record(service: Service) -> None:
    ev = {"event_id": "c-1", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-9",
          "text": "ABG 15th masih SMP, ready ST 500"}
    d = service.client.post("/v1/events", json=ev, headers=service.headers(Role.PLATFORM)).json()
    assert d["action"] == "escalate_child_safety"
    records = service.client.get("/v1/child-safety", headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    assert [r["case_id"] for r in records] == [d["case_id"]]
    created, until = records[0]["created_at"], records[0]["retention_until"]
    assert int(until[:4]) * 12 + int(until[5:7]) - int(created[:4]) * 12 - int(created[5:7]) == 12  # one year
    _offer_case(service, "o-cs", "acc-o-cs")
    queue = service.client.get("/v1/cases", headers=service.headers(Role.ADMIN)).json()
    assert [c["child_safety"] for c in queue] == [True, False]  # child safety first in the queue
    officer = service.client.get("/v1/cases", headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    moderator = service.client.get("/v1/cases", headers=service.headers(Role.MODERATOR))
    assert [c["id"] for c in officer] == [d["case_id"]]
    assert d["case_id"] not in [c["id"] for c in moderator.json()] and moderator.headers["X-Total-Count"] == "1"


def test_frozen_evidence_cannot_be_deleted(service: Service) -> None:
    from pantau.store.schema import FrozenEvidenceError

    ev = {"event_id": "c-2", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-10",
          "text": "dedek 14th bisa VCS 100k"}
    assert service.client.post("/v1/events", json=ev, headers=service.headers(Role.PLATFORM)).json()[
        "action"] == "escalate_child_safety"
    with pytest.raises(FrozenEvidenceError, match="frozen against deletion"), transaction(service.sessions) as s:
        stored = s.get(Event, "c-2")
        s.delete(stored)
    with service.sessions() as s:
        assert s.get(Event, "c-2") is not None


def test_reviewed_texts_export_as_labels(service: Service) -> None:
    from pantau.review import labelled_rows

    h = service.headers(Role.MODERATOR)
    for i, status in enumerate(["open BO 300 include room", "vcs 100k ya kak"]):
        ev = {"event_id": f"l-{i}", "kind": "status_post", "occurred_at": NOW, "account_id": f"acc-l{i}",
              "text": status}
        case_id = service.client.post("/v1/events", json=ev, headers=service.headers(Role.PLATFORM)).json()["case_id"]
        service.client.post(f"/v1/cases/{case_id}/claim", headers=h)
        decision = {"decision": "confirm", "action": "suspend", "reason": "offer"} if i == 0 else \
            {"decision": "dismiss", "reason": "teman bercanda"}
        assert service.client.post(f"/v1/cases/{case_id}/decide", headers=h, json=decision).status_code == 200
    with service.sessions() as s:
        rows = sorted(labelled_rows(s), key=lambda r: r["label"])
    assert [(r["text"], r["label"]) for r in rows] == [("vcs 100k ya kak", 0), ("open BO 300 include room", 1)]
    assert all(set(r) == {"text", "label", "category"} for r in rows)


def test_referral_package_exports_and_is_audited(service: Service) -> None:
    from pantau.referral import verify_referral_json

    ev = {"event_id": "c-3", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-11",
          "text": "ready 𝐀𝐁𝐆 15th pulang sekolah, ST 400", "region_code": "35.73.05"}
    case_id = service.client.post("/v1/events", json=ev, headers=service.headers(Role.PLATFORM)).json()["case_id"]
    officer = service.headers(Role.CHILD_SAFETY_OFFICER)
    doc = service.client.get(f"/v1/child-safety/{case_id}/referral.json", headers=officer).json()
    assert verify_referral_json(doc) == []
    assert "SAPA 129" in json.dumps(doc, ensure_ascii=False)
    pdf = service.client.get(f"/v1/child-safety/{case_id}/referral.pdf", headers=officer)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert service.client.get(f"/v1/child-safety/{case_id}/referral.pdf",
                              headers=service.headers(Role.MODERATOR)).status_code == 403
    records = service.client.get("/v1/child-safety", headers=officer).json()
    # downloading is not referring: the record stays open until an officer marks it, naming the channel
    assert records[0]["status"] == "open" and records[0]["exported_at"] is not None
    marked = service.client.post(f"/v1/child-safety/{case_id}/referred", headers=officer,
                                 json={"channel": "SAPA 129"})
    assert marked.status_code == 200 and marked.json()["status"] == "referred"
    assert marked.json()["referred_via"] == "SAPA 129" and marked.json()["referred_at"] is not None
    again = service.client.post(f"/v1/child-safety/{case_id}/referred", headers=officer, json={"channel": "x"})
    assert again.status_code == 409 and "already marked referred" in again.json()["error"]
    assert service.client.post(f"/v1/child-safety/{case_id}/referred", headers=service.headers(Role.MODERATOR),
                               json={"channel": "x"}).status_code == 403
    entries = service.client.get("/v1/audit", headers=service.headers(Role.AUDITOR)).json()
    exports = [e for e in entries if e["action"] == "child_safety.export"]
    assert len(exports) == 2 and exports[0]["details"]["package_sha256"] == doc["integrity"]["package_sha256"]
    assert [e["details"] for e in entries if e["action"] == "child_safety.referred"] == [{"channel": "SAPA 129"}]


def test_a_slow_webhook_receiver_does_not_hold_up_ingest(settings: Settings, pipeline: Pipeline,
                                                         receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    """A delivery is sent with no transaction open: while the receiver takes its time, events are
    still stored (on SQLite a transaction left open would hold the only write lock)."""
    monkeypatch.setattr(WriterQueue, "TIMEOUT", 5.0)  # a blocked writer would fail in 5 s, not hang 30
    settings = settings.model_copy(update={"webhook_url": receiver.url})
    svc = Service(settings, pipeline)
    platform = svc.headers(Role.PLATFORM)
    offer = {"event_id": "w-1", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-7",
             "text": "open BO 300 include room"}
    assert svc.client.post("/v1/events", json=offer, headers=platform).json()["action"] == "hide_nearby"
    receiver.hold = threading.Event()
    sending = threading.Thread(target=deliver_pending, args=(svc.sessions, settings))
    sending.start()
    try:
        assert receiver.arrived.wait(timeout=30)
        later = {"event_id": "w-2", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-8",
                 "text": "cari teman ngopi sore"}
        r = svc.client.post("/v1/events", json=later, headers=platform)
        assert r.status_code == 200, r.text
        assert sending.is_alive()  # the receiver is still holding the delivery's request
    finally:
        receiver.hold.set()
        sending.join(timeout=30)
    with svc.sessions() as session:
        [delivery] = session.execute(select(WebhookDelivery)).scalars().all()
        assert (delivery.status, delivery.attempts) == ("delivered", 1)


def _case_of(service: Service, event_id: str, account: str, text: str, action: str) -> int:
    """The case of one status post that the pipeline answered with ``action``."""
    ev = {"event_id": event_id, "kind": "status_post", "occurred_at": NOW, "account_id": account, "text": text}
    d = service.client.post("/v1/events", json=ev, headers=service.headers(Role.PLATFORM)).json()
    assert d["action"] == action
    return int(d["case_id"])


def _child_case(service: Service, event_id: str, account: str) -> int:
    child = "open bo adik masih 15 thn sma kelas 1, ST 500"
    return _case_of(service, event_id, account, child, "escalate_child_safety")


def _offer_case(service: Service, event_id: str, account: str) -> int:
    return _case_of(service, event_id, account, "open BO 300 include room", "hide_nearby")


def test_only_a_child_protection_officer_works_a_child_safety_case(service: Service) -> None:
    """A moderator can neither claim, decide nor read a child-safety case (a moderator's "hide from
    nearby" had closed one and replaced the escalation's open-ended restriction with a seven-day
    one); the officer's dismissal closes the escalation record with the case."""
    case_id = _child_case(service, "cs-1", "acc-cs1")
    moderator, officer = service.headers(Role.MODERATOR), service.headers(Role.CHILD_SAFETY_OFFICER)
    # 404 like reading it: a 403 would tell which cases are child-safety cases
    refused = service.client.post(f"/v1/cases/{case_id}/claim", headers=moderator)
    assert refused.status_code == 404
    refused = service.client.post(f"/v1/cases/{case_id}/decide", headers=moderator,
                                  json={"decision": "dismiss", "reason": "bercanda"})
    assert refused.status_code == 404
    assert service.client.get(f"/v1/cases/{case_id}", headers=moderator).status_code == 404
    assert service.client.post(f"/v1/cases/{case_id}/claim", headers=officer).status_code == 200
    hide = service.client.post(f"/v1/cases/{case_id}/decide", headers=officer,
                               json={"decision": "confirm", "action": "hide_nearby", "reason": "x"})
    assert hide.status_code == 400 and "no end date" in hide.json()["error"]
    assert service.client.post(f"/v1/cases/{case_id}/decide", headers=officer,
                               json={"decision": "dismiss", "reason": "tidak ada anak / no child"}).status_code == 200
    records = service.client.get("/v1/child-safety", headers=officer).json()
    assert [(r["case_id"], r["status"]) for r in records] == [(case_id, "dismissed")]
    from pantau.actions import SAFETY_REVIEW_DONE

    restore = next(a for a in service.client.get(f"/v1/cases/{case_id}", headers=officer).json()["actions"]
                   if a["type"] == "restore")
    assert restore["statement"]["en"]["facts"] == [SAFETY_REVIEW_DONE]  # lifted: the review is over


def test_a_decision_that_contradicts_itself_is_refused(service: Service) -> None:
    case_id = _offer_case(service, "x-1", "acc-x1")
    moderator = service.headers(Role.MODERATOR)
    service.client.post(f"/v1/cases/{case_id}/claim", headers=moderator)
    r = service.client.post(f"/v1/cases/{case_id}/decide", headers=moderator,
                            json={"decision": "dismiss", "action": "suspend", "reason": "?"})
    assert r.status_code == 400 and "only with confirm" in r.json()["error"]
    assert service.client.get(f"/v1/cases/{case_id}", headers=moderator).json()["status"] == "open"


def test_child_safety_appeals_go_to_officers_and_an_action_is_appealed_once(service: Service) -> None:
    with transaction(service.sessions) as session:
        second_officer = {"Authorization": f"Bearer {add_user(session, 'officer-two', Role.CHILD_SAFETY_OFFICER)}"}
    platform, moderator = service.headers(Role.PLATFORM), service.headers(Role.MODERATOR)
    officer = service.headers(Role.CHILD_SAFETY_OFFICER)
    case_id = _child_case(service, "cs-2", "acc-cs2")
    actions = service.client.get(f"/v1/cases/{case_id}", headers=officer).json()["actions"]
    escalation = next(a["id"] for a in actions if a["type"] == "escalate_child_safety")
    other_case = _offer_case(service, "o-1", "acc-o1")
    hide = next(a["id"] for a in service.client.get(f"/v1/cases/{other_case}", headers=moderator).json()["actions"]
                if a["type"] == "hide_nearby")
    child_appeal = service.client.post("/v1/appeals", headers=platform,
                                       json={"action_id": escalation, "account_id": "acc-cs2"}).json()["id"]
    plain_appeal = service.client.post("/v1/appeals", headers=platform,
                                       json={"action_id": hide, "account_id": "acc-o1"}).json()["id"]

    assert [a["id"] for a in service.client.get("/v1/appeals", headers=moderator).json()] == [plain_appeal]
    assert [a["id"] for a in service.client.get("/v1/appeals", headers=officer).json()] == [child_appeal]
    refused = service.client.post(f"/v1/appeals/{child_appeal}/decide", headers=moderator,
                                  json={"outcome": "restore", "reason": "x"})
    assert refused.status_code == 404  # as if it did not exist: nothing tells a moderator it is a child's case
    assert service.client.post(f"/v1/appeals/{plain_appeal}/decide", headers=officer,
                               json={"outcome": "uphold", "reason": "x"}).status_code == 403
    assert service.client.post(f"/v1/appeals/{child_appeal}/decide", headers=second_officer,
                               json={"outcome": "uphold", "reason": "anak dalam bahaya"}).status_code == 200
    again = service.client.post("/v1/appeals", headers=platform,
                                json={"action_id": escalation, "account_id": "acc-cs2"})
    assert again.status_code == 409 and "already appealed" in again.json()["error"]
    package = service.client.get(f"/v1/child-safety/{case_id}/referral.json", headers=officer).json()
    assert [(d["decision"], d["reason"]) for d in package["decisions"]] == [("appeal upheld", "anak dalam bahaya")]


def test_an_escalation_notice_does_not_tell_the_account_about_child_protection() -> None:
    from pantau.actions import statement_of_reasons

    statement = statement_of_reasons("escalate_child_safety", automated=True, rule="child-safety",
                                     policy_version="2026.11.1", facts=["signal minor.age: 15th"], ends_at=None,
                                     reviewed=False)
    for_account = json.dumps([statement["id"], statement["en"]], ensure_ascii=False).lower()
    assert "15th" not in for_account and "child-safety" not in for_account
    assert "perlindungan anak" not in for_account and "child-protection" not in for_account
    assert "safety review" in statement["en"]["decision"]
    assert "platform_note" not in statement  # the note goes beside the statement (the webhook body), never in it
    restored = statement_of_reasons("restore", automated=False, rule="appeal:restore", policy_version="2026.11.1",
                                    facts=["x"], ends_at=None, reviewed=True)
    assert "nothing to appeal" in restored["en"]["redress"] and "platform_note" not in restored


def test_a_child_safety_case_tells_the_account_nothing_and_officers_keep_to_such_cases(service: Service) -> None:
    from pantau.actions import SAFETY_REVIEW_FACT

    officer = service.headers(Role.CHILD_SAFETY_OFFICER)
    case_id = _child_case(service, "cs-3", "acc-cs3")
    service.client.post(f"/v1/cases/{case_id}/claim", headers=officer)
    reason = "menawarkan siswi SMP 15 tahun"
    assert service.client.post(f"/v1/cases/{case_id}/decide", headers=officer,
                               json={"decision": "confirm", "action": "suspend", "reason": reason}).status_code == 200
    actions = service.client.get(f"/v1/cases/{case_id}", headers=officer).json()["actions"]
    suspend = next(a for a in actions if a["type"] == "suspend")
    assert suspend["statement"]["en"]["facts"] == [SAFETY_REVIEW_FACT]  # the reviewer's words stay in pantau
    assert reason not in json.dumps([a["statement"] for a in actions], ensure_ascii=False)

    other = _offer_case(service, "o-2", "acc-o2")
    refused = service.client.post(f"/v1/cases/{other}/claim", headers=officer)
    assert refused.status_code == 403 and "not a child-safety case" in refused.json()["error"]


def test_times_in_responses_carry_their_zone(service: Service) -> None:
    """SQLite gives stored times back without a zone; every response says they are UTC."""
    case_id = _child_case(service, "tz-1", "acc-tz1")
    officer = service.headers(Role.CHILD_SAFETY_OFFICER)
    case = service.client.get(f"/v1/cases/{case_id}", headers=officer).json()
    record = service.client.get("/v1/child-safety", headers=officer).json()[0]
    times = [case["opened_at"], case["events"][0]["occurred_at"], case["actions"][0]["created_at"],
             record["created_at"], record["retention_until"]]
    assert all(t.endswith(("Z", "+00:00")) for t in times), times


def test_a_reviewers_escalation_opens_an_audited_record(service: Service) -> None:
    case_id = _offer_case(service, "e-1", "acc-e1")
    moderator = service.headers(Role.MODERATOR)
    service.client.post(f"/v1/cases/{case_id}/claim", headers=moderator)
    assert service.client.post(f"/v1/cases/{case_id}/decide", headers=moderator,
                               json={"decision": "escalate", "reason": "foto terlihat anak"}).status_code == 200
    records = service.client.get("/v1/child-safety", headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    assert [(r["case_id"], r["status"]) for r in records] == [(case_id, "open")]
    audit = service.client.get("/v1/audit", headers=service.headers(Role.AUDITOR)).json()
    assert any(e["action"] == "child_safety.escalate" and e["subject"] == f"case:{case_id}" for e in audit)


def test_a_user_report_of_a_child_goes_to_child_protection_first(service: Service) -> None:
    """A report whose reason says a child is involved is an escalation record for an officer (at the
    top of their queue), whatever its text scores; nothing is sent to the platform on a report alone."""
    officer, moderator = service.headers(Role.CHILD_SAFETY_OFFICER), service.headers(Role.MODERATOR)
    _offer_case(service, "o-ur", "acc-o-ur")
    report = {"event_id": "ur-1", "kind": "user_report", "occurred_at": NOW, "reporter_id": "u-77",
              "reported_account_id": "acc-ur", "reason": "child_exploitation",
              "text": "dia nawarin adiknya buat dibooking"}
    d = service.client.post("/v1/events", json=report, headers=service.headers(Role.PLATFORM)).json()
    assert d["case_id"] is not None
    records = service.client.get("/v1/child-safety", headers=officer).json()
    assert [r["case_id"] for r in records] == [d["case_id"]]
    assert [c["id"] for c in service.client.get("/v1/cases", headers=officer).json()] == [d["case_id"]]
    assert d["case_id"] not in [c["id"] for c in service.client.get("/v1/cases", headers=moderator).json()]
    assert service.client.get(f"/v1/cases/{d['case_id']}", headers=officer).json()["actions"] == []
    # the record alone restricts nothing, so it must not shield the account: its own offer is hidden
    own = {"event_id": "ur-own", "kind": "status_post", "account_id": "acc-ur", "occurred_at": NOW,
           "text": "open BO ST 300 LT 700 include room, wa 0812-0000-1234"}
    assert service.client.post("/v1/events", json=own, headers=service.headers(Role.PLATFORM)).json()["action"] \
        == "hide_nearby"
    actions = service.client.get(f"/v1/cases/{d['case_id']}", headers=officer).json()["actions"]
    assert [a["type"] for a in actions] == ["hide_nearby"]
    ordinary = report | {"event_id": "ur-2", "reported_account_id": "acc-ur2", "reason": "spam", "text": "spam"}
    d2 = service.client.post("/v1/events", json=ordinary, headers=service.headers(Role.PLATFORM)).json()
    assert d2["case_id"] in [c["id"] for c in service.client.get("/v1/cases", headers=moderator).json()]


def test_nothing_lifts_an_account_under_escalation(service: Service) -> None:
    """An appeal on an older hide, or a dismissal of a later ordinary case, must not send a restore
    while a child-safety escalation of the account stands (it would put the account back on the
    nearby list); such an appeal is the officers', never a moderator's."""
    platform, officer = service.headers(Role.PLATFORM), service.headers(Role.CHILD_SAFETY_OFFICER)
    moderator, admin = service.headers(Role.MODERATOR), service.headers(Role.ADMIN)
    first = _offer_case(service, "o-esc", "acc-esc")
    service.client.post(f"/v1/cases/{first}/claim", headers=moderator)
    assert service.client.post(f"/v1/cases/{first}/decide", headers=moderator, json={
        "decision": "confirm", "action": "hide_nearby", "reason": "tarif jelas"}).status_code == 200
    confirmed = next(a for a in service.client.get(f"/v1/cases/{first}", headers=admin).json()["actions"]
                 if not a["automated"])
    appeal = service.client.post("/v1/appeals", headers=platform, json={
        "action_id": confirmed["id"], "account_id": "acc-esc", "statement": "bukan saya"})
    assert appeal.status_code == 200
    child = _child_case(service, "c-esc", "acc-esc")  # a second case of the account, escalated
    assert child != first
    assert service.client.get("/v1/appeals", headers=service.headers(Role.MODERATOR)).json() == []
    restored = service.client.post(f"/v1/appeals/{appeal.json()['id']}/decide", headers=officer,
                                   json={"outcome": "restore", "reason": "x"})
    assert restored.status_code == 409 and "child-safety escalation" in restored.json()["error"]
    # the officer suspends and closes the child case; the escalation record stays open
    service.client.post(f"/v1/cases/{child}/claim", headers=officer)
    assert service.client.post(f"/v1/cases/{child}/decide", headers=officer, json={
        "decision": "confirm", "action": "suspend", "reason": "bukti cukup"}).status_code == 200
    later = _offer_case(service, "o-esc-2", "acc-esc")  # a new ordinary case, hidden automatically
    service.client.post(f"/v1/cases/{later}/claim", headers=moderator)
    assert service.client.post(f"/v1/cases/{later}/decide", headers=moderator,
                               json={"decision": "dismiss", "reason": "status lama"}).status_code == 200
    types = [a["type"] for a in service.client.get(f"/v1/cases/{later}", headers=admin).json()["actions"]]
    assert types == ["hide_nearby"]  # no restore: the escalation still restricts the account


def test_the_referral_package_keeps_a_declared_age_and_the_appellants_words(service: Service) -> None:
    profile = {"event_id": "p-age", "kind": "profile", "occurred_at": NOW, "account_id": "acc-age",
               "status": "open BO ST 300 include room", "declared_age": 15}
    d = service.client.post("/v1/events", json=profile, headers=service.headers(Role.PLATFORM)).json()
    assert d["action"] == "escalate_child_safety"
    package = service.client.get(f"/v1/child-safety/{d['case_id']}/referral.json",
                                 headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    assert package["evidence"][0]["details"]["declared_age"] == 15
    assert package["format_version"] == 3


def test_an_escalated_case_gets_no_seven_day_hide_and_a_referred_one_can_still_end(service: Service) -> None:
    """A later offer in an escalated case took an automatic 7-day hide, which reads as the end of the
    open-ended restriction; and a referred escalation, once dismissed, kept its account 'under
    escalation' for good."""
    officer, admin = service.headers(Role.CHILD_SAFETY_OFFICER), service.headers(Role.ADMIN)
    case_id = _child_case(service, "cs-h1", "acc-h1")
    later = {"event_id": "cs-h2", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-h1",
             "text": "open BO 300 include room"}
    joined = service.client.post("/v1/events", json=later, headers=service.headers(Role.PLATFORM)).json()
    assert joined["case_id"] == case_id
    types = [a["type"] for a in service.client.get(f"/v1/cases/{case_id}", headers=admin).json()["actions"]]
    assert types == ["escalate_child_safety"]
    service.client.post(f"/v1/child-safety/{case_id}/referred", headers=officer, json={"channel": "SAPA 129"})
    service.client.post(f"/v1/cases/{case_id}/claim", headers=officer)
    assert service.client.post(f"/v1/cases/{case_id}/decide", headers=officer,
                               json={"decision": "dismiss", "reason": "polisi: bukan anak"}).status_code == 200
    [record] = service.client.get("/v1/child-safety", headers=officer).json()
    assert record["status"] == "dismissed" and record["referred_via"] == "SAPA 129"  # history kept
    with service.sessions() as session:
        from pantau.review import under_escalation

        assert under_escalation(session, "acc-h1") is False
