"""The transforms of scripts/obfuscation_stress.py change text and are deterministic for a seed."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from itertools import pairwise
from pathlib import Path
from random import Random
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "obfuscation_stress.py"
TEXTS = ["open BO malam ini, ST 300 LT 800 include room", "ready VCS kak, pap dulu ya", "pilih anak baru, BO hotel"]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("obfuscation_stress", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


stress = _load()


@pytest.mark.parametrize("family", ["math_alnum", "enclosed_emoji", "homoglyph", "zero_width", "leet",
                                    "split_letters", "spoken", "abbreviation", "mixed"])
@pytest.mark.parametrize("text", TEXTS)
def test_transform_changes_text_and_is_deterministic(family: str, text: str) -> None:
    transform = stress.FAMILIES[family]
    outputs = {transform(text, Random(f"7:{family}:{text}")) for _ in range(3)}
    assert len(outputs) == 1
    assert outputs.pop() != text
    # Another seed gives another variant at least once across a few seeds.
    assert len({transform(text, Random(seed)) for seed in range(8)}) > 1


def test_rng_for_is_stable() -> None:
    a = stress.rng_for(7, "leet", "row-1").random()
    assert a == stress.rng_for(7, "leet", "row-1").random()
    assert a != stress.rng_for(8, "leet", "row-1").random()


def test_regional_indicators_never_touch() -> None:
    def regional(c: str) -> bool:
        return unicodedata.name(c, "").startswith("REGIONAL INDICATOR")

    for seed in range(40):
        out = stress.enclosed_emoji("open BO jogja ST 300", Random(seed))
        assert not any(regional(a) and regional(b) for a, b in pairwise(out)), out


def test_spoken_only_rewrites_known_acronyms() -> None:
    assert stress.spoken("halo apa kabar", Random(1)) == "halo apa kabar"
    assert stress.spoken("ready ST kak", Random(1)).lower() == "ready es te kak"


def test_math_alnum_uses_mathematical_letters() -> None:
    out = stress.math_alnum("open", Random(3))
    assert all(unicodedata.name(c).startswith("MATHEMATICAL") or c in "open" for c in out)
    assert out != "open"
