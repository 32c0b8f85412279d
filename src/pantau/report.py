"""The weekly report for a camat or lurah: one region's aggregates as a self-contained HTML page and a PDF.

The report shows what the stats and hotspots endpoints return for one ISO week, nothing more:
headline figures, an eight-week trend, a map of the sub-regions, the H3 hotspots, what the
platform did, and where to refer a child at risk. It holds no names, accounts, texts or exact
locations, because its inputs hold none.

One view model, two renderers. ``report_view`` turns ``ReportData`` into a ``ReportView``: every
string shown and every figure (each one exactly the ``display`` string of the stats it comes
from, so the report always equals ``GET /v1/regions/{code}/stats``), and the chart and the map as
``Drawing`` objects — polygons, lines and text placed in millimetres, hatching included. The HTML
draws a ``Drawing`` as inline SVG (viewBox in mm) and the PDF with fpdf2 primitives at the same
coordinates, so the two cannot disagree. The HTML loads nothing: inline CSS, inline SVG, system
fonts, and a Content-Security-Policy that forbids every fetch.

Projection: the map is equirectangular around the middle latitude (x = lon · cos φ₀, y = −lat),
scaled uniformly to fit its frame — at the size of a kecamatan the distortion is negligible.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from pantau import regions
from pantau.referral import DEJAVU_SANS

# ---------------------------------------------------------------------------------------------------
# Input and view model

CHART_WEEKS = 8
PT_MM = 25.4 / 72  # one typographic point in millimetres: drawings are laid out in mm, text sized in pt

# Colours (sequential, calm; the suppressed class is neutral grey with hatching, never a "zero" colour).
INK, MUTED, RULE = "#1f2933", "#5f6b76", "#c9d0d6"
NAVY, ACCENT_BAR, BAR = "#1d3557", "#1d3557", "#7d9fc2"
SUPPRESSED_FILL, HATCH = "#e6e6e6", "#8c8c8c"
CLASS_FILLS = ("#f6f3ec", "#fcd9a8", "#f29e5c", "#c4501b")
NO_DATA_FILL = "#ffffff"
EMERGING = "#8e1b6b"
BORDER = "#8a939b"


@dataclass(frozen=True)
class ReportData:
    """What one weekly report is made of; the stats and hotspots exactly as their functions return them."""

    code: str
    name: str
    level_label: str  # e.g. "Kecamatan Lowokwaru, Kota Malang"
    week: str  # ISO week shown, e.g. "2026-W48"
    stats: dict[str, Any]  # stats.region_stats(...): the weeks up to (and including) ``week``
    hotspots: dict[str, Any]  # hotspots.hotspots(...)
    shapes: dict[str, Any]  # child code -> shapely (Multi)Polygon in lon/lat; may be empty
    generated_at: datetime
    outline: Any = None  # the region's own boundary (drawn when it has no sub-regions, a kelurahan/desa)


@dataclass(frozen=True)
class Figure:
    """One number as shown: ``display`` is the stats endpoint's string, never recomputed."""

    key: str
    label: str
    gloss: str  # short English gloss
    display: str
    suppressed: bool
    previous: str | None = None  # the previous week's display, when the stats have it
    note: str = ""


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    fill: str | None = None
    stroke: str | None = None
    width: float = 0.2
    dash: bool = False


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = RULE
    width: float = 0.2
    dash: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 7.0  # pt
    color: str = INK
    anchor: Literal["start", "middle", "end"] = "start"
    bold: bool = False


Item = Poly | Line | Text


@dataclass(frozen=True)
class Drawing:
    """Primitives in millimetres, origin top left, y down: what both the SVG and the PDF draw."""

    width: float
    height: float
    label: str  # accessible description
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ChildRow:
    number: int
    code: str
    name: str
    display: str
    suppressed: bool
    complementary: bool
    fill: str
    on_map: bool


@dataclass(frozen=True)
class HotspotRow:
    label: str  # "A", "B", … as on the map
    accounts: str
    previous: str
    change: str
    emerging: bool
    resolution: int
    note: str


@dataclass(frozen=True)
class Referral:
    channel: str
    contact: str
    text: str


@dataclass(frozen=True)
class ReportView:
    """Everything the report says and draws, computed once; both renderers only lay it out."""

    code: str
    week: str
    k: int
    lang: str
    document_title: str
    kicker: str
    heading: str
    subheading: str
    meta: str
    privacy: str
    privacy_en: str
    headline: tuple[Figure, ...]
    actions: tuple[Figure, ...]
    chart_title: str
    chart: Drawing
    chart_note: str
    map_title: str
    map: Drawing
    map_note: str
    child_level: str
    children: tuple[ChildRow, ...]
    hotspots_title: str
    hotspots: tuple[HotspotRow, ...]
    hotspots_note: str
    platform_title: str
    platform_text: tuple[str, ...]
    referral_title: str
    referral: tuple[Referral, ...]
    guidance: tuple[str, ...]
    method: tuple[str, ...]
    footer: str
    emergency: str = field(default="")


TITLE = "Laporan Mingguan Pemantauan Prostitusi Daring"
TITLE_EN = "weekly monitoring report on online commercial-sex offers, aggregates only"

_HEADLINE = (
    ("accounts_detected", "Akun terdeteksi menawarkan seks", "accounts detected offering sex"),
    ("child_safety_escalations", "Eskalasi perlindungan anak", "child-safety escalations"),
    ("field_reports", "Laporan lapangan diterima", "field reports received"),
    ("share_profiles_flagged", "Profil sekitar yang ditandai", "share of nearby profiles flagged"),
)
_ACTIONS = (
    ("actions_hide_nearby", "Disembunyikan dari “Sekitar”", "hidden from the nearby list",
     "otomatis untuk tawaran yang jelas, 7 hari sambil menunggu tinjauan manusia"),
    ("actions_warn", "Peringatan ke akun", "warnings", "diputuskan peninjau manusia"),
    ("actions_suspend", "Akun ditangguhkan", "suspensions", "diputuskan peninjau manusia"),
    ("actions_escalate_child_safety", "Dieskalasi ke petugas perlindungan anak", "child-safety escalations",
     "otomatis bila ada tanda anak; ditangani petugas perlindungan anak"),
)
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# Frames (mm): the chart spans the text width of an A4 page; the map leaves room for the list beside it.
CHART_W, CHART_H = 182.0, 46.0
MAP_W, MAP_H, LEGEND_H = 112.0, 78.0, 17.0


def report_view(data: ReportData) -> ReportView:
    """The report's content and drawings, from ``data`` alone (deterministic)."""
    stats, k = data.stats, int(data.stats.get("k", 10))
    weeks: list[dict[str, Any]] = list(stats.get("weeks", []))
    index = {row["week"]: i for i, row in enumerate(weeks)}
    if data.week not in index:
        raise ValueError(f"week {data.week} is not in the stats (weeks {', '.join(index) or 'none'})")
    at = index[data.week]
    row, before = weeks[at], weeks[at - 1] if at > 0 else None
    first_day = _monday(data.week)

    headline = []
    for key, label, gloss in _HEADLINE:
        fig = _figure(row, key)
        note = ""
        if key == "share_profiles_flagged":
            note = (f"{_figure(row, 'profiles_flagged')['display']} dari "
                    f"{_figure(row, 'profiles_seen')['display']} profil")
        headline.append(Figure(key, label, gloss, fig["display"], bool(fig["suppressed"]),
                               _figure(before, key)["display"] if before else None, note))
    actions = [Figure(key, label, gloss, _figure(row, key)["display"], bool(_figure(row, key)["suppressed"]),
                      _figure(before, key)["display"] if before else None, note)
               for key, label, gloss, note in _ACTIONS]

    trend = weeks[max(0, at - CHART_WEEKS + 1): at + 1]
    child_level = "Kecamatan" if data.code.count(".") == 1 else "Kelurahan/desa"
    children = _children(data, k)
    hotspot_rows = _hotspot_rows(data.hotspots, k)
    map_drawing, map_note = _map(data, children, hotspot_rows, k, child_level)
    kota = ".".join(data.code.split(".")[:2])
    kota_name = regions.region_name(kota) or f"kabupaten/kota {kota}"
    zone_name, zone = regions.time_zone(data.code)
    generated = data.generated_at if data.generated_at.tzinfo else data.generated_at.replace(tzinfo=UTC)
    local = generated.astimezone(zone)

    hotspots_note = (
        f"Sel H3 (heksagon ±0,7 km² pada resolusi 8, lebih besar bila digabung) dengan sedikitnya {k} akun "
        "terdeteksi pada minggu ini. Sel yang lebih kecil digabung ke sel induknya; yang tetap di bawah "
        f"{k} akun tidak ditampilkan. Jumlah per sel tidak disebut, hanya “≥ {k}”: angka yang lebih rinci "
        "bisa membuka angka kelurahan yang disembunyikan. “Baru muncul” = mencapai "
        f"{k} akun minggu ini setelah di bawah {k} pada 4 minggu sebelumnya."
    )
    if data.hotspots.get("week") and data.hotspots.get("week") != data.week:
        hotspots_note += f" Catatan: titik rawan dihitung untuk minggu {data.hotspots['week']}."

    return ReportView(
        code=data.code,
        week=data.week,
        k=k,
        lang="id",
        document_title=f"{TITLE} — {data.level_label}, minggu {data.week}",
        heading=TITLE,
        subheading=f"{data.level_label} — minggu {data.week} ({_week_range(first_day)})",
        kicker=f"pantau · laporan agregat wilayah · {TITLE_EN}",
        meta=(f"Kode wilayah {data.code} · dibuat {_day(local.date())} {local.year}, {local:%H:%M} {zone_name} · "
              "sumber: statistik dan titik rawan pantau"),
        privacy=(
            f"Agregat saja. Laporan ini hanya berisi angka gabungan untuk wilayah Anda. Angka yang berasal "
            f"dari kurang dari {k} akun ditampilkan sebagai “< {k}”, dan bila perlu angka lain ikut "
            "disembunyikan agar angka kecil tidak dapat dihitung balik. Tanpa nama, akun, teks, atau lokasi "
            "tepat siapa pun (UU 27/2022 tentang Pelindungan Data Pribadi)."
        ),
        privacy_en=(f"Aggregates only: figures behind fewer than {k} accounts show as “< {k}”; no names, accounts, "
                    "texts or exact locations (Personal Data Protection Law 27/2022)."),
        headline=tuple(headline),
        actions=tuple(actions),
        chart_title="Tren 8 minggu: akun terdeteksi menawarkan seks",
        chart=_chart(trend, data.week, k),
        chart_note=(f"Batang abu-abu berarsir = disembunyikan (“< {k}”: kurang dari {k} akun), bukan nol. "
                    "Weekly distinct accounts detected; hatched = suppressed, not zero."),
        map_title=(f"Peta: akun terdeteksi per {child_level.lower()}, minggu {data.week}" if children
                   else f"Peta titik rawan, minggu {data.week}"),
        map=map_drawing,
        map_note=map_note,
        child_level=child_level,
        children=tuple(children),
        hotspots_title=f"Titik rawan minggu {data.week}",
        hotspots=tuple(hotspot_rows),
        hotspots_note=hotspots_note,
        platform_title="Apa yang dilakukan platform",
        platform_text=(
            "Setiap keputusan otomatis dapat dijelaskan (sinyal, aturan kebijakan, versi model) dan dapat "
            "ditinjau manusia; pengguna yang terkena tindakan menerima alasan tertulis dan dapat mengajukan "
            "keberatan, yang diputus oleh peninjau lain.",
            "Tanda bahwa seorang anak ditawarkan selalu dieskalasi ke petugas perlindungan anak. Anak "
            "diperlakukan sebagai anak korban eksploitasi, bukan sebagai pihak yang bersalah; pekerja seks "
            "dewasa diperlakukan dengan hormat.",
        ),
        referral_title="Ke mana merujuk anak yang berisiko",
        referral=(
            Referral("SAPA 129 (KemenPPPA)", "telepon 129 · WhatsApp 08111-129-129",
                     "Layanan pengaduan Kementerian PPPA untuk kekerasan terhadap perempuan dan anak."),
            Referral(f"UPTD PPA {kota_name}", "Unit Pelaksana Teknis Daerah Perlindungan Perempuan dan Anak",
                     "Pendampingan, layanan kesehatan, psikologis, dan hukum bagi anak korban."),
            Referral("Polisi 110", "darurat", "Jika seorang anak dalam bahaya saat ini, hubungi polisi segera."),
        ),
        guidance=(
            "Jangan menghubungi, menyamar sebagai pembeli, atau mengonfrontasi siapa pun yang terlihat di "
            "aplikasi — termasuk pihak yang diduga mengeksploitasi anak: itu dapat membahayakan anak dan "
            "merusak penyelidikan.",
            "Bila Anda atau warga melihat tawaran yang mencurigakan, kirimkan lewat formulir laporan lapangan "
            "pantau; jangan menyebarkan tangkapan layar di grup obrolan atau media sosial.",
            "Anak adalah korban: utamakan keselamatan dan pemulihannya, jangan menyalahkan anak.",
            "Gunakan angka ini untuk perencanaan (penjangkauan, sosialisasi, layanan), bukan untuk mencari "
            "atau menindak orang tertentu.",
        ),
        method=(
            f"Angka per minggu ISO (Senin–Minggu). “Akun terdeteksi” = akun berbeda yang teksnya dinilai "
            f"menawarkan seks komersial. Angka di bawah {k} akun disembunyikan (“< {k}”); bila angka wilayah "
            "ditampilkan di samping angka sub-wilayahnya, angka pelengkap ikut disembunyikan agar tidak ada "
            "angka kecil yang dapat dihitung dengan pengurangan.",
            f"Semua angka sama dengan GET /v1/regions/{data.code}/stats dan /hotspots untuk minggu yang sama. "
            "Figures equal the stats endpoint exactly.",
        ),
        footer=f"pantau · {data.level_label} · minggu {data.week} · agregat saja, angka < {k} disembunyikan",
        emergency="Anak dalam bahaya? SAPA 129 · WhatsApp 08111-129-129 · Polisi 110",
    )


def _figure(row: Mapping[str, Any] | None, key: str) -> dict[str, Any]:
    if row is None or not isinstance(row.get(key), Mapping):
        return {"value": None, "display": "-", "suppressed": False}
    return dict(row[key])


def _monday(week: str) -> date:
    try:
        year, number = week.split("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ValueError(f"not an ISO week: {week!r} (expected e.g. '2026-W48')") from None


def _week_range(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    if monday.year != sunday.year:
        return f"{_day(monday)} {monday.year} – {_day(sunday)} {sunday.year}"
    if monday.month != sunday.month:
        return f"{_day(monday)} – {_day(sunday)} {sunday.year}"
    return f"{monday.day}–{_day(sunday)} {sunday.year}"


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]}"


# -- children and their classes --------------------------------------------------------------------


def legend_classes(k: int) -> list[tuple[str, str]]:
    """(label, fill) of the choropleth classes, fixed in k so weeks compare: 0, k–2k−1, 2k–5k−1, ≥ 5k."""
    return [("0", CLASS_FILLS[0]), (f"{k}–{2 * k - 1}", CLASS_FILLS[1]), (f"{2 * k}–{5 * k - 1}", CLASS_FILLS[2]),
            (f"≥ {5 * k}", CLASS_FILLS[3])]


def fill_for(fig: Mapping[str, Any], k: int) -> str:
    if fig.get("suppressed"):
        return SUPPRESSED_FILL
    value = fig.get("value")
    if not isinstance(value, int | float):
        return NO_DATA_FILL
    if value <= 0:
        return CLASS_FILLS[0]
    return CLASS_FILLS[1] if value < 2 * k else CLASS_FILLS[2] if value < 5 * k else CLASS_FILLS[3]


def _children(data: ReportData, k: int) -> list[ChildRow]:
    rows = []
    listed = data.stats.get("children", [])
    for number, child in enumerate(listed, start=1):
        code = child["code"]
        week = next((w for w in child.get("weeks", []) if w.get("week") == data.week), None)
        fig = _figure(week, "accounts_detected")
        name = child.get("name") or regions.region_name(code) or code
        rows.append(ChildRow(number, code, name, fig["display"], bool(fig["suppressed"]),
                             bool(fig.get("complementary")), fill_for(fig, k), code in data.shapes))
    return rows


def _hotspot_rows(hot: Mapping[str, Any], k: int) -> list[HotspotRow]:
    rows = []
    for i, cell in enumerate(hot.get("cells", [])):
        previous = cell.get("previous_week", {}) or {}
        change = cell.get("change")
        resolution = int(cell.get("resolution", 8))
        notes = ["baru muncul"] if cell.get("emerging") else []
        if resolution < regions.H3_RESOLUTION:
            notes.append(f"sel gabungan yang lebih besar (resolusi {resolution})")
        rows.append(HotspotRow(
            label=_letters(i),
            accounts=str(cell.get("accounts", "")),
            previous=str(previous.get("display", "-")),
            change=str(change or "-").split(" / ")[0],
            emerging=bool(cell.get("emerging")),
            resolution=resolution,
            note="; ".join(notes),
        ))
    return rows


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


# -- drawings --------------------------------------------------------------------------------------


def _nice_step(top: float, ticks: int = 4) -> float:
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _rect(x: float, y: float, w: float, h: float) -> tuple[tuple[float, float], ...]:
    return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))


def _hatch(points: Sequence[tuple[float, float]], spacing: float = 1.5, color: str = HATCH,
           width: float = 0.18) -> list[Line]:
    """Diagonal hatching lines clipped to a polygon: the same segments in SVG and PDF."""
    from shapely.geometry import LineString, MultiLineString, Polygon

    shape = Polygon(points)
    if not shape.is_valid:
        shape = shape.buffer(0)
    if shape.is_empty:
        return []
    minx, miny, maxx, maxy = shape.bounds
    height = maxy - miny
    strokes, c = [], minx - height
    while c < maxx:
        strokes.append(LineString([(c, maxy), (c + height, miny)]))
        c += spacing
    clipped = shape.intersection(MultiLineString(strokes))
    out = []
    for part in getattr(clipped, "geoms", [clipped]):
        if isinstance(part, LineString):
            coords = list(part.coords)
            out += [Line(_r(a[0]), _r(a[1]), _r(b[0]), _r(b[1]), color, width) for a, b in pairwise(coords)]
    return out


def _r(v: float) -> float:
    return round(v, 2)


def _chart(trend: Sequence[Mapping[str, Any]], report_week: str, k: int) -> Drawing:
    left, right, top, bottom = 12.0, 14.0, 6.0, 9.0
    plot_w, plot_h = CHART_W - left - right, CHART_H - top - bottom
    figs = [_figure(w, "accounts_detected") for w in trend]
    shown = [f["value"] for f in figs if not f["suppressed"] and isinstance(f["value"], int | float)]
    ceiling = max([k, *shown])
    step = _nice_step(ceiling * 1.12)
    y_max = step * math.ceil(ceiling * 1.12 / step)
    base = top + plot_h

    def y_of(v: float) -> float:
        return _r(base - plot_h * v / y_max)

    items: list[Item] = []
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = y_of(tick)
        items.append(Line(left, y, left + plot_w, y, RULE if tick else MUTED, 0.15 if tick else 0.3))
        items.append(Text(left - 1.5, _r(y + 0.9), _num(tick), 6.5, MUTED, "end"))
        tick += step
    # the suppression threshold: suppressed bars reach it, because "< k" means anywhere below it
    items.append(Line(left, y_of(k), left + plot_w, y_of(k), HATCH, 0.2, dash=True))
    items.append(Text(left + plot_w + 1, _r(y_of(k) + 0.9), f"k = {k}", 6, MUTED))

    slot = plot_w / max(len(trend), 1)
    bar_w = min(slot * 0.58, 14.0)
    for i, (week, fig) in enumerate(zip(trend, figs, strict=True)):
        cx = left + slot * (i + 0.5)
        x = _r(cx - bar_w / 2)
        current = week.get("week") == report_week
        if fig["suppressed"]:
            rect = _rect(x, y_of(k), _r(bar_w), _r(base - y_of(k)))
            items.append(Poly(rect, SUPPRESSED_FILL, None))
            items += _hatch(rect)
            items.append(Poly(rect, None, HATCH, 0.25))
            label_y, color = y_of(k) - 1.2, MUTED
        elif isinstance(fig["value"], int | float) and fig["value"] > 0:
            rect = _rect(x, y_of(fig["value"]), _r(bar_w), _r(base - y_of(fig["value"])))
            items.append(Poly(rect, ACCENT_BAR if current else BAR, None))
            label_y, color = y_of(fig["value"]) - 1.2, INK
        else:  # a real zero: a flat mark on the axis, labelled "0"
            items.append(Line(x, base, _r(x + bar_w), base, INK, 0.6))
            label_y, color = base - 1.4, INK
        items.append(Text(_r(cx), _r(label_y), fig["display"], 7, color, "middle", bold=current))
        name = str(week.get("week", ""))
        try:
            monday = _monday(name)
            sub = f"{monday.day} {_MONTHS_SHORT[monday.month - 1]}"
        except ValueError:
            sub = ""
        items.append(Text(_r(cx), base + 3.6, name.split("-")[-1], 6.8, INK if current else MUTED, "middle",
                          bold=current))
        items.append(Text(_r(cx), base + 6.8, sub, 5.8, MUTED, "middle"))
    label = "Grafik batang akun terdeteksi per minggu: " + "; ".join(
        f"{w.get('week')}: {f['display']}" for w, f in zip(trend, figs, strict=True))
    return Drawing(CHART_W, CHART_H, label, tuple(items))


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}".replace(".", ",")


def _cell_polygon(cell: str) -> Any:
    import h3
    from shapely.geometry import Polygon

    return Polygon([(lon, lat) for lat, lon in h3.cell_to_boundary(cell)])


def _map(data: ReportData, children: Sequence[ChildRow], hot: Sequence[HotspotRow], k: int,
         child_level: str) -> tuple[Drawing, str]:
    from shapely import affinity
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.ops import unary_union

    by_code = {c.code: c for c in children}
    cells = [(row, _cell_polygon(c["h3"])) for row, c in zip(hot, data.hotspots.get("cells", []), strict=False)]
    shapes = {code: g for code, g in data.shapes.items() if g is not None and not g.is_empty}
    own = data.outline if not shapes and data.outline is not None and not data.outline.is_empty else None
    geoms = list(shapes.values()) + [g for _, g in cells] + ([own] if own is not None else [])
    items: list[Item] = []
    frame_w, frame_h = MAP_W, MAP_H
    items.append(Poly(_rect(0, 0, frame_w, frame_h), "#fbfbfa", RULE, 0.2))
    if not geoms:
        items.append(Text(frame_w / 2, frame_h / 2, "Tidak ada batas wilayah atau titik rawan untuk digambar",
                          7, MUTED, "middle"))
        note = "Peta tidak tersedia: batas wilayah belum diimpor dan tidak ada titik rawan minggu ini."
        items += _legend(k, frame_h + 3, frame_w, bool(hot), any(r.emerging for r in hot))
        return Drawing(frame_w, frame_h + LEGEND_H, "Peta tidak tersedia", tuple(items)), note

    minx, miny, maxx, maxy = unary_union(geoms).bounds
    lat0 = (miny + maxy) / 2
    kx = math.cos(math.radians(lat0))
    least = 0.02  # degrees: never zoom in further than about 2 km across
    if (maxx - minx) * kx < least:
        grow = (least / kx - (maxx - minx)) / 2
        minx, maxx = minx - grow, maxx + grow
    if maxy - miny < least:
        grow = (least - (maxy - miny)) / 2
        miny, maxy = miny - grow, maxy + grow
    pad = 4.0
    scale = min((frame_w - 2 * pad) / ((maxx - minx) * kx), (frame_h - 2 * pad) / (maxy - miny))
    ox = (frame_w - (maxx - minx) * kx * scale) / 2
    oy = (frame_h - (maxy - miny) * scale) / 2
    # x' = scale·kx·(lon − minx) + ox ; y' = scale·(maxy − lat) + oy
    matrix = [scale * kx, 0, 0, -scale, ox - scale * kx * minx, oy + scale * maxy]

    def project(g: Any) -> Any:
        return affinity.affine_transform(g, matrix).simplify(0.12, preserve_topology=True)

    def rings(g: Any) -> list[tuple[tuple[float, float], ...]]:
        parts = g.geoms if isinstance(g, MultiPolygon) else [g] if isinstance(g, Polygon) else []
        return [tuple((_r(x), _r(y)) for x, y in p.exterior.coords[:-1]) for p in parts if not p.is_empty]

    # largest first, so a region enclosed by another is drawn on top of it
    projected = sorted(((code, project(g)) for code, g in shapes.items()), key=lambda cg: -cg[1].area)
    labels: list[Item] = []
    for code, g in projected:
        row = by_code.get(code)
        fill = row.fill if row else NO_DATA_FILL
        for ring in rings(g):
            if len(ring) < 3:
                continue
            items.append(Poly(ring, fill, None))
            if row is not None and row.suppressed:
                items += _hatch(ring, 1.4)
            items.append(Poly(ring, None, BORDER, 0.2))
        if row is not None and not g.is_empty:
            p = g.representative_point()
            dark = fill in (CLASS_FILLS[3],)
            labels.append(Text(_r(p.x), _r(p.y + 0.9), str(row.number), 5.8, "#ffffff" if dark else INK,
                               "middle"))
    items += labels
    if own is not None:
        items += [Poly(ring, None, BORDER, 0.5) for ring in rings(project(own)) if len(ring) >= 3]
    for row, g in cells:
        outline = rings(project(g))
        for ring in outline:
            items.append(Poly(ring, None, EMERGING if row.emerging else NAVY, 0.55, dash=row.emerging))
        north = min((pt for ring in outline for pt in ring), key=lambda pt: pt[1])  # the label sits above it
        w = 1.9 * max(len(row.label), 1) + 1.6
        box = _rect(_r(north[0] - w / 2), _r(north[1] - 4.2), _r(w), 3.4)
        items.append(Poly(box, "#ffffff", EMERGING if row.emerging else NAVY, 0.3))
        items.append(Text(_r(north[0]), _r(north[1] - 1.6), row.label, 6.2, EMERGING if row.emerging else NAVY,
                          "middle", bold=True))
    items += _scale_bar(scale, frame_w, frame_h)
    items += _legend(k, frame_h + 3, frame_w, bool(hot), any(r.emerging for r in hot),
                     no_data=any(code not in by_code for code in shapes))
    if own is not None:
        note = (f"Garis = batas {data.name}, yang tidak dibagi lagi. "
                + ("Kotak huruf = titik rawan (sel H3 yang diperkasar, rincian di halaman berikut). " if cells
                   else "Tidak ada titik rawan minggu ini. ")
                + "Batas wilayah disederhanakan.")
    elif shapes:
        note = (f"Nomor = daftar di samping. Arsir = disembunyikan (“< {k}”), bukan nol. "
                + ("Kotak huruf = titik rawan (sel H3, rincian di halaman berikut). " if cells
                   else "Tidak ada titik rawan minggu ini. ")
                + "Batas wilayah disederhanakan.")
    else:
        note = (f"Batas {child_level.lower()} belum tersedia: hanya titik rawan (sel H3) yang digambar; "
                "angka per wilayah ada di daftar.")
    label = f"Peta {data.name}: {len(shapes)} {child_level.lower()} dan {len(cells)} titik rawan"
    return Drawing(frame_w, frame_h + LEGEND_H, label, tuple(items)), note


def _scale_bar(scale: float, frame_w: float, frame_h: float) -> list[Item]:
    mm_per_km = scale / 111.32
    km = next((d for d in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if d * mm_per_km >= 10), 100)
    length = _r(km * mm_per_km)
    x, y = 4.0, frame_h - 4.0
    return [
        Line(x, y, x + length, y, INK, 0.4),
        Line(x, y - 1, x, y + 0.3, INK, 0.3),
        Line(x + length, y - 1, x + length, y + 0.3, INK, 0.3),
        Text(_r(x + length + 1.5), _r(y + 0.8), f"{_num(km)} km", 6, INK),
    ]


def _legend(k: int, y0: float, width: float, hotspots: bool, emerging: bool, *, no_data: bool = False
            ) -> list[Item]:
    # (column, row, label, fill) on a grid of four columns: the classes, then the hidden class, then hotspots
    entries: list[tuple[int, int, str, str]] = [(i, 0, label, fill)
                                                for i, (label, fill) in enumerate(legend_classes(k))]
    entries.append((0, 1, f"< {k} (disembunyikan)", SUPPRESSED_FILL))
    if no_data:
        entries.append((2, 1, "tanpa data", NO_DATA_FILL))
    if hotspots:
        entries.append((0, 2, "titik rawan (sel H3)", "hot"))
    if emerging:
        entries.append((2, 2, "titik rawan baru muncul", "new"))
    items: list[Item] = []
    col_w, row_h = width / 4, 4.4
    for column, row, label, fill in entries:
        x, y = column * col_w, y0 + row * row_h
        box = _rect(x, y, 5, 3)
        if fill == "hot":
            items.append(Poly(box, None, NAVY, 0.55))
        elif fill == "new":
            items.append(Poly(box, None, EMERGING, 0.55, dash=True))
        else:
            items.append(Poly(box, fill, None))
            if fill == SUPPRESSED_FILL:
                items += _hatch(box, 1.2)
            items.append(Poly(box, None, BORDER, 0.2))
        items.append(Text(x + 6.5, y + 2.5, label, 6.5, INK))
    return items


# ---------------------------------------------------------------------------------------------------
# HTML


def report_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; nothing is fetched)."""
    v = report_view(data)
    e = html.escape
    cards = "".join(
        f'<div class="card{" sup" if f.suppressed else ""}"><div class="label">{e(f.label)}</div>'
        f'<div class="gloss">{e(f.gloss)}</div><div class="num">{e(f.display)}</div>'
        + (f'<div class="sub">{e(f.note)}</div>' if f.note else "")
        + (f'<div class="sub">minggu sebelumnya: {e(f.previous)}</div>' if f.previous is not None else "")
        + "</div>" for f in v.headline)
    actions = "".join(
        f'<div class="card small{" sup" if f.suppressed else ""}"><div class="label">{e(f.label)}</div>'
        f'<div class="num">{e(f.display)}</div></div>' for f in v.actions)
    action_rows = "".join(
        f"<tr><td>{e(f.label)}<div class='gloss'>{e(f.gloss)}</div></td><td>{e(f.note)}</td>"
        f"<td class='n'>{e(f.display)}</td><td class='n'>{e(f.previous or '-')}</td></tr>" for f in v.actions)
    child_rows = "".join(
        f"<tr><td class='n'>{c.number}</td><td><span class='sw{' hatch' if c.suppressed else ''}' "
        f"style='background-color:{c.fill}'></span>{e(c.name)}</td><td class='n'>{e(c.display)}"
        f"{'*' if c.complementary else ''}</td></tr>" for c in v.children)
    children = (
        f"<table class='list'><thead><tr><th>#</th><th>{e(v.child_level)}</th><th class='n'>Akun</th></tr></thead>"
        f"<tbody>{child_rows}</tbody></table>"
        + ("<p class='fine'>* disembunyikan sebagai pelengkap / complementary suppression</p>"
           if any(c.complementary for c in v.children) else "")
        if v.children else "<p class='fine'>Tidak ada sub-wilayah.</p>"
    )
    hot_rows = "".join(
        f"<tr><td><b>{e(h.label)}</b></td><td class='n'>{e(h.accounts)}</td><td class='n'>{e(h.previous)}</td>"
        f"<td class='n'>{e(h.change)}</td><td>{e(h.note)}</td></tr>" for h in v.hotspots)
    hot = ("<table class='list'><thead><tr><th>Titik</th><th class='n'>Akun minggu ini</th>"
           "<th class='n'>Minggu lalu</th><th class='n'>Perubahan</th><th>Keterangan</th></tr></thead>"
           f"<tbody>{hot_rows}</tbody></table>"
           if v.hotspots else "<p>Tidak ada titik rawan yang memenuhi ambang minggu ini.</p>")
    referral = "".join(f"<li><b>{e(r.channel)}</b> — {e(r.contact)}<br><span>{e(r.text)}</span></li>"
                       for r in v.referral)
    return f"""<!DOCTYPE html>
<html lang="{v.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{e(v.document_title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<div class="kicker">{e(v.kicker)}</div>
<h1>{e(v.heading)}</h1>
<p class="subtitle">{e(v.subheading)}</p>
<p class="meta">{e(v.meta)}</p>
</header>
<section class="privacy" aria-label="Catatan privasi"><p>{e(v.privacy)}</p><p class="en">{e(v.privacy_en)}</p>
</section>
<h2>Angka utama minggu {e(v.week)}</h2>
<div class="cards">{cards}</div>
<h3>Tindakan platform minggu ini <span class="gloss">platform actions by type</span></h3>
<div class="cards four">{actions}</div>
<h2>{e(v.chart_title)}</h2>
<figure>{_svg(v.chart)}<figcaption>{e(v.chart_note)}</figcaption></figure>
<h2>{e(v.map_title)}</h2>
<div class="maprow"><figure class="map">{_svg(v.map)}<figcaption>{e(v.map_note)}</figcaption></figure>
<div class="side">{children}</div></div>
<h2>{e(v.platform_title)}</h2>
<table class="list actions"><thead><tr><th>Tindakan</th><th>Keterangan</th><th class="n">Minggu {e(v.week)}</th>
<th class="n">Minggu sebelumnya</th></tr></thead><tbody>{action_rows}</tbody></table>
{"".join(f"<p>{e(t)}</p>" for t in v.platform_text)}
<h2>{e(v.hotspots_title)}</h2>
{hot}
<p class="fine">{e(v.hotspots_note)}</p>
<section class="referral" aria-label="{e(v.referral_title)}">
<h2>{e(v.referral_title)}</h2>
<ul>{referral}</ul>
<ul class="guidance">{"".join(f"<li>{e(g)}</li>" for g in v.guidance)}</ul>
</section>
<h3>Cara membaca angka <span class="gloss">how to read the figures</span></h3>
{"".join(f"<p class='fine'>{e(m)}</p>" for m in v.method)}
<footer>{e(v.footer)}<br><b>{e(v.emergency)}</b></footer>
</main>
</body>
</html>
"""


_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#eef1f4;color:#1f2933;font:14px/1.45 "DejaVu Sans","Segoe UI",Roboto,Arial,sans-serif}
main{max-width:860px;margin:24px auto;background:#fff;padding:32px 40px;border-top:6px solid #1d3557}
.kicker{font-size:11px;letter-spacing:.08em;text-transform:uppercase;color:#5f6b76}
h1{font-size:24px;margin:4px 0;color:#1d3557}
h2{font-size:16px;color:#1d3557;border-bottom:1px solid #1d3557;padding-bottom:3px;margin:26px 0 10px}
h3{font-size:14px;margin:16px 0 8px}
.subtitle{font-size:16px;margin:0}
.meta,.fine,figcaption,.gloss{font-size:11.5px;color:#5f6b76}
.gloss{font-weight:normal}
.privacy{background:#eef3f8;border-left:4px solid #1d3557;padding:8px 14px;margin:16px 0;font-size:13px}
.privacy p{margin:2px 0}.privacy .en{font-size:11.5px;color:#5f6b76}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.card{border:1px solid #c9d0d6;border-radius:4px;padding:8px 10px;background:#f8fafb}
.card .label{font-weight:bold;font-size:12.5px}
.card .num{font-size:28px;font-weight:bold;color:#1d3557;margin:4px 0 2px}
.card.small .num{font-size:20px}
.card.sup .num{color:#6b7580}
.card .sub{font-size:11.5px;color:#5f6b76}
figure{margin:0}
svg{width:100%;height:auto;display:block}
.maprow{display:flex;gap:16px;align-items:flex-start}
.maprow .map{flex:0 0 61%}.maprow .side{flex:1}
table.list{border-collapse:collapse;width:100%;font-size:12.5px}
table.list th{text-align:left;background:#e2e9f3;padding:3px 6px}
table.list td{border-bottom:1px solid #e3e7ea;padding:3px 6px}
.n{text-align:right;white-space:nowrap}
.sw{display:inline-block;width:12px;height:9px;border:1px solid #8a939b;margin-right:6px;vertical-align:baseline}
.sw.hatch{background-image:repeating-linear-gradient(135deg,#8c8c8c 0 1px,transparent 1px 4px)}
.referral{border:2px solid #8e1b6b;border-radius:6px;padding:4px 18px 10px;margin:22px 0;background:#fdf6fa}
.referral h2{color:#8e1b6b;border-color:#8e1b6b}
.referral li{margin:6px 0}.referral li span{color:#3e4c59}
.guidance{font-size:13px}
footer{margin-top:24px;border-top:1px solid #c9d0d6;padding-top:8px;font-size:11.5px;color:#5f6b76}
@media (max-width:700px){.cards{grid-template-columns:repeat(2,1fr)}.maprow{display:block}main{padding:16px}}
@media print{body{background:#fff}main{margin:0;max-width:none;border:0;padding:0}
 @page{size:A4;margin:14mm} h2{break-after:avoid} .referral,figure{break-inside:avoid}}
"""


def _svg(d: Drawing) -> str:
    """A drawing as inline SVG, in millimetres (the viewBox), with the PDF's coordinates."""
    e = html.escape
    # half a millimetre of margin so that strokes on the frame's edge are not cut
    parts = [f'<svg viewBox="-0.5 -0.5 {_r(d.width + 1)} {_r(d.height + 1)}" role="img" aria-label="{e(d.label)}" '
             'font-family="DejaVu Sans, Segoe UI, Arial, sans-serif">']
    for item in d.items:
        if isinstance(item, Poly):
            pts = " ".join(f"{x},{y}" for x, y in item.points)
            stroke = (f' stroke="{item.stroke}" stroke-width="{item.width}" stroke-linejoin="round"'
                      if item.stroke else "")
            dash = ' stroke-dasharray="1.2 0.8"' if item.dash else ""
            parts.append(f'<polygon points="{pts}" fill="{item.fill or "none"}"{stroke}{dash}/>')
        elif isinstance(item, Line):
            dash = ' stroke-dasharray="1.2 0.8"' if item.dash else ""
            parts.append(f'<line x1="{item.x1}" y1="{item.y1}" x2="{item.x2}" y2="{item.y2}" stroke="{item.color}" '
                         f'stroke-width="{item.width}"{dash}/>')
        else:
            weight = ' font-weight="bold"' if item.bold else ""
            parts.append(f'<text x="{item.x}" y="{item.y}" font-size="{_r(item.size * PT_MM)}" fill="{item.color}" '
                         f'text-anchor="{item.anchor}"{weight}>{e(item.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------
# PDF


def report_pdf(data: ReportData, *, font_path: Path | None = DEJAVU_SANS) -> bytes:
    """The report as an A4 PDF of two pages, drawn from the same view model as the HTML.

    Deterministic for the same data and font. Without the DejaVu font (``font_path`` missing) the PDF
    uses a core font; characters outside Latin-1 are spelled in ASCII ("≥" → ">=").
    """
    v = report_view(data)
    out = _Pdf(font_path, v)
    generated = data.generated_at if data.generated_at.tzinfo else data.generated_at.replace(tzinfo=UTC)
    out.doc.set_creation_date(generated.astimezone(UTC))
    out.doc.set_title(v.document_title)
    out.doc.set_lang("id")
    out.doc.set_creator("pantau")
    out.page_one()
    out.page_two()
    return bytes(out.doc.output())


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


_ASCII = {"—": "-", "–": "-", "≥": ">=", "≤": "<=", "…": "...", "“": '"', "”": '"', "‘": "'", "’": "'", "•": "-",
          "→": "->", "±": "+/-", "²": "2"}


class _Pdf:
    """Page layout over fpdf2: page one at fixed positions, page two flowing."""

    MARGIN = 14.0

    def __init__(self, font_path: Path | None, view: ReportView) -> None:
        from fpdf import FPDF

        layout = self
        self.v = view
        self.rest: Sequence[ChildRow] = ()  # sub-regions that did not fit beside the map

        class _Doc(FPDF):
            def footer(self) -> None:
                self.set_y(-12)
                self.set_draw_color(*_rgb(RULE))
                self.line(layout.MARGIN, self.get_y() - 1, self.w - layout.MARGIN, self.get_y() - 1)
                layout.font("", 6.8)
                self.set_text_color(*_rgb(MUTED))
                self.cell(0, 3.4, layout.clean(view.footer), align="L")
                self.set_x(layout.MARGIN)
                self.cell(0, 3.4, f"Halaman {self.page_no()}/{{nb}}", align="R", new_x="LMARGIN", new_y="NEXT")
                layout.font("B", 6.8)
                self.set_text_color(*_rgb(EMERGING))
                self.cell(0, 3.4, layout.clean(view.emergency), align="L")
                self.set_text_color(0)

        self.doc = _Doc(format="A4", unit="mm")
        self.doc.set_margins(self.MARGIN, 12, self.MARGIN)
        self.doc.set_auto_page_break(True, margin=16)
        self.doc.alias_nb_pages()
        self.family, self.unicode = "helvetica", False
        if font_path is not None and Path(font_path).is_file():
            try:
                bold = Path(font_path).with_name(Path(font_path).stem + "-Bold" + Path(font_path).suffix)
                self.doc.add_font("pantau", "", font_path)
                self.doc.add_font("pantau", "B", bold if bold.is_file() else font_path)
                self.family, self.unicode = "pantau", True
            except Exception:  # an unreadable font degrades the look, never the report
                self.family, self.unicode = "helvetica", False

    # -- basics ---------------------------------------------------------------------------------

    def clean(self, text: str) -> str:
        if self.unicode:
            return text
        return "".join(_ASCII.get(ch, ch) if ord(ch) > 255 or ch in _ASCII else ch for ch in text).encode(
            "latin-1", "replace").decode("latin-1")

    def fit(self, text: str, width: float) -> str:
        """``text`` in the current font, cut with an ellipsis if it is wider than ``width``."""
        text = self.clean(text)
        ellipsis = self.clean("…")
        if self.doc.get_string_width(text) <= width:
            return text
        while text and self.doc.get_string_width(text + ellipsis) > width:
            text = text[:-1]
        return text.rstrip() + ellipsis

    def font(self, style: str = "", size: float = 9) -> None:
        self.doc.set_font(self.family, style, size)

    def color(self, color: str) -> None:
        self.doc.set_text_color(*_rgb(color))

    @property
    def width(self) -> float:
        return self.doc.w - 2 * self.MARGIN

    def section(self, title: str, gloss: str = "") -> None:
        d = self.doc
        d.ln(2.2)
        if d.will_page_break(22):
            d.add_page()
        self.font("B", 10.5)
        self.color(NAVY)
        d.cell(d.get_string_width(self.clean(title)) + 2, 5.5, self.clean(title))
        if gloss:
            self.font("", 7)
            self.color(MUTED)
            d.cell(0, 5.5, self.clean(gloss))
        d.ln(5.5)
        d.set_draw_color(*_rgb(NAVY))
        d.set_line_width(0.3)
        d.line(self.MARGIN, d.get_y(), self.doc.w - self.MARGIN, d.get_y())
        d.set_text_color(0)
        d.ln(1.8)

    def para(self, text: str, size: float = 8.4, color: str = INK, style: str = "", height: float = 3.9) -> None:
        self.font(style, size)
        self.color(color)
        self.doc.multi_cell(0, height, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.doc.set_text_color(0)

    def draw(self, drawing: Drawing, x0: float, y0: float) -> None:
        """The drawing's primitives at the same coordinates the SVG uses, offset to (x0, y0)."""
        d = self.doc
        for item in drawing.items:
            if isinstance(item, Poly):
                pts = [(x0 + x, y0 + y) for x, y in item.points]
                if item.fill:
                    d.set_fill_color(*_rgb(item.fill))
                if item.stroke:
                    d.set_draw_color(*_rgb(item.stroke))
                    d.set_line_width(item.width)
                    if item.dash:
                        d.set_dash_pattern(1.2, 0.8)
                style = "DF" if item.fill and item.stroke else "F" if item.fill else "D"
                d.polygon(pts, style=style)
                d.set_dash_pattern()
            elif isinstance(item, Line):
                d.set_draw_color(*_rgb(item.color))
                d.set_line_width(item.width)
                if item.dash:
                    d.set_dash_pattern(1.2, 0.8)
                d.line(x0 + item.x1, y0 + item.y1, x0 + item.x2, y0 + item.y2)
                d.set_dash_pattern()
            else:
                self.font("B" if item.bold else "", item.size)
                self.color(item.color)
                text = self.clean(item.text)
                w = d.get_string_width(text)
                shift = {"start": 0.0, "middle": w / 2, "end": w}[item.anchor]
                d.text(x0 + item.x - shift, y0 + item.y, text)
        d.set_text_color(0)
        d.set_draw_color(0)
        d.set_line_width(0.2)

    # -- page one -------------------------------------------------------------------------------

    def page_one(self) -> None:
        d, v, m = self.doc, self.v, self.MARGIN
        d.add_page()
        d.set_fill_color(*_rgb(NAVY))
        d.rect(0, 0, d.w, 4, style="F")
        d.set_y(9)
        self.para(v.kicker.upper(), 6.6, MUTED, height=3.2)
        self.para(v.heading, 15.5, NAVY, "B", 7)
        self.para(v.subheading, 10.5, INK, "", 5.2)
        self.para(v.meta, 6.6, MUTED, height=3.2)
        d.ln(2)
        self.privacy_box()
        self.section(f"Angka utama minggu {v.week}", "headline figures")
        self.cards(v.headline, 28.0, big=18)
        d.ln(2)
        self.font("B", 8.2)
        self.color(INK)
        label = self.clean(f"Tindakan platform minggu {v.week}")
        d.cell(d.get_string_width(label) + 2, 4, label)
        self.font("", 6.8)
        self.color(MUTED)
        d.cell(0, 4, "platform actions by type", new_x="LMARGIN", new_y="NEXT")
        d.ln(0.8)
        self.cards(v.actions, 15.0, big=12, compact=True)
        self.section(v.chart_title, "8-week trend, accounts detected")
        y = d.get_y()
        self.draw(v.chart, m, y)
        d.set_y(y + v.chart.height)
        self.para(v.chart_note, 6.6, MUTED, height=3.1)
        self.section(v.map_title, "map")
        y = d.get_y()
        self.draw(v.map, m, y)
        self.child_list(m + v.map.width + 5, y, self.width - v.map.width - 5, v.map.height)
        d.set_y(y + v.map.height)
        self.para(v.map_note, 6.6, MUTED, height=3.1)

    def privacy_box(self) -> None:
        d, v = self.doc, self.v
        x, y, w = self.MARGIN, d.get_y(), self.width
        self.font("", 7.8)
        h1 = d.multi_cell(w - 7, 3.6, self.clean(v.privacy), dry_run=True, output="HEIGHT")
        self.font("", 6.6)
        h2 = d.multi_cell(w - 7, 3.1, self.clean(v.privacy_en), dry_run=True, output="HEIGHT")
        h = h1 + h2 + 3
        d.set_fill_color(238, 243, 248)
        d.rect(x, y, w, h, style="F")
        d.set_fill_color(*_rgb(NAVY))
        d.rect(x, y, 1.2, h, style="F")
        d.set_xy(x + 4, y + 1.5)
        self.font("", 7.8)
        self.color(INK)
        d.multi_cell(w - 7, 3.6, self.clean(v.privacy), align="L", new_x="LEFT", new_y="NEXT")
        self.font("", 6.6)
        self.color(MUTED)
        d.multi_cell(w - 7, 3.1, self.clean(v.privacy_en), align="L", new_x="LEFT", new_y="NEXT")
        d.set_xy(self.MARGIN, y + h)
        d.set_text_color(0)

    def cards(self, figures: Sequence[Figure], height: float, *, big: float, compact: bool = False) -> None:
        d = self.doc
        gap, n = 3.0, len(figures)
        w = (self.width - gap * (n - 1)) / n
        y = d.get_y()
        for i, f in enumerate(figures):
            x = self.MARGIN + i * (w + gap)
            d.set_fill_color(248, 250, 251)
            d.set_draw_color(*_rgb(RULE))
            d.set_line_width(0.25)
            d.rect(x, y, w, height, style="DF", round_corners=True, corner_radius=1.2)
            d.set_xy(x + 2.5, y + 1.8)
            self.font("B", 7.3 if compact else 7.8)
            self.color(INK)
            d.multi_cell(w - 5, 3.3, self.clean(f.label), align="L", new_x="LEFT", new_y="NEXT")
            if not compact:
                self.font("", 6.2)
                self.color(MUTED)
                d.multi_cell(w - 5, 2.8, self.clean(f.gloss), align="L", new_x="LEFT", new_y="NEXT")
            size = big
            self.font("B", size)
            while d.get_string_width(self.clean(f.display)) > w - 5 and size > 6:
                size -= 0.5
                self.font("B", size)
            self.color(MUTED if f.suppressed else NAVY)
            base = y + (18.2 if not compact else height - 2.4)
            d.text(x + 2.5, base, self.clean(f.display))
            if not compact:
                self.font("", 6.2)
                self.color(MUTED)
                lines = [s for s in (f.note, f"minggu sebelumnya: {f.previous}" if f.previous else "") if s]
                for j, line in enumerate(reversed(lines[-2:])):  # bottom up: the previous week last
                    d.text(x + 2.5, y + height - 2.0 - j * 2.8, self.clean(line))
        d.set_text_color(0)
        d.set_xy(self.MARGIN, y + height)

    def child_list(self, x: float, y: float, w: float, h: float) -> None:
        d, v = self.doc, self.v
        rows = v.children
        if not rows:
            self.font("", 7)
            self.color(MUTED)
            d.set_xy(x, y)
            d.multi_cell(w, 3.4, "Tidak ada sub-wilayah.")
            return
        row_h = max(3.2, min(4.6, (h - 10) / len(rows)))
        size = 7.2 if row_h >= 4 else 6.2
        d.set_fill_color(226, 233, 243)
        d.rect(x, y, w, 4.6, style="F")
        self.font("B", 7)
        self.color(INK)
        d.text(x + 1.2, y + 3.3, "#")
        d.text(x + 6, y + 3.3, self.clean(v.child_level))
        label = f"Akun {v.week.split('-')[-1]}"
        d.text(x + w - 1.2 - d.get_string_width(label), y + 3.3, label)
        yy = y + 4.6
        for i, c in enumerate(rows):
            if yy + row_h > y + h - 4:
                self.rest = rows[i:]  # continued on the next page
                self.font("", 6)
                self.color(MUTED)
                d.text(x + 1.2, yy + 2.8, self.clean(f"… {len(rows) - i} lainnya di halaman berikut"))
                break
            d.set_draw_color(227, 231, 234)
            d.set_line_width(0.15)
            d.line(x, yy + row_h, x + w, yy + row_h)
            self.font("", size)
            self.color(MUTED)
            d.text(x + 1.2, yy + row_h - 1.2, str(c.number))
            box = _rect(x + 6, yy + row_h / 2 - 1.3, 3.6, 2.6)
            d.set_fill_color(*_rgb(c.fill))
            d.polygon(box, style="F")
            if c.suppressed:
                for line in _hatch(box, 1.0):
                    d.set_draw_color(*_rgb(line.color))
                    d.set_line_width(line.width)
                    d.line(line.x1, line.y1, line.x2, line.y2)
            d.set_draw_color(*_rgb(BORDER))
            d.set_line_width(0.15)
            d.polygon(box, style="D")
            self.color(INK)
            d.text(x + 11, yy + row_h - 1.2, self.fit(c.name, w - 24))
            self.font("B", size)
            shown = c.display + ("*" if c.complementary else "")
            self.color(MUTED if c.suppressed else INK)
            d.text(x + w - 1.2 - d.get_string_width(self.clean(shown)), yy + row_h - 1.2, self.clean(shown))
            yy += row_h
        if any(c.complementary for c in rows):
            self.font("", 5.8)
            self.color(MUTED)
            d.text(x + 1.2, yy + 3.2, "* disembunyikan sebagai pelengkap")
        d.set_text_color(0)

    # -- page two -------------------------------------------------------------------------------

    def page_two(self) -> None:
        d, v = self.doc, self.v
        d.add_page()
        d.set_y(10)
        self.section(v.platform_title, "what the platform did")
        self.table((60, 78, 22, 22), ("Tindakan", "Keterangan", f"Minggu {v.week.split('-')[-1]}",
                                      "Minggu lalu"),
                   [(f"{f.label}\n{f.gloss}", f.note, f.display, f.previous or "-") for f in v.actions],
                   right=(2, 3))
        for text in v.platform_text:
            self.para(text, 8)
            d.ln(0.8)
        self.section(v.hotspots_title, "hotspots")
        if v.hotspots:
            shown = v.hotspots[:12]
            self.table((16, 32, 28, 26, 80), ("Titik", "Akun minggu ini", "Minggu lalu", "Perubahan", "Keterangan"),
                       [(h.label, h.accounts, h.previous, h.change, h.note)
                        for h in shown], center=(0, 1, 2, 3))
            if len(v.hotspots) > len(shown):
                self.para(f"… dan {len(v.hotspots) - len(shown)} titik lain (lihat peta dan versi HTML).", 7.2, MUTED)
        else:
            self.para("Tidak ada titik rawan yang memenuhi ambang minggu ini.", 8)
        self.para(v.hotspots_note, 6.8, MUTED, height=3.2)
        if self.rest:
            self.section(f"{v.map_title} (lanjutan)", "map list, continued")
            self.table((12, 120, 50), ("#", v.child_level, f"Akun {v.week.split('-')[-1]}"),
                       [(str(c.number), c.name, c.display + ("*" if c.complementary else "")) for c in self.rest],
                       right=(2,))
        self.referral_box()
        self.section("Cara membaca angka", "how to read the figures")
        for text in v.method:
            self.para(text, 7, MUTED, height=3.3)
            d.ln(0.8)

    def table(self, widths: Sequence[float], header: Sequence[str], rows: Iterable[Sequence[str]], *,
              right: Sequence[int] = (), center: Sequence[int] = ()) -> None:
        from fpdf.enums import Align
        from fpdf.fonts import FontFace

        self.font("", 7.6)
        self.doc.set_fill_color(255)
        self.doc.set_text_color(0)
        self.doc.set_draw_color(*_rgb(RULE))
        self.doc.set_line_width(0.15)
        heading = FontFace(emphasis="BOLD", fill_color=(226, 233, 243))
        with self.doc.table(col_widths=tuple(widths), width=sum(widths), text_align="LEFT", line_height=3.5,
                            padding=1, headings_style=heading, v_align="MIDDLE", cell_fill_mode="ROWS",
                            cell_fill_color=(246, 247, 249), borders_layout="HORIZONTAL_LINES") as table:
            def align(i: int) -> Align:
                return Align.R if i in right else Align.C if i in center else Align.L

            row = table.row()
            for i, h in enumerate(header):
                row.cell(self.clean(h), align=align(i))
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    row.cell(self.clean(value), align=align(i))
        self.doc.ln(1.5)

    def referral_box(self) -> None:
        d, v, m, w = self.doc, self.v, self.MARGIN, self.width
        pad = 4.0
        inner = w - 2 * pad

        def body(dry: bool) -> float:
            """Lays the box's content out (or, with ``dry``, only measures it): the same steps both times."""
            total = 0.0

            def text(content: str, style: str, size: float, color: str, line: float, indent: float = 0.0) -> None:
                nonlocal total
                self.font(style, size)
                self.color(color)
                if not dry:
                    d.set_x(m + pad + indent)
                total += d.multi_cell(inner - indent, line, self.clean(content), align="L", dry_run=dry,
                                      output="HEIGHT", new_x="LMARGIN", new_y="NEXT")

            def gap(height: float) -> None:
                nonlocal total
                total += height
                if not dry:
                    d.ln(height)

            text(v.referral_title, "B", 11, EMERGING, 5.5)
            text("where to refer a child at risk", "", 6.8, EMERGING, 3.4)
            gap(1.5)
            for r in v.referral:
                text(f"{r.channel} — {r.contact}", "B", 9, INK, 4.4)
                text(r.text, "", 7.8, MUTED, 3.6)
                gap(1.2)
            if not dry:
                d.set_draw_color(*_rgb(RULE))
                d.set_line_width(0.25)
                d.line(m + pad, d.get_y() + 0.3, m + pad + inner, d.get_y() + 0.3)
            gap(2.0)
            for g in v.guidance:
                if not dry:
                    self.font("", 7.8)
                    self.color(INK)
                    d.set_x(m + pad)
                    d.cell(3.5, 3.7, self.clean("•"))
                text(g, "", 7.8, INK, 3.7, indent=3.5)
                gap(0.8)
            return total

        d.ln(3)
        height = body(True) + 2 * pad - 1.8
        if d.will_page_break(height):
            d.add_page()
        y = d.get_y()
        d.set_fill_color(253, 246, 250)
        d.set_draw_color(*_rgb(EMERGING))
        d.set_line_width(0.6)
        d.rect(m, y, w, height, style="DF", round_corners=True, corner_radius=2)
        d.set_xy(m + pad, y + pad - 1)
        body(False)
        d.set_text_color(0)
        d.set_xy(m, y + height + 1)
