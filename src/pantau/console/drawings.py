"""The regional dashboard's drawings as SVG geometry: the map and the weekly trend.

The map draws sub-region polygons when boundaries are stored, else the hotspots' H3 cells. No web
tiles and no script: the server projects the shapes (equirectangular around the middle
latitude, as the weekly report does) into a ``WIDTH``-wide viewBox and each shape carries its
figure as ``<title>`` hover text. Colours and classes are the report's (``pantau.report``), so the
console and the PDF read the same way; suppressed figures are hatched and say "< k", never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pantau.report import NO_DATA_FILL, SUPPRESSED_FILL, ChildRow, fill_for, legend_classes

WIDTH = 600.0
PAD = 8.0
TREND_HEIGHT, TREND_BASE, TREND_TOP = 200.0, 170.0, 24.0


@dataclass(frozen=True)
class Shape:
    d: str  # SVG path data
    fill: str
    hatched: bool
    title: str  # hover text: name and figure


@dataclass(frozen=True)
class RegionMap:
    mode: Literal["regions", "cells", "none"]
    width: float
    height: float
    shapes: tuple[Shape, ...]
    legend: tuple[tuple[str, str, bool], ...]  # (label, fill, hatched)


def _rings(geometry: Any) -> list[list[tuple[float, float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    out = []
    for polygon in polygons:
        if polygon.is_empty:
            continue
        out.append(list(polygon.exterior.coords))
        out.extend(list(ring.coords) for ring in polygon.interiors)
    return out


def _cell(cell: str) -> Any:
    import h3
    from shapely.geometry import Polygon

    return Polygon([(lon, lat) for lat, lon in h3.cell_to_boundary(cell)])


def _projector(geometries: Sequence[Any]) -> tuple[float, Any]:
    """The map's height and a function from (lon, lat) to viewBox coordinates."""
    minx = min(g.bounds[0] for g in geometries)
    miny = min(g.bounds[1] for g in geometries)
    maxx = max(g.bounds[2] for g in geometries)
    maxy = max(g.bounds[3] for g in geometries)
    kx = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = max((maxx - minx) * kx, 1e-6), max(maxy - miny, 1e-6)
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD

    def project(lon: float, lat: float) -> tuple[float, float]:
        return PAD + (lon - minx) * kx * scale, PAD + (maxy - lat) * scale

    return height, project


def _path(geometry: Any, project: Any) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _legend(k: int, with_no_data: bool) -> tuple[tuple[str, str, bool], ...]:
    entries = [(label, fill, False) for label, fill in legend_classes(k)]
    entries.append((f"< {k}", SUPPRESSED_FILL, True))
    if with_no_data:
        entries.append(("-", NO_DATA_FILL, False))
    return tuple(entries)


def region_map(shapes: Mapping[str, Any], children: Sequence[ChildRow],
               hotspot_cells: Sequence[tuple[str, Mapping[str, Any]]], k: int) -> RegionMap:
    """Sub-regions with stored boundaries, each filled by its class of accounts detected; otherwise
    the week's hotspot cells, given as (label, cell) pairs (each shown cell stands for at least k
    accounts); otherwise nothing to draw."""
    rows = {row.code: row for row in children}
    drawn = {code: g for code, g in shapes.items() if g is not None and not g.is_empty}
    if drawn:
        height, project = _projector(list(drawn.values()))
        out = []
        for code, geometry in sorted(drawn.items(), key=lambda cg: -cg[1].area):  # small regions on top
            row = rows.get(code)
            name, shown = (row.name, row.display) if row else (code, "-")
            out.append(Shape(_path(geometry, project), row.fill if row else NO_DATA_FILL,
                             bool(row and row.suppressed), f"{name}: {shown}"))
        return RegionMap("regions", WIDTH, round(height, 1), tuple(out), _legend(k, any(c not in rows for c in drawn)))
    cells = [(label, c, _cell(c["h3"])) for label, c in hotspot_cells]
    if cells:
        height, project = _projector([g for _, _, g in cells])
        out = [Shape(_path(g, project), fill_for({"value": c["accounts_at_least"]}, k), False,
                     f"{label}: {c['accounts']}") for label, c, g in cells]
        return RegionMap("cells", WIDTH, round(height, 1), tuple(out), _legend(k, False))
    return RegionMap("none", WIDTH, 0.0, (), ())


@dataclass(frozen=True)
class Bar:
    week: str  # "W48"
    display: str  # the stats' display string: "12", "0" or "< 10"
    suppressed: bool
    x: float
    y: float
    width: float
    height: float
    current: bool


def trend_bars(weeks: Sequence[Mapping[str, Any]], k: int) -> tuple[Bar, ...]:
    """Accounts detected per week as bars in a WIDTH × TREND_HEIGHT box; a suppressed week is a
    hatched bar up to k (it means "anywhere below k"), a real zero a flat bar."""
    figures = [w.get("accounts_detected") or {} for w in weeks]
    shown = [f["value"] for f in figures if not f.get("suppressed") and isinstance(f.get("value"), int | float)]
    top = max([k, *shown]) * 1.15
    slot = (WIDTH - 2 * PAD) / max(len(weeks), 1)
    bars = []
    for i, (week, fig) in enumerate(zip(weeks, figures, strict=True)):
        value = k if fig.get("suppressed") else float(fig.get("value") or 0)
        height = max((TREND_BASE - TREND_TOP) * value / top, 1.5)
        bars.append(Bar(str(week.get("week", "")).split("-")[-1], str(fig.get("display", "-")),
                        bool(fig.get("suppressed")), round(PAD + slot * i + slot * 0.2, 1),
                        round(TREND_BASE - height, 1), round(slot * 0.6, 1), round(height, 1), i == len(weeks) - 1))
    return tuple(bars)
