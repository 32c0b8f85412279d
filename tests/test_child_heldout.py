"""Child safety on the blind child sets (corpus/heldout/child_*.jsonl): floors at this version's figures.

A change that lets more child offers through, or escalates more adults and ordinary texts, fails here;
a change that does better should raise the floors (and say so in the model card).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.models import Action
from pantau.pipeline import Pipeline
from pantau.signals import minors

HELDOUT = Path(__file__).resolve().parents[1] / "corpus" / "heldout"


@pytest.mark.parametrize(("name", "min_escalated", "max_wrongly_escalated"), [
    ("child_a", 191, 4), ("child_a_cut", 45, 0), ("child_b", 135, 10), ("child_lookalike_1", 0, 9),
    ("child_lookalike_2", 0, 14)])
def test_child_offers_escalate_and_look_alikes_do_not(name: str, min_escalated: int, max_wrongly_escalated: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minors, "this_year", lambda: 2026)  # the sets were written in 2026: "lahir 2010" is 16
    rows = [json.loads(line) for line in (HELDOUT / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    pipeline = Pipeline.default()
    verdicts = pipeline.run_batch([(row["id"], row["text"]) for row in rows])
    escalated = [v.decision.action is Action.ESCALATE_CHILD_SAFETY for v in verdicts]
    children = sum(e for e, row in zip(escalated, rows, strict=True) if row["minor"] == 1)
    others = sum(e for e, row in zip(escalated, rows, strict=True) if row["minor"] == 0)
    assert children >= min_escalated, f"{name}: {children} child offers escalated, floor {min_escalated}"
    assert others <= max_wrongly_escalated, f"{name}: {others} others escalated, ceiling {max_wrongly_escalated}"
