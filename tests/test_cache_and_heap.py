"""The pipeline's verdict cache and the long-running processes' collector settings."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from pantau.heap import GC_THRESHOLDS, freeze_loaded
from pantau.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.default()


def test_cache_keeps_the_most_recent_verdicts_up_to_its_size(pipeline: Pipeline) -> None:
    small = Pipeline(pipeline.registry, pipeline.classifier, pipeline.policy, cache_size=16)
    texts = [f"status nomor {i}: lagi santai di rumah" for i in range(40)]
    small.run_batch([(str(i), t) for i, t in enumerate(texts)])
    assert {text for text, _ in small._cache} == set(texts[-16:])
    small.run_batch([("again", texts[24])])  # the oldest kept; a hit makes it the most recent
    small.run_batch([("new", "status baru")])  # so the next oldest goes
    assert {text for text, _ in small._cache} == {texts[24], *texts[26:], "status baru"}


def test_a_cached_verdict_is_the_verdict_computed_afresh(pipeline: Pipeline) -> None:
    texts = ["open bo 300 include room", "ready ST/LT, wa aja", "jual nasi kuning 10rb", "umur 15 open bo"]
    pipeline.clear_cache()
    fresh = [v.to_scan_record() for v in pipeline.run_batch([(t, t) for t in texts])]
    cached = [v.to_scan_record() for v in pipeline.run_batch([(t, t) for t in texts])]
    assert fresh == cached
    assert {text for text, _ in pipeline._cache} == set(texts)


@pytest.fixture
def collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("collector")
def test_freeze_loaded_moves_what_is_loaded_out_of_the_collectors_way() -> None:
    kept = [[i] for i in range(1000)]  # containers the collector tracks
    freeze_loaded()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700  # fewer young collections than CPython's default
