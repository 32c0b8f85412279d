"""Features for the trained classifier: hashed word and character n-grams plus the signals.

Stateless by design (nothing is fitted here): the same ``FeatureSpec`` turns the same texts into
the same matrix on any machine, so a model is just the spec plus its weights. The n-gram text is
the normalised text with personal data masked and every digit written as 0 (prices generalise,
numbers never identify anyone); the signal features carry what the lexicons know.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from pantau.classify import HASHTAG, OFFER_GROUPS, WeightedSignalScorer, effective, outside_hashtags
from pantau.masking import mask_pii
from pantau.models import NormalizedText, Signal, SignalGroup

_DIGIT = re.compile(r"\d")
_NO_INDICATOR = frozenset({"context.warning", "context.report", "context.news"})
_OFFER_LIKE = (SignalGroup.SOLICITATION, SignalGroup.AGENCY, SignalGroup.ONLINE, SignalGroup.RATE, SignalGroup.CONTACT)


@dataclass(frozen=True)
class FeatureSpec:
    """Everything needed to rebuild the feature matrix; stored inside the model artefact."""

    signal_names: tuple[str, ...]
    n_features: int = 2**18
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 4)
    # Weight of the n-gram blocks against the signal features. Below 1, the L2 penalty makes the
    # model lean on what the signals found and use wording only where it adds real evidence.
    ngram_scale: float = 1.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureSpec:
        return cls(
            signal_names=tuple(data["signal_names"]),  # type: ignore[arg-type]
            n_features=int(data["n_features"]),  # type: ignore[call-overload]
            word_ngrams=tuple(data["word_ngrams"]),  # type: ignore[arg-type]
            char_ngrams=tuple(data["char_ngrams"]),  # type: ignore[arg-type]
            ngram_scale=float(data.get("ngram_scale", 1.0)),  # type: ignore[arg-type]
        )

    @property
    def dense_names(self) -> list[str]:
        # What the signals know enters through the transparent scorer's log-odds (where context
        # lowers risk by construction), offer-group indicators, and one indicator per signal —
        # except warnings, reports and news: fitted on the crawl's labels (which call many scam
        # warnings offers) those learned warnings as offers, undoing the lexicon's knowledge.
        groups = [f"group:{g.value}" for g in _OFFER_LIKE]
        extra = [
            "body_log_odds", "offer_and_rate", "offer_and_contact", "minor_and_offer", "hashtags",
            "hashtag_log_odds", "offer_in_body",
        ]
        return [f"signal:{n}" for n in self.indicator_names] + groups + extra

    @property
    def indicator_names(self) -> list[str]:
        return [n for n in self.signal_names if n not in _NO_INDICATOR]

    @property
    def width(self) -> int:
        return 2 * self.n_features + len(self.dense_names)


GRAM_CACHE = 400_000  # n-gram → column entries remembered (a few tens of MiB at most)
WORD_CACHE = 50_000  # words (of at most WORD_CACHED_LENGTH characters) → their n-grams' columns (≤ 20 MiB)
WORD_CACHED_LENGTH = 24  # a longer token (a URL-like run, random letters) is not remembered


# Emergency and help-line numbers after "lapor ke", "hubungi" …: a warning, not a price ("110"
# would otherwise become the "000" of "ST 300").
_HOTLINE = re.compile(r"\b(lapor|laporkan|lapor ke|laporkan ke|hubungi|telepon|telpon|telp|tlp|call|call center|"
                      r"sapa|polisi)\s+(?:110|112|113|115|119|129|1500771)\b(?![.,]\d)(?!\s*(?:k|rb|ribu|jt|juta|an)\b)")


def ngram_text(nt: NormalizedText) -> str:
    """The text the n-grams see: masked, help-line numbers named, digits as 0, and hashtags removed
    (they were the crawl's answer key; the signals still read them, and their count is a dense
    feature)."""
    text = _HOTLINE.sub(r"\1 hotline", HASHTAG.sub(" ", mask_pii(nt.text)))
    return _DIGIT.sub("0", text)


class FeatureBuilder:
    """Builds one text's features as (indices, values); a batch as a CSR matrix.

    N-grams come from scikit-learn's analyzers and are hashed with its MurmurHash3, exactly as a
    ``HashingVectorizer(alternate_sign=False, norm="l2")`` would, but without its per-call
    overhead — one text costs tens of microseconds, not a millisecond.
    """

    def __init__(self, spec: FeatureSpec) -> None:
        self.spec = spec
        self._index = {name: i for i, name in enumerate(spec.indicator_names)}
        self._scorer = WeightedSignalScorer()
        self._words = HashingVectorizer(
            analyzer="word", ngram_range=spec.word_ngrams, token_pattern=r"[^\s,.!?;:()\"']+", lowercase=False,
        ).build_analyzer()
        self._chars = HashingVectorizer(
            analyzer="char_wb", ngram_range=spec.char_ngrams, lowercase=False,
        ).build_analyzer()
        self._dense_offset = 2 * spec.n_features
        self._buckets: dict[str, int] = {}
        self._words_seen: dict[str, array[int]] = {}  # 4 bytes a column: bounded memory
        self._dense_width = len(spec.dense_names)  # a property that builds a list: counted once
        self._dense_index = np.arange(self._dense_width, dtype=np.int64) + self._dense_offset

    def dense(self, nt: NormalizedText, signals: Sequence[Signal]) -> np.ndarray:
        row = np.zeros(self._dense_width, dtype=np.float64)
        counted = effective(signals)
        groups = {s.group for s in counted}
        for s in counted:
            i = self._index.get(s.name)
            if i is not None:
                row[i] = 1.0
        base = len(self._index)
        for j, g in enumerate(_OFFER_LIKE):
            row[base + j] = 1.0 if g in groups else 0.0
        k = base + len(_OFFER_LIKE)
        offer = bool(groups & OFFER_GROUPS)
        row[k] = self._scorer.log_odds(signals) / 5.0
        row[k + 1] = float(offer and SignalGroup.RATE in groups)
        row[k + 2] = float(offer and SignalGroup.CONTACT in groups)
        row[k + 3] = float(offer and SignalGroup.MINOR in groups)
        row[k + 4] = min(len(HASHTAG.findall(nt.text)), 10) / 10.0
        # No length feature: learnt from the corpora (long reviews and news are negatives) it weighed
        # -6.6 at 500 characters, so an offer repeated or padded with chat fell to "allow".
        # The same evidence without what only hashtags said: a wall of ad hashtags under a porn link
        # or a scam warning is not an offer, while an offer in the post's own words is.
        body = outside_hashtags(nt.original, signals)
        if len(body) == len(signals):  # no signal inside a hashtag: the hashtags add nothing
            row[k + 6] = float(offer)
            return row
        row[k + 5] = row[k] - self._scorer.log_odds(body) / 5.0  # what only the hashtags add
        row[k] -= row[k + 5]  # what the post's own words give (the two add up to the scorer's log-odds)
        row[k + 6] = float(any(s.group in OFFER_GROUPS for s in effective(body)))
        return row

    def _bucket(self, gram: str) -> int:
        """The hashed column of an n-gram (as sklearn's HashingVectorizer computes it), remembered:
        the same n-grams recur in almost every text."""
        index = self._buckets.get(gram)
        if index is None:
            n = self.spec.n_features
            h = murmurhash3_32(gram, 0)
            index = abs(h) % n if h != -(2**31) else (2**31 - 1 - (n - 1)) % n
            if len(self._buckets) < GRAM_CACHE:
                self._buckets[gram] = index
        return index

    def _word_columns(self, text: str) -> list[int]:
        """The columns of the text's word 1–2-grams, in the analyzer's order."""
        return [self._bucket(gram) for gram in self._words(text)]

    def _char_columns(self, text: str) -> list[int]:
        """The columns of the text's character n-grams, in the analyzer's order. ``char_wb`` n-grams
        never cross a space, so a text's are its words' in turn: each word's columns are made once
        and remembered (the same words recur in almost every text)."""
        columns: list[int] = []
        for word in text.split():
            found = self._words_seen.get(word)
            if found is None:
                found = array("i", [self.spec.n_features + self._bucket(gram) for gram in self._chars(word)])
                if len(word) <= WORD_CACHED_LENGTH and len(self._words_seen) < WORD_CACHE:
                    self._words_seen[word] = found
            columns.extend(found)
        return columns

    def _block(self, columns: list[int]) -> tuple[list[int], np.ndarray]:
        """One n-gram block: its distinct columns (first-seen order) and their counts, L2-normalised
        and scaled by ``ngram_scale``."""
        counts = Counter(columns)
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if len(counts):  # integer counts: the sum of squares is exact, whatever the order
            values *= self.spec.ngram_scale / math.sqrt(sum(c * c for c in counts.values()))
        return list(counts), values

    def row(self, nt: NormalizedText, signals: Sequence[Signal]) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one text's feature row."""
        text = ngram_text(nt)
        word_columns, word_values = self._block(self._word_columns(text))
        char_columns, char_values = self._block(self._char_columns(text))
        indices = np.fromiter(chain(word_columns, char_columns, self._dense_index), dtype=np.int64,
                              count=len(word_columns) + len(char_columns) + self._dense_width)
        return indices, np.concatenate([word_values, char_values, self.dense(nt, signals)])

    def transform(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> sp.csr_matrix:
        rows = [self.row(nt, signals) for nt, signals in items]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(i) for i, _ in rows], out=indptr[1:])
        indices = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
        values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
        matrix = sp.csr_matrix((values, indices, indptr), shape=(len(rows), self.spec.width))
        matrix.sum_duplicates()
        return matrix
