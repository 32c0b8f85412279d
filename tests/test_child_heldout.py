"""Child safety on the blind child sets (corpus/heldout/child_*.jsonl): floors at this version's figures.

A child offer counts as caught when it reaches a child-protection officer: escalated, or (offered in milder
words, "umurku 14, bisa temenin") sent to an officer's review with minor risk. A change that lets more child
offers through, or sends more adults and ordinary texts to an officer, fails here; a change that does better
should raise the floors (and say so in the model card).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.models import Action
from pantau.pipeline import Pipeline
from pantau.signals import minors

HELDOUT = Path(__file__).resolve().parents[1] / "corpus" / "heldout"


@pytest.mark.parametrize(("name", "min_escalated", "min_to_officer", "max_others_to_officer"), [
    ("child_a", 180, 189, 4), ("child_a_cut", 42, 45, 0), ("child_b", 123, 135, 10), ("child_lookalike_1", 0, 0, 6),
    ("child_lookalike_2", 0, 0, 7), ("child_lookalike_3", 0, 0, 1), ("child_lookalike_4", 0, 0, 12),
    ("child_lookalike_5", 0, 0, 9)])
def test_child_offers_reach_an_officer_and_look_alikes_do_not(name: str, min_escalated: int, min_to_officer: int,
                                                              max_others_to_officer: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minors, "this_year", lambda: 2026)  # the sets were written in 2026: "lahir 2010" is 16
    rows = [json.loads(line) for line in (HELDOUT / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    pipeline = Pipeline.default()
    verdicts = pipeline.run_batch([(row["id"], row["text"]) for row in rows])
    child = [row["minor"] == 1 for row in rows]
    escalated = sum(c and v.decision.action is Action.ESCALATE_CHILD_SAFETY
                    for c, v in zip(child, verdicts, strict=True))
    to_officer = [v.decision.action is Action.ESCALATE_CHILD_SAFETY or v.decision.minor_risk for v in verdicts]
    children = sum(c and o for c, o in zip(child, to_officer, strict=True))
    others = sum(not c and o for c, o in zip(child, to_officer, strict=True))
    assert escalated >= min_escalated, f"{name}: {escalated} child offers escalated, floor {min_escalated}"
    assert children >= min_to_officer, f"{name}: {children} child offers reach an officer, floor {min_to_officer}"
    assert others <= max_others_to_officer, f"{name}: {others} others reach an officer, ceiling {max_others_to_officer}"
