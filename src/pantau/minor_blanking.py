"""A child's offer is judged on what is offered: the text is scored again with its signs of a minor blanked.

The model learnt from a corpus where school words, ages and youth slang mostly stand in ordinary
texts (parents, shops, news), so those words pull its score down, even in a text that offers a
child ("abis ujian kenaikan kelas, siap BO" scores 0.05). For child safety that is the wrong way
round. When a text has a minor sign, the pipeline scores it a second time with every minor sign's
span replaced by spaces (``Assessment.score_without_minor``); the policy escalates when that score
reaches the child-safety threshold and the text has offer words of its own beyond trade words
(``classify.own_offer_words``): blanked, a uniform shop's "Ready seragam SMP, 50rb, DM aja" or a
missing-child notice is an ad's bare skeleton, which the model reads as an offer. Only texts with a minor sign
that counts (not negated) and a score below that threshold are scored twice: for the others the
second score could not change the decision, and it is left None.
"""

from __future__ import annotations

from collections.abc import Sequence

from pantau.models import Signal, SignalGroup

VERSION = "1"  # recorded in every verdict's versions as ``minor_blanking@1``


def blank_minor_signs(original: str, signals: Sequence[Signal]) -> str | None:
    """``original`` with the span of every minor signal replaced by spaces (same length), or None when
    no minor signal has a span in the text (a declared age comes from an event's field, not its text)."""
    spans = [(s.start, s.end) for s in signals if s.group is SignalGroup.MINOR and s.end > s.start]
    if not spans:
        return None
    chars = list(original)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
