"""The child-safety referral package: JSON contract, integrity digests, language, and the PDF as rendered.

The rendering checks use poppler's ``pdftoppm``/``pdftotext`` (Debian ``poppler-utils``) and skip with
a reason when they are absent; everything else runs everywhere.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pantau.errors import InputError
from pantau.referral import (
    DEJAVU_SANS,
    FORBIDDEN_TERMS,
    MARK_CLOSE,
    MARK_OPEN,
    EvidenceItem,
    Referral,
    language_problems,
    mark_spans,
    referral_json,
    referral_pdf,
    verify_referral_json,
)
from tests.pngcheck import read_gray_png

T0 = datetime(2025, 3, 14, 9, 12, tzinfo=UTC)
VERSION = "classifier@2025.03+normalizer@7+signals@12+policy@3"

# Synthetic texts written for this test; no real person or account.
OBFUSCATED = "Ready 0p3n 𝐁𝐎 kak 😘 dedek masih 15th, ST 300 include room"
SHORT = "Adik sepupu bisa nemenin om 🙈 umur 14, japri aja"
LONG = ("Halo kak, ini laporan saya. " + "Akun itu menawarkan anak sekolah lewat fitur orang sekitar. " * 40
        + "Mohon ditindaklanjuti, ada tulisan open BO di statusnya.")


def _signal(text: str, name: str, fragment: str) -> tuple[str, int, int, str]:
    start = text.index(fragment)
    return (name, start, start + len(fragment), fragment)


def _item(event_id: str, kind: str, minutes: int, text: str, *signals: tuple[str, str]) -> EvidenceItem:
    return EvidenceItem(
        event_id=event_id,
        kind=kind,
        occurred_at=T0 + timedelta(minutes=minutes),
        received_at=T0 + timedelta(minutes=minutes, seconds=40),
        text=text,
        action="escalate_child_safety",
        score=0.9731,
        reasons=("minor_indicator_with_solicitation", *(f"signal:{name}" for name, _ in signals)),
        signals=tuple(_signal(text, name, fragment) for name, fragment in signals),
        model_version=VERSION,
    )


def make_referral() -> Referral:
    """A synthetic case: an obfuscated status, a message sample and a long user report."""
    evidence = (
        _item("ev-0001", "status_post", 0, OBFUSCATED,
              ("solicitation.open_bo", "0p3n 𝐁𝐎"), ("minor.age", "15th"), ("rate.short_time", "ST 300")),
        _item("ev-0002", "message_sample", 95, SHORT, ("minor.relative", "Adik sepupu"), ("minor.age", "umur 14")),
        _item("ev-0003", "user_report", 60 * 26, LONG, ("solicitation.open_bo", "open BO")),
    )
    return Referral(
        case_id=4711,
        account_id="acct-7f3a9c",
        opened_at=T0 - timedelta(hours=2),
        escalated_at=T0 + timedelta(hours=27),
        retention_until=T0 + timedelta(hours=27, days=365),
        region_code="35.73.05",
        evidence=evidence,
        decisions=(
            {"at": "2025-03-15T12:30:00+00:00", "by": "reviewer.sari", "decision": "escalate",
             "reason": "Ada penanda usia anak dan tawaran; perlu rujukan."},
        ),
        prepared_by="officer.dewi",
        prepared_at=T0 + timedelta(days=2),
    )


@pytest.fixture
def referral() -> Referral:
    return make_referral()


# --- JSON --------------------------------------------------------------------------------------------


def test_json_has_every_field_and_is_json(referral: Referral) -> None:
    doc = referral_json(referral)
    json.dumps(doc, ensure_ascii=False)  # JSON-ready as returned
    assert {"format", "format_version", "languages", "title", "confidentiality", "case", "region", "summary",
            "evidence", "decisions", "where_to_refer", "guidance", "prepared_by", "prepared_at",
            "integrity"} <= doc.keys()
    assert doc["case"] == {
        "case_id": 4711,
        "account_id": "acct-7f3a9c",
        "opened_at": "2025-03-14T07:12:00Z",
        "escalated_at": "2025-03-15T12:12:00Z",
        "retention_until": "2026-03-15T12:12:00Z",
    }
    assert doc["region"]["code"] == "35.73.05"
    assert doc["prepared_by"] == "officer.dewi"
    assert doc["decisions"] == [dict(referral.decisions[0])]
    assert [e["event_id"] for e in doc["evidence"]] == ["ev-0001", "ev-0002", "ev-0003"]
    first = doc["evidence"][0]
    assert set(first) == {"n", "event_id", "kind", "occurred_at", "received_at", "text", "marked_text", "action",
                          "score", "reasons", "signals", "model_version", "details", "sha256"}
    assert first["text"] == OBFUSCATED  # exactly as received, emoji and look-alike letters included
    assert first["score"] == "0.9731"
    assert first["signals"][0] == {"name": "solicitation.open_bo", "start": 6, "end": 13, "text": "0p3n 𝐁𝐎"}
    assert f"{MARK_OPEN}0p3n 𝐁𝐎{MARK_CLOSE}" in first["marked_text"]
    assert doc["evidence"][2]["text"] == LONG  # never cut in the JSON
    assert re.fullmatch(r"[0-9a-f]{64}", doc["integrity"]["package_sha256"])
    assert verify_referral_json(doc) == []


def test_json_survives_a_round_trip_through_a_file(referral: Referral, tmp_path: Path) -> None:
    path = tmp_path / "referral.json"
    path.write_text(json.dumps(referral_json(referral), ensure_ascii=False, indent=2), encoding="utf-8")
    assert verify_referral_json(json.loads(path.read_text(encoding="utf-8"))) == []


def test_digests_change_when_a_text_changes(referral: Referral) -> None:
    before = referral_json(referral)
    changed = dataclasses.replace(referral.evidence[1], text=SHORT.replace("14", "13"), signals=())
    after = referral_json(dataclasses.replace(referral, evidence=(referral.evidence[0], changed,
                                                                  referral.evidence[2])))
    digests = lambda doc: [e["sha256"] for e in doc["evidence"]]  # noqa: E731
    assert digests(before)[0] == digests(after)[0]  # untouched items keep their digest
    assert digests(before)[1] != digests(after)[1]
    assert before["integrity"]["package_sha256"] != after["integrity"]["package_sha256"]


def test_every_export_of_the_same_evidence_has_the_same_package_digest(referral: Referral) -> None:
    later = dataclasses.replace(referral, prepared_by="officer.rina",
                                prepared_at=referral.prepared_at + timedelta(days=2))
    first, second = referral_json(referral), referral_json(later)
    assert first["prepared_at"] != second["prepared_at"]
    assert first["integrity"]["package_sha256"] == second["integrity"]["package_sha256"]
    assert verify_referral_json(second) == []


def test_a_version_1_package_still_verifies_by_its_own_rule(referral: Referral) -> None:
    from pantau.referral import sha256_hex

    doc = json.loads(json.dumps(referral_json(referral)))
    doc["format_version"] = 1  # version 1's digest covered who prepared it and when
    doc["integrity"]["package_sha256"] = sha256_hex({k: v for k, v in doc.items() if k != "integrity"})
    assert verify_referral_json(doc) == []
    doc["prepared_by"] = "someone.else"
    assert verify_referral_json(doc) == ["package: digest does not match"]
    late = json.loads(json.dumps(referral_json(referral)))  # a late version-1 build already left them out
    late["format_version"] = 1
    late["integrity"]["package_sha256"] = sha256_hex({k: v for k, v in late.items()
                                                      if k not in ("integrity", "prepared_by", "prepared_at")})
    assert verify_referral_json(late) == []


def test_tampering_is_detected(referral: Referral) -> None:
    doc = json.loads(json.dumps(referral_json(referral)))
    doc["evidence"][0]["text"] = doc["evidence"][0]["text"].replace("15th", "18th")
    assert verify_referral_json(doc) == [
        "evidence[0] (event 'ev-0001'): digest does not match",
        "package: digest does not match",
    ]
    doc = json.loads(json.dumps(referral_json(referral)))
    doc["case"]["retention_until"] = "2025-04-01T00:00:00Z"  # shortening retention breaks the package digest
    assert verify_referral_json(doc) == ["package: digest does not match"]


def test_json_is_deterministic(referral: Referral) -> None:
    assert referral_json(referral) == referral_json(referral)


@pytest.mark.parametrize(
    ("code", "zone", "uptd"),
    [
        ("35.73.05", "WIB", "UPTD PPA Kota Malang"),  # Jawa Timur; UPTD PPA named after the kota
        ("51.71", "WITA", "UPTD PPA Kota Denpasar"),  # Bali
        ("91.71", "WIT", "UPTD PPA Kota Jayapura"),  # Papua
        ("99.99.99", "UTC", "UPTD PPA wilayah 99.99.99"),  # not a known province: code only, UTC
        (None, "UTC", "UPTD PPA kabupaten/kota anak atau akun"),  # region unknown
    ],
)
def test_region_sets_time_zone_and_uptd(referral: Referral, code: str | None, zone: str, uptd: str) -> None:
    doc = referral_json(dataclasses.replace(referral, region_code=code))
    assert doc["region"]["code"] == code
    assert doc["region"]["time_zone"] == zone
    (entry,) = [e for e in doc["where_to_refer"] if e["channel"] == "UPTD PPA"]
    assert entry["contact"].startswith(uptd)
    assert referral_pdf(dataclasses.replace(referral, region_code=code)).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], "open BO kak"),  # nothing marked
        ([(0, 7)], "⟦open BO⟧ kak"),  # one span
        ([(0, 4), (2, 7)], "⟦open BO⟧ kak"),  # overlapping spans merge
        ([(0, 4), (5, 7)], "⟦open⟧ ⟦BO⟧ kak"),  # separate spans stay separate
        ([(3, 3)], "open BO kak"),  # empty spans are ignored
    ],
)
def test_mark_spans(spans: list[tuple[int, int]], expected: str) -> None:
    assert mark_spans("open BO kak", spans) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "selfie"}, "kind 'selfie'"),  # unknown kind
        ({"occurred_at": datetime(2025, 3, 14, 9, 12)}, "no time zone"),  # naive time is ambiguous evidence
        ({"signals": (("minor.age", 0, 99, "x"),)}, "outside the text"),  # span past the end
        ({"signals": (("minor.age", 0, 4, "nope"),)}, "does not hold"),  # span and substring disagree
    ],
)
def test_evidence_is_validated(referral: Referral, change: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        dataclasses.replace(referral.evidence[0], **change)


# --- language ----------------------------------------------------------------------------------------


def test_summary_and_fixed_wording_are_victim_centred(referral: Referral) -> None:
    doc = referral_json(referral)
    own_words = [doc["summary"]["id"], doc["summary"]["en"], *doc["confidentiality"].values()]
    own_words += [v for entry in doc["where_to_refer"] for v in entry.values()]
    own_words += [v for g in doc["guidance"] for v in g.values()]
    for text in own_words:
        assert language_problems(text) == [], text
    assert "anak korban eksploitasi seksual" in doc["summary"]["id"]
    assert "child victim" in doc["summary"]["en"]


def test_language_check_finds_the_forbidden_terms() -> None:
    assert language_problems("Anak itu PSK dan pelaku") == ["PSK", "pelaku"]
    assert language_problems("pelakunya") == []  # whole words only; the word itself is what is checked
    assert all(language_problems(term) == [term] for term in FORBIDDEN_TERMS)


# --- PDF ---------------------------------------------------------------------------------------------


def test_pdf_is_a_pdf_with_pages(referral: Referral) -> None:
    pdf = referral_pdf(referral)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 3
    assert referral_pdf(referral) == pdf  # deterministic


def test_pdf_falls_back_to_a_core_font_without_the_ttf(referral: Referral, tmp_path: Path) -> None:
    pdf = referral_pdf(referral, font_path=tmp_path / "missing.ttf")
    assert pdf.startswith(b"%PDF-")
    assert b"FontFile2" not in pdf  # nothing embedded: the core font was used
    if shutil.which("pdftotext"):
        text = _pdftotext(pdf, tmp_path)
        assert "Unicode font unavailable" in text
        assert "[[0p3n BO]]" in text  # look-alike letters folded, marks spelled in ASCII


def test_pdf_survives_hostile_text(referral: Referral) -> None:
    nasty = "\u202eOB nepo\u202c \x00\x07 \ud83d 𝕠𝕡𝕖𝕟 👩‍👧 \ufe0f " + "x" * 3000 + "\n" * 200 + "tail"
    item = dataclasses.replace(referral.evidence[0], text=nasty, signals=(("s", 0, 5, nasty[:5]),))
    pdf = referral_pdf(dataclasses.replace(referral, evidence=(item,) * 30))
    assert pdf.startswith(b"%PDF-")
    # the account holder writes an appeal's statement: a long one must not stop the package
    appeal = {"at": "2026-11-29T10:00:00Z", "by": "officer", "decision": "appeal upheld", "reason": "x",
              "statement": "x\n" * 80 + "y" * 5000}
    assert referral_pdf(dataclasses.replace(referral, decisions=(appeal,))).startswith(b"%PDF-")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (Debian poppler-utils) is not installed")
def test_pdf_text_has_case_channels_and_marks(referral: Referral, tmp_path: Path) -> None:
    text = _pdftotext(referral_pdf(referral), tmp_path)
    flat = " ".join(text.split())
    assert "Paket Rujukan Perlindungan Anak" in flat
    assert "Child-Protection Referral Package" in flat
    assert "4711" in flat
    assert "acct-7f3a9c" in flat
    assert "SAPA 129" in flat
    assert "08111-129-129" in flat
    assert "patrolisiber.id" in flat
    assert "RAHASIA" in flat
    assert "UU 35/2014" in flat
    assert "2026-03-15" in flat  # the retention date
    opening, closing = (MARK_OPEN, MARK_CLOSE) if DEJAVU_SANS.is_file() else ("[[", "]]")  # core-font fallback
    assert f"{opening}ST 300{closing}" in flat
    assert f"{opening}0p3n BO{closing}" in flat  # 𝐁𝐎 has no DejaVu glyph: shown as plain letters
    assert "dipotong untuk PDF" in flat and "full text in the JSON" in flat  # the long text says it was cut
    assert referral_json(referral)["integrity"]["package_sha256"] in flat
    if DEJAVU_SANS.is_file():
        assert "😘" in text or "\ufffd" in text  # an emoji is drawn or visibly replaced, never a crash
    assert language_problems(flat) == []


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (Debian poppler-utils) is not installed")
def test_pdf_renders_to_a_page_that_is_not_blank(referral: Referral, tmp_path: Path) -> None:
    (tmp_path / "referral.pdf").write_bytes(referral_pdf(referral))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "referral.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    (png,) = tmp_path.glob("page*.png")
    width, height, pixels = read_gray_png(png.read_bytes())
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    dark = sum(1 for p in pixels if p < 128)
    assert 0.01 < dark / len(pixels) < 0.5  # ink on the page, but not a black page


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "t.pdf"), "-"], check=True,
                         capture_output=True, timeout=60)
    return run.stdout.decode("utf-8")


