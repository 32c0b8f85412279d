"""The console's pure helpers: signal spans cut into marked pieces, the trend bars and the map shapes."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from pantau.console.drawings import region_map, trend_bars
from pantau.console.highlight import Piece, pieces
from pantau.report import SUPPRESSED_FILL, ChildRow


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # no signal: one unmarked piece
    ("halo kak", [], [Piece("halo kak")]),
    # one span in the middle
    ("Ready 0p3n BO kak", [("a", 6, 13)], [Piece("Ready "), Piece("0p3n BO", ("a",)), Piece(" kak")]),
    # overlapping spans: the overlap names both
    ("open BO 300", [("a", 0, 7), ("b", 5, 11)],
     [Piece("open ", ("a",)), Piece("BO", ("a", "b")), Piece(" 300", ("b",))]),
    # empty and out-of-range spans are ignored (a profile's declared age has no span)
    ("abg", [("x", 0, 0), ("y", 2, 9)], [Piece("abg")]),
    # astral characters: offsets are code points, as stored
    ("𝐁𝐎 ready", [("a", 0, 2)], [Piece("𝐁𝐎", ("a",)), Piece(" ready")]),
])
def test_pieces(text: str, spans: list[tuple[str, int, int]], expected: list[Piece]) -> None:
    found = pieces(text, [{"name": n, "start": s, "end": e} for n, s, e in spans])
    assert found == expected and "".join(p.text for p in found) == text


def _figure(value: int | None, suppressed: bool = False) -> dict[str, object]:
    return {"value": value, "display": "< 10" if suppressed else str(value), "suppressed": suppressed}


def test_trend_bars_show_suppressed_weeks_up_to_k_never_as_zero() -> None:
    weeks = [{"week": "2026-W47", "accounts_detected": _figure(None, True)},
             {"week": "2026-W48", "accounts_detected": _figure(0)},
             {"week": "2026-W49", "accounts_detected": _figure(30)}]
    hidden, zero, shown = trend_bars(weeks, 10)
    assert (hidden.week, hidden.display, hidden.suppressed) == ("W47", "< 10", True)
    assert zero.height < hidden.height < shown.height and shown.current and not hidden.current
    assert hidden.height == pytest.approx(shown.height / 3, rel=0.01)


def test_region_map_titles_and_fallbacks() -> None:
    rows = [ChildRow(1, "35.73.05.1001", "Tunggulwulung", "< 10", True, False, SUPPRESSED_FILL, True),
            ChildRow(2, "35.73.05.1002", "Merjosari", "12", False, False, "#fcd9a8", True)]
    shapes = {"35.73.05.1001": box(112.60, -7.93, 112.61, -7.92), "35.73.05.1002": box(112.61, -7.93, 112.62, -7.92)}
    drawn = region_map(shapes, rows, [], 10)
    assert drawn.mode == "regions" and {s.title for s in drawn.shapes} == {"Tunggulwulung: < 10", "Merjosari: 12"}
    assert [s.hatched for s in drawn.shapes if s.title.startswith("Tunggulwulung")] == [True]
    assert all(s.d.startswith("M") and s.d.endswith("Z") for s in drawn.shapes)
    assert ("< 10", SUPPRESSED_FILL, True) in drawn.legend
    cells = region_map({}, rows, [("A", {"h3": "888d85c055fffff", "accounts": "≥ 10", "accounts_at_least": 10})], 10)
    assert cells.mode == "cells" and [s.title for s in cells.shapes] == ["A: ≥ 10"]  # k or more, not a count
    assert region_map({}, rows, [], 10).mode == "none"
