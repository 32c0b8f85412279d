"""The weekly regional report: same numbers as the stats endpoint, nothing fetched, a clean A4 PDF."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import h3
import pytest
from shapely.geometry import box

from pantau import regions
from pantau.referral import language_problems
from pantau.report import ReportData, report_html, report_pdf, report_view
from pantau.stats import Cell, iso_week, protect
from tests.pngcheck import read_gray_png

KECAMATAN = "35.73.05"  # Lowokwaru, Kota Malang
TLOGOMAS, DINOYO = "35.73.05.1003", "35.73.05.1004"
WEEK = "2026-W48"
GENERATED = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "wilayah-boundaries" / "geojson"
DESAKEL = SHARED / "kota_malang_3573_desakel.geojson"

# Accounts detected per week, oldest first (None = fewer than k accounts: suppressed). Nine weeks, as an
# eight-week period that starts mid-week gives; the chart shows the last eight.
TREND: list[int | None] = [14, 0, None, 18, 22, None, 29, 31, 37]


def _shown(value: int | None, k: int = 10) -> dict[str, Any]:
    """A figure exactly as stats.protect shows it (value = distinct accounts here)."""
    if value is None:
        value = 4
    shown, _ = protect(Cell(value, value) if value else None, {}, k)
    return shown


def _row(week: str, detected: int | None) -> dict[str, Any]:
    row = {"week": week, "accounts_detected": _shown(detected), "child_safety_escalations": _shown(None),
           "field_reports": _shown(12), "profiles_seen": _shown(1240), "profiles_flagged": _shown(86),
           "actions_hide_nearby": _shown(31), "actions_warn": _shown(None), "actions_suspend": _shown(0),
           "actions_escalate_child_safety": _shown(None),
           "share_profiles_flagged": {"value": 0.069, "display": "6.9%", "suppressed": False}}
    return row


def make_stats(children: dict[str, int], k: int = 10, code: str = KECAMATAN) -> dict[str, Any]:
    """region_stats-shaped output; the children's report-week figures go through stats.protect."""
    monday = date(2026, 11, 23)
    weeks = [iso_week(monday - timedelta(weeks=len(TREND) - 1 - i)) for i in range(len(TREND))]
    assert weeks[-1] == WEEK
    rows = [_row(w, v) for w, v in zip(weeks, TREND, strict=True)]
    total = sum(children.values())
    rows[-1]["accounts_detected"], parts = protect(Cell(total, total), {c: Cell(v, v) for c, v in children.items()},
                                                   k)
    child_rows = []
    for code in children:
        child_weeks = [{"week": w, "accounts_detected": _shown(0)} for w in weeks[:-1]]
        child_weeks.append({"week": WEEK, "accounts_detected": parts[code]})
        child_rows.append({"code": code, "name": regions.region_name(code), "weeks": child_weeks})
    return {"code": code, "k": k, "from": "2026-09-28", "to": "2026-11-29", "weeks": rows,
            "children": child_rows}


def make_hotspots(cells: list[tuple[float, float, int, int, bool]]) -> dict[str, Any]:
    """hotspots()-shaped output from (lat, lon, resolution, accounts, emerging)."""
    out = []
    for lat, lon, res, accounts, emerging in cells:
        out.append({"h3": h3.latlng_to_cell(lat, lon, res), "resolution": res, "accounts": accounts,
                    "previous_week": {"value": None, "display": "< 10", "suppressed": True}, "change": None,
                    "emerging": emerging, "p_value": 0.0004 if emerging else 0.2})
    return {"code": KECAMATAN, "k": 10, "week": WEEK, "previous_week": "2026-W47", "cells": out,
            "accounts_not_shown": "< 10 per cell", "method": "synthetic"}


HOT = [(-7.9285, 112.6035, 8, 14, True), (-7.9445, 112.6155, 8, 11, False), (-7.9390, 112.6330, 7, 10, False)]


def make_data(shapes: dict[str, Any] | None = None, children: dict[str, int] | None = None,
              code: str = KECAMATAN) -> ReportData:
    if shapes is None:  # two synthetic squares, side by side, about 1.5 km each
        shapes = {TLOGOMAS: box(112.590, -7.940, 112.6035, -7.9265), DINOYO: box(112.6035, -7.950, 112.620, -7.933)}
    children = children if children is not None else {TLOGOMAS: 25, DINOYO: 12}
    name = regions.region_name(code)
    label = f"{regions.level(code).split('_')[0].capitalize()} {name}, {regions.region_name(code[:5])}"
    return ReportData(code=code, name=str(name), level_label=label, week=WEEK, stats=make_stats(children, code=code),
                      hotspots=make_hotspots(HOT), shapes=shapes, generated_at=GENERATED)


@pytest.fixture
def data() -> ReportData:
    return make_data()


def _malang_data() -> ReportData:
    if not DESAKEL.is_file():
        pytest.skip(f"shared boundaries not present: {DESAKEL}")
    report = regions.load_geojson(DESAKEL)
    shapes = {r.code: r.geometry for r in report.accepted if r.code.startswith(KECAMATAN + ".")}
    assert len(shapes) == 12
    values = [41, 3, 18, 0, 27, 6, 12, 55, 0, 9, 15, 22]
    return make_data(shapes, dict(zip(sorted(shapes), values, strict=True)))


def _headline_displays(data: ReportData) -> list[str]:
    row = next(w for w in data.stats["weeks"] if w["week"] == data.week)
    keys = ("accounts_detected", "child_safety_escalations", "field_reports", "share_profiles_flagged",
            "actions_hide_nearby", "actions_warn", "actions_suspend", "actions_escalate_child_safety")
    return [row[key]["display"] for key in keys]


# --- view model --------------------------------------------------------------------------------------


def test_view_uses_the_stats_display_strings(data: ReportData) -> None:
    view = report_view(data)
    assert [f.display for f in (*view.headline, *view.actions)] == _headline_displays(data)
    assert [f.display for f in view.headline] == ["37", "< 10", "12", "6.9%"]
    assert view.headline[1].suppressed
    assert view.headline[0].previous == "31"  # the previous week, as the stats show it
    assert view.document_title == ("Laporan Mingguan Pemantauan Prostitusi Daring — Kecamatan Lowokwaru, "
                                   "Kota Malang, minggu 2026-W48")
    assert "23–29 November 2026" in view.subheading
    assert any(r.channel == "UPTD PPA Kota Malang" for r in view.referral)


def test_children_follow_complementary_suppression(data: ReportData) -> None:
    """25 + 12 = 37: Dinoyo's 12 is shown, so nothing needs hiding; with 4 it hides and takes Tlogomas along."""
    view = report_view(data)
    assert [(c.name, c.display) for c in view.children] == [("Tlogomas", "25"), ("Dinoyo", "12")]
    view = report_view(make_data(children={TLOGOMAS: 25, DINOYO: 4}))
    assert [(c.display, c.suppressed) for c in view.children] == [("< 10", True), ("< 10", True)]
    assert view.children[0].complementary


def test_chart_shows_suppressed_weeks_as_hatched_bars_not_zero(data: ReportData) -> None:
    chart = report_view(data).chart
    labels = [t.text for t in chart.items if type(t).__name__ == "Text"]
    # the last eight weeks, each labelled with its display string
    for shown in ("0", "< 10", "18", "22", "29", "31", "37"):
        assert shown in labels
    assert "14" not in labels  # the ninth (oldest) week is outside the chart
    assert labels.count("< 10") == 2
    assert "W48" in labels and "W41" in labels and "W40" not in labels


def test_unknown_week_is_refused(data: ReportData) -> None:
    with pytest.raises(ValueError, match="2026-W49"):
        report_view(dataclasses.replace(data, week="2026-W49"))


# --- HTML --------------------------------------------------------------------------------------------


def test_html_is_self_contained_and_has_the_numbers(data: ReportData) -> None:
    page = report_html(data)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    for shown in _headline_displays(data):
        assert f">{shown.replace('<', '&lt;')}<" in page
    assert "&lt; 10" in page
    assert "http://" not in page and "https://" not in page  # nothing to fetch, not even an SVG namespace
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page and "@font-face" not in page
    assert page.count("<svg") == 2
    assert "SAPA 129" in page and "08111-129-129" in page and "UPTD PPA Kota Malang" in page and "110" in page
    assert "UU 27/2022" in page
    assert "Kecamatan Lowokwaru, Kota Malang" in page


def test_html_escapes_what_it_is_given(data: ReportData) -> None:
    page = report_html(dataclasses.replace(data, level_label="<b>Kecamatan</b> & co"))
    assert "<b>Kecamatan</b>" not in page and "&lt;b&gt;Kecamatan&lt;/b&gt; &amp; co" in page


def test_own_wording_is_respectful(data: ReportData) -> None:
    view = report_view(data)
    words = [view.heading, view.privacy, view.privacy_en, *view.platform_text, *view.guidance, *view.method,
             view.hotspots_note, view.map_note, view.chart_note, *(r.text for r in view.referral)]
    for text in words:
        assert language_problems(text) == [], text


def test_nothing_about_individuals(data: ReportData) -> None:
    """The report carries only what the aggregates carry: no account ids, texts or coordinates."""
    page = report_html(data)
    assert "account_id" not in page and "acct" not in page
    assert not re.search(r"-?\d+\.\d{3,}\s*,\s*-?\d+\.\d{3,}", re.sub(r"<svg.*?</svg>", "", page, flags=re.S))


def test_map_without_shapes_draws_the_hotspot_cells(data: ReportData) -> None:
    view = report_view(dataclasses.replace(data, shapes={}))
    polygons = [i for i in view.map.items if type(i).__name__ == "Poly" and len(i.points) == 6]
    assert len(polygons) == len(HOT)  # one hexagon per hotspot cell
    assert "belum tersedia" in view.map_note
    assert [c.name for c in view.children] == ["Tlogomas", "Dinoyo"]  # the figures are still listed
    assert report_pdf(dataclasses.replace(data, shapes={})).startswith(b"%PDF-")


def test_map_without_anything_to_draw(data: ReportData) -> None:
    empty = dataclasses.replace(data, shapes={}, hotspots=make_hotspots([]))
    assert "Peta tidak tersedia" in report_view(empty).map_note
    assert report_pdf(empty).startswith(b"%PDF-")


def test_kelurahan_report_has_no_sub_regions() -> None:
    data = make_data({}, {}, code=TLOGOMAS)
    view = report_view(data)
    assert view.children == () and view.map_title == "Peta titik rawan, minggu 2026-W48"
    assert "Kelurahan Tlogomas, Kota Malang" in report_html(data)
    assert report_pdf(data).startswith(b"%PDF-")
    # with its own boundary imported, the map draws it instead of saying boundaries are missing
    from shapely.geometry import box

    outlined = dataclasses.replace(data, outline=box(112.595, -7.935, 112.615, -7.92))
    view = report_view(outlined)
    assert "belum tersedia" not in view.map_note and "batas Tlogomas" in view.map_note
    assert any(type(i).__name__ == "Poly" and i.fill is None and len(i.points) == 4 for i in view.map.items)
    assert report_pdf(outlined).startswith(b"%PDF-")


# --- PDF ---------------------------------------------------------------------------------------------


def test_pdf_is_deterministic_a4(data: ReportData) -> None:
    pdf = report_pdf(data)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 2
    assert report_pdf(data) == pdf


def test_pdf_falls_back_to_a_core_font(data: ReportData, tmp_path: Path) -> None:
    pdf = report_pdf(data, font_path=tmp_path / "missing.ttf")
    assert pdf.startswith(b"%PDF-") and b"FontFile2" not in pdf
    if shutil.which("pdftotext"):
        flat = _pdftotext(pdf, tmp_path)
        assert "SAPA 129" in flat and "< 10" in flat and ">= 50" in flat


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                    reason="pdftoppm/pdftotext (Debian poppler-utils) are not installed")
@pytest.mark.parametrize("source", ["squares", "kota-malang"])
def test_pdf_renders_with_the_numbers(source: str, tmp_path: Path) -> None:
    data = make_data() if source == "squares" else _malang_data()
    pdf = report_pdf(data)
    pages = _render(pdf, tmp_path)
    assert 1 <= len(pages) <= 2
    for png in pages:
        width, height, pixels = read_gray_png(png.read_bytes())
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
        mean = sum(pixels) / len(pixels)
        variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
        assert variance > 300, f"{png.name} looks blank (variance {variance:.0f})"
        dark = sum(1 for p in pixels if p < 128) / len(pixels)
        assert 0.005 < dark < 0.5
    flat = _pdftotext(pdf, tmp_path)
    for shown in _headline_displays(data):
        assert shown in flat, shown
    assert "SAPA 129" in flat and "08111-129-129" in flat and "UPTD PPA Kota Malang" in flat
    assert "Laporan Mingguan Pemantauan Prostitusi Daring" in flat
    assert "2026-W48" in flat
    layout = _pdftotext(pdf, tmp_path, layout=True)
    for child in report_view(data).children:  # every kelurahan's figure is printed beside the map, on its row
        assert re.search(rf"\b{re.escape(child.name)} +{re.escape(child.display)}\n", layout), child
    assert language_problems(flat) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (Debian poppler-utils) is not installed")
def test_long_list_of_desa_continues_on_page_two(tmp_path: Path) -> None:
    """Kecamatan Glagah (Lamongan) has 29 desa: what does not fit beside the map is listed on page two."""
    desa = regions.children("35.24.26")
    data = make_data({}, {code: 3 + 2 * i for i, code in enumerate(desa)}, code="35.24.26")
    pdf = report_pdf(data)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 2
    flat = _pdftotext(pdf, tmp_path)
    assert "lanjutan" in flat
    for child in report_view(data).children:
        assert child.name in flat
    assert "UPTD PPA Kabupaten Lamongan" in flat


def _render(pdf: bytes, tmp_path: Path, dpi: int = 60) -> list[Path]:
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(tmp_path / "report.pdf"), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    return sorted(tmp_path.glob("page*.png"))


def _pdftotext(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    """The PDF's text, whitespace collapsed; with ``layout``, as laid out on the page (rows kept)."""
    (tmp_path / "t.pdf").write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(tmp_path / "t.pdf"),
                          "-"], check=True, capture_output=True, timeout=60)
    text = run.stdout.decode("utf-8")
    return text if layout else " ".join(text.split())


