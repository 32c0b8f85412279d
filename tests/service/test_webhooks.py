"""Webhook delivery: an account's actions arrive in order, failures say what the receiver answered,
and failed deliveries can be sent again."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from pantau.actions import MAX_ATTEMPTS, deliver_pending, retry_failed
from pantau.auth import Role
from pantau.config import Settings
from pantau.pipeline import Pipeline
from pantau.store.db import transaction
from pantau.store.schema import AuditEntry, WebhookDelivery
from tests.service.conftest import Service
from tests.test_cli import PANTAU
from tests.webhooks import Receiver

NOW = "2026-11-29T07:00:00+07:00"


def _offer(account: str) -> dict:
    return {"event_id": f"e-{account}", "kind": "profile", "occurred_at": NOW, "account_id": account,
            "status": "open BO 300 include room, wa aja"}


@pytest.fixture
def svc(settings: Settings, pipeline: Pipeline, receiver: Receiver) -> Service:
    """The service, sending its webhooks to the test's receiver."""
    return Service(settings.model_copy(update={"webhook_url": receiver.url}), pipeline)


def _post_offer(svc: Service, account: str) -> dict:
    """Post one offer for ``account``; its decision."""
    [decision] = svc.client.post("/v1/events/batch", json={"events": [_offer(account)]},
                                 headers=svc.headers(Role.PLATFORM)).json()["decisions"]
    return decision


def _fast_forward(svc: Service) -> None:
    """Make every pending delivery due now (skip the back-off)."""
    with transaction(svc.sessions) as session:
        for row in session.execute(select(WebhookDelivery).where(WebhookDelivery.status == "pending")).scalars():
            row.next_attempt_at = row.next_attempt_at.replace(year=2000)


def test_a_restore_never_overtakes_the_hide_it_lifts(svc: Service, receiver: Receiver) -> None:
    moderator = svc.headers(Role.MODERATOR)
    decision = _post_offer(svc, "acc-1")
    assert decision["action"] == "hide_nearby"
    receiver.fail_next = 1
    assert deliver_pending(svc.sessions, svc.settings) == 0  # the hide gets a 503 and waits for its retry
    with svc.sessions() as session:
        hide = session.execute(select(WebhookDelivery)).scalar_one()
        assert hide.last_status == 503 and hide.last_error is not None and hide.last_error.startswith("HTTP 503")
    case = decision["case_id"]
    assert svc.client.post(f"/v1/cases/{case}/claim", headers=moderator).status_code == 200
    r = svc.client.post(f"/v1/cases/{case}/decide", headers=moderator,
                        json={"decision": "dismiss", "reason": "status lama yang sudah diganti"})
    assert r.status_code == 200, r.text
    deliver_pending(svc.sessions, svc.settings)
    assert receiver.calls == []  # the restore waits for the hide, which is still being retried
    # another account's action is not held up
    _post_offer(svc, "acc-2")
    deliver_pending(svc.sessions, svc.settings)
    assert [(a["account_id"], a["action"]) for a in receiver.actions()] == [("acc-2", "hide_nearby")]
    _fast_forward(svc)
    deliver_pending(svc.sessions, svc.settings)
    arrived = [(a["account_id"], a["action"]) for a in receiver.actions()]
    assert arrived == [("acc-2", "hide_nearby"), ("acc-1", "hide_nearby"), ("acc-1", "restore")]


def test_failed_deliveries_are_sent_again_on_request(svc: Service, receiver: Receiver) -> None:
    _post_offer(svc, "acc-3")
    with transaction(svc.sessions) as session:  # as if every attempt had failed
        session.execute(update(WebhookDelivery).values(status="failed", attempts=MAX_ATTEMPTS))
    assert deliver_pending(svc.sessions, svc.settings) == 0 and receiver.calls == []
    with transaction(svc.sessions) as session:
        assert retry_failed(session, "test") == 1
        assert retry_failed(session, "test") == 0  # nothing failed any more
    assert deliver_pending(svc.sessions, svc.settings) == 1
    assert [a["account_id"] for a in receiver.actions()] == ["acc-3"]
    with svc.sessions() as session:
        actions = list(session.execute(select(AuditEntry.action).where(AuditEntry.action == "webhook.retry")).scalars())
    assert actions == ["webhook.retry"]


def test_cli_lists_users_disables_them_and_refuses_a_missing_database(tmp_path: Path) -> None:
    env = {"PANTAU_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PANTAU, *args], env=env, capture_output=True, text=True, timeout=120)

    missing = run("audit", "verify")
    assert missing.returncode == 2 and "no pantau database" in missing.stderr
    assert not (tmp_path / "data").exists()  # nothing created by a command that only reads
    assert run("users", "add", "rina", "--role", "moderator").returncode == 0
    listed = run("users", "list")
    assert listed.returncode == 0 and "rina" in listed.stdout and "active" in listed.stdout
    assert run("users", "disable", "rina").returncode == 0
    assert "disabled" in run("users", "list").stdout
    unknown = run("users", "disable", "nobody")
    assert unknown.returncode == 2 and "no user named 'nobody'" in unknown.stderr
    status = run("webhooks", "status")
    assert status.returncode == 0 and "failed 0" in status.stdout
    assert "no failed deliveries" in run("webhooks", "retry").stderr
    unknown_id = run("webhooks", "retry", "99999")
    assert unknown_id.returncode == 1 and "#99999 does not exist" in unknown_id.stderr
    assert "already disabled" in run("users", "disable", "rina").stderr


def test_an_upheld_appeal_reaches_the_account_and_the_referral_note_stays_beside_the_statement(
        svc: Service, receiver: Receiver) -> None:
    platform, moderator = svc.headers(Role.PLATFORM), svc.headers(Role.MODERATOR)
    hidden = _post_offer(svc, "acc-4")
    [action] = svc.client.get(f"/v1/cases/{hidden['case_id']}", headers=svc.headers(Role.ADMIN)).json()["actions"]
    appeal = svc.client.post("/v1/appeals", headers=platform,
                             json={"action_id": action["id"], "account_id": "acc-4", "statement": "bukan saya"})
    assert appeal.status_code == 200, appeal.text
    decided = svc.client.post(f"/v1/appeals/{appeal.json()['id']}/decide", headers=moderator,
                              json={"outcome": "uphold", "reason": "tarif dan kamar tertulis jelas di status"})
    assert decided.status_code == 200, decided.text
    child = {"event_id": "e-child", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-5",
             "text": "open bo adik masih 15 thn sma kelas 1, ST 500"}
    assert svc.client.post("/v1/events", json=child, headers=platform).json()["action"] == "escalate_child_safety"
    deliver_pending(svc.sessions, svc.settings)
    by_type = {(b["type"], b["account_id"]): b for b in receiver.actions()}
    upheld = by_type[("pantau.appeal_decision", "acc-4")]
    assert upheld["outcome"] == "upheld" and upheld["action_id"] == action["id"]
    assert upheld["statement_of_reasons"]["en"]["facts"] == ["Peninjau / reviewer: tarif dan kamar tertulis jelas "
                                                             "di status"]
    assert "decision stands" in upheld["statement_of_reasons"]["en"]["decision"]
    escalation = by_type[("pantau.action", "acc-5")]
    assert "child-protection officer" in escalation["platform_note"]["en"]
    assert "platform_note" not in escalation["statement_of_reasons"]
    hide = by_type[("pantau.action", "acc-4")]
    assert hide["statement_of_reasons"]["en"]["decision"].endswith(" WIB.")  # the end of the hide, in WIB


def test_a_failed_delivery_holds_back_the_accounts_later_ones_until_sent_again(svc: Service,
                                                                              receiver: Receiver) -> None:
    """Sending a failed hide again after its restore had gone would leave the account hidden for good:
    nothing overtakes an undelivered action, failed ones included."""
    moderator = svc.headers(Role.MODERATOR)
    hidden = _post_offer(svc, "acc-6")
    with transaction(svc.sessions) as session:
        session.execute(update(WebhookDelivery).values(status="failed", attempts=MAX_ATTEMPTS))
    case = hidden["case_id"]
    svc.client.post(f"/v1/cases/{case}/claim", headers=moderator)
    svc.client.post(f"/v1/cases/{case}/decide", headers=moderator, json={"decision": "dismiss", "reason": "lama"})
    deliver_pending(svc.sessions, svc.settings)
    assert receiver.calls == []  # the restore waits behind the failed hide
    with transaction(svc.sessions) as session:
        assert retry_failed(session, "test") == 1
    deliver_pending(svc.sessions, svc.settings)
    assert [a["action"] for a in receiver.actions()] == ["hide_nearby", "restore"]
    assert receiver.actions()[1]["lifts_action_ids"] == [receiver.actions()[0]["action_id"]]


def test_every_action_in_a_child_safety_case_tells_the_platform_so(svc: Service, receiver: Receiver) -> None:
    officer = svc.headers(Role.CHILD_SAFETY_OFFICER)
    report = {"event_id": "r-kid", "kind": "user_report", "occurred_at": NOW, "reporter_id": "u-1",
              "reported_account_id": "acc-7", "reason": "kid_safety", "text": "akun ini mencurigakan"}
    case = svc.client.post("/v1/events", json=report, headers=svc.headers(Role.PLATFORM)).json()["case_id"]
    svc.client.post(f"/v1/cases/{case}/claim", headers=officer)
    r = svc.client.post(f"/v1/cases/{case}/decide", headers=officer,
                        json={"decision": "confirm", "action": "suspend", "reason": "bukti cukup"})
    assert r.status_code == 200, r.text
    deliver_pending(svc.sessions, svc.settings)
    [suspend] = receiver.actions()
    assert suspend["action"] == "suspend" and "child-protection officer" in suspend["platform_note"]["en"]
    assert "bukti cukup" not in json.dumps(suspend["statement_of_reasons"])


def test_a_refused_hide_never_holds_back_a_later_escalation(svc: Service, receiver: Receiver) -> None:
    platform, moderator = svc.headers(Role.PLATFORM), svc.headers(Role.MODERATOR)
    hidden = _post_offer(svc, "acc-8")
    with transaction(svc.sessions) as session:
        session.execute(update(WebhookDelivery).values(status="failed", attempts=MAX_ATTEMPTS))
    svc.client.post(f"/v1/cases/{hidden['case_id']}/claim", headers=moderator)
    svc.client.post(f"/v1/cases/{hidden['case_id']}/decide", headers=moderator,
                    json={"decision": "confirm", "action": "hide_nearby", "reason": "tarif jelas"})
    child = {"event_id": "e-child-8", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-8",
             "text": "open bo adik masih 15 thn sma kelas 1, ST 500"}
    assert svc.client.post("/v1/events", json=child, headers=platform).json()["action"] == "escalate_child_safety"
    deliver_pending(svc.sessions, svc.settings)
    # the confirmed hide and the escalation go out; only the failed first hide waits to be sent again
    assert [a["action"] for a in receiver.actions()] == ["hide_nearby", "escalate_child_safety"]


def test_serve_refuses_to_send_a_demos_actions_to_a_platform(service: Service) -> None:
    """A data directory filled by `pantau demo`, served with a real webhook URL, sent 40 simulated
    hides and escalations to the platform."""
    from pantau.auth import add_user
    from pantau.cli import _refuse_demo_with_webhooks
    from pantau.errors import PantauError

    engine = service.sessions.kw["bind"]
    _refuse_demo_with_webhooks(engine, service.settings.model_copy(update={"webhook_url": "http://127.0.0.1:9/h"}))
    with transaction(service.sessions) as session:  # what `pantau demo` leaves behind: its demo users
        add_user(session, "demo-platform", Role.PLATFORM)
    _refuse_demo_with_webhooks(engine, service.settings)  # no webhook URL: looking at the demo is fine
    with_hook = service.settings.model_copy(update={"webhook_url": "http://127.0.0.1:9/hook"})
    with pytest.raises(PantauError, match="simulated actions would reach the platform"):
        _refuse_demo_with_webhooks(engine, with_hook)
