"""Choose the classifier's hyper-parameters on the VALIDATION split (never the test split).

    .venv/bin/python scripts/tune.py [--data-dir ../shared/data]

Builds the features once, fits a small grid of (C, written-corpus weight), and prints validation
F1/FPR overall, on real rows and on written rows. Put the chosen values in TrainConfig.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

from pantau.cli import _default_data_dir
from pantau.training.corpus import load_real, load_written
from pantau.training.train import TrainConfig, fit, prepare


def f1_fpr(pred: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, fp / max(int((y == 0).sum()), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=_default_data_dir())
    args = parser.parse_args()
    rows = load_real(args.data_dir, lambda m: print(m, file=sys.stderr)) + load_written()
    data = prepare(rows, lambda m: print(m, file=sys.stderr))
    written = np.array([s == "written" for s in data.valid_sources])
    head = ["F1 all", "FPR all", "F1 real", "FPR real", "F1 writ", "FPR writ"]
    print(f"{'C':>5} {'w':>4} " + " ".join(f"{h:>8}" for h in head))
    for c, w in itertools.product([1.0, 2.0, 4.0, 8.0], [4.0, 8.0, 16.0]):
        model = fit(data, TrainConfig(C=c, written_weight=w))
        margins = np.asarray(data.Xv @ model.coef.astype(np.float64)).ravel() + model.intercept
        a, b = model.calibration
        pred = 1.0 / (1.0 + np.exp(-(a * margins + b))) >= 0.5
        cells = [f1_fpr(pred[m], data.yv[m]) for m in (np.ones_like(written), ~written, written)]
        print(f"{c:>5} {w:>4} " + " ".join(f"{f:>7.3f} {r:>8.4f}" for f, r in cells), flush=True)


if __name__ == "__main__":
    main()
