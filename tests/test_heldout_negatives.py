"""Ordinary posts that share an ad's words (corpus/heldout/negatives_*.jsonl): ceilings at this version's figures.

Services with hourly rates, "booking lewat admin", "full service" and "include hotel", and everyday chat with
"ready", "temenin", "COD", written by helpers as training rows and kept out of training. A change that restricts
(hides or escalates) or queues more of them fails here; one that does better should lower the ceilings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.models import Action
from pantau.pipeline import Pipeline

HELDOUT = Path(__file__).resolve().parents[1] / "corpus" / "heldout"
RESTRICTING = (Action.HIDE_NEARBY, Action.ESCALATE_CHILD_SAFETY)


@pytest.mark.parametrize(("name", "max_restricted", "max_not_allowed"), [
    ("negatives_services", 7, 18), ("negatives_everyday", 3, 6), ("negatives_hospitality", 6, 10)])
def test_ordinary_posts_with_an_ads_words_are_rarely_restricted(name: str, max_restricted: int,
                                                                 max_not_allowed: int) -> None:
    rows = [json.loads(line) for line in (HELDOUT / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["label"] == 0 for row in rows)
    actions = [v.decision.action for v in Pipeline.default().run_batch([(r["id"], r["text"]) for r in rows])]
    restricted = sum(a in RESTRICTING for a in actions)
    not_allowed = sum(a is not Action.ALLOW for a in actions)
    assert restricted <= max_restricted, f"{name}: {restricted} of {len(rows)} restricted, ceiling {max_restricted}"
    assert not_allowed <= max_not_allowed, f"{name}: {not_allowed} not allowed, ceiling {max_not_allowed}"


def test_agency_offers_and_the_businesses_that_write_like_them() -> None:
    """corpus/heldout/agency_pairs.jsonl: 120 adult offers framed by an agency's admin ("katalog update, chat admin
    buat pilih") and 120 businesses with the same framing ("booking via admin", "terapis", "fee admin"), written
    blind. Floors and ceilings at this version's figures: 91 offers reach a human (hidden or reviewed), 12
    businesses do."""
    rows = [json.loads(line) for line in (HELDOUT / "agency_pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    verdicts = Pipeline.default().run_batch([(r["id"], r["text"]) for r in rows])
    offers = sum(v.decision.action is not Action.ALLOW for r, v in zip(rows, verdicts, strict=True) if r["label"])
    businesses = sum(v.decision.action is not Action.ALLOW
                     for r, v in zip(rows, verdicts, strict=True) if not r["label"])
    assert offers >= 91, f"{offers} of 120 agency offers reach a human, floor 91"
    assert businesses <= 12, f"{businesses} of 120 businesses reach a human, ceiling 12"
