"""Classifiers: normalised text + signals → calibrated score that the text solicits commercial sex.

One protocol for every classifier. ``WeightedSignalScorer`` is the transparent scorer: a
logistic function of capped, per-group sums of the lexicon weights plus a few interactions. The
trained model (``pantau.model``) implements the same protocol and is preferred when present.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Protocol

from pantau.models import NormalizedText, Signal, SignalGroup

# A tuple, summed in this order: a set's order follows the per-process string hash, and a float
# sum in another order differs in the last bits, so the same data gave different models.
OFFER_ORDER = (SignalGroup.SOLICITATION, SignalGroup.ONLINE, SignalGroup.AGENCY)
OFFER_GROUPS = frozenset(OFFER_ORDER)


class Classifier(Protocol):
    """Anything that turns texts with their signals into probabilities."""

    version: str

    def score_batch(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> list[float]: ...


# Report, warning and news words: a text with them quotes offers rather than makes them.
REPORTING = frozenset({"context.report", "context.warning", "context.news"})


def negated(signals: Sequence[Signal]) -> set[int]:
    """Indexes of offer signals that do not count: covered by an explicit negation ("bukan BO",
    "no VCS"), or quoted inside a report, warning or news item ('ada akun pasang "open BO"')."""
    covers = [(s.start, s.end) for s in signals if s.name == "context.negation"]
    if any(s.name in REPORTING for s in signals):
        covers += [(s.start, s.end) for s in signals if s.name == "context.quoted"]
    if not covers:
        return set()
    return {
        i
        for i, s in enumerate(signals)
        if s.group in OFFER_GROUPS and any(a < s.end and s.start < b for a, b in covers)
    }


def effective(signals: Sequence[Signal]) -> list[Signal]:
    """The signals that count: negated offer terms removed."""
    drop = negated(signals)
    return [s for i, s in enumerate(signals) if i not in drop]


# Offer-group words that shops and services use too ("ready", "COD", "promo", "katalog", "new"):
# beside a child's age or school they make no child-safety case on their own.
TRADE_WORDS = frozenset({"solicitation.availability", "solicitation.pay_terms", "solicitation.promo",
                         "agency.persona", "agency.choice"})
STRONG_RATE_WEIGHT = 1.0  # a rate for a service or per hour, not a bare price


# Minor signals that describe a person ("abg 15th", "perawan"), not a product for children (a school
# uniform, a school bag): beside trade words alone they are still a child offered ("ready abg 15th cod").
PERSON_MINOR = frozenset({"minor.age", "minor.slang", "minor.virginity", "minor.declared_age"})
# School words that name a person, not a level a product is for ("ready murid smp cod", not "jaket anak SD")
_PUPIL = re.compile(r"(?<![a-z])(?:siswi|siswa|pelajar|murid|santriwati|masih\s+sekolah|anak\s+sekolah(?:an)?)"
                    r"(?![a-z])")


def own_offer_words(counted: Sequence[Signal]) -> bool:
    """Whether the text offers something in its own words: an offer word beyond trade words, or a service rate."""
    return any((s.group in OFFER_GROUPS and s.name not in TRADE_WORDS)
               or (s.group is SignalGroup.RATE and s.weight >= STRONG_RATE_WEIGHT) for s in counted)


def names_a_child(counted: Sequence[Signal]) -> bool:
    """Whether a minor sign describes a person ("abg 15th", "murid", a declared age), not a school level a
    product is for ("jaket anak SD")."""
    return any(s.name in PERSON_MINOR or (s.name == "minor.school" and _PUPIL.search(s.text.lower()) is not None)
               for s in counted)


def strong_offer(counted: Sequence[Signal]) -> bool:
    """Whether the rule score may stand for solicitation beside a minor sign, given the signals that
    count (``effective``): an offer word beyond trade words, a service rate, or a minor sign that
    describes a person. "Ready jaket pramuka anak SD/SMP, bisa COD" (trade words and a school level)
    is a shop, not a child-safety case."""
    return own_offer_words(counted) or names_a_child(counted)


# School levels of teenagers: beside them a small child's age is no longer the only child in the text
_TEEN_LEVEL = re.compile(r"(?<![a-z])(?:(?:smp|sma|smk|mts)n?|smu|slta|sltp|putih\s*(?:abu|biru)|"
                         r"(?:kelas|kls)\s*(?:[7-9]|1[0-2]|vii|viii|ix|x|xi|xii)(?!\d)|"
                         r"(?:[7-9]|1[0-2])th\s*grade|junior\s*high|high\s*school)(?![a-z])")
# Under it, an age is a small child's: no offer hint pairs with it ("ready om, ayam goreng buat anak umur 5" is a
# stall), and alone in a text with a price it is a product's size, a carer's charge, a notice
SMALL_CHILD_AGE = 12


def _small_child_age(sign: Signal) -> bool:
    """Whether a minor sign is an age under ``SMALL_CHILD_AGE``."""
    return sign.name == "minor.age" and sign.detail.isdigit() and int(sign.detail) < SMALL_CHILD_AGE


def _small_child_school(sign: Signal) -> bool:
    """Whether a minor sign is a school word that names neither a pupil nor a teenager's level."""
    text = sign.text.lower()
    return sign.name == "minor.school" and _PUPIL.search(text) is None and _TEEN_LEVEL.search(text) is None


def small_children_only(counted: Sequence[Signal]) -> bool:
    """Whether every minor sign is an age under 12 or a school word that names neither a pupil nor a teenager's
    level: "baju anak umur 6-8 th, COD", "cari mbak buat jaga anak sy (7 th), tarif per jam", "playground anak 1-10
    th, 50rb". Children offered are named by a teenager's age, slang ("bocil", "dedek") or as pupils; a small
    child's age beside trade words and a price is a shop, a carer wanted or a notice far more often."""
    minors = [s for s in counted if s.group is SignalGroup.MINOR]
    return any(s.name == "minor.age" for s in minors) and all(
        _small_child_age(s) or _small_child_school(s) for s in minors)


# Minor signs too weak to pair with an offer hint: they name no child by themselves ("pertama kali", "junior",
# "kids", "remaja": a first visit, a junior clerk, a kids' zone, a youth group).
_WEAK_CHILD_WORDS = re.compile(r"pertama kali|first time|belum pernah|(?:masih )?segel|(?:masih )?virgin|junior|"
                               r"kids?|teens?|child|remaja|anak[ -]anak|masih kecil|daun muda|imut imut")
_OPEN_NEXT_TO_CHILD = 3  # characters between a child named and a bare "open": "ABG 15 open", "lahir 2011, open"
_MENU_REACH = 4  # a child must be the first item after "Menu:" or "Stok:" ("Stok: A (u15)", not "Stok: LKS kelas 10")


def _hint_child(sign: Signal) -> bool:
    """Whether a minor sign may pair with an offer hint: not a weak word, not an age under 12."""
    if _WEAK_CHILD_WORDS.fullmatch(sign.text.lower().strip()):
        return False
    return not _small_child_age(sign)


def offer_hinted(counted: Sequence[Signal]) -> bool:
    """Whether a word that offers a person only beside a child (group ``hint``) stands beside a minor sign that
    names a child. A bare "open" counts only right after a child named as a person ("ABG 15 open 🔥", not "mie
    ayam depan SD udah open"), a menu only with a child among its first items ("Menu: kls 9 = 500")."""
    hints = [s for s in counted if s.group is SignalGroup.HINT]
    children = [s for s in counted if s.group is SignalGroup.MINOR and _hint_child(s)]
    if not hints or not children:
        return False
    for hint in hints:
        if hint.name == "hint.bare_open":
            if any(0 <= hint.start - c.end <= _OPEN_NEXT_TO_CHILD and names_a_child([c]) for c in children):
                return True
        elif hint.name == "hint.menu":
            if any(0 <= c.start - hint.end <= _MENU_REACH for c in children):
                return True
        else:
            return True
    return False


class WeightedSignalScorer:
    """log-odds = bias + offer + rate + contact + context + interactions; then the logistic.

    - offer: sum of distinct solicitation/online/agency signal weights, capped at ``offer_cap``;
    - rate, contact: the strongest signal of each group;
    - context: sum of distinct risk-lowering weights, floored at ``context_floor``;
    - interactions: an offer with a rate (+1.0) or a contact (+0.5); a minor indicator with any
      offer (weight ≥ 2) or a rate per time/service (+1.5: children are offered in milder words).
    """

    version = "weighted-signals-1"

    def __init__(
        self, bias: float = -3.0, offer_cap: float = 9.0, context_floor: float = -6.0, minor_boost: float = 1.5
    ) -> None:
        self.bias = bias
        self.offer_cap = offer_cap
        self.context_floor = context_floor
        self.minor_boost = minor_boost

    def log_odds(self, signals: Sequence[Signal]) -> float:
        best: dict[str, Signal] = {}
        for s in effective(signals):
            if s.name not in best or abs(s.weight) > abs(best[s.name].weight):
                best[s.name] = s
        by_group: dict[SignalGroup, list[float]] = {}
        for s in best.values():
            by_group.setdefault(s.group, []).append(s.weight)
        offer = min(self.offer_cap, sum(w for g in OFFER_ORDER for w in by_group.get(g, [])))
        rate = max(by_group.get(SignalGroup.RATE, [0.0]))
        contact = max(by_group.get(SignalGroup.CONTACT, [0.0]))
        context = max(self.context_floor, sum(by_group.get(SignalGroup.CONTEXT, [])))
        minor = SignalGroup.MINOR in by_group
        z = self.bias + offer + rate + contact + context
        if offer > 0 and rate > 0:
            z += 1.0
        if offer > 0 and contact > 0:
            z += 0.5
        if minor and (offer >= 2.0 or rate >= 1.0):  # a weak "ready" beside "pulang sekolah" is not enough
            z += self.minor_boost
        return z

    def score_batch(self, items: Sequence[tuple[NormalizedText, Sequence[Signal]]]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-self.log_odds(signals))) for _, signals in items]


HASHTAG = re.compile(r"#\w+")


def outside_hashtags(original: str, signals: Sequence[Signal]) -> list[Signal]:
    """The signals whose span does not lie inside a ``#hashtag`` of the original text."""
    if "#" not in original:
        return list(signals)
    spans = [m.span() for m in HASHTAG.finditer(original)]  # in order, never overlapping
    starts = [a for a, _ in spans]

    def inside(signal: Signal) -> bool:  # the last hashtag starting at or before the signal holds it, or none does
        k = bisect_right(starts, signal.start) - 1
        return k >= 0 and signal.end <= spans[k][1]

    return [s for s in signals if not inside(s)]
