"""Policy: a versioned YAML file that maps an assessment to exactly one action with reasons.

Deciding is a pure function of (assessment, policy). Two invariants hold whatever the file says:

1. A degraded assessment (a step failed) is never acted on automatically: it goes to ``review``.
2. A minor indicator together with solicitation (the model's score ≥ ``child_safety.min_score``, or
   the transparent rule score ≥ it with an offer word beyond trade words such as "ready" or "COD", or the
   model's score with the minor signs blanked ≥ it: ``pantau.minor_blanking``) always gives
   ``escalate_child_safety``.

Otherwise the rules are tried in order and the first that matches decides; the last rule must
have no conditions, so every assessment gets exactly one action. The file is validated when
loaded; errors name the file, the rule and the field.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pantau.classify import effective, offer_hinted, own_offer_words, small_children_only, strong_offer
from pantau.errors import PolicyError
from pantau.models import Action, Assessment, Decision, SignalGroup

Score = Annotated[float, Field(ge=0.0, le=1.0)]


class ChildSafety(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_score: Score = Field(description="with a minor indicator, solicitation from this score escalates")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    action: Action
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    min_score: Score | None = None
    max_score: Score | None = None
    min_rule_score: Score | None = Field(
        default=None, description="the transparent signal score (lexicons alone) of the text's own words "
                                  "(hashtags left out)")
    any_group: list[SignalGroup] | None = None
    any_signal: list[Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")]] | None = Field(
        default=None, description="signal names, e.g. context.report; matches when one of them counts in the text")
    minor: bool | None = None

    @property
    def unconditional(self) -> bool:
        return (self.min_score is None and self.max_score is None and self.min_rule_score is None
                and self.any_group is None and self.any_signal is None and self.minor is None)

    def matches(self, score: float, groups: frozenset[SignalGroup], minor: bool, rule_score: float = 0.0,
                names: frozenset[str] = frozenset()) -> bool:
        if self.any_signal is not None and not names.intersection(self.any_signal):
            return False
        if self.min_score is not None and score < self.min_score:
            return False
        if self.min_rule_score is not None and rule_score < self.min_rule_score:
            return False
        if self.max_score is not None and score >= self.max_score:
            return False
        if self.any_group is not None and not groups.intersection(self.any_group):
            return False
        return self.minor is None or self.minor == minor


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(min_length=1)
    solicitation_threshold: Score
    child_safety: ChildSafety
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_rules(self) -> Policy:
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique; repeated: {dupes}")
        if not self.rules[-1].unconditional:
            raise ValueError("the last rule must have no conditions, so that every text gets an action")
        return self

    def decide(self, assessment: Assessment) -> Decision:
        signals = effective(assessment.signals)
        groups = frozenset(s.group for s in signals)
        names = frozenset(s.name for s in signals)
        minor = SignalGroup.MINOR in groups
        score = assessment.score
        # The model's score, or the rule score when an offer word beyond trade words stands in the text
        # ("ready" + "COD" add up to a rule score, not to an offer: classify.strong_offer).
        # ... or the model's score with the minor signs blanked, beside offer words of the text's own: "SMP" must
        # not make a child's offer look milder, but "Ready seragam SMP, 50rb" blanked is an ad's bare skeleton
        unminor = assessment.score_without_minor
        blanked = unminor is not None and unminor >= self.child_safety.min_score and own_offer_words(signals)
        at_child_bar = minor and (score >= self.child_safety.min_score or (
            assessment.rule_score >= self.child_safety.min_score and strong_offer(signals)) or blanked)
        # Where the only child is a small one (ages under 12, no pupil, no teenager's school level: a shop's sizes,
        # a carer wanted, a lost-child notice), the general threshold or an offer word of the text's own is needed
        # to escalate; short of that, an officer reviews the text without a restriction ("umur 9, foto dan video
        # ada, 100rb" and "preloved baju anak umur 6-8 th, COD" alike: an officer tells them apart)
        small = at_child_bar and small_children_only(signals)
        minor_risk = at_child_bar and (not small or score >= self.solicitation_threshold or own_offer_words(signals))
        small_review = small and not minor_risk
        # Short of that, a word that offers a person only when a child is named beside it ("umurku 14, bisa
        # temenin", a bare ST) sends the text to a child-protection officer, first in the queue, without
        # restricting the account: the same words stand in teenagers' and parents' everyday chat. Neither inside a
        # report, a warning or news ("laporin akun yang nawarin anak"), where the words are quoted.
        hint = minor and not minor_risk and offer_hinted(signals) and not names & QUOTING_CONTEXT
        hinted = hint or small_review  # (a report word never lets a small child at the bar go unseen)
        solicitation = score >= self.solicitation_threshold or minor_risk
        # offer hints are evidence only where they decided (a child-safety review): beside an adult's ad they
        # repeat its offer words ("ST" of "ST 300") and say nothing
        evidence = _evidence(signals if hinted else [s for s in signals if s.group is not SignalGroup.HINT])
        if assessment.window is not None:  # the score is that of the part around an offer term
            evidence = ("offer_scored_apart_from_surrounding_text", *evidence)
        if assessment.degraded:
            reasons = ("degraded_needs_human_review", *(f"failed:{step}" for step in assessment.degraded), *evidence)
            return Decision(Action.REVIEW, "degraded", reasons, solicitation, minor_risk or hinted, self.version)
        if minor_risk:
            if score < self.child_safety.min_score and blanked:
                evidence = ("offer_scored_without_the_minor_signs", *evidence)
            reasons = ("minor_indicator_with_solicitation", *evidence)
            return Decision(Action.ESCALATE_CHILD_SAFETY, "child-safety", reasons, True, True, self.version)
        if hinted:
            why = "offer_hint_beside_a_minor_sign_needs_officer_review" if hint else \
                "small_child_beside_offer_words_needs_officer_review"
            reasons = (why, *evidence)
            return Decision(Action.REVIEW, "child-safety-review", reasons, solicitation, True, self.version)
        for rule in self.rules:
            if rule.matches(score, groups, minor, assessment.body_rule_score, names):
                return Decision(rule.action, rule.id, (rule.reason, *evidence), solicitation, False, self.version)
        raise AssertionError("unreachable: the last rule is unconditional")  # pragma: no cover


QUOTING_CONTEXT = frozenset({"context.report", "context.warning", "context.news"})


def _evidence(signals: list[Any]) -> tuple[str, ...]:
    """Reason codes naming each distinct signal that counted, strongest first."""
    best: dict[str, float] = {}
    for s in signals:
        best[s.name] = max(best.get(s.name, float("-inf")), s.weight)
    ordered = sorted(best.items(), key=lambda kv: (-abs(kv[1]) if kv[1] else 0.0, kv[0]))
    return tuple(f"signal:{name}" for name, _ in ordered)


def _locate(exc: ValidationError, data: Any) -> str:
    first = exc.errors()[0]
    parts: list[str] = []
    node = data
    for key in first["loc"]:
        if isinstance(key, int):
            rule_id = node[key].get("id") if isinstance(node, list) and isinstance(node[key], dict) else None
            parts[-1] = f"{parts[-1]}[{key}]" + (f" ({rule_id})" if rule_id else "")
            node = node[key] if isinstance(node, list) else None
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ": ".join(parts)


def parse_policy(raw: str, path: str) -> Policy:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PolicyError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyError(path, "must be a mapping with version, solicitation_threshold, child_safety and rules")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _locate(exc, data)
        raise PolicyError(path, first["msg"], where=where) from None


def load_policy(path: Path | None = None) -> Policy:
    """The policy at ``path``, or the built-in default policy."""
    if path is None:
        raw = resources.files("pantau.data").joinpath("policy.yaml").read_text(encoding="utf-8")
        return parse_policy(raw, "pantau/data/policy.yaml")
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(path), f"cannot read: {exc.strerror}") from exc
    return parse_policy(raw, str(path))
