"""Event ingest over HTTP: decisions, idempotency, bad input, nothing half-written."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest
import sqlalchemy
from pydantic import TypeAdapter
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from pantau.api.group_commit import GroupCommit, GroupStats
from pantau.api.routes_events import store_group
from pantau.api.schemas import EventIn
from pantau.auth import Role
from pantau.ingest import SEEN_RESOLUTION, Stored, ingest_in_transaction
from pantau.models import Verdict
from pantau.pipeline import Pipeline
from pantau.store.db import make_engine, session_factory, transaction
from pantau.store.schema import Account, ActionRecord, AuditEntry, Case, ChildSafetyRecord, ContactHash, Event
from tests.service.conftest import Service

NOW = "2026-11-29T07:00:00+07:00"
T = TypeVar("T")


def profile(event_id: str, status: str, account: str = "acc-1", **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "kind": "profile", "occurred_at": NOW, "account_id": account,
            "display_name": "Ayu", "status": status, **extra}


def counts(service: Service) -> dict[str, int]:
    with service.sessions() as session:
        return {t.__name__: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (Event, Case, AuditEntry, ContactHash)}


def test_offer_is_hidden_queued_and_explained(service: Service) -> None:
    r = service.client.post("/v1/events", json=profile("e1", "open BO 300 include room, wa 0812-0000-1234"),
                            headers=service.headers(Role.PLATFORM))
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["action"] == "hide_nearby" and d["solicitation"] is True and d["replayed"] is False
    assert d["case_id"] is not None
    assert "signal:solicitation.open_bo" in d["reasons"]
    text = "Ayu\nopen BO 300 include room, wa 0812-0000-1234"  # profile text: display name, then status
    assert all(text[s["start"]:s["end"]] == s["text"] for s in d["signals"])
    assert "policy@" in d["model_version"] and "classifier@" in d["model_version"]
    with service.sessions() as session:
        digests = session.execute(select(ContactHash.digest)).scalars().all()
        assert len(digests) == 1 and "0812" not in digests[0]  # the phone number is kept only as a keyed hash


def test_replay_returns_the_original_decision_and_stores_nothing(service: Service) -> None:
    h = service.headers(Role.PLATFORM)
    first = service.client.post("/v1/events", json=profile("e1", "ready VCS 100k"), headers=h).json()
    before = counts(service)
    again = service.client.post("/v1/events", json=profile("e1", "ready VCS 100k"), headers=h).json()
    assert again["replayed"] is True
    assert {k: v for k, v in again.items() if k != "replayed"} == {k: v for k, v in first.items() if k != "replayed"}
    assert counts(service) == before


def test_batch_in_order_with_duplicates_marked_as_replays(service: Service) -> None:
    events = [profile("b1", "open bo"), profile("b2", "jual gamis ready stock", account="acc-2"),
              profile("b1", "open bo")]
    r = service.client.post("/v1/events/batch", json={"events": events}, headers=service.headers(Role.PLATFORM))
    assert r.status_code == 200, r.text
    out = r.json()["decisions"]
    assert [d["event_id"] for d in out] == ["b1", "b2", "b1"]
    assert [d["replayed"] for d in out] == [False, False, True]
    assert out[1]["action"] == "allow" and out[1]["case_id"] is None
    assert counts(service)["Event"] == 2


def test_child_offer_escalates_and_marks_the_case(service: Service) -> None:
    r = service.client.post("/v1/events", json=profile("c1", "dedek 15th masih SMP, bisa ST"),
                            headers=service.headers(Role.PLATFORM)).json()
    assert r["action"] == "escalate_child_safety" and r["minor_risk"] is True
    with service.sessions() as session:
        case = session.get(Case, r["case_id"])
        assert case is not None and case.child_safety


def test_a_child_offered_in_mild_words_goes_to_an_officer_without_a_restriction(service: Service) -> None:
    """ "aku masih kls 8, iso ST." scores as no offer, but its hint word beside a child's grade makes it an
    officer's case, first in their queue; nothing restricts the account and no escalation record is kept until
    the officer escalates."""
    h = service.headers(Role.PLATFORM)
    service.client.post("/v1/events", json=profile("o1", "open BO 300 include room", account="acc-adult"), headers=h)
    r = service.client.post("/v1/events", json=profile("m1", "aku masih kls 8, iso ST.", account="acc-m"),
                            headers=h).json()
    assert r["action"] == "review" and r["minor_risk"] is True and r["solicitation"] is False
    assert r["reasons"][0] == "offer_hint_beside_a_minor_sign_needs_officer_review"
    with service.sessions() as session:
        case = session.get(Case, r["case_id"])
        assert case is not None and case.child_safety
        assert session.execute(select(func.count()).select_from(ActionRecord)
                               .where(ActionRecord.account_id == "acc-m")).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(ChildSafetyRecord)
                               .where(ChildSafetyRecord.case_id == case.id)).scalar_one() == 0
    officer = service.client.get("/v1/cases", headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    assert [c["id"] for c in officer] == [r["case_id"]]
    moderator = service.client.get("/v1/cases", headers=service.headers(Role.MODERATOR)).json()
    assert r["case_id"] not in [c["id"] for c in moderator] and moderator  # the adult's case is the moderators'


def test_an_officer_finding_no_child_hands_a_mild_words_case_back_without_lifting_the_adults_hide(
        service: Service) -> None:
    """An account with an adult's hidden ad and then a child's offer in mild words: its case becomes an officer's.
    An officer who finds no child dismisses: the case goes back to the moderators, open, and the adult's hide
    stays (nothing is sent). An officer who suspends instead tells the account only that a reviewer looked: it
    was told of no safety review."""
    h = service.headers(Role.PLATFORM)
    officer, moderator = service.headers(Role.CHILD_SAFETY_OFFICER), service.headers(Role.MODERATOR)
    cases = []
    for account in ("acc-x", "acc-y"):
        service.client.post("/v1/events", json=profile(f"{account}-1", "open BO 300 include room", account=account),
                            headers=h)
        d = service.client.post("/v1/events", json=profile(f"{account}-2", "aku masih kls 8, iso ST.",
                                                           account=account), headers=h).json()
        assert d["minor_risk"] is True
        cases.append(d["case_id"])
        assert service.client.post(f"/v1/cases/{d['case_id']}/claim", headers=officer).status_code == 200
    r = service.client.post(f"/v1/cases/{cases[0]}/decide", headers=officer,
                            json={"decision": "dismiss", "reason": "bukan anak, iklan dewasa"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "open"
    assert cases[0] in [c["id"] for c in service.client.get("/v1/cases", headers=moderator).json()]
    assert cases[0] not in [c["id"] for c in service.client.get("/v1/cases", headers=officer).json()]
    r = service.client.post(f"/v1/cases/{cases[1]}/decide", headers=officer,
                            json={"decision": "confirm", "action": "suspend", "reason": "anak, kelas 8"})
    assert r.status_code == 200, r.text
    with service.sessions() as session:
        assert session.execute(select(func.count()).select_from(ActionRecord).where(
            ActionRecord.account_id == "acc-x", ActionRecord.type == "restore")).scalar_one() == 0
        suspend = session.execute(select(ActionRecord).where(ActionRecord.account_id == "acc-y",
                                                             ActionRecord.type == "suspend")).scalar_one()
        text = json.dumps(suspend.statement, ensure_ascii=False)
        assert "Reviewed by a reviewer" in text
        assert "safety" not in text.lower() and "keamanan" not in text and "anak, kelas 8" not in text


def test_a_field_report_of_a_child_in_mild_words_opens_an_officers_case(service: Service) -> None:
    """An official's report names no account; when its text goes to an officer's review it opens a case of its
    own (as an escalated one does), so an officer sees it."""
    report = {"event_id": "f1", "kind": "field_report", "occurred_at": NOW, "text": "aku masih kls 8, iso ST."}
    d = service.client.post("/v1/events", json=report, headers=service.headers(Role.PLATFORM)).json()
    assert d["action"] == "review" and d["minor_risk"] is True and d["case_id"] is not None
    officer = service.client.get("/v1/cases", headers=service.headers(Role.CHILD_SAFETY_OFFICER)).json()
    assert [c["id"] for c in officer] == [d["case_id"]]


def test_user_report_opens_a_case_for_the_reported_account(service: Service) -> None:
    report = {"event_id": "r1", "kind": "user_report", "occurred_at": NOW, "reporter_id": "u-9",
              "reported_account_id": "acc-7", "reason": "solicitation", "text": "dia nawarin BO ke aku"}
    d = service.client.post("/v1/events", json=report, headers=service.headers(Role.PLATFORM)).json()
    assert d["case_id"] is not None
    with service.sessions() as session:
        case = session.get(Case, d["case_id"])
        assert case is not None and case.account_id == "acc-7"
        stored = session.get(Event, "r1")
        assert stored is not None and "u-9" not in json.dumps(stored.details)  # reporter id is not kept


def test_schema_errors_name_the_field(service: Service) -> None:
    h = service.headers(Role.PLATFORM)
    cases = [
        ({"event_id": "x", "kind": "selfie", "occurred_at": NOW}, "body", "does not match any of the expected tags"),
        (profile("x", "hi", location={"lat": 95, "lon": 0}), "body.profile.location.lat", "less than or equal to 90"),
        (profile("x", "hi") | {"occurred_at": "2099-01-01T00:00:00+00:00"}, "body.profile.occurred_at",
         "in the future"),
        (profile("x", "hi") | {"occurred_at": "2026-11-29T07:00:00"}, "body.profile.occurred_at", "time zone"),
        (profile("x", "hi") | {"occurred_at": "0001-01-01T00:00:00+07:00"}, "body.profile.occurred_at",
         "before 2000-01-01"),  # year 1 at UTC+7 is before year 1 in UTC: it had made a 500
        (profile("x", "hi", declared_age=True), "body.profile.declared_age", "valid integer"),  # not age 1
        (profile("x", "hi", declared_age="14"), "body.profile.declared_age", "valid integer"),
        (profile("x", "hi") | {"colour": "red"}, "body.profile.colour", "Extra inputs are not permitted"),
    ]
    for body, field, message in cases:
        r = service.client.post("/v1/events", json=body, headers=h)
        assert r.status_code == 422, body
        errors = r.json()["detail"]
        assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert counts(service)["Event"] == 0


def test_limits_413_and_1000(service: Service) -> None:
    h = service.headers(Role.PLATFORM)
    big = profile("big", "a" * 19_000)
    r = service.client.post("/v1/events/batch", json={"events": [big | {"event_id": f"e{i}"} for i in range(15)]},
                            headers=h)
    assert r.status_code == 413 and "256 KiB" in r.json()["detail"]
    r = service.client.post("/v1/events/batch", json={"events": [profile(f"e{i}", "hi") for i in range(1001)]},
                            headers=h)
    assert r.status_code in (413, 422)  # 1,001 small events: over the batch limit (or the body limit)
    chunks = (b"x" * 65_536 for _ in range(5))  # no Content-Length: sent chunked, counted as it arrives
    r = service.client.post("/v1/events/batch", content=chunks, headers=h | {"content-type": "application/json"})
    assert r.status_code == 413 and "256 KiB" in r.json()["detail"]  # it was a 400 "error parsing the body"
    assert counts(service)["Event"] == 0


class ExplodingPipeline(Pipeline):
    """Scores the first event of a batch, then fails: nothing of the batch may stay behind."""

    def __init__(self, inner: Pipeline) -> None:
        super().__init__(inner.registry, inner.classifier, inner.policy)

    def run_batch(self, items: Any, facts: Any = None) -> list[Verdict]:
        super().run_batch(items[:1], facts)
        raise RuntimeError("boom")


def test_a_failure_leaves_nothing_half_written(settings: Any, pipeline: Pipeline) -> None:
    service = Service(settings, ExplodingPipeline(pipeline))
    service.client.get("/v1/me", headers=service.headers(Role.PLATFORM))  # the login is audited first
    before = counts(service)
    r = service.client.post("/v1/events/batch", json={"events": [profile("f1", "open bo"), profile("f2", "vcs")]},
                            headers=service.headers(Role.PLATFORM))
    assert r.status_code == 500
    assert counts(service) == before


def test_missing_or_unknown_token_is_401(service: Service) -> None:
    assert service.client.post("/v1/events", json=profile("e", "x")).status_code == 401
    r = service.client.post("/v1/events", json=profile("e", "x"), headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_declared_age_under_18_is_a_minor_indicator(service: Service) -> None:
    h = service.headers(Role.PLATFORM)
    child = service.client.post("/v1/events", json=profile("a1", "ready BO malam ini", declared_age=16), headers=h)
    adult = service.client.post("/v1/events", json=profile("a2", "ready BO malam ini", account="acc-2",
                                                           declared_age=24), headers=h)
    assert child.json()["action"] == "escalate_child_safety" and child.json()["minor_risk"] is True
    assert adult.json()["action"] != "escalate_child_safety"
    assert any(s["name"] == "minor.declared_age" for s in child.json()["signals"])


class PoisonPipeline(Pipeline):
    """Fails any batch that holds a text with 💥 (as a database or scoring error would)."""

    def __init__(self, inner: Pipeline) -> None:
        super().__init__(inner.registry, inner.classifier, inner.policy)

    def run_batch(self, items: Any, facts: Any = None) -> list[Verdict]:
        if any("💥" in text for _, text in items):
            raise RuntimeError("poisoned")
        return super().run_batch(items, facts)


def in_new_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` in a fresh event loop on its own thread (another test's loop may be running here)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _post_concurrently(service: Service, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=service.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://pantau.test") as client:
        await client.get("/v1/me", headers=service.headers(Role.PLATFORM))  # the token is checked once
        return await asyncio.gather(*(client.post("/v1/events", json=b, headers=service.headers(Role.PLATFORM))
                                      for b in bodies))


def test_concurrent_single_events_share_transactions_and_each_gets_its_decision(service: Service) -> None:
    bodies = [profile(f"g{i}", "open BO 300 include room" if i % 3 == 0 else "cari teman lari pagi",
                      account=f"acc-{i}") for i in range(30)]
    bodies.append(profile("g0", "open BO 300 include room", account="acc-0"))  # the same event, sent twice at once
    responses = in_new_loop(_post_concurrently(service, bodies))
    assert [r.status_code for r in responses] == [200] * 31
    answers = [r.json() for r in responses]
    assert [a["event_id"] for a in answers] == [b["event_id"] for b in bodies]
    assert [a["action"] for a in answers[:30]] == ["hide_nearby" if i % 3 == 0 else "allow" for i in range(30)]
    first, again = answers[0], answers[30]
    assert sorted([first["replayed"], again["replayed"]]) == [False, True]
    assert {k: v for k, v in first.items() if k != "replayed"} == {k: v for k, v in again.items() if k != "replayed"}
    assert counts(service)["Event"] == 30 and counts(service)["Case"] == 10
    stats = service.app.state.pantau.group_stats
    assert stats.events == 31 and stats.groups < 31  # events waiting behind a commit shared the next one


def test_a_failing_event_fails_alone_over_http(settings: Any, pipeline: Pipeline) -> None:
    service = Service(settings, PoisonPipeline(pipeline))
    bodies = [profile(f"p{i}", "💥 open BO" if i == 5 else "open BO 300 include room", account=f"acc-{i}")
              for i in range(12)]
    responses = in_new_loop(_post_concurrently(service, bodies))
    assert [r.status_code for r in responses] == [500 if i == 5 else 200 for i in range(12)]
    with service.sessions() as session:
        stored = set(session.execute(select(Event.event_id)).scalars())
    assert stored == {f"p{i}" for i in range(12) if i != 5}


def _events(n: int, poison: int | None = None) -> list[EventIn]:
    adapter: TypeAdapter[EventIn] = TypeAdapter(EventIn)
    return [adapter.validate_python(profile(f"q{i}", "💥 open BO" if i == poison else "open BO 300 include room",
                                            account=f"acc-{i}")) for i in range(n)]


def _submit_all(commit: GroupCommit, events: list[EventIn], actor: str = "platform:test") -> list[Any]:
    async def run() -> list[Any]:  # every submission is queued before the first group is written
        return await asyncio.gather(*(commit.submit(e, actor) for e in events), return_exceptions=True)
    return in_new_loop(run())


def test_a_shared_transaction_that_fails_is_retried_event_by_event(settings: Any, pipeline: Pipeline) -> None:
    service = Service(settings, PoisonPipeline(pipeline))
    st = service.app.state.pantau
    stats = GroupStats()
    outcomes = _submit_all(GroupCommit(lambda actor, events: store_group(st, actor, events), stats),
                           _events(12, poison=5))
    assert [type(o).__name__ for o in outcomes] == ["RuntimeError" if i == 5 else "Stored" for i in range(12)]
    assert stats.retried == 12 and stats.groups == 11  # one shared group failed; eleven events stored alone
    assert counts(service)["Event"] == 11


def test_a_database_failure_fails_the_whole_group_at_once(settings: Any) -> None:
    calls: list[int] = []

    def database_down(actor: str, events: Sequence[EventIn]) -> list[Stored]:
        calls.append(len(events))
        raise OperationalError("INSERT …", {}, Exception("could not connect to server"))

    outcomes = _submit_all(GroupCommit(database_down, GroupStats()), _events(6))
    assert [type(o).__name__ for o in outcomes] == ["OperationalError"] * 6
    assert calls == [6]  # no retries one by one: no event of the group was to blame


def test_too_many_waiting_events_are_refused_not_buffered(service: Service) -> None:
    st = service.app.state.pantau
    stats = GroupStats()
    commit = GroupCommit(lambda actor, events: store_group(st, actor, events), stats, max_pending=4)
    outcomes = _submit_all(commit, _events(6))
    assert [type(o).__name__ for o in outcomes] == ["Stored"] * 4 + ["Busy"] * 2
    assert counts(service)["Event"] == 4


def test_a_group_holds_one_platform_tokens_events(service: Service) -> None:
    st = service.app.state.pantau
    seen: list[tuple[str, list[str]]] = []

    def write(actor: str, events: Sequence[EventIn]) -> list[Stored]:
        seen.append((actor, [e.event_id for e in events]))
        return store_group(st, actor, events)

    events = _events(6)

    async def run() -> list[Any]:
        commit = GroupCommit(write, GroupStats())
        return await asyncio.gather(*(commit.submit(e, "platform:a" if i % 2 else "platform:b")
                                      for i, e in enumerate(events)))

    outcomes = in_new_loop(run())
    assert [o.record["event_id"] for o in outcomes] == [e.event_id for e in events]
    assert seen == [("platform:b", ["q0", "q2", "q4"]), ("platform:a", ["q1", "q3", "q5"])]


def test_an_accounts_last_seen_moves_hourly_not_per_event(service: Service) -> None:
    h = service.headers(Role.PLATFORM)

    def last_seen() -> datetime:
        with service.sessions() as session:
            seen = session.execute(select(Account.last_seen).where(Account.id == "acc-1")).scalar_one()
        return seen.replace(tzinfo=seen.tzinfo or UTC)

    assert service.client.post("/v1/events", json=profile("s1", "cari teman"), headers=h).status_code == 200
    first = last_seen()
    assert service.client.post("/v1/events", json=profile("s2", "cari teman lari"), headers=h).status_code == 200
    assert last_seen() == first  # seen again within the hour: not written again
    with transaction(service.sessions) as session:
        session.execute(update(Account).values(last_seen=first - SEEN_RESOLUTION))
    batch = {"events": [profile("s3", "cari teman ngopi"), profile("s4", "ada yang mau mabar?")]}
    assert service.client.post("/v1/events/batch", json=batch, headers=h).status_code == 200
    assert last_seen() > first - SEEN_RESOLUTION + timedelta(minutes=59)  # stale: written again, once


def test_a_batch_that_loses_a_race_for_a_case_is_stored_once_on_retry(service: Service, pipeline: Pipeline) -> None:
    """Another process opens the account's case between this transaction's look-up and its insert
    (PostgreSQL runs such transactions side by side; SQLite never does): the unique index fails this
    one, the retry joins the other's case, and the caller sees only its decision."""
    if service.settings.embedded:
        pytest.skip("SQLite runs one transaction at a time: there is no such race")
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    raced = []

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _other_writer_first(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO cases") and not raced:
            raced.append(True)
            with transaction(service.sessions) as other:  # another process's transaction, committed first
                other.add(Case(account_id="acc-race", status="open", child_safety=False, max_score=0.5,
                               events_count=1, opened_at=datetime.now(UTC)))

    with transaction(service.sessions) as session:  # the account is known (seen a minute ago)
        session.add(Account(id="acc-race", first_seen=datetime.now(UTC), last_seen=datetime.now(UTC)))
    events = TypeAdapter(list[EventIn]).validate_python([profile("r1", "open BO 300 include room", "acc-race")])
    [stored] = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    assert raced and not stored.replayed and stored.record["action"] == "hide_nearby"
    with service.sessions() as session:
        cases = session.execute(select(Case).where(Case.account_id == "acc-race")).scalars().all()
        assert len(cases) == 1 and cases[0].events_count == 2  # the other's event and this one, one case
        assert session.execute(select(Event.case_id).where(Event.event_id == "r1")).scalar_one() == cases[0].id


def test_a_case_closed_by_a_reviewer_before_the_batch_locks_it_is_not_joined(service: Service,
                                                                             pipeline: Pipeline) -> None:
    """A batch reads an account's open case without a lock and locks it only at the end. A reviewer
    who closes that case in between (PostgreSQL runs both side by side) makes the batch start again:
    its event opens a new case, with its own automatic action, and the closed case keeps its count."""
    if service.settings.embedded:
        pytest.skip("SQLite runs one transaction at a time: there is no such race")
    h = service.headers(Role.PLATFORM)
    first = service.client.post("/v1/events", json=profile("cc1", "open BO 300 include room", "acc-cc"), headers=h)
    assert first.status_code == 200 and first.json()["action"] == "hide_nearby"
    old_case = first.json()["case_id"]
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    closed = []

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _reviewer_first(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT cases.id") and "FOR NO KEY UPDATE" in statement and not closed:
            closed.append(True)  # a reviewer's decision, committed before the batch locks the case
            with transaction(service.sessions) as other:
                other.execute(update(Case).where(Case.id == old_case).values(status="closed", outcome="dismissed",
                                                                             closed_at=datetime.now(UTC)))

    events = TypeAdapter(list[EventIn]).validate_python([profile("cc2", "ready ST 250 LT 700 kamar ada", "acc-cc")])
    [stored] = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    assert closed and not stored.replayed and stored.record["action"] == "hide_nearby"
    with service.sessions() as session:
        cases = {c.id: c for c in session.execute(select(Case).where(Case.account_id == "acc-cc")).scalars()}
        new_case = stored.record["case_id"]
        assert new_case != old_case and cases[new_case].status == "open" and cases[new_case].events_count == 1
        assert cases[old_case].status == "closed" and cases[old_case].events_count == 1  # not bumped by cc2
        assert session.execute(select(Event.case_id).where(Event.event_id == "cc2")).scalar_one() == new_case
        hides = session.execute(select(ActionRecord.case_id).where(ActionRecord.type == "hide_nearby")).scalars()
        assert sorted(hides) == sorted([old_case, new_case])  # one automatic hide per case, none twice
    engine.dispose()


def test_a_dismissal_made_while_a_batch_takes_an_automatic_action_restores_it(service: Service,
                                                                              pipeline: Pipeline) -> None:
    """A reviewer dismisses a case while a batch that joined it is taking an automatic hide: the
    decision waits for the batch's commit (both lock the case FOR NO KEY UPDATE), sees the hide and
    restores the account. Without that lock the dismissal closed the case and the hide stayed."""
    if service.settings.embedded:
        pytest.skip("SQLite runs one transaction at a time: there is no such race")
    report = {"event_id": "dm0", "kind": "user_report", "occurred_at": NOW, "reporter_id": "rep-1",
              "reported_account_id": "acc-dm", "reason": "spam", "text": "akun ini aneh"}
    r = service.client.post("/v1/events", json=report, headers=service.headers(Role.PLATFORM))
    case_id = r.json()["case_id"]
    assert r.status_code == 200 and case_id is not None  # a report opens a case, with no automatic action
    mod = service.headers(Role.MODERATOR)
    assert service.client.post(f"/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    decided: list[int] = []
    reviewer = ThreadPoolExecutor(1)
    futures = []

    def dismiss() -> None:
        r = service.client.post(f"/v1/cases/{case_id}/decide", headers=mod,
                                json={"decision": "dismiss", "reason": "tidak terbukti / not shown"})
        decided.append(r.status_code)

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _reviewer_meanwhile(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT actions.case_id") and not futures:  # the batch holds the case now
            futures.append(reviewer.submit(dismiss))
            time.sleep(0.5)  # the reviewer reaches the case lock and waits there
            assert not decided, "the dismissal did not wait for the batch"

    events = TypeAdapter(list[EventIn]).validate_python([profile("dm1", "open BO 300 include room", "acc-dm")])
    [stored] = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    futures[0].result(timeout=30)
    reviewer.shutdown()
    assert stored.record["case_id"] == case_id and decided == [200]
    with service.sessions() as session:
        kinds = session.execute(select(ActionRecord.type).where(ActionRecord.case_id == case_id)
                                .order_by(ActionRecord.id)).scalars().all()
        assert kinds == ["hide_nearby", "restore"]
        assert session.get(Case, case_id).status == "closed"  # type: ignore[union-attr]
    engine.dispose()


def test_a_case_can_be_claimed_while_batches_write_events_into_it(service: Service, pipeline: Pipeline) -> None:
    """A batch writing events that refer to a case holds FOR KEY SHARE on it until commit; a claim
    locks the case FOR NO KEY UPDATE, which does not wait for that (FOR UPDATE did: on an account
    with steady traffic overlapping batches kept the case locked and a claim could starve)."""
    if service.settings.embedded:
        pytest.skip("SQLite runs one transaction at a time: there is no such race")
    h = service.headers(Role.PLATFORM)
    first = service.client.post("/v1/events", json=profile("kc1", "open BO 300 include room", "acc-kc"), headers=h)
    case_id = first.json()["case_id"]
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    claimed = threading.Event()
    waited: list[bool] = []
    mod = service.headers(Role.MODERATOR)

    def claim() -> None:
        if service.client.post(f"/v1/cases/{case_id}/claim", headers=mod).status_code == 200:
            claimed.set()

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _claim_meanwhile(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if "FOR NO KEY UPDATE" in statement and statement.startswith("SELECT cases.id") and not waited:
            thread = threading.Thread(target=claim)  # the batch's events already refer to the case
            thread.start()
            waited.append(claimed.wait(10))
            thread.join(30)

    events = TypeAdapter(list[EventIn]).validate_python([profile("kc2", "ready ST 250 LT 700 kamar ada", "acc-kc")])
    [stored] = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    assert stored.record["case_id"] == case_id
    assert waited == [True]  # claimed while the batch was still open
    with service.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.claimed_by is not None and case.events_count == 2
    engine.dispose()


def test_a_nul_character_in_free_text_is_stored_as_a_replacement_character(service: Service) -> None:
    """PostgreSQL's text cannot hold U+0000 (it used to answer 500); every backend now stores the
    text with U+FFFD in its place, one character for one, so spans still point into the text as sent."""
    h = service.headers(Role.PLATFORM)
    r = service.client.post("/v1/events", json=profile("nul1", "open BO\x00 300 include room", "acc-nul"), headers=h)
    assert r.status_code == 200, r.text
    decision = r.json()
    assert decision["action"] == "hide_nearby"
    sent = "Ayu\nopen BO\x00 300 include room"
    assert all(sent[s["start"]:s["end"]].replace("\x00", "\ufffd") == s["text"] for s in decision["signals"])
    batch = {"events": [{"event_id": "nul2", "kind": "status_post", "occurred_at": NOW, "account_id": "acc-nul",
                         "text": "hai\x00 kak"},
                        {"event_id": "nul3", "kind": "user_report", "occurred_at": NOW, "reporter_id": "r-1",
                         "reported_account_id": "acc-nul", "reason": "spam\x00", "text": "dia jual\x00an"}]}
    r = service.client.post("/v1/events/batch", json=batch, headers=h)
    assert r.status_code == 200, r.text
    with service.sessions() as session:
        stored = dict(session.execute(select(Event.event_id, Event.text)).all())
        details = session.execute(select(Event.details).where(Event.event_id == "nul3")).scalar_one()
    assert stored == {"nul1": "Ayu\nopen BO\ufffd 300 include room", "nul2": "hai\ufffd kak",
                      "nul3": "dia jual\ufffdan"}
    assert details == {"reason": "spam\ufffd"}
    case_id = decision["case_id"]
    mod = service.headers(Role.MODERATOR)
    assert service.client.post(f"/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    r = service.client.post(f"/v1/cases/{case_id}/decide", headers=mod,
                            json={"decision": "confirm", "action": "hide_nearby", "reason": "BO\x00 dengan tarif"})
    assert r.status_code == 200, r.text
    with service.sessions() as session:
        action_id = session.execute(select(ActionRecord.id).where(ActionRecord.decided_by.is_not(None))).scalar_one()
    appeal = {"action_id": action_id, "account_id": "acc-nul", "statement": "saya tidak\x00 menawarkan"}
    r = service.client.post("/v1/appeals", headers=h, json=appeal)
    assert r.status_code == 200, r.text
    assert r.json()["statement"] == "saya tidak\ufffd menawarkan"
    assert service.client.post("/v1/appeals", headers=h, json=appeal | {"account_id": "acc\x00nul"}).status_code == 422


def test_an_event_stored_meanwhile_by_another_process_is_answered_as_a_replay(service: Service,
                                                                               pipeline: Pipeline) -> None:
    """Another process stores the same event between this transaction's look-up of known events and
    its write (PostgreSQL runs them side by side): the write fails on the event's key, the retry
    finds the stored event, and the caller gets its decision as a replay — not an error."""
    if service.settings.embedded:
        pytest.skip("SQLite runs one transaction at a time: there is no such race")
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    events = TypeAdapter(list[EventIn]).validate_python([profile("race-e1", "open BO 300 include room", "acc-r2")])
    raced = []

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _other_writer_first(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT accounts.id") and not raced:
            raced.append(True)  # the same event, stored and committed by another process first
            ingest_in_transaction(service.sessions, pipeline, events, "platform:test", b"k" * 32)

    [stored] = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    assert raced and stored.replayed and stored.record["action"] == "hide_nearby"
    assert counts(service)["Event"] == 1 and counts(service)["Case"] == 1
    engine.dispose()


class _DeadlockDetected(Exception):
    sqlstate = "40P01"  # as psycopg's errors.DeadlockDetected carries it


def test_a_transaction_broken_out_of_a_deadlock_is_tried_again(service: Service, pipeline: Pipeline) -> None:
    """PostgreSQL ends a deadlock by failing one transaction in it; that batch is written again
    (and stored once), while a database that is down still fails at once."""
    engine = make_engine(service.settings)
    sessions = session_factory(engine)
    failures = [OperationalError("SELECT accounts …", {}, _DeadlockDetected("deadlock detected"))]

    @sqlalchemy.event.listens_for(engine, "before_cursor_execute")
    def _broken_once(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT accounts.id") and failures:
            raise failures.pop()

    events = _events(3)
    stored = ingest_in_transaction(sessions, pipeline, events, "platform:test", b"k" * 32)
    assert not failures and [s.record["event_id"] for s in stored] == ["q0", "q1", "q2"]
    assert not any(s.replayed for s in stored) and counts(service)["Event"] == 3
    failures.append(OperationalError("SELECT accounts …", {}, Exception("could not connect to server")))
    with pytest.raises(OperationalError):
        ingest_in_transaction(sessions, pipeline, _events(4)[3:], "platform:test", b"k" * 32)
    assert counts(service)["Event"] == 3
    engine.dispose()


def test_platform_events_cannot_use_the_field_report_account_namespace(service: Service) -> None:
    """Officials' field reports open cases under "field-report:…" accounts; a platform event naming one
    would join that case (and its frozen evidence) and send a webhook about a made-up account."""
    body = profile("fr-x", "open BO") | {"account_id": "field-report:fr-0123"}
    r = service.client.post("/v1/events", json=body, headers=service.headers(Role.PLATFORM))
    assert r.status_code == 422 and "pantau's own" in r.text


def test_an_event_id_reused_for_a_different_event_is_a_conflict(service: Service) -> None:
    """A replay returns the stored decision; the same id with other content was answered "replayed"
    and the new event silently dropped (an offer never stored)."""
    headers = service.headers(Role.PLATFORM)
    first = profile("dup-1", "halo semua") | {"account_id": "acc-dup-1"}
    assert service.client.post("/v1/events", json=first, headers=headers).status_code == 200
    again = service.client.post("/v1/events", json=first, headers=headers)
    assert again.status_code == 200 and again.json()["replayed"] is True
    other = profile("dup-1", "open BO ST 300 LT 700") | {"account_id": "acc-dup-2"}
    r = service.client.post("/v1/events", json=other, headers=headers)
    assert r.status_code == 409 and "dup-1" in r.json()["error"]
    batch = [profile("dup-2", "halo"), profile("dup-2", "open BO ST 300")]
    r = service.client.post("/v1/events/batch", json={"events": batch}, headers=headers)
    assert r.status_code == 409 and "twice in the batch" in r.json()["error"]
    with service.sessions() as session:
        assert session.get(Event, "dup-2") is None  # nothing of the refused batch is stored
