"""The vocabulary every pipeline stage speaks: small frozen dataclasses.

Stages never pass dicts to each other; they pass these. Pydantic lives only at the edges
(policy file, later the API); inside, plain dataclasses keep the hot path cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class SignalGroup(StrEnum):
    """What a signal says about a text. Groups are a stored contract: never rename one."""

    SOLICITATION = "solicitation"  # offer terms: open BO, ST/LT, include room, FS …
    RATE = "rate"  # prices and per-time rates
    CONTACT = "contact"  # contact moved off-platform: phone, WA, japri, links
    AGENCY = "agency"  # pimp / agency markers: mami, stok cewek, pilih foto
    ONLINE = "online"  # online sexual services: VCS, content sales, PAP berbayar
    MINOR = "minor"  # signs that the person offered is a child
    CONTEXT = "context"  # context that lowers risk: news, warnings, reports, negation, commerce
    HINT = "hint"  # words that offer a person only beside a minor sign: "bisa temenin", a bare ST


class Action(StrEnum):
    ALLOW = "allow"
    REVIEW = "review"
    HIDE_NEARBY = "hide_nearby"
    ESCALATE_CHILD_SAFETY = "escalate_child_safety"


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Canonical text plus a map from each canonical character back to the original.

    ``starts[i]``/``ends[i]`` are the original-text offsets of canonical character ``i``; both
    sequences are non-decreasing, so a canonical span maps to one contiguous original span.
    """

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the canonical span ``[start, end)`` to the original text."""
        if not self.text:
            return 0, 0
        if end <= start:
            pos = self.starts[min(start, len(self.text) - 1)] if start < len(self.text) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True, slots=True)
class Signal:
    """One finding: which extractor, what it weighs, and where it stands in the original text."""

    name: str
    group: SignalGroup
    weight: float
    start: int  # offsets into the ORIGINAL text
    end: int
    text: str  # the original substring
    detail: str = ""  # e.g. a parsed amount ("300000") or an age ("16")


def signal_order(s: Signal) -> tuple[int, int, str]:
    """The order signals are reported in: by position in the original text, longest first."""
    return s.start, -s.end, s.name


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the classifier concluded about one text, with the evidence it used."""

    score: float  # calibrated probability that the text solicits commercial sex
    signals: tuple[Signal, ...]
    classifier_version: str
    degraded: tuple[str, ...] = ()  # names of steps that failed; non-empty ⇒ never automatic
    # The transparent weighted-signal score. Child safety stays rule-driven and high-recall: a
    # minor indicator escalates when EITHER score reaches the child-safety threshold.
    rule_score: float = 0.0
    # The same over the signals outside #hashtags: what the text says in its own words.
    body_rule_score: float = 0.0
    # Original-text span of the part that gave ``score`` when a part around an offer term scored
    # higher than the whole text (``pantau.windows``); None when the whole text did.
    window: tuple[int, int] | None = None
    # The model's score of the text with its minor signs blanked (``pantau.minor_blanking``), when it has
    # any: words that say the person is a child must not make an offer of a child look less like an offer.
    score_without_minor: float | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """Exactly one action, the policy rule that chose it, and reason codes."""

    action: Action
    rule_id: str
    reasons: tuple[str, ...]
    solicitation: bool
    minor_risk: bool
    policy_version: str


def version_string(versions: dict[str, str]) -> str:
    """``classifier@…+normalizer@…+…``: the versions of every artefact behind a verdict, in order."""
    return "+".join(f"{k}@{v}" for k, v in versions.items())


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of the whole pipeline for one text."""

    id: str
    normalized: NormalizedText
    assessment: Assessment
    decision: Decision
    #: All artefact versions that produced this verdict, in one stable string (``version_string`` of
    #: the pipeline's versions, made once by the pipeline).
    model_version: str

    def to_scan_record(self) -> dict[str, object]:
        """The `pantau scan` output contract (one JSON object per input line); ``score_without_minor`` only
        where the text was scored with its signs of a minor blanked (``pantau.minor_blanking``)."""
        record: dict[str, object] = {
            "id": self.id,
            "solicitation": self.decision.solicitation,
            "score": round(self.assessment.score, 4),
            "minor_risk": self.decision.minor_risk,
            "action": self.decision.action.value,
            "reasons": list(self.decision.reasons),
            "signals": [
                {"name": s.name, "start": s.start, "end": s.end, "text": s.text}
                for s in self.assessment.signals
            ],
            "model_version": self.model_version,
        }
        if self.assessment.score_without_minor is not None:
            record["score_without_minor"] = round(self.assessment.score_without_minor, 4)
        return record
