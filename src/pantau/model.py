"""The shipped classifier artefact. Until a trained model ships, the transparent scorer is used."""

from __future__ import annotations

from pantau.classify import Classifier, WeightedSignalScorer


def load_default_classifier() -> Classifier:
    return WeightedSignalScorer()
