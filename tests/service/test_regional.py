"""Regional monitoring: a camat sees aggregates for their kecamatan only — never people."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pantau.auth import Role, add_user
from pantau.store.db import transaction
from tests.service.conftest import Service
from tests.test_cli import PANTAU

NOW = "2026-11-24T21:00:00+07:00"  # ISO week 2026-W48
TUNGGULWULUNG, MERJOSARI, TLOGOMAS = "35.73.05.1001", "35.73.05.1002", "35.73.05.1003"


def post(service: Service, events: list[dict]) -> list[dict]:
    r = service.client.post("/v1/events/batch", json={"events": events}, headers=service.headers(Role.PLATFORM))
    assert r.status_code == 200, r.text
    return r.json()["decisions"]


def offers(n: int, region: str, prefix: str) -> list[dict]:
    return [{"event_id": f"{prefix}-{i}", "kind": "profile", "occurred_at": NOW, "account_id": f"{prefix}-acc-{i}",
             "display_name": f"Nama{i}", "status": f"open BO {300 + i} include room", "region_code": region}
            for i in range(n)]


@pytest.fixture
def camat(service: Service) -> dict[str, str]:
    with transaction(service.sessions) as session:
        token = add_user(session, "camat-lowokwaru", Role.REGIONAL_OFFICIAL, ["35.73.05"])
    return {"Authorization": f"Bearer {token}"}


def test_camat_sees_own_kecamatan_not_another(service: Service, camat: dict[str, str]) -> None:
    post(service, offers(25, TLOGOMAS, "t") + offers(3, MERJOSARI, "m") + offers(16, TUNGGULWULUNG, "w"))
    r = service.client.get("/v1/regions/35.73.05/stats?from=2026-11-23&to=2026-11-29", headers=camat)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Lowokwaru"
    week = body["weeks"][0]
    assert week["week"] == "2026-W48"
    assert week["accounts_detected"] == {"value": 44, "display": "44", "suppressed": False}
    by_code = {c["code"]: c["weeks"][0] for c in body["children"]}
    assert by_code[TLOGOMAS]["accounts_detected"]["value"] == 25
    # Merjosari's 3 accounts are suppressed, and so is the smallest other cell (Tunggulwulung's 16):
    # 44 − 25 = 19 tells only the sum of two hidden cells; knowing the complement stands for 10 or
    # more leaves Merjosari anywhere from 1 to 9
    assert by_code[MERJOSARI]["accounts_detected"] == {"value": None, "display": "< 10", "suppressed": True}
    assert by_code[TUNGGULWULUNG]["accounts_detected"]["suppressed"] is True
    assert by_code[TUNGGULWULUNG]["accounts_detected"]["complementary"] is True
    assert service.client.get("/v1/regions/35.73.02/stats", headers=camat).status_code == 403  # Klojen
    assert service.client.get("/v1/regions/35.73/stats", headers=camat).status_code == 403  # the whole city
    assert service.client.get(f"/v1/regions/{TLOGOMAS}/stats", headers=camat).status_code == 200  # below: fine


def test_no_person_level_data_leaves_regional_endpoints(service: Service, camat: dict[str, str]) -> None:
    events = offers(11, TLOGOMAS, "p")
    for i, e in enumerate(events):
        e["location"] = {"lat": -7.9301 + i / 10000, "lon": 112.6101}  # near Tlogomas
        e.pop("region_code")
    decisions = post(service, events)
    assert all(d["action"] == "hide_nearby" for d in decisions)
    text = json.dumps([service.client.get(f"/v1/regions/{code}/stats?from=2026-11-23&to=2026-11-29",
                                          headers=camat).json() for code in ("35.73.05", TLOGOMAS)])
    for e in events:
        assert e["account_id"] not in text and e["display_name"] not in text and e["status"] not in text
        assert "112.61" not in text and "-7.93" not in text
    assert "p-acc" not in text and "open BO" not in text


def test_unknown_or_malformed_region(service: Service, camat: dict[str, str]) -> None:
    assert service.client.get("/v1/regions/99.99.99/stats", headers=camat).status_code == 404
    assert service.client.get("/v1/regions/malang/stats", headers=camat).status_code == 422
    r = service.client.get("/v1/regions/35.73.05/stats?from=2026-12-01&to=2026-11-01", headers=camat)
    assert r.status_code == 400 and "after" in r.json()["error"]
    for path in ("stats", "hotspots", "report.pdf", "report.html"):
        for day in ("9999-12-31", "0001-01-01"):  # their calendar arithmetic had overflowed: a 500
            r = service.client.get(f"/v1/regions/35.73.05/{path}?to={day}", headers=camat)
            assert r.status_code == 400 and "out of range" in r.json()["error"], (path, day)
        r = service.client.get(f"/v1/regions/35.73.05/{path}?to=2099-06-01", headers=camat)
        assert r.status_code == 400 and "in the future" in r.json()["error"]  # it showed zeros for weeks to come


def test_field_report_times_are_checked_like_events(service: Service, camat: dict[str, str]) -> None:
    for when, message in (("2026-11-29T20:00:00", "time zone"), ("2099-11-29T20:00:00+07:00", "in the future"),
                          ("0001-01-01T00:00:00+07:00", "before 2000-01-01")):
        r = service.client.post("/v1/field-reports", headers=camat,
                                json={"text": "ada status open BO", "occurred_at": when, "region_code": TLOGOMAS})
        assert r.status_code == 422 and message in r.text, (when, r.text)


def test_regions_import_reports_problems(service: Service, tmp_path: Path) -> None:
    square = [[[112.60, -7.94], [112.62, -7.94], [112.62, -7.92], [112.60, -7.92], [112.60, -7.94]]]
    bowtie = [[[112.60, -7.94], [112.62, -7.92], [112.62, -7.94], [112.60, -7.92], [112.60, -7.94]]]
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kode": TLOGOMAS}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"kode": "99.99.99.9999"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"kode": MERJOSARI}, "geometry": {"type": "Polygon", "coordinates": bowtie}},
    ]}
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(geojson))
    env = {**os.environ, "PANTAU_DATA_DIR": str(service.settings.data_dir), "PANTAU_HASH_KEY": "k" * 32,
           "PANTAU_WEBHOOK_SECRET": "w" * 32}
    if service.settings.database_url:
        env["PANTAU_DATABASE_URL"] = service.settings.database_url
    result = subprocess.run([PANTAU, "regions", "import", str(path)], env=env, capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "99.99.99.9999" in result.stdout and "Self-intersection" in result.stdout
    assert "imported 1 boundaries" in result.stderr


def test_hotspot_is_shown_coarsened_and_flagged_emerging(service: Service, camat: dict[str, str]) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    wib = timezone(timedelta(hours=7))
    today = datetime.now(UTC).astimezone(wib).date()
    saturday = today - timedelta(days=today.weekday() + 2)  # in the last complete week
    when = datetime(saturday.year, saturday.month, saturday.day, 21, tzinfo=wib)
    occurred = when.isoformat()
    cluster = offers(12, TLOGOMAS, "h")
    for i, e in enumerate(cluster):  # a dozen accounts within a few hundred metres
        e.pop("region_code")
        e["location"] = {"lat": -7.9290 + (i % 3) / 2000, "lon": 112.6030 + (i % 4) / 2000}
        e["occurred_at"] = occurred
    lone = offers(2, TLOGOMAS, "x")
    for e in lone:  # two accounts far away: never a cell of their own
        e.pop("region_code")
        e["location"] = {"lat": -7.9450, "lon": 112.6150}
        e["occurred_at"] = occurred
    post(service, cluster + lone)
    body = service.client.get(f"/v1/regions/35.73.05/hotspots?to={saturday.isoformat()}", headers=camat).json()
    assert body["cells"], body
    top = body["cells"][0]
    # "k or more", never the count nor a band: 12 accounts read "≥ 10"
    assert top["accounts"] == "≥ 10" and top["emerging"] is True and top["resolution"] <= 8
    assert all(c["accounts_at_least"] >= 10 for c in body["cells"])
    assert top["previous_week"] == {"display": "0", "suppressed": False} and top["change"] == "naik / up"
    # the default is the last complete week: the same
    assert service.client.get("/v1/regions/35.73.05/hotspots", headers=camat).json()["cells"] == body["cells"]
    assert "h-acc" not in json.dumps(body) and "x-acc" not in json.dumps(body)
    assert service.client.get("/v1/regions/35.73.02/hotspots", headers=camat).status_code == 403


def test_field_report_is_classified_counted_and_shows_only_its_status(service: Service,
                                                                     camat: dict[str, str]) -> None:
    report = {"text": "ada status 'dedek 15th ready ST 400' di Sekitar", "place": "dekat kampus",
              "occurred_at": NOW, "region_code": TLOGOMAS}
    r = service.client.post("/v1/field-reports", json=report, headers=camat)
    assert r.status_code == 200, r.text
    out = r.json()
    assert set(out) == {"id", "occurred_at", "place", "status_id", "status_en"}  # no decision, no account
    assert out["status_en"] == "referred to child protection"
    # the child-protection officer sees it as an escalation of its own (no platform account is known)
    officer = service.headers(Role.CHILD_SAFETY_OFFICER)
    [record] = service.client.get("/v1/child-safety", headers=officer).json()
    case = service.client.get(f"/v1/cases/{record['case_id']}", headers=officer).json()
    assert case["account_id"] == f"field-report:{out['id']}" and case["child_safety"] is True
    assert case["actions"] == []  # nothing is sent to the platform about an account nobody named
    mine = service.client.get("/v1/field-reports", headers=camat).json()
    assert [m["id"] for m in mine] == [out["id"]]
    other = service.headers(Role.REGIONAL_OFFICIAL)  # the fixture's other official
    assert service.client.get("/v1/field-reports", headers=other).json() == []
    outside = report | {"region_code": "35.73.02.1001"}
    assert service.client.post("/v1/field-reports", json=outside, headers=camat).status_code == 403
    week = service.client.get("/v1/regions/35.73.05/stats?from=2026-11-23&to=2026-11-29", headers=camat).json()
    assert week["weeks"][0]["field_reports"]["display"] == "< 10"  # counted, and small counts stay hidden
    # told as a report ("lapor: …"), the child is an officer's case too
    told = {"text": "lapor: ada akun pasang status open bo anak smp kelas 8 di Sekitar", "occurred_at": NOW,
            "region_code": TLOGOMAS}
    r = service.client.post("/v1/field-reports", json=told, headers=camat)
    assert r.status_code == 200 and r.json()["status_en"] == "referred to child protection"
    assert len(service.client.get("/v1/child-safety", headers=officer).json()) == 2


def test_weekly_report_numbers_match_the_stats_endpoint(service: Service, camat: dict[str, str], tmp_path: Path
                                                        ) -> None:
    import shutil

    post(service, offers(25, TLOGOMAS, "t") + offers(3, MERJOSARI, "m") + offers(16, TUNGGULWULUNG, "w"))
    week = service.client.get("/v1/regions/35.73.05/stats?to=2026-11-29", headers=camat).json()["weeks"][-1]
    html = service.client.get("/v1/regions/35.73.05/report.html?to=2026-11-29", headers=camat)
    assert html.status_code == 200 and "Lowokwaru" in html.text
    assert week["accounts_detected"]["display"] == "44" and ">44<" in html.text
    assert "https://" not in html.text and "http://" not in html.text  # nothing loads from the internet
    pdf = service.client.get("/v1/regions/35.73.05/report.pdf?to=2026-11-29", headers=camat)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert service.client.get("/v1/regions/35.73.02/report.pdf", headers=camat).status_code == 403
    if shutil.which("pdftotext"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf.content)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "44" in text and "SAPA 129" in text
        for prefix in ("t-acc", "m-acc", "w-acc", "open BO"):
            assert prefix not in text


def test_daily_figures_are_for_platform_staff_only(service: Service, camat: dict[str, str]) -> None:
    post(service, offers(12, TLOGOMAS, "d"))
    admin = service.client.get("/v1/regions/35.73.05/stats?from=2026-11-23&to=2026-11-29&granularity=day",
                               headers=service.headers(Role.ADMIN))
    assert admin.status_code == 200
    days = admin.json()["weeks"]
    assert [d["day"] for d in days][:2] == ["2026-11-23", "2026-11-24"] and len(days) == 7
    assert days[1]["accounts_detected"]["value"] == 12  # 24 Nov, 21:00 WIB
    r = service.client.get("/v1/regions/35.73.05/stats?granularity=day", headers=camat)
    assert r.status_code == 403 and "ISO weeks" in r.json()["error"]


def test_k_is_a_setting_and_never_below_5(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from pantau.config import Settings

    assert Settings(suppression_k=20).suppression_k == 20
    with pytest.raises(ValidationError, match="greater than or equal to 5"):
        Settings(suppression_k=3)


def test_an_official_files_field_reports_only_in_their_own_area(service: Service, camat: dict[str, str]) -> None:
    klojen = {"lat": -7.9732, "lon": 112.6346}  # the next kecamatan: another camat's figures
    r = service.client.post("/v1/field-reports", headers=camat,
                            json={"text": "status open BO", "occurred_at": NOW, "location": klojen})
    assert r.status_code == 403 and "outside your area" in r.json()["error"]
    own = {"lat": -7.9301, "lon": 112.6101}  # Tlogomas, inside 35.73.05
    r = service.client.post("/v1/field-reports", headers=camat,
                            json={"text": "status open BO", "occurred_at": NOW, "location": own})
    assert r.status_code == 200, r.text
    platform_reports = [{"event_id": f"pf-{i}", "kind": "field_report", "occurred_at": NOW, "text": "open BO"}
                        for i in range(3)]
    post(service, platform_reports)
    mine = service.client.get("/v1/field-reports", headers=camat).json()
    assert [m["id"] for m in mine] == [r.json()["id"]]  # only the official's own, found in the database


def _week(service: Service, code: str, headers: dict[str, str], to: str = "2026-11-29") -> dict:
    r = service.client.get(f"/v1/regions/{code}/stats?from=2026-11-23&to={to}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_figure_hidden_in_the_kecamatan_stays_hidden_in_the_kelurahan(service: Service,
                                                                        camat: dict[str, str]) -> None:
    """3 accounts in one kelurahan are hidden, so a second one (16) is hidden beside them; asking for
    that kelurahan on its own must not give 16 back (74 − 25 − 30 − 16 = 3)."""
    post(service, offers(3, TUNGGULWULUNG, "a") + offers(16, MERJOSARI, "b") + offers(25, TLOGOMAS, "c")
         + offers(30, "35.73.05.1004", "d"))
    kecamatan = _week(service, "35.73.05", camat)
    assert kecamatan["weeks"][0]["accounts_detected"]["display"] == "74"
    shown = {c["code"]: c["weeks"][0]["accounts_detected"] for c in kecamatan["children"]}
    assert shown[TUNGGULWULUNG]["display"] == "< 10"
    assert shown[MERJOSARI]["display"] == "< 10" and shown[MERJOSARI]["complementary"] is True
    assert shown[TLOGOMAS]["display"] == "25" and shown["35.73.05.1004"]["display"] == "30"
    own = _week(service, MERJOSARI, camat)["weeks"][0]["accounts_detected"]
    assert own["suppressed"] is True and own["display"] == "< 10" and "16" not in json.dumps(own)
    assert _week(service, TLOGOMAS, camat)["weeks"][0]["accounts_detected"]["display"] == "25"


def test_weeks_are_whole_so_no_daily_figure_can_be_subtracted(service: Service, camat: dict[str, str]) -> None:
    monday = [e | {"occurred_at": "2026-11-23T10:00:00+07:00"} for e in offers(12, TLOGOMAS, "mon")]
    friday = [e | {"occurred_at": "2026-11-27T10:00:00+07:00"} for e in offers(11, TLOGOMAS, "fri")]
    post(service, monday + friday)
    figures = {to: _week(service, TLOGOMAS, camat, to)["weeks"] for to in ("2026-11-23", "2026-11-25", "2026-11-29")}
    for weeks in figures.values():
        assert [w["week"] for w in weeks] == ["2026-W48"]
        assert weeks[0]["accounts_detected"]["display"] == "23"  # the whole week, whatever day was asked for
    body = _week(service, TLOGOMAS, camat)
    assert (body["from"], body["to"], body["time_zone"]) == ("2026-11-23", "2026-11-29", "WIB")


def test_weeks_are_counted_in_local_time(service: Service, camat: dict[str, str]) -> None:
    """Monday 03:00 WIB is Sunday 20:00 UTC: the event belongs to the Monday's week (W48), not W47."""
    early = [e | {"occurred_at": "2026-11-23T03:00:00+07:00"} for e in offers(10, TLOGOMAS, "early")]
    post(service, early)
    body = service.client.get(f"/v1/regions/{TLOGOMAS}/stats?from=2026-11-16&to=2026-11-29", headers=camat).json()
    weeks = {w["week"]: w["accounts_detected"]["display"] for w in body["weeks"]}
    assert weeks == {"2026-W47": "0", "2026-W48": "10"}


def test_the_week_still_running_is_not_shown(service: Service, camat: dict[str, str]) -> None:
    from datetime import UTC, datetime, timedelta

    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    r = service.client.get(f"/v1/regions/{TLOGOMAS}/stats?from={today.isoformat()}&to={today.isoformat()}",
                           headers=camat)
    assert r.status_code == 400 and "no complete week" in r.json()["error"]
    last = service.client.get(f"/v1/regions/{TLOGOMAS}/stats", headers=camat).json()
    assert last["to"] == (today - timedelta(days=today.weekday() + 1)).isoformat()  # last Sunday
    assert len(last["weeks"]) == 8
