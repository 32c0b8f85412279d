"""`pantau eval GOLD.jsonl`: how well the pipeline agrees with labelled rows.

Gold rows: ``{"id", "text", "label": 0|1}``, optionally ``"category"``, ``"family"`` and
``"minor": 0|1``. The prediction is the verdict's ``solicitation`` flag; minor-risk recall is
measured on rows with ``minor == 1``. The report gives precision, recall, F1, false-positive rate,
the confusion table, the same figures per category and per obfuscation family, and the worst
errors (most confident wrong verdicts) with the signals behind them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pantau.errors import InputError
from pantau.models import Verdict
from pantau.pipeline import Pipeline


@dataclass(frozen=True)
class GoldRow:
    id: str
    text: str
    label: int
    category: str | None = None
    family: str | None = None
    minor: int | None = None


def read_gold(path: Path) -> list[GoldRow]:
    rows = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or obj.get("label") not in (0, 1):
                raise InputError(f"{path}:{number}: a gold row needs a string 'text' and a 'label' of 0 or 1")
            minor = obj.get("minor")
            if minor is not None and minor not in (0, 1):
                raise InputError(f"{path}:{number}: 'minor' must be 0 or 1 when given, not {minor!r}")
            rows.append(GoldRow(
                id=str(obj.get("id", number)), text=obj["text"], label=int(obj["label"]),
                category=obj.get("category"), family=obj.get("family"), minor=int(minor) if minor in (0, 1) else None,
            ))
    if not rows:
        raise InputError(f"{path}: no gold rows")
    return rows


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: int, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif label:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn

    def metrics(self) -> dict[str, float | int | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        fpr = self.fp / (self.fp + self.tn) if self.fp + self.tn else None
        acc = (self.tp + self.tn) / self.n if self.n else None
        return {"n": self.n, "precision": p, "recall": r, "f1": f1, "fpr": fpr, "accuracy": acc,
                "tp": self.tp, "fp": self.fp, "tn": self.tn, "fn": self.fn}


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_family: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    minor_total: int = 0
    minor_caught: int = 0
    errors: list[tuple[float, GoldRow, Verdict]] = field(default_factory=list)

    def to_dict(self, worst: int = 20) -> dict[str, Any]:
        return {
            "overall": self.overall.metrics(),
            "minor_risk_recall": self.minor_caught / self.minor_total if self.minor_total else None,
            "minor_rows": self.minor_total,
            "by_category": {k: v.metrics() for k, v in sorted(self.by_category.items())},
            "by_family": {k: v.metrics() for k, v in sorted(self.by_family.items())},
            "worst_errors": [
                {"id": g.id, "label": g.label, "score": round(v.assessment.score, 4), "action": v.decision.action.value,
                 "category": g.category, "text": g.text[:300],
                 "signals": [s.name for s in v.assessment.signals]}
                for _, g, v in sorted(self.errors, key=lambda e: -e[0])[:worst]
            ],
        }


def evaluate(rows: Sequence[GoldRow], pipeline: Pipeline, progress: Callable[[int], None] | None = None,
             batch: int = 512) -> Report:
    report = Report()
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        for gold, verdict in zip(chunk, pipeline.run_batch([(g.id, g.text) for g in chunk]), strict=True):
            predicted = verdict.decision.solicitation
            report.overall.add(gold.label, predicted)
            if gold.category:
                report.by_category[gold.category].add(gold.label, predicted)
            if gold.family:
                report.by_family[gold.family].add(gold.label, predicted)
            if gold.minor == 1:
                report.minor_total += 1
                report.minor_caught += int(verdict.decision.minor_risk)
            if predicted != bool(gold.label):
                confidence = verdict.assessment.score if predicted else 1.0 - verdict.assessment.score
                report.errors.append((confidence, gold, verdict))
        if progress:
            progress(min(start + batch, len(rows)))
    return report


def _fmt(value: object) -> str:
    if value is None:
        return "  —  "
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render(report: Report, worst: int = 20) -> str:
    d = report.to_dict(worst)
    o = d["overall"]
    lines = [
        f"rows {o['n']}   precision {_fmt(o['precision'])}   recall {_fmt(o['recall'])}   F1 {_fmt(o['f1'])}   "
        f"FPR {_fmt(o['fpr'])}   minor-risk recall {_fmt(d['minor_risk_recall'])} (of {d['minor_rows']})",
        "",
        "confusion          predicted offer   predicted not",
        f"  gold offer       {o['tp']:>15}   {o['fn']:>13}",
        f"  gold not offer   {o['fp']:>15}   {o['tn']:>13}",
    ]
    for title, table in (("category", d["by_category"]), ("family", d["by_family"])):
        if table:
            lines += ["", f"{'by ' + title:<28}{'n':>6}{'prec':>8}{'recall':>8}{'F1':>8}{'FPR':>8}"]
            for name, m in table.items():
                lines.append(f"  {name:<26}{m['n']:>6}{_fmt(m['precision']):>8}{_fmt(m['recall']):>8}"
                             f"{_fmt(m['f1']):>8}{_fmt(m['fpr']):>8}")
    if d["worst_errors"]:
        lines += ["", f"worst {len(d['worst_errors'])} errors (most confident first):"]
        for e in d["worst_errors"]:
            kind = "missed offer" if e["label"] else "false alarm"
            lines.append(f"  [{kind}] {e['id']} score {e['score']} {e['action']} ({e['category']}): {e['text']!r}")
            lines.append(f"      signals: {', '.join(e['signals']) or '(none)'}")
    return "\n".join(lines)


def write_gold(rows: Iterable[dict[str, object]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
