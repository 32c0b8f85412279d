"""The one path every caller uses: normalise → extract signals → score → decide.

The CLI, and later the API and the stream worker, are thin callers of ``Pipeline``. A step that
fails does not crash the run: the verdict is marked degraded with the step's name, and the
policy sends degraded verdicts to human review, never to an automatic action.

A verdict depends only on the text and the event's fact signals, so recent results are kept in a
bounded cache (least recently used out first): nearby feeds repeat the same status many times (every
profile refresh re-sends it; agencies paste one text on many accounts). Degraded verdicts are never
cached. A command that reads a file keeps ``CACHE_SIZE`` verdicts (its memory stays flat from the
first thousands of lines); the long-running services, ``serve`` and ``worker``, keep
``SERVICE_CACHE_SIZE``, which also catches repeats further apart (a stream worker scored 12 % fewer
texts with it: docs/performance.md).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pantau.classify import Classifier, WeightedSignalScorer, effective, outside_hashtags
from pantau.minor_blanking import VERSION as MINOR_BLANKING_VERSION
from pantau.minor_blanking import blank_minor_signs
from pantau.models import (
    Assessment,
    Decision,
    NormalizedText,
    Signal,
    SignalGroup,
    Verdict,
    signal_order,
    version_string,
)
from pantau.normalize import abbreviations_version, normalize
from pantau.policy import Policy, load_policy
from pantau.signals import Registry, default_registry
from pantau.windows import VERSION as WINDOWS_VERSION
from pantau.windows import offer_windows

log = logging.getLogger(__name__)

NORMALIZER_VERSION = "8"
CACHE_SIZE = 8192  # verdicts kept (about 2 KiB each: about 20 MiB)
SERVICE_CACHE_SIZE = 32_768  # verdicts kept by the long-running services (about 70 MiB)
CACHE_MAX_TEXT = 1000  # longer texts are not cached (what bounds a verdict's size)
_Key = tuple[str, tuple[Signal, ...]]


@dataclass(frozen=True)
class _Result:
    normalized: NormalizedText
    assessment: Assessment
    decision: Decision


@dataclass(frozen=True)
class Prepared:
    normalized: NormalizedText
    signals: tuple[Signal, ...]
    failed: tuple[str, ...]


def _fallback_normalized(text: str) -> NormalizedText:
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered
        low = text
    n = len(low)
    return NormalizedText(text, low, range(n), range(1, n + 1))


class Pipeline:
    def __init__(self, registry: Registry, classifier: Classifier, policy: Policy,
                 cache_size: int = CACHE_SIZE) -> None:
        self.registry = registry
        self.classifier = classifier
        self.policy = policy
        self._fallback = WeightedSignalScorer()
        self._cache_size = cache_size
        self._cache: OrderedDict[_Key, _Result] = OrderedDict()
        self._cache_lock = threading.Lock()
        lexicon = registry.version
        digest = hashlib.sha1(lexicon.encode()).hexdigest()[:8]
        self.versions = {
            "classifier": classifier.version,
            "windows": WINDOWS_VERSION,
            "minor_blanking": MINOR_BLANKING_VERSION,
            "normalizer": f"{NORMALIZER_VERSION}.{abbreviations_version()}",
            "signals": digest,
            "policy": policy.version,
        }
        self.model_version = version_string(self.versions)

    @classmethod
    def default(cls, policy: Policy | None = None, model_path: Path | None = None,
                cache_size: int = CACHE_SIZE) -> Pipeline:
        """Built-in signals and policy, with the trained model (``model_path`` or the shipped one)."""
        from pantau.model import load_default_classifier  # local: keeps import time low

        return cls(default_registry(), load_default_classifier(model_path), policy or load_policy(), cache_size)

    @classmethod
    def transparent(cls, policy: Policy | None = None) -> Pipeline:
        """Built-in signals and policy with the transparent weighted-signal scorer."""
        return cls(default_registry(), WeightedSignalScorer(), policy or load_policy())

    def prepare(self, text: str) -> Prepared:
        """Normalise and extract signals; failures are recorded, not raised."""
        failed: list[str] = []
        try:
            nt = normalize(text)
        except Exception:
            log.exception("normaliser failed")
            failed.append("normalize")
            nt = _fallback_normalized(text)
        signals: list[Signal] = []
        for extractor in self.registry:
            try:
                signals.extend(extractor.extract(nt))
            except Exception:
                log.exception("signal extractor %s failed", extractor.name)
                failed.append(f"signal:{extractor.name}")
        signals.sort(key=signal_order)
        return Prepared(nt, tuple(signals), tuple(failed))

    def run_batch(self, items: Sequence[tuple[str, str]],
                  facts: Mapping[str, Sequence[Signal]] | None = None) -> list[Verdict]:
        """Verdicts for ``(id, text)`` pairs, in order. ``facts`` adds signals that come from an
        event's fields rather than its text (e.g. a declared age under 18), keyed by id."""
        keys: list[_Key] = [(text, tuple(facts.get(item_id, ())) if facts else ()) for item_id, text in items]
        known: dict[_Key, _Result] = {}
        with self._cache_lock:
            for key in keys:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    known[key] = hit
        todo = list(dict.fromkeys(k for k in keys if k not in known))  # each new text once, in order
        fresh = self._compute(todo)
        known.update(zip(todo, fresh, strict=True))
        with self._cache_lock:
            for key, result in zip(todo, fresh, strict=True):
                if not result.assessment.degraded and len(key[0]) <= CACHE_MAX_TEXT:
                    self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return [Verdict(item_id, r.normalized, r.assessment, r.decision, self.model_version)
                for (item_id, _), r in ((item, known[key]) for item, key in zip(items, keys, strict=True))]

    def _compute(self, keys: Sequence[_Key]) -> list[_Result]:
        if not keys:
            return []
        prepared = [self.prepare(text) for text, _ in keys]
        prepared = [p if not extra else
                    Prepared(p.normalized, tuple(sorted((*p.signals, *extra), key=signal_order)), p.failed)
                    for (_, extra), p in zip(keys, prepared, strict=True)]
        pairs = [(p.normalized, p.signals) for p in prepared]
        windows: list[tuple[float, tuple[int, int] | None]]
        try:
            scores = self.classifier.score_batch(pairs)
            windows = self._best_windows(prepared, scores)
            extra_failure: tuple[str, ...] = ()
        except Exception:
            log.exception("classifier %s failed", self.classifier.version)
            scores = self._fallback.score_batch(pairs)
            windows = [(s, None) for s in scores]
            extra_failure = ("classify",)
        rule_scores = scores if isinstance(self.classifier, WeightedSignalScorer) else self._fallback.score_batch(pairs)
        blanked, blank_failed = self._scores_without_minor(prepared, windows, skip=bool(extra_failure))
        results = []
        for p, (score, window), rule, unminor, failed in zip(prepared, windows, rule_scores, blanked, blank_failed,
                                                             strict=True):
            body = outside_hashtags(p.normalized.original, p.signals)
            assessment = Assessment(
                score=float(score),
                signals=p.signals,
                classifier_version=self.classifier.version,
                degraded=p.failed + extra_failure + (("minor_blanking",) if failed else ()),
                rule_score=rule,
                body_rule_score=rule if len(body) == len(p.signals) else self._fallback.score_batch(
                    [(p.normalized, tuple(body))])[0],
                window=window,
                score_without_minor=unminor,
            )
            results.append(_Result(p.normalized, assessment, self.policy.decide(assessment)))
        return results

    def _best_windows(self, prepared: Sequence[Prepared], scores: Sequence[float]
                      ) -> list[tuple[float, tuple[int, int] | None]]:
        """Each text's score: the whole text's, or a part around an offer term's where that is higher
        (``pantau.windows``: ordinary chat around an offer must not dilute it), with that part's span."""
        parts = [offer_windows(p.normalized, p.signals) for p in prepared]
        flat = [w for ws in parts for w in ws]
        if not flat:
            return [(float(s), None) for s in scores]
        part_scores = iter(self.classifier.score_batch([(w.normalized, w.signals) for w in flat]))
        best: list[tuple[float, tuple[int, int] | None]] = []
        for score, ws in zip(scores, parts, strict=True):
            chosen: tuple[float, tuple[int, int] | None] = (float(score), None)
            for w in ws:
                part = float(next(part_scores))
                if part > chosen[0]:
                    chosen = (part, (w.start, w.end))
            best.append(chosen)
        return best

    def _scores_without_minor(
        self, prepared: Sequence[Prepared], windows: Sequence[tuple[float, tuple[int, int] | None]],
        *, skip: bool = False,
    ) -> tuple[list[float | None], list[bool]]:
        """For each text with a minor sign that counts and a score below the child-safety threshold, its score
        (whole or best part) with the minor signs blanked (None where it cannot change the decision), and
        whether that second scoring failed: such a verdict is degraded and goes to a person, like any other."""
        n = len(prepared)
        if skip:
            return [None] * n, [False] * n
        below = self.policy.child_safety.min_score
        texts = [blank_minor_signs(p.normalized.original, effective(p.signals))
                 if score < below and any(s.group is SignalGroup.MINOR for s in p.signals) else None
                 for p, (score, _) in zip(prepared, windows, strict=True)]
        todo = [self.prepare(t) for t in texts if t is not None]
        if not todo:
            return [None] * n, [False] * n
        try:
            scores = self._best_windows(todo, self.classifier.score_batch([(p.normalized, p.signals) for p in todo]))
        except Exception:
            log.exception("scoring with the minor signs blanked failed")
            return [None] * n, [t is not None for t in texts]
        second = iter(zip(scores, todo, strict=True))
        blanked: list[float | None] = []
        failed: list[bool] = []
        for text in texts:
            if text is None:
                blanked.append(None)
                failed.append(False)
                continue
            (score, _), p = next(second)
            failed.append(bool(p.failed))  # an extractor failed on the blanked text
            blanked.append(None if p.failed else score)
        return blanked, failed

    def clear_cache(self) -> None:
        """Forget cached verdicts (benchmarks use it to time the work itself)."""
        with self._cache_lock:
            self._cache.clear()

    def run(self, item_id: str, text: str) -> Verdict:
        return self.run_batch([(item_id, text)])[0]
