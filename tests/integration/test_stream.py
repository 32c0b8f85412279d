"""Stream ingest end to end: publish → worker → PostgreSQL → decisions; replays, poison, backpressure."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable

import httpx
import nats
from fastapi.testclient import TestClient

from pantau.api.app import create_app
from pantau.auth import Role, add_user
from pantau.store.db import make_engine, session_factory, transaction

from .conftest import (
    NATS_URL,
    WorkerProcess,
    assert_exactly_once,
    ensure,
    feed,
    publish,
    publish_async,
    publish_raw,
    run_async,
    settings_of,
    sql,
    status,
    stored_events,
    stream_env,
    wait_for,
)


def test_each_event_is_stored_once_and_its_decision_published(
        database: str, namespace: str, workers: Callable[..., WorkerProcess]) -> None:
    env = stream_env(database, namespace)
    ensure(env)
    events = feed(3000)
    decisions: list[dict[str, object]] = []

    async def listen_and_publish() -> None:
        nc = await nats.connect(NATS_URL)
        sub = await nc.subscribe(f"{namespace}.decisions")
        await publish_async(namespace, events)
        worker = workers(env)
        await publish_async(namespace, events[:400])  # replays inside the de-duplication window: dropped by NATS
        await publish_async(namespace, events[400:700], msg_ids=False)  # replays NATS cannot see: the database can
        wanted = {e["event_id"] for e in events}
        replays = {e["event_id"] for e in events[400:700]}
        while not (wanted <= {d["event_id"] for d in decisions if not d["replayed"]}
                   and replays <= {d["event_id"] for d in decisions if d["replayed"]}):
            msg = await sub.next_msg(timeout=60)
            decisions.append(json.loads(msg.data))
        await nc.close()
        assert worker.proc.poll() is None

    run_async(listen_and_publish())
    assert_exactly_once(database, {e["event_id"] for e in events})
    replayed = [d for d in decisions if d["replayed"]]
    # replays are the 300 re-sent without a message id (a worker's redelivery may add a few more)
    assert {d["event_id"] for d in replayed} >= {e["event_id"] for e in events[400:700]}
    assert {d["event_id"] for d in replayed} <= {e["event_id"] for e in events}
    first = {d["event_id"]: d for d in decisions if not d["replayed"]}
    assert len(first) == len(events)
    assert len([d for d in decisions if not d["replayed"]]) == len(events)  # stored (and announced) once each
    for d in replayed:  # a replay answers with the decision stored the first time
        original = first[str(d["event_id"])]
        assert (d["action"], d["case_id"], d["score"]) == (original["action"], original["case_id"], original["score"])
    assert {d["action"] for d in first.values()} >= {"allow", "hide_nearby", "escalate_child_safety"}
    st = status(env)
    assert st["stream"]["messages"] == 0 and st["consumer"]["pending"] == 0 and st["dead_letters"] == 0


def test_poison_messages_go_to_dead_letters_without_stalling(
        database: str, namespace: str, workers: Callable[..., WorkerProcess]) -> None:
    env = stream_env(database, namespace)
    ensure(env)
    events = feed(600, seed=11)
    publish(namespace, events[:300])
    publish_raw(namespace, "status_post", b'{"event_id": "broken-1", "kind": "status_post", "text": ')  # cut off
    publish_raw(namespace, "selfie", json.dumps({"event_id": "odd-kind-1", "kind": "selfie",
                                                 "occurred_at": "2026-11-28T10:00:00+07:00"}).encode())
    publish_raw(namespace, "status_post", b"\xff\xfe not text")
    publish_raw(namespace, "profile", json.dumps({"event_id": "no-account", "kind": "profile",
                                                  "occurred_at": "2026-11-28T10:00:00+07:00"}).encode())
    publish(namespace, events[300:])
    worker = workers(env)
    wait_for(lambda: stored_events(database) == len(events), 120, "every valid event stored")
    wait_for(lambda: status(env)["dead_letters"] == 4, 30, "four dead letters")
    st = status(env)
    errors = sorted(d["error"] for d in st["recent_dead"])
    assert len(errors) == 4
    assert sum(e.startswith("not JSON") for e in errors) == 2
    assert any("kind" in e and "selfie" in e for e in errors)  # the unknown kind is named
    assert any("account_id" in e for e in errors)  # the missing field is named
    assert all(d["subject"].startswith(f"{namespace}.events.") for d in st["recent_dead"])
    assert st["stream"]["messages"] == 0 and st["consumer"]["pending"] == 0
    assert_exactly_once(database, {e["event_id"] for e in events})
    metrics = httpx.get(f"http://127.0.0.1:{worker.metrics_port}/metrics").text
    assert "pantau_worker_dead_letters_total 4.0" in metrics
    assert f'pantau_worker_events_total{{outcome="stored"}} {len(events)}.0' in metrics
    dead_logs = [r for r in worker.log_records() if r["message"] == "dead letter"]
    assert len(dead_logs) == 4 and all(r["level"] == "error" and r["error"] for r in dead_logs)


def test_sigterm_finishes_the_batch_in_hand(database: str, namespace: str,
                                            workers: Callable[..., WorkerProcess]) -> None:
    env = stream_env(database, namespace, PANTAU_WORKER_BATCH="200")
    ensure(env)
    events = feed(6000, seed=5)
    publish(namespace, events)
    worker = workers(env)
    wait_for(lambda: stored_events(database) > 400, 120, "the worker to get going")
    worker.signal(signal.SIGTERM)
    assert worker.proc.wait(30) == 0
    st = status(env)
    assert st["consumer"]["in_flight"] == 0  # nothing taken and left unacked
    stored = stored_events(database)
    assert 0 < stored < len(events) and stored + st["stream"]["messages"] == len(events)
    assert any(r["message"] == "worker stopping" for r in worker.log_records())


def test_api_queues_on_the_stream_and_answers_503_when_full(database: str, namespace: str,
                                                            workers: Callable[..., WorkerProcess]) -> None:
    env = stream_env(database, namespace, PANTAU_STREAM_MAX_MESSAGES="5")
    settings = settings_of(env).model_copy(update={"ingest": "stream", "stream_max_messages": 5})
    with transaction(session_factory(make_engine(settings))) as session:
        token = add_user(session, "platform-it", Role.PLATFORM, [])
    headers = {"Authorization": f"Bearer {token}"}
    events = feed(8, seed=3)[:8]
    with TestClient(create_app(settings)) as client:
        answers = [client.post("/v1/events", json=e, headers=headers) for e in events[:5]]
        assert [a.status_code for a in answers] == [202] * 5
        assert answers[0].json() == {"event_id": events[0]["event_id"], "status": "queued", "duplicate": False}
        again = client.post("/v1/events", json=events[0], headers=headers)
        assert again.status_code == 202 and again.json()["duplicate"] is True
        full = client.post("/v1/events", json=events[5], headers=headers)
        assert full.status_code == 503 and full.headers["Retry-After"] == "5"
        assert client.post("/v1/events", json={"kind": "selfie"}, headers=headers).status_code == 422
        worker = workers(env)
        wait_for(lambda: stored_events(database) == 5, 60, "the queued events stored")
        wait_for(lambda: status(env)["stream"]["messages"] == 0, 30, "the stream to drain")  # acked after commit
        batch = client.post("/v1/events/batch", json={"events": events[5:]}, headers=headers)
        assert batch.status_code == 202 and len(batch.json()["queued"]) == 3
        wait_for(lambda: stored_events(database) == 8, 60, "the batch stored")
    assert worker.proc.poll() is None
    assert_exactly_once(database, {e["event_id"] for e in events})
    assert sql(database, "SELECT count(*) FROM audit_log WHERE actor = 'platform:stream'")[0][0] >= 8
