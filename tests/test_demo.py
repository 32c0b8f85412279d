"""`pantau demo`: a simulated week through the real pipeline and storage, and what each role then sees."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from pantau import regions
from pantau.auth import Role, authenticate
from pantau.config import Settings
from pantau.demo import DEMO_USERS, WIB, DemoExists, DemoReport, run_demo
from pantau.errors import PantauError
from pantau.pipeline import Pipeline
from pantau.stats import region_stats
from pantau.store.db import make_engine, session_factory, transaction
from pantau.store.schema import Case, ChildSafetyRecord, Event, User

EVENTS, SEED = 600, 7


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.default()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Settings, DemoReport]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data", hash_key=SecretStr("k" * 32),
                        webhook_secret=SecretStr("w" * 32))
    ticks: list[int] = []
    report = run_demo(settings, events=EVENTS, seed=SEED, pipeline=pipeline,
                      progress=lambda done, total: ticks.append(done))
    assert ticks[-1] == EVENTS and len(ticks) == 2  # batches of 500
    return settings, report


def test_events_stored_and_decided(demo: tuple[Settings, DemoReport]) -> None:
    settings, report = demo
    assert sum(report.events_by_kind.values()) == EVENTS
    assert set(report.events_by_kind) == {"profile", "status_post", "user_report", "field_report"}
    with transaction(session_factory(make_engine(settings))) as session:
        stored = session.execute(select(func.count(Event.event_id)).where(Event.event_id.like(f"demo-r1-s{SEED}-%")))
        assert stored.scalar_one() == EVENTS
        kinds = {kind: n for kind, n in session.execute(select(Event.kind, func.count()).group_by(Event.kind))}
        assert kinds == dict(report.events_by_kind)
        escalated = session.execute(select(func.count()).where(Event.action == "escalate_child_safety")).scalar_one()
        assert escalated >= 1 and report.decisions["escalate_child_safety"] == escalated
        assert session.execute(select(func.count(ChildSafetyRecord.id))).scalar_one() >= 1
        cases = session.execute(select(func.count(Case.id))).scalar_one()
        assert cases == report.cases_opened > 0
        # the week: every event inside the seven days before the run's "now". SQLite keeps the wall time of
        # "…+07:00" without its offset (PostgreSQL converts), hence seven hours of slack on a naive value.
        times = session.execute(select(func.min(Event.occurred_at), func.max(Event.occurred_at))).one()
        slack = timedelta(hours=7)
        first, last = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in times)
        assert report.start - slack <= first and last <= report.end + slack
        assert last - first > timedelta(days=6)
        assert report.intents["offer"] > 20 and report.intents["child"] >= 3 and report.intents["field"] >= 3


def test_offers_cluster_in_lowokwaru(demo: tuple[Settings, DemoReport]) -> None:
    settings, report = demo
    with transaction(session_factory(make_engine(settings))) as session:
        rows = session.execute(select(Event.kecamatan, Event.kelurahan).where(
            Event.solicitation.is_(True), Event.kind.in_(["profile", "status_post"]),
            Event.kecamatan.is_not(None))).all()
    in_lowokwaru = sum(1 for kec, _ in rows if kec == "35.73.05")
    assert len(rows) > 20 and in_lowokwaru / len(rows) > 0.5
    tlogomas = sum(1 for _, kel in rows if kel == "35.73.05.1003")
    assert tlogomas == max(sum(1 for _, k in rows if k == kel) for kel in {k for _, k in rows})  # the hotspot
    assert report.offers_by_kecamatan.most_common(1)[0][0] == "35.73.05"


def test_users_created_with_working_tokens(demo: tuple[Settings, DemoReport]) -> None:
    settings, report = demo
    assert [u.name for u, _ in report.users] == [u.name for u in DEMO_USERS]
    tokens = {u.name: t for u, t in report.users}
    assert all(tokens.values())
    with transaction(session_factory(make_engine(settings))) as session:
        assert set(session.execute(select(User.name)).scalars()) == set(tokens)
        camat = authenticate(session, tokens["demo-camat-lowokwaru"])
        lurah = authenticate(session, tokens["demo-lurah-tlogomas"])
        officer = authenticate(session, tokens["demo-child-safety"])
    assert camat is not None and camat.role is Role.REGIONAL_OFFICIAL and camat.regions == ("35.73.05",)
    assert lurah is not None and lurah.regions == ("35.73.05.1003",)
    assert officer is not None and officer.role is Role.CHILD_SAFETY_OFFICER


def test_camat_sees_a_figure_but_no_account(demo: tuple[Settings, DemoReport]) -> None:
    settings, report = demo
    with transaction(session_factory(make_engine(settings))) as session:
        stats = region_stats(session, "35.73.05", regions.children("35.73.05"), report.start, report.end,
                             zone=WIB)
        accounts = set(session.execute(select(Event.account_id).where(Event.account_id.is_not(None))).scalars())
    # the simulated week is one whole ISO week, actions included (decided at the simulated times)
    [week] = stats["weeks"]
    assert week["actions_hide_nearby"]["display"] not in ("0", "< 10"), week
    assert [w for w, _ in report.camat_view] == [week["week"]]
    shown = [w["accounts_detected"] for w in stats["weeks"] if not w["accounts_detected"]["suppressed"]]
    assert any(cell["value"] and cell["value"] >= 10 for cell in shown), stats["weeks"]
    text = json.dumps(stats)
    assert "demo-acc" not in text and not any(a in text for a in accounts)


def test_rerun_needs_again_and_adds_a_week(demo: tuple[Settings, DemoReport], pipeline: Pipeline) -> None:
    settings, _ = demo
    with pytest.raises(DemoExists, match="already has a demo"):
        run_demo(settings, events=EVENTS, seed=SEED, pipeline=pipeline)
    first = demo[1]
    again = run_demo(settings, events=200, seed=SEED, pipeline=pipeline, again=True)
    assert again.run == 2 and all(token is None for _, token in again.users)  # users exist: tokens not shown again
    assert again.end == first.start and again.start == first.start - timedelta(days=7)  # the week before
    with transaction(session_factory(make_engine(settings))) as session:
        second = session.execute(select(func.count()).where(Event.event_id.like(f"demo-r2-s{SEED}-%"))).scalar_one()
    assert second == 200


def test_refuses_a_server_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://demo:pw@db.invalid/pantau",
                        hash_key=SecretStr("k" * 32), webhook_secret=SecretStr("w" * 32))
    with pytest.raises(PantauError, match="server database") as caught:
        run_demo(settings, events=EVENTS)
    assert "pw" not in str(caught.value)  # the password is not echoed


def test_no_regional_endpoint_leaks_a_person_over_the_whole_demo(demo: tuple[Settings, DemoReport],
                                                                  pipeline: Pipeline) -> None:
    """Every regional endpoint, for every official of the demo, over every region in their scope:
    no account id, no text, no display name, no coordinate in any response."""
    import re

    from fastapi.testclient import TestClient

    from pantau.api.app import create_app

    settings, report = demo
    client = TestClient(create_app(settings, pipeline))
    with session_factory(make_engine(settings))() as session:
        events = session.execute(select(Event.account_id, Event.text)).all()
    accounts = {a for a, _ in events if a}
    texts = {t for _, t in events if len(t) >= 12}
    assert len(accounts) > 100 and len(texts) > 100
    coordinate = re.compile(r"-7\.\d{3,}|112\.\d{3,}")
    officials = [(u, token) for u, token in report.users if u.role is Role.REGIONAL_OFFICIAL and token]
    assert len(officials) == 3
    responses = 0
    for user, token in officials:
        headers = {"Authorization": f"Bearer {token}"}
        for scope in user.regions:
            codes = [scope, *regions.children(scope)]
            for code in codes:
                for path in (f"/v1/regions/{code}/stats", f"/v1/regions/{code}/hotspots",
                             f"/v1/regions/{code}/report.html"):
                    r = client.get(path, headers=headers)
                    assert r.status_code == 200, (path, r.text[:200])
                    body = r.text
                    responses += 1
                    assert not any(a in body for a in accounts), path
                    assert not any(t in body for t in texts), path
                    if not path.endswith(".html"):  # the report's SVG has millimetre coordinates of its own
                        assert not coordinate.search(body), path
        outside = "35.73.02" if user.regions[0].startswith("35.73.05") else "35.73.05"
        assert client.get(f"/v1/regions/{outside}/stats", headers=headers).status_code == 403
    assert responses >= 70  # 13 + 1 + 12 regions, three endpoints each
