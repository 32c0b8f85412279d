"""The web console in a real browser: each role's path through it, and what each role cannot reach."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pantau import review
from pantau.actions import SAFETY_REVIEW_FACT
from pantau.auth import Principal, Role
from pantau.demo import find_kelurahan_geojson
from pantau.store.db import transaction
from pantau.store.schema import ActionRecord, Case, ChildSafetyRecord
from tests.browser.conftest import Console, audit_page, login

Open = Callable[[str | None], Page]
MODERATOR, SECOND_MODERATOR = "demo-moderator-budi", "demo-moderator-rina"
CAMAT, LURAH, OFFICER = "demo-camat-lowokwaru", "demo-lurah-tlogomas", "demo-child-safety"
LOWOKWARU, KLOJEN = "35.73.05", "35.73.02"


def queue_ids(page: Page) -> list[int]:
    return [int(v) for v in page.locator("table.queue tbody tr").evaluate_all("rows => rows.map(r => r.dataset.case)")]


def test_moderator_claims_top_case_sees_span_hides_account_and_case_leaves_queue(console: Console, open_as: Open
                                                                                 ) -> None:
    page = open_as(MODERATOR)
    page.goto("/console/review")
    expect(page.locator("h1")).to_have_text("Antrean tinjauan")
    top = queue_ids(page)[0]
    # child-safety cases are the officers': a moderator's queue holds the others, highest score first
    assert page.locator("table.queue .badge.cs").count() == 0
    audit_page(page, "review-queue")

    page.keyboard.press("c")  # the shortcut claims the top case
    page.wait_for_url(f"**/console/cases/{top}")
    marks = page.locator("article.event p.text mark")
    expect(marks.first).to_be_visible()
    assert marks.count() >= 1 and all(m.strip() for m in marks.all_inner_texts())
    expect(page.locator("details.normalised").first).not_to_have_attribute("open", "")
    page.keyboard.press("n")  # the normalised text, on demand
    expect(page.locator("details.normalised").first).to_have_attribute("open", "")
    audit_page(page, "case")

    page.get_by_label(re.compile("^Alasan")).fill("Menawarkan seks komersial dengan tarif.")
    page.get_by_role("button", name=re.compile("Sembunyikan dari Sekitar")).click()
    page.wait_for_url("**/console/review")
    expect(page.locator(".flash")).to_contain_text(f"kasus {top}")
    assert top not in queue_ids(page)
    with transaction(console.sessions) as db:
        case = db.get(Case, top)
        assert case is not None and case.status == "closed" and case.outcome == "confirmed:hide_nearby"
        hidden = db.execute(select(ActionRecord).where(ActionRecord.case_id == top, ActionRecord.automated.is_(False),
                                                       ActionRecord.type == "hide_nearby")).scalar_one()
        assert hidden.decided_by == console.users[MODERATOR].id
        statement = json.dumps(hidden.statement, ensure_ascii=False)
        # an ordinary case: the statement gives the reviewer's reason as the fact decided on
        assert not case.child_safety and SAFETY_REVIEW_FACT not in statement and "Menawarkan seks" in statement


def test_decision_needs_a_reason(console: Console, open_as: Open) -> None:
    page = open_as(SECOND_MODERATOR)
    page.goto("/console/review")
    case_id = queue_ids(page)[-1]
    page.locator(f'tr[data-case="{case_id}"] button').click()
    page.wait_for_url(f"**/console/cases/{case_id}")
    page.get_by_role("button", name=re.compile("Tolak")).click()  # empty reason: the browser refuses to send
    assert page.url.endswith(f"/console/cases/{case_id}")
    assert page.evaluate("document.activeElement.id") == "reason"
    page.get_by_role("button", name=re.compile("Kembalikan ke antrean")).click()
    page.wait_for_url("**/console/review")


def test_regional_official_sees_own_kelurahan_map_and_nothing_else(console: Console, open_as: Open) -> None:
    page = open_as(CAMAT)
    assert page.url.endswith(f"/console/regions/{LOWOKWARU}")
    # the last complete ISO week in WIB (the week still running is never shown): the demo's week
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    last = (today - timedelta(days=7)).isocalendar()
    expect(page.locator("h2").first).to_contain_text(f"{last.year}-W{last.week:02d}")
    assert page.get_by_role("link", name=re.compile("Minggu berikutnya")).count() == 0  # nothing later yet
    page.get_by_role("link", name=re.compile("Minggu sebelumnya")).click()
    before = (today - timedelta(days=14)).isocalendar()
    expect(page.locator("h2").first).to_contain_text(f"{before.year}-W{before.week:02d}")
    assert page.get_by_role("link", name=re.compile("Minggu berikutnya")).count() == 1
    page.goto(f"/console/regions/{LOWOKWARU}")
    regions = page.locator("svg.map g.region")
    titles = regions.locator("title").all_text_contents()
    assert regions.count() >= 1 and len(titles) == regions.count()
    assert all(re.fullmatch(r".+: (\d+|< \d+|-|≥ \d+)", t) for t in titles), titles  # cells: "≥ k"
    if find_kelurahan_geojson() is not None:  # the demo imported the shared boundaries: polygons, not cells
        assert page.locator("svg.map").get_attribute("data-mode") == "regions"
        assert regions.count() == 12  # Lowokwaru's twelve kelurahan
        assert any(t.startswith("Tlogomas: ") for t in titles)
    k = console.settings.suppression_k
    expect(page.locator(".privacy")).to_contain_text(f"< {k}")
    expect(page.locator("svg.trend rect").first).to_be_visible()
    assert "demo-acc-" not in page.content()  # nothing that identifies an account
    audit_page(page, "region-camat")

    for url in (f"/console/regions/{KLOJEN}", "/console/regions/35.73", "/console/review", "/console/cases/1",
                "/console/appeals", "/console/child-safety", "/console/admin", "/console/audit",
                "/console/child-safety/1/referral.pdf"):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        expect(page.locator("h1")).to_have_text("Akses ditolak")
    audit_page(page, "forbidden")

    page.goto(f"/console/regions/{LOWOKWARU}")
    page.get_by_label("Teks yang terlihat").fill("status 'open BO' di sekitar kampus, ST 300")
    page.get_by_label(re.compile("^Tempat")).fill("Jl. Sumbersari")
    page.get_by_label(re.compile("^Waktu")).fill("2026-01-05T21:30")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(f"**/console/regions/{LOWOKWARU}")
    expect(page.locator(".flash")).to_have_text("Laporan lapangan terkirim.")
    expect(page.locator("ul.reports li").first).to_contain_text("Jl. Sumbersari")
    pdf = page.request.get(f"/console/regions/{LOWOKWARU}/report.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_lurah_sees_only_their_kelurahan(open_as: Open) -> None:
    page = open_as(LURAH)
    assert page.url.endswith("/console/regions/35.73.05.1003")
    assert page.goto(f"/console/regions/{LOWOKWARU}").status == 403  # the kecamatan is above their scope
    page.goto("/console/regions/35.73.05.1003")
    audit_page(page, "region-lurah")


def test_posts_without_the_csrf_token_are_refused(console: Console, open_as: Open) -> None:
    page = open_as(SECOND_MODERATOR)
    page.goto("/console/review")
    case_id = queue_ids(page)[0]
    for form in ({}, {"csrf": "not-the-token"}):
        for url in (f"/console/cases/{case_id}/claim", f"/console/cases/{case_id}/decide", "/console/logout"):
            response = page.request.post(url, form={**form, "decision": "dismiss", "reason": "x"})
            assert response.status == 403, (url, form)
            assert "CSRF" in response.text()
    with transaction(console.sessions) as db:
        case = db.get(Case, case_id)
        assert case is not None and case.claimed_by is None and case.status == "open"  # nothing happened
    page.goto("/console/review")
    assert page.locator("h1").inner_text() == "Antrean tinjauan"  # still signed in: logout was refused too

    official = open_as(CAMAT)
    response = official.request.post(f"/console/regions/{LOWOKWARU}/field-reports",
                                      form={"text": "open BO", "occurred_at": "2026-01-05T21:30"})
    assert response.status == 403
    anonymous = open_as(None)
    anonymous.goto("/console/login")
    response = anonymous.request.post("/console/login", form={"token": console.tokens[MODERATOR], "csrf": "forged"})
    assert response.status == 403


def test_session_cookie_flags_and_logout(console: Console, open_as: Open) -> None:
    page = open_as(SECOND_MODERATOR)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "pantau_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    assert page.evaluate("document.cookie").find("pantau_session") == -1  # not readable by scripts
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/console/login?bye=1")
    audit_page(page, "login")
    page.goto("/console/review")
    assert "/console/login" in page.url  # the session has ended on the server


def test_child_safety_desk_exports_the_referral_package(console: Console, open_as: Open) -> None:
    page = open_as(OFFICER)
    assert page.goto("/console/child-safety").status == 200
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    case_id = int(rows.first.get_attribute("data-case") or 0)
    audit_page(page, "child-safety")
    with page.expect_download() as pdf:
        page.locator(f'a[href="/console/child-safety/{case_id}/referral.pdf"]').click()
    assert pdf.value.suggested_filename == f"rujukan-kasus-{case_id}.pdf"
    assert pdf.value.path().read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as package:
        page.locator(f'a[href="/console/child-safety/{case_id}/referral.json"]').click()
    document = json.loads(package.value.path().read_text(encoding="utf-8"))
    assert document["format"] == "pantau.child_safety_referral" and document["case"]["case_id"] == case_id
    with transaction(console.sessions) as db:
        record = db.execute(select(ChildSafetyRecord).where(ChildSafetyRecord.case_id == case_id)).scalar_one()
        assert record.status == "open" and record.exported_at is not None  # downloaded, not yet referred
    page.goto("/console/child-safety")
    page.locator(f"#via-{case_id}").fill("SAPA 129")
    page.get_by_role("button", name=re.compile(f"Tandai sudah dirujuk.*{case_id}")).click()
    expect(page.locator(".flash")).to_contain_text(f"Kasus {case_id} ditandai sudah dirujuk")
    with transaction(console.sessions) as db:
        record = db.execute(select(ChildSafetyRecord).where(ChildSafetyRecord.case_id == case_id)).scalar_one()
        assert record.status == "referred" and record.referred_via == "SAPA 129"
    page.goto("/console/child-safety")
    page.locator(f'a[href="/console/cases/{case_id}"]').click()  # the preserved evidence
    expect(page.locator("article.event").first).to_be_visible()

    moderator = open_as(MODERATOR)
    assert moderator.goto("/console/child-safety").status == 403


def test_admin_page_and_user_tokens(console: Console, open_as: Open) -> None:
    page = open_as("demo-admin")
    page.goto("/console/admin")
    expect(page.locator('[data-version="policy"]')).to_have_text(console.pipeline.policy.version)
    expect(page.locator('[data-version="model"]')).to_have_text(console.pipeline.versions["classifier"])
    assert int(page.locator('[data-webhooks="pending"]').inner_text()) >= 0
    audit_page(page, "admin")
    page.get_by_label("Nama").fill("moderator-baru")
    page.get_by_label("Peran").select_option("moderator")
    page.get_by_role("button", name="Buat").click()
    token = page.locator("code.token").inner_text()
    assert token.startswith("pt_")
    newcomer = open_as(None)
    login(newcomer, token)
    assert newcomer.url.endswith("/console/review")
    page.goto("/console/admin")
    page.locator('tr[data-user="moderator-baru"] button').click()
    expect(page.locator('tr[data-user="moderator-baru"]')).to_contain_text("nonaktif")
    newcomer.goto("/console/review")
    assert "/console/login" in newcomer.url  # disabling a user ends their session at once


def test_auditor_reads_the_audit_log(open_as: Open) -> None:
    page = open_as("demo-auditor")
    assert page.url.endswith("/console/audit")
    expect(page.locator('[data-chain="ok"]')).to_be_visible()
    actions = page.locator("table.audit tbody td:nth-child(4)").all_inner_texts()
    assert "login" in actions  # console logins are audited
    audit_page(page, "audit")
    assert page.goto("/console/review").status == 403


def test_appeals_are_never_shown_to_the_original_decider(console: Console, open_as: Open) -> None:
    decider, other = console.users[SECOND_MODERATOR], console.users[MODERATOR]
    platform = Principal(0, "platform", Role.PLATFORM, ())
    with transaction(console.sessions) as db:
        case = review.queue(db, decider, limit=200)[-1]
        review.claim(db, case.id, decider, 30)
        review.decide(db, case.id, decider, "confirm", "warned for an offer", "warn")
        action = db.execute(select(ActionRecord).where(ActionRecord.case_id == case.id,
                                                       ActionRecord.type == "warn")).scalar_one()
        appeal = review.file_appeal(db, platform, action.id, case.account_id, "Saya hanya bercanda.")
    mine = open_as(SECOND_MODERATOR)
    mine.goto("/console/appeals")
    assert mine.locator(f'[data-appeal="{appeal.id}"]').count() == 0
    page = open_as(MODERATOR)
    page.goto("/console/appeals")
    card = page.locator(f'[data-appeal="{appeal.id}"]')
    expect(card).to_contain_text("Saya hanya bercanda.")
    audit_page(page, "appeals")
    card.get_by_label(re.compile("^Alasan")).fill("Konteks menunjukkan candaan.")
    card.get_by_role("button", name="Pulihkan akun").click()
    expect(page.locator(".flash")).to_contain_text(f"Keberatan {appeal.id}")
    assert page.locator(f'[data-appeal="{appeal.id}"]').count() == 0
    assert other.id != decider.id


def test_english_switch(open_as: Open) -> None:
    page = open_as(MODERATOR)
    page.goto("/console/review")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/console/review")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Review queue")
    audit_page(page, "review-queue-en")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("h1")).to_have_text("Antrean tinjauan")


@pytest.mark.parametrize("url", ["/console/login", "/console/login?bye=1"])
def test_login_page_needs_no_session(open_as: Open, url: str) -> None:
    page = open_as(None)
    assert page.goto(url).status == 200
    expect(page.get_by_label("Token")).to_be_focused()
