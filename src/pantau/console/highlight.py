"""The original text cut into pieces, with each signal's span marked (for ``<mark>`` in the case page)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Piece:
    text: str
    signals: tuple[str, ...] = ()  # names of the signals covering this piece; empty = not marked


def pieces(text: str, signals: Iterable[Mapping[str, Any]]) -> list[Piece]:
    """Split ``text`` at every span boundary; overlapping spans give one piece naming all of them.

    Spans index the original text in code points (Python offsets), as stored with each event;
    empty or out-of-range spans are ignored.
    """
    spans = [(int(s["start"]), int(s["end"]), str(s["name"])) for s in signals
             if 0 <= int(s["start"]) < int(s["end"]) <= len(text)]
    cuts = sorted({0, len(text), *(b for start, end, _ in spans for b in (start, end))})
    out: list[Piece] = []
    for a, b in pairwise(cuts):
        names = tuple(sorted({name for start, end, name in spans if start <= a and b <= end}))
        if out and out[-1].signals == names:
            out[-1] = Piece(out[-1].text + text[a:b], names)
        else:
            out.append(Piece(text[a:b], names))
    return out
