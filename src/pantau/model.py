"""The trained classifier as a versioned artefact: weights in ``.npz``, everything else in JSON.

No pickle anywhere: ``model.json`` holds the version, the feature spec, the calibration, the
decision thresholds, a training summary and the SHA-256 of ``weights.npz``; ``weights.npz`` holds
the coefficient vector and the intercept (loaded with ``allow_pickle=False``). A missing,
truncated or altered file is refused with a clear ``ModelError``.

The shipped model lives in ``pantau/data/model/``; when it is absent the transparent
``WeightedSignalScorer`` is used, so a fresh checkout works before anyone has trained.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from pantau.classify import Classifier, WeightedSignalScorer
from pantau.errors import ModelError
from pantau.features import FeatureBuilder, FeatureSpec
from pantau.models import NormalizedText, Signal

FORMAT = "pantau-linear-1"


@dataclass
class LinearModel:
    """A logistic model over ``FeatureSpec`` features with Platt calibration."""

    version: str
    spec: FeatureSpec
    coef: np.ndarray  # float32, shape (spec.width,)
    intercept: float
    calibration: tuple[float, float]  # p = sigmoid(a * margin + b)
    threshold: float  # chosen on the validation split
    summary: dict[str, Any] = field(default_factory=dict)

    def weights_digest(self) -> str:
        """SHA-256 of the learned numbers: equal for equal training data and seed."""
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.coef, dtype=np.float32).tobytes())
        h.update(np.float64(self.intercept).tobytes())
        h.update(np.asarray(self.calibration, dtype=np.float64).tobytes())
        return h.hexdigest()

    # ---------------------------------------------------------------- persistence

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, coef=self.coef.astype(np.float32), intercept=np.float64(self.intercept))
        blob = buffer.getvalue()
        meta = {
            "format": FORMAT,
            "version": self.version,
            "features": self.spec.to_dict(),
            "calibration": list(self.calibration),
            "threshold": self.threshold,
            "weights_sha256": hashlib.sha256(blob).hexdigest(),
            "weights_digest": self.weights_digest(),
            "summary": self.summary,
        }
        (folder / "weights.npz").write_bytes(blob)
        (folder / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load_bytes(cls, meta_text: str, blob: bytes, where: str) -> LinearModel:
        try:
            meta = json.loads(meta_text)
        except json.JSONDecodeError as exc:
            raise ModelError(where, f"model.json is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelError(where, f"model.json is not a {FORMAT} model (format: {meta.get('format')!r})")
        expected = meta.get("weights_sha256")
        actual = hashlib.sha256(blob).hexdigest()
        if expected != actual:
            raise ModelError(where, f"weights.npz is corrupted or altered: SHA-256 {actual[:12]}…, expected "
                                    f"{str(expected)[:12]}… — reinstall pantau or retrain with `pantau train`")
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
                coef = np.asarray(arrays["coef"], dtype=np.float32)
                intercept = float(arrays["intercept"])
            spec = FeatureSpec.from_dict(meta["features"])
            a, b = (float(x) for x in meta["calibration"])
            threshold = float(meta["threshold"])
            version = str(meta["version"])
        except (KeyError, TypeError, ValueError, OSError) as exc:
            raise ModelError(where, f"model files are incomplete: {exc}") from None
        if coef.shape != (spec.width,):
            raise ModelError(where, f"weights have shape {coef.shape}, the feature spec needs ({spec.width},)")
        return cls(version, spec, coef, intercept, (a, b), threshold, meta.get("summary", {}))

    @classmethod
    def load(cls, folder: Path) -> LinearModel:
        meta_path, weights_path = folder / "model.json", folder / "weights.npz"
        for path in (meta_path, weights_path):
            if not path.is_file():
                raise ModelError(str(folder), f"{path.name} is missing — train a model with `pantau train`")
        return cls.load_bytes(meta_path.read_text(encoding="utf-8"), weights_path.read_bytes(), str(folder))


class LinearModelClassifier:
    """``Classifier`` over a ``LinearModel``: features in one batch, one sparse product."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.version = model.version
        self._features = FeatureBuilder(model.spec)
        self._coef = model.coef.astype(np.float64)

    def margins(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> np.ndarray:
        out = np.empty(len(items))
        for i, (nt, signals) in enumerate(items):
            indices, values = self._features.row(nt, signals)
            out[i] = float(self._coef[indices] @ values)
        return out + self.model.intercept

    def score_batch(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> list[float]:
        a, b = self.model.calibration
        return [1.0 / (1.0 + math.exp(-(a * m + b))) for m in self.margins(items)]


def default_model_dir() -> Path:
    """The package's shipped-model folder (where `pantau train` writes by default)."""
    return Path(str(resources.files("pantau.data").joinpath("model")))


def load_default_classifier(path: Path | None = None) -> Classifier:
    """The model at ``path``; else the shipped model; else the transparent scorer."""
    if path is not None:
        return LinearModelClassifier(LinearModel.load(path))
    folder = resources.files("pantau.data").joinpath("model")
    meta, weights = folder.joinpath("model.json"), folder.joinpath("weights.npz")
    if not (meta.is_file() and weights.is_file()):
        return WeightedSignalScorer()
    model = LinearModel.load_bytes(meta.read_text(encoding="utf-8"), weights.read_bytes(), "pantau/data/model")
    return LinearModelClassifier(model)
