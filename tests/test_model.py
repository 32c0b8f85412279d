"""The trained-model artefact: reproducible training, refusal of damaged files, sane calibration.

Trains small models on the committed written corpus only (no ../shared/data needed), so these run
anywhere in a few seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pantau.errors import ModelError
from pantau.model import LinearModel, LinearModelClassifier, load_default_classifier
from pantau.pipeline import Pipeline
from pantau.training.corpus import load_written
from pantau.training.train import TrainConfig, prepare, train
from tests.test_cli import PANTAU


@pytest.fixture(scope="module")
def written_rows() -> list:
    rows = load_written()
    assert len(rows) > 1000, "the written corpus is committed and must load"
    return rows


@pytest.fixture(scope="module")
def small_model(written_rows: list) -> LinearModel:
    return train(written_rows, TrainConfig(seed=5, C=1.0))


def test_same_data_and_seed_give_the_same_model(written_rows: list, small_model: LinearModel) -> None:
    again = train(written_rows, TrainConfig(seed=5, C=1.0))
    assert again.weights_digest() == small_model.weights_digest()
    assert again.version == small_model.version


_LOG_ODDS_DIGEST = """
import hashlib
from pantau.classify import WeightedSignalScorer
from pantau.pipeline import Pipeline
from pantau.training.corpus import load_written
pipeline, scorer = Pipeline.transparent(), WeightedSignalScorer()
values = [scorer.log_odds(pipeline.prepare(r.text).signals) for r in load_written()]
print(hashlib.sha256(repr(values).encode()).hexdigest())
"""


def test_features_do_not_depend_on_the_process_hash_seed() -> None:
    # Training in another process must give the same model: nothing that feeds the features may
    # follow set order, which changes with each process's string hash (PYTHONHASHSEED).
    digests = {
        subprocess.run([sys.executable, "-c", _LOG_ODDS_DIGEST], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_different_data_gives_a_different_model(written_rows: list, small_model: LinearModel) -> None:
    fewer = [r for i, r in enumerate(written_rows) if i % 10]
    assert train(fewer, TrainConfig(seed=5, C=1.0)).weights_digest() != small_model.weights_digest()


def test_save_and_load_round_trip(tmp_path: Path, small_model: LinearModel) -> None:
    small_model.save(tmp_path)
    loaded = LinearModel.load(tmp_path)
    assert loaded.weights_digest() == small_model.weights_digest()
    assert loaded.version == small_model.version
    assert json.loads((tmp_path / "model.json").read_text())["format"] == "pantau-linear-1"


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"model.json is missing — train a model with `pantau train`"):
        LinearModel.load(tmp_path)


def test_corrupted_weights_are_refused(tmp_path: Path, small_model: LinearModel) -> None:
    small_model.save(tmp_path)
    blob = bytearray((tmp_path / "weights.npz").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (tmp_path / "weights.npz").write_bytes(bytes(blob))
    with pytest.raises(ModelError, match=r"weights\.npz is corrupted or altered"):
        LinearModel.load(tmp_path)


def test_truncated_metadata_is_refused(tmp_path: Path, small_model: LinearModel) -> None:
    small_model.save(tmp_path)
    text = (tmp_path / "model.json").read_text()
    (tmp_path / "model.json").write_text(text[: len(text) // 2])
    with pytest.raises(ModelError, match=r"model\.json is not valid JSON"):
        LinearModel.load(tmp_path)


def test_cli_reports_a_corrupted_model_and_exits_2(tmp_path: Path, small_model: LinearModel) -> None:
    small_model.save(tmp_path)
    (tmp_path / "weights.npz").write_bytes(b"not a zip")
    result = subprocess.run([PANTAU, "explain", "open bo", "--model", str(tmp_path)], capture_output=True,
                            check=False, timeout=120)
    assert result.returncode == 2
    assert b"corrupted or altered" in result.stderr


def test_calibration_is_sane_on_held_out_rows(written_rows: list, small_model: LinearModel) -> None:
    """Scores are probabilities: higher-score bins hold more offers, and the Brier score is low."""
    held_out = [r for r in written_rows if r.split != "train"]
    pipeline = Pipeline.transparent()
    items = [(p.normalized, p.signals) for p in (pipeline.prepare(r.text) for r in held_out)]
    probs = np.array(LinearModelClassifier(small_model).score_batch(items))
    labels = np.array([r.label for r in held_out])
    assert ((probs >= 0) & (probs <= 1)).all()
    low, high = labels[probs < 0.2], labels[probs > 0.8]
    assert len(low) > 20 and len(high) > 20
    assert low.mean() < 0.25 and high.mean() > 0.75  # the bins mean what they say
    assert float(np.mean((probs - labels) ** 2)) < 0.15  # Brier score


def test_shipped_classifier_loads() -> None:
    classifier = load_default_classifier()
    assert classifier.version


def test_prepare_refuses_rows_without_validation_split(written_rows: list) -> None:
    with pytest.raises(ValueError, match="train and the validation split"):
        prepare([r for r in written_rows if r.split == "train"])


def test_hashtag_evidence_is_a_feature_of_its_own() -> None:
    """An offer said only in hashtags and the same offer said in the post's own words give the
    same full log-odds but a different body/hashtag split, so the model can weigh them apart."""
    from pantau.features import FeatureBuilder, FeatureSpec, outside_hashtags

    pipeline = Pipeline.transparent()
    spec = FeatureSpec(signal_names=tuple(pipeline.registry.signal_names))
    builder = FeatureBuilder(spec)
    names = spec.dense_names

    def dense(text: str) -> dict[str, float]:
        prepared = pipeline.prepare(text)
        return dict(zip(names, builder.dense(prepared.normalized, prepared.signals), strict=True))

    tagged = pipeline.prepare("cakep banget #openbo #bispak")
    assert [s.name for s in outside_hashtags(tagged.normalized.original, tagged.signals)] == []
    only_tags, in_words = dense("cakep banget #openbo #bispak"), dense("cakep banget, open bo ya, bispak")
    assert only_tags["offer_in_body"] == 0.0 and in_words["offer_in_body"] == 1.0
    assert only_tags["hashtag_log_odds"] > 0.0 and in_words["hashtag_log_odds"] == 0.0


def test_help_line_numbers_are_not_prices_to_the_ngrams() -> None:
    from pantau.features import ngram_text
    from pantau.normalize import normalize

    assert ngram_text(normalize("waspada modus open BO, lapor ke 110")).endswith("lapor ke hotline")
    assert ngram_text(normalize("hubungi 129")) == "hubungi hotline"
    assert ngram_text(normalize("ST 110 LT 300")) == "st 000 lt 000"  # a price stays a number
    assert ngram_text(normalize("ke 110rb aja")) == "ke 000rb saja"
    assert ngram_text(normalize("nego ke 110.000 saja")) == "nego ke 000.000 saja"


def test_ngram_features_are_exactly_sklearns_hashing_vectorizer() -> None:
    """The feature builder's n-gram blocks (made per word and remembered, for speed) equal what
    scikit-learn's HashingVectorizer gives for the same text, scaled by ``ngram_scale``; the second
    time a text is seen (every word remembered) they are the same again."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from pantau.features import FeatureBuilder, FeatureSpec, ngram_text

    pipeline = Pipeline.transparent()
    spec = FeatureSpec(signal_names=tuple(pipeline.registry.signal_names), ngram_scale=0.5)
    builder = FeatureBuilder(spec)
    n = spec.n_features
    common = {"n_features": n, "alternate_sign": False, "norm": "l2", "lowercase": False}
    words = HashingVectorizer(analyzer="word", ngram_range=spec.word_ngrams,
                              token_pattern=r"[^\s,.!?;:()\"']+", **common)
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=spec.char_ngrams, **common)
    texts = ["Ready 0p3n 𝐁𝐎 kak, ST 300 LT 800 include room. WA aja", "a", "", "  ", "kak kak kak kak",
             "baris satu\nbaris dua\t\ttab  dua spasi", "cakep banget #openbo #bispak 😘", "o.p.e.n b-o murah",
             "Jual kue basah, open PO sampai Jumat, COD area Malang 081234567890 @toko_kue"]
    for _ in range(2):
        for text in texts:
            prepared = pipeline.prepare(text)
            indices, values = builder.row(prepared.normalized, prepared.signals)
            got = np.zeros(2 * n)
            ngram = indices < 2 * n
            np.add.at(got, indices[ngram], values[ngram])
            source = [ngram_text(prepared.normalized)]
            want = np.concatenate([words.transform(source).toarray()[0], chars.transform(source).toarray()[0]])
            assert np.allclose(got, want * spec.ngram_scale, rtol=0, atol=1e-12), text
