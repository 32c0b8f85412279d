"""`pantau train`: fit the linear classifier, calibrate and choose its threshold on validation.

Recipe (reproducible: same rows + same seed ⇒ same ``weights_digest``):

1. Rows of the ``train`` split (real + written) and any extra labelled JSONL; ``validation`` rows
   are kept apart for calibration and the threshold; ``test`` rows are never read here.
2. Every training row with hashtags is also added without them, so hashtags stay one feature
   among many instead of the answer (the nbc positives all carry promo hashtags).
3. Each row goes through the same normaliser and signal extractors as production.
4. Logistic regression (liblinear, L2) with balanced class weights; written and extra rows weigh
   more than tweets, because nearby statuses are what pantau scores in production.
5. Platt calibration on validation margins; the threshold maximises validation F1 with the
   false-positive rate at most ``max_fpr``, counted over the validation rows and, again, over
   those with hashtags once the hashtags are stripped (so the operating point holds for texts
   without them too); the calibration is then shifted so that this operating point is exactly
   0.5 (the policy's solicitation threshold).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from pantau.features import FeatureBuilder, FeatureSpec
from pantau.model import LinearModel
from pantau.models import Signal
from pantau.pipeline import Pipeline
from pantau.training.corpus import Row
from pantau.training.realdata import strip_hashtags

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 13
    C: float = 4.0
    max_fpr: float = 0.004
    written_weight: float = 8.0
    extra_weight: float = 4.0
    ngram_scale: float = 0.5
    version: str = "linear"


def _prepare(pipeline: Pipeline, texts: Sequence[str], progress: Progress | None, what: str) -> list[tuple]:
    out = []
    t0 = time.monotonic()
    for i, text in enumerate(texts):
        p = pipeline.prepare(text)
        out.append((p.normalized, p.signals))
        if progress and (i + 1) % 20000 == 0:
            progress(f"{what}: {i + 1:,}/{len(texts):,} texts prepared ({time.monotonic() - t0:.0f}s)")
    return out


def choose_threshold(probs: np.ndarray, labels: np.ndarray, max_fpr: float) -> tuple[float, dict[str, float]]:
    """The threshold with the best F1 among those whose false-positive rate is at most ``max_fpr``."""
    best = (0.5, -1.0, {})
    negatives = max(int((labels == 0).sum()), 1)
    for t in np.unique(np.round(probs, 4)):
        pred = probs >= t
        tp = int((pred & (labels == 1)).sum())
        fp = int((pred & (labels == 0)).sum())
        fn = int((~pred & (labels == 1)).sum())
        fpr = fp / negatives
        if fpr > max_fpr or tp == 0:
            continue
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[1]:
            best = (float(t), f1, {"f1": f1, "precision": precision, "recall": recall, "fpr": fpr})
    return best[0], best[2]


@dataclass
class Prepared:
    """Training and validation matrices, built once (tuning reuses them)."""

    spec: FeatureSpec
    X: sp.csr_matrix
    y: np.ndarray
    sources: list[str]
    Xv: sp.csr_matrix
    yv: np.ndarray
    valid_sources: list[str]
    # Validation rows that carry hashtags, with the hashtags stripped: the threshold is chosen on
    # both, so the operating point also holds for texts without hashtags.
    Xv_bare: sp.csr_matrix
    yv_bare: np.ndarray
    summary: dict[str, object]


def prepare(rows: Sequence[Row], progress: Progress | None = None, ngram_scale: float = 0.5) -> Prepared:
    say = progress or (lambda _: None)
    train_rows = [r for r in rows if r.split == "train" and r.trainable]
    valid_rows = [r for r in rows if r.split == "validation" and r.trainable]
    if not train_rows or not valid_rows:
        raise ValueError("training needs rows in both the train and the validation split")
    pipeline = Pipeline.transparent()  # only its normaliser and extractors are used here
    prepared = _prepare(pipeline, [r.text for r in train_rows], say, "train")
    # Label-noise filter: the crawl labelled scam warnings and complaints posted under the promo
    # hashtags as offers. Crawl positives that read as a warning or report are left out of training
    # (never out of evaluation); their number is recorded in the model summary.
    keep = [
        not (r.source == "nbc-positive" and _reads_as_warning(p[1])) for r, p in zip(train_rows, prepared, strict=True)
    ]
    dropped = keep.count(False)
    train_rows = [r for r, k in zip(train_rows, keep, strict=True) if k]
    prepared = [p for p, k in zip(prepared, keep, strict=True) if k]
    augmented = [r for r in train_rows if "#" in r.text]
    prepared += _prepare(pipeline, [strip_hashtags(r.text) for r in augmented], None, "hashtag-free")
    say(f"training on {len(prepared):,} texts ({len(augmented):,} hashtag-free copies; {dropped} crawl positives "
        f"that read as warnings left out); validation {len(valid_rows):,}; "
        f"sources {dict(Counter(r.source for r in train_rows))}")
    spec = FeatureSpec(signal_names=tuple(pipeline.registry.signal_names), ngram_scale=ngram_scale)
    builder = FeatureBuilder(spec)
    tagged_valid = [r for r in valid_rows if "#" in r.text]
    return Prepared(
        spec=spec,
        X=builder.transform(prepared),
        y=np.array([r.label for r in train_rows] + [r.label for r in augmented]),
        sources=[r.source for r in train_rows + augmented],
        Xv=builder.transform(_prepare(pipeline, [r.text for r in valid_rows], say, "validation")),
        yv=np.array([r.label for r in valid_rows]),
        valid_sources=[r.source for r in valid_rows],
        Xv_bare=builder.transform(_prepare(pipeline, [strip_hashtags(r.text) for r in tagged_valid], None, "")),
        yv_bare=np.array([r.label for r in tagged_valid]),
        summary={
            "train_rows": len(train_rows), "train_texts": len(prepared), "validation_rows": len(valid_rows),
            "crawl_positives_left_out_as_warnings": dropped,
            "train_sources": dict(Counter(r.source for r in train_rows)),
            "train_labels": dict(Counter(str(r.label) for r in train_rows)),
            "signals_version": pipeline.versions["signals"],
        },
    )


_WARNING_SIGNALS = frozenset({"context.warning", "context.report", "context.news"})


def _reads_as_warning(signals: Sequence[Signal]) -> bool:
    return any(s.name in _WARNING_SIGNALS for s in signals)


def fit(data: Prepared, config: TrainConfig = TrainConfig(), progress: Progress | None = None) -> LinearModel:
    say = progress or (lambda _: None)
    weight_of = {"written": config.written_weight, "extra": config.extra_weight}
    weights = np.array([weight_of.get(source, 1.0) for source in data.sources])
    say(f"fitting logistic regression on {data.X.shape[0]:,} × {data.X.shape[1]:,} "
        f"(C={config.C}, written weight {config.written_weight}, seed={config.seed})")
    clf = LogisticRegression(C=config.C, solver="liblinear", class_weight="balanced", random_state=config.seed,
                             max_iter=200)
    clf.fit(data.X, data.y, sample_weight=weights)
    coef = clf.coef_.ravel().astype(np.float32)
    intercept = float(clf.intercept_[0])

    margins = np.asarray(data.Xv @ coef.astype(np.float64)).ravel() + intercept
    platt = LogisticRegression(C=1e6, solver="lbfgs")
    platt.fit(margins.reshape(-1, 1), data.yv)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    bare = np.asarray(data.Xv_bare @ coef.astype(np.float64)).ravel() + intercept
    probs = 1.0 / (1.0 + np.exp(-(a * np.concatenate([margins, bare]) + b)))
    threshold, at_threshold = choose_threshold(probs, np.concatenate([data.yv, data.yv_bare]), config.max_fpr)
    b_shifted = b - math.log(threshold / (1.0 - threshold))  # operating point → 0.5
    say(f"validation at the chosen threshold {threshold:.3f}: {at_threshold}")
    model = LinearModel(
        version="", spec=data.spec, coef=coef, intercept=intercept, calibration=(a, b_shifted), threshold=threshold,
        summary={**data.summary, "seed": config.seed, "C": config.C, "max_fpr": config.max_fpr,
                 "written_weight": config.written_weight, "validation_at_threshold": at_threshold},
    )
    model.version = f"{config.version}-{model.weights_digest()[:12]}"
    return model


def train(rows: Sequence[Row], config: TrainConfig = TrainConfig(), progress: Progress | None = None) -> LinearModel:
    return fit(prepare(rows, progress, config.ngram_scale), config, progress)
