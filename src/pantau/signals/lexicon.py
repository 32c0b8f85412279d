"""Signals that are data: lexicon files of terms, patterns and cancelling context.

A lexicon file (YAML) has a ``version``, a ``group`` and ``entries``; each entry has a ``name``,
a ``weight`` and at least one of ``terms`` (phrases) or ``regex`` (raw patterns over the
normalised text), and optionally ``unless`` (cancels a match it overlaps) and ``unless_in_text``
(cancels a match when it occurs anywhere in the text). Files are validated when loaded; errors
name the file, the entry and the field.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from pantau.errors import LexiconError
from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.prefilter import Prefilter
from pantau.signals.base import make_signal

_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_WORD_SEP = r"[\s\-_./]*"


def _atoms(term: str) -> list[str]:
    """A phrase as regex atoms: each letter may repeat, words may be joined by any separator."""
    atoms: list[str] = []
    for i, word in enumerate(term.lower().split()):
        if i:
            atoms.append(_WORD_SEP)
        squeezed = re.sub(r"([a-z])\1+", r"\1", word)
        if len(squeezed) == 1 and len(word) > 1 and squeezed.isalpha():
            # a word of one repeated letter ("ss" for screenshot) keeps its length: squeezed to "s"
            # it would match every lone letter s
            atoms.append(f"{re.escape(squeezed)}{{{len(word)},}}")
            continue
        atoms.extend(f"{re.escape(c)}+" if c.isalpha() else re.escape(c) for c in squeezed)
    return atoms


def compile_term(term: str) -> str:
    """A phrase → regex over normalised text.

    Words may be joined by any spacing or -_./ ("open bo" ~ "openbo", "open-bo"); each letter may
    be stretched ("room" ~ "rooom" ~ "rom"); the caller adds the boundaries.
    """
    return "".join(_atoms(term))


def _trie_regex(terms: Sequence[str]) -> str:
    """One regex for many phrases, shared prefixes merged (much faster than a flat alternation)."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for atom in _atoms(term):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [atom + emit(child) for atom, child in node.items() if atom != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        if len(branches) == 1 and ends:
            body = "(?:" + branches[0] + ")"
        return body + ("?" if ends else "")

    return emit(trie)


def _alternation(terms: Sequence[str], regexes: Sequence[str]) -> str:
    bounded = [f"(?<![a-z])(?:{_trie_regex(terms)})(?![a-z])"] if terms else []
    return "|".join(bounded + [f"(?:{r})" for r in regexes])


@dataclass(frozen=True, eq=False)  # identity hash: entries are dict keys on the hot path
class LexiconEntry:
    name: str
    group: SignalGroup
    weight: float
    terms: re.Pattern[str] | None  # anchored: tried only where a word starts (see LexiconExtractor)
    first_chars: frozenset[str]  # the characters a term can start with
    regex: re.Pattern[str] | None  # raw patterns: searched over the whole text
    unless: re.Pattern[str] | None
    unless_in_text: re.Pattern[str] | None
    phrases: tuple[str, ...]  # the terms as written (the extractor merges every entry's into one trie)


def _strings(value: Any, path: str, where: str, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise LexiconError(path, "must be a list of strings", where=f"{where}: {field}")
    return [str(v) for v in value]


def _compile(pattern: str, path: str, where: str, field: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LexiconError(path, f"invalid regular expression: {exc}", where=f"{where}: {field}") from exc


def parse_lexicon(raw: str, path: str) -> tuple[str, list[LexiconEntry]]:
    """Validate and compile one lexicon file's text. Returns (version, entries)."""
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"line {line + 1}" if line is not None else ""
        raise LexiconError(path, f"not valid YAML: {exc}", where=where) from exc
    if not isinstance(data, dict):
        raise LexiconError(path, "must be a mapping with version, group and entries")
    for key in ("version", "group", "entries"):
        if key not in data:
            raise LexiconError(path, f"missing required field {key!r}")
    try:
        group = SignalGroup(data["group"])
    except ValueError:
        allowed = ", ".join(g.value for g in SignalGroup)
        raise LexiconError(path, f"unknown group {data['group']!r} (allowed: {allowed})", where="group") from None
    if not isinstance(data["entries"], list) or not data["entries"]:
        raise LexiconError(path, "must be a non-empty list", where="entries")
    entries: list[LexiconEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(data["entries"]):
        where = f"entries[{i}]"
        if not isinstance(item, dict):
            raise LexiconError(path, "must be a mapping", where=where)
        unknown = set(item) - {"name", "weight", "terms", "regex", "unless", "unless_in_text"}
        if unknown:
            raise LexiconError(path, f"unknown field(s) {sorted(unknown)}", where=where)
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise LexiconError(path, "must be 'group.snake_case'", where=f"{where}: name")
        where = f"{where} ({name})"
        if not name.startswith(group.value + "."):
            raise LexiconError(path, f"must start with the file's group {group.value!r}", where=f"{where}: name")
        if name in seen:
            raise LexiconError(path, "duplicate signal name", where=f"{where}: name")
        seen.add(name)
        weight = item.get("weight")
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise LexiconError(path, "must be a number", where=f"{where}: weight")
        terms = _strings(item.get("terms"), path, where, "terms")
        regexes = _strings(item.get("regex"), path, where, "regex")
        if not terms and not regexes:
            raise LexiconError(path, "needs at least one of 'terms' or 'regex'", where=where)
        for j, rx in enumerate(regexes):
            _compile(rx, path, where, f"regex[{j}]")
        unless = _strings(item.get("unless"), path, where, "unless")
        unless_in_text = _strings(item.get("unless_in_text"), path, where, "unless_in_text")
        for field, values in (("unless", unless), ("unless_in_text", unless_in_text)):
            for j, rx in enumerate(values):
                _compile(compile_term(rx) if _is_plain(rx) else rx, path, where, f"{field}[{j}]")
        entries.append(
            LexiconEntry(
                name=name,
                group=group,
                weight=float(weight),
                terms=_compile(f"(?:{_trie_regex(terms)})(?![a-z])", path, where, "terms") if terms else None,
                first_chars=frozenset(t.lower().lstrip()[0] for t in terms if t.strip()),
                regex=_compile("|".join(f"(?:{r})" for r in regexes), path, where, "regex") if regexes else None,
                unless=_cancel_pattern(unless),
                unless_in_text=_cancel_pattern(unless_in_text),
                phrases=tuple(terms),
            )
        )
    return str(data["version"]), entries


def _is_plain(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9 '+/&-]+", text) is not None


def _cancel_pattern(values: Sequence[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    plain = [v for v in values if _is_plain(v)]
    raw = [v for v in values if not _is_plain(v)]
    return re.compile(_alternation(plain, raw))


class LexiconExtractor:
    """One extractor per lexicon file: every entry's pattern, minus cancelled matches."""

    def __init__(self, name: str, version: str, entries: Sequence[LexiconEntry]) -> None:
        self.name = name
        self.version = version
        self.entries = tuple(entries)
        by_first: dict[str, list[LexiconEntry]] = {}
        for entry in self.entries:
            for char in entry.first_chars:
                by_first.setdefault(char, []).append(entry)
        self._by_first = {char: tuple(group) for char, group in by_first.items()}
        self._with_regex = tuple(e for e in self.entries if e.regex is not None)
        # One scan finds the word starts where any entry's terms match; only those are tried entry by
        # entry. Every entry's terms in one trie: shared prefixes are tried once, not once per entry.
        # The character before a word start is consumed rather than looked behind at, so the engine
        # skips in C to the places where one can stand (see pantau.prefilter); a term at the
        # very start of the text has no character before it and is tried there on its own.
        phrases = sorted({t for e in self.entries for t in e.phrases})
        at_word = rf"(?=\S)(?=(?:{_trie_regex(phrases)})(?![a-z]))" if phrases else None
        self._candidates = re.compile(rf"[^a-z0-9]{at_word}") if at_word else None
        self._candidate_at_start = re.compile(at_word) if at_word else None
        # Likewise one cheap search tells whether any entry's own regex can match at all.
        self._any_regex = Prefilter(e.regex for e in self._with_regex if e.regex is not None)

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return tuple((e.name, e.group) for e in self.entries)

    def _word_starts(self, text: str) -> list[int]:
        """Where a word starts that some entry's terms may begin."""
        if self._candidates is None or self._candidate_at_start is None:
            return []
        starts = [m.end() for m in self._candidates.finditer(text)]
        return [0, *starts] if self._candidate_at_start.match(text) else starts

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        found: dict[LexiconEntry, list[tuple[int, int]]] = {}
        # Terms can only start where a word starts: try each entry's anchored trie there, and only
        # entries whose terms can begin with that character (much cheaper than scanning per entry).
        for pos in self._word_starts(text):
            for entry in self._by_first.get(text[pos], ()):
                m = entry.terms.match(text, pos)  # type: ignore[union-attr]
                if m and m.end() > pos:
                    found.setdefault(entry, []).append(m.span())
        for entry in self._with_regex if self._any_regex(text) else ():
            for m in entry.regex.finditer(text):  # type: ignore[union-attr]
                if m.end() > m.start():
                    found.setdefault(entry, []).append(m.span())
        spans: list[tuple[int, int, LexiconEntry]] = []
        for entry, matches in found.items():
            if entry.unless_in_text is not None and entry.unless_in_text.search(text):
                continue
            cancelled = _Cancels([(c.start(), c.end()) for c in entry.unless.finditer(text)] if entry.unless else [])
            kept_here = 0
            for a, b in sorted(set(matches)):  # a term and a regex may find the same span
                if kept_here < MAX_MATCHES_PER_ENTRY and not cancelled.overlaps(a, b):
                    spans.append((a, b, entry))
                    kept_here += 1
        # A match inside a longer, at-least-as-heavy match of the same file says nothing new.
        kept = [
            (a, b, e)
            for a, b, e in spans
            if not any(
                a2 <= a and b <= b2 and (b2 - a2) > (b - a) and abs(e2.weight) >= abs(e.weight)
                for a2, b2, e2 in spans
            )
        ]
        return [make_signal(nt, e.name, e.group, e.weight, a, b) for a, b, e in kept]


# Enough evidence: more matches of one entry in one text add nothing, and each is compared with every other (a
# status of "open bo" repeated 2,500 times took seconds)
MAX_MATCHES_PER_ENTRY = 32


class _Cancels:
    """Spans that cancel a match they overlap; ``overlaps`` in logarithmic time (a text may hold thousands)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self._starts = [a for a, _ in spans]
        self._ends_so_far = list(accumulate((b for _, b in spans), max))

    def overlaps(self, a: int, b: int) -> bool:
        before = bisect_left(self._starts, b)  # cancels that start before the match ends
        return before > 0 and self._ends_so_far[before - 1] > a


def load_lexicon_file(path: Path) -> LexiconExtractor:
    version, entries = parse_lexicon(path.read_text(encoding="utf-8"), str(path))
    return LexiconExtractor(f"lexicon_{path.stem}", version, entries)


def builtin_lexicons() -> list[LexiconExtractor]:
    """The lexicons shipped in ``pantau/data/lexicon``, in file-name order."""
    folder = resources.files("pantau.data").joinpath("lexicon")
    extractors = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            version, entries = parse_lexicon(item.read_text(encoding="utf-8"), f"pantau/data/lexicon/{item.name}")
            extractors.append(LexiconExtractor(f"lexicon_{item.name.removesuffix('.yaml')}", version, entries))
    return extractors
