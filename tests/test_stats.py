"""Suppression of small cells, and complementary suppression that defeats subtraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.stats import Cell, iso_week, protect, protect_view, weeks_between


@pytest.mark.parametrize(
    ("total", "parts", "suppressed"),
    [
        # nothing small: nothing hidden
        pytest.param(Cell(40, 40), {"a": Cell(20, 20), "b": Cell(20, 20)}, set(), id="all-large"),
        # one small part would be total − others: more parts are hidden with it, until the hidden sum
        # (15 with b = 12 known to be ≥ 10 would leave a ≤ 5) says nothing of a
        pytest.param(Cell(33, 33), {"a": Cell(3, 3), "b": Cell(12, 12), "c": Cell(18, 18)}, {"a", "b", "c"},
                     id="complementary"),
        pytest.param(Cell(60, 60), {"a": Cell(3, 3), "b": Cell(12, 12), "c": Cell(20, 20), "d": Cell(25, 25)},
                     {"a", "b", "c"}, id="complementary-leaves-one-shown"),
        # two small parts that together stand for fewer than k accounts: hide more
        pytest.param(Cell(30, 30), {"a": Cell(2, 2), "b": Cell(3, 3), "c": Cell(11, 11), "d": Cell(14, 14)},
                     {"a", "b", "c", "d"}, id="two-small-still-too-few"),
        # two small parts that add up to 18: each is 9, so a third is hidden with them
        pytest.param(Cell(48, 48), {"a": Cell(9, 9), "b": Cell(9, 9), "c": Cell(30, 30)}, {"a", "b", "c"},
                     id="two-small-that-give-each-other-away"),
        # zeros are facts, not people: never suppressed, never used as complements
        pytest.param(Cell(13, 13), {"a": Cell(13, 13), "b": Cell(0, 0)}, set(), id="zero-part"),
    ],
)
def test_protect(total: Cell, parts: dict[str, Cell], suppressed: set[str]) -> None:
    _, shown = protect(total, parts, k=10)
    assert {c for c, s in shown.items() if s["suppressed"]} == suppressed
    assert all(s["display"] == "< 10" for s in shown.values() if s["suppressed"])


def test_small_total_is_suppressed() -> None:
    shown_total, _ = protect(Cell(6, 6), {"a": Cell(6, 6)}, k=10)
    assert shown_total == {"value": None, "display": "< 10", "suppressed": True}


def test_counts_behind_few_accounts_are_suppressed() -> None:
    """Twelve events from three accounts are three people: suppressed."""
    shown_total, _ = protect(Cell(12, 3), {}, k=10)
    assert shown_total["suppressed"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8), st.integers(min_value=5, max_value=12))
def test_no_suppressed_part_can_be_recovered_by_subtraction(values: list[int], k: int) -> None:
    parts = {f"p{i}": Cell(v, v) for i, v in enumerate(values)}
    total = Cell(sum(values), sum(values))
    shown_total, shown = protect(total, parts, k)
    hidden = [c for c, s in shown.items() if s["suppressed"]]
    for c, s in shown.items():
        if not s["suppressed"]:
            assert s["value"] == parts[c].value
        else:
            assert s["value"] is None
    if hidden and not shown_total["suppressed"]:
        # the attacker learns only the sum of the hidden parts: it must cover ≥ 2 parts and ≥ k accounts
        assert len(hidden) >= 2
        assert sum(parts[c].accounts for c in hidden) >= k
        # ... and, knowing each complement stands for ≥ k and each small part for ≥ 1, the most a
        # small part can be is still k − 1 or more: nothing is narrowed down
        complements = [c for c in hidden if shown[c].get("complementary")]
        small = [c for c in hidden if not shown[c].get("complementary")]
        if small:
            most = sum(parts[c].value for c in hidden) - k * len(complements) - (len(small) - 1)
            assert most >= k - 1, (values, k, hidden)
            if not complements:  # nor raised above 1: 9 and 9 beside 18 are both 9
                assert sum(parts[c].value for c in hidden) - (k - 1) * (len(hidden) - 1) <= 1, (values, k)
    for c in hidden:  # every primary-suppressed part really was small, or is a complement
        assert parts[c].accounts < k or shown[c].get("complementary")


def test_iso_weeks() -> None:
    from datetime import UTC, datetime

    assert iso_week(datetime(2026, 11, 29, tzinfo=UTC)) == "2026-W48"
    assert weeks_between(datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC)) == [
        "2026-W48", "2026-W49"]


def _ids(prefix: str, n: int) -> frozenset[str]:
    return frozenset(f"{prefix}{i}" for i in range(n))


def test_accounts_in_two_hidden_parts_count_once() -> None:
    """The same 5 accounts in two small kelurahan: 25 − 20 told exactly 5 people, though the two
    hidden figures (5 + 5) looked like 10."""
    both, big = _ids("x", 5), _ids("y", 20)
    parts = {"a": Cell(5, 5, both), "b": Cell(5, 5, both), "c": Cell(20, 20, big)}
    shown_total, shown = protect(Cell(25, 25, both | big), parts, k=10)
    assert shown["c"]["suppressed"] or shown_total["suppressed"]


def test_a_part_hidden_in_accounts_detected_is_hidden_in_the_figures_counted_from_them() -> None:
    """Hides shown for a kelurahan whose count of accounts was hidden bounded that count; the other
    way round is not needed, and would let a figure with few counts everywhere hide the whole view."""
    totals = {"accounts_detected": Cell(63, 63), "actions_hide_nearby": Cell(35, 35),
              "child_safety_escalations": Cell(3, 3)}
    parts = {"accounts_detected": {"a": Cell(40, 40), "b": Cell(20, 20), "c": Cell(3, 3)},
             "actions_hide_nearby": {"a": Cell(10, 10), "b": Cell(25, 25), "c": Cell(0, 0)},
             "child_safety_escalations": {"a": Cell(1, 1), "b": Cell(1, 1), "c": Cell(1, 1)}}
    shown_totals, shown = protect_view(totals, parts, 10, {})
    assert shown["accounts_detected"]["b"]["suppressed"] and shown["accounts_detected"]["c"]["suppressed"]
    assert shown["actions_hide_nearby"]["b"]["suppressed"]  # hidden in accounts detected: hidden here too
    assert shown["actions_hide_nearby"]["c"] == {"value": 0, "display": "0", "suppressed": False}  # a zero is a fact
    assert shown_totals["accounts_detected"]["display"] == "63"
    assert not shown["accounts_detected"]["a"]["suppressed"]  # three small escalation counts hide nothing else
