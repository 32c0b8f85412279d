"""Robustness of the normaliser + classifier across obfuscation families, on generated variants.

    .venv/bin/python scripts/obfuscation_stress.py [--gold FILE.jsonl] [--seed 7] [--examples 3] [--json]

Takes the plain texts of the written corpus (``corpus/written/*.jsonl``; or of ``--gold``, e.g. a
split exported by ``pantau corpus export``): positives are rows with ``label == 1`` and no
``family``, negatives rows with ``label == 0`` and no ``family``. Every text is rewritten by each
obfuscation family below and both versions go through ``Pipeline.default()``.

The transforms are written here, independently of pantau's normaliser tables (Unicode character
names via ``unicodedata.lookup``, code-point offsets and small maps of our own), so a gap in the
normaliser's tables shows up as a loss instead of being mirrored. Each transform is a function
``(text, rng) -> str``, deterministic for a given ``random.Random`` state; the generator for one
text is seeded from ``(seed, family, row id)``, so a run is reproducible. A transform styles either
some "key words" (about half the words, at least one, chosen by the rng) or the whole text.

A verdict counts as flagged by the same predicate as ``pantau eval`` (``pantau.evaluate``):
``verdict.decision.solicitation``. Per family, over the texts the transform actually changed:

* ``plain``  recall on the plain positives;
* ``obf``    recall on their obfuscated versions;
* ``kept``   fraction of the flagged plain positives whose obfuscated version is still flagged;
* ``canon``  fraction of positives whose obfuscated version normalises to the same canonical text
  as the plain one (``verdict.normalized.text``, i.e. ``pantau.normalize.normalize(text).text``);
* ``FPR``    false-positive rate on the plain negatives and on the same negatives obfuscated by the
  same family (styling alone must not flag a text).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pantau.evaluate import GoldRow
    from pantau.models import Verdict

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "corpus" / "written"

Transform = Callable[[str, Random], str]

# --------------------------------------------------------------------------------------------
# Tokens: words (runs of letters/digits) and the gaps between them
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_DIGITS = frozenset("0123456789")
_VOWELS = frozenset("aeiouAEIOU")
_DIGIT_NAMES = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")


@dataclass
class _Tokens:
    """The text as alternating gap/word pieces: ``parts[0]`` is a gap, then word, gap, word, …, gap."""

    parts: list[str]
    changed: set[int] = field(default_factory=set)  # indexes of transformed words (odd indexes)

    @classmethod
    def of(cls, text: str) -> _Tokens:
        parts: list[str] = []
        last = 0
        for m in _WORD.finditer(text):
            parts += [text[last:m.start()], m.group()]
            last = m.end()
        parts.append(text[last:])
        return cls(parts)

    @property
    def word_indexes(self) -> list[int]:
        return list(range(1, len(self.parts), 2))

    def text(self) -> str:
        return "".join(self.parts)


def _has_letter(word: str) -> bool:
    return any(c in _ASCII_LETTERS for c in word)


def _pick(rng: Random, indexes: Sequence[int], share: float) -> list[int]:
    """About ``share`` of ``indexes`` (at least one when there is any), in text order."""
    if not indexes:
        return []
    chosen = [i for i in indexes if rng.random() < share]
    if not chosen:
        chosen = [rng.choice(list(indexes))]
    return chosen


def _scope(rng: Random, indexes: Sequence[int], whole_share: float = 0.3) -> list[int]:
    """The words a transform applies to: the whole text (``whole_share`` of the time) or key words."""
    if rng.random() < whole_share:
        return list(indexes)
    return _pick(rng, indexes, 0.5)


def _map_words(text: str, rng: Random, fn: Callable[[str], str], *, eligible: Callable[[str], bool] = _has_letter,
               whole_share: float = 0.3) -> _Tokens:
    tokens = _Tokens.of(text)
    indexes = [i for i in tokens.word_indexes if eligible(tokens.parts[i])]
    for i in _scope(rng, indexes, whole_share):
        new = fn(tokens.parts[i])
        if new != tokens.parts[i]:
            tokens.parts[i] = new
            tokens.changed.add(i)
    return tokens


def _widen_gaps(tokens: _Tokens, gap: str, *, around_single: bool) -> None:
    """Replace plain-space gaps between two changed words (or next to any changed word) by ``gap``."""
    for g in range(2, len(tokens.parts) - 1, 2):
        part = tokens.parts[g]
        if not part or part.strip(" ") or "\n" in part:
            continue
        left, right = g - 1 in tokens.changed, g + 1 in tokens.changed
        if (left and right) or (around_single and (left or right)):
            tokens.parts[g] = gap


def _char_map(word: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in word)


def _lookup(name: str) -> str | None:
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return None


# --------------------------------------------------------------------------------------------
# Unicode-styling families
# --------------------------------------------------------------------------------------------

_MATH_STYLES = ("BOLD", "ITALIC", "BOLD ITALIC", "SANS-SERIF BOLD", "SCRIPT", "DOUBLE-STRUCK")


def _math_table(style: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for i in range(26):
        for case, base in (("CAPITAL", "A"), ("SMALL", "a")):
            ch = _lookup(f"MATHEMATICAL {style} {case} {chr(ord('A') + i)}")
            if ch:  # letters missing in a style (italic h, script B …) stay plain
                table[chr(ord(base) + i)] = ch
    for d, name in enumerate(_DIGIT_NAMES):
        ch = _lookup(f"MATHEMATICAL {style} DIGIT {name}")
        if ch:
            table[str(d)] = ch
    return table


_MATH_TABLES = {style: _math_table(style) for style in _MATH_STYLES}


def math_alnum(text: str, rng: Random) -> str:
    """Mathematical bold / italic / bold-italic / sans-serif-bold / script / double-struck letters."""
    table = _MATH_TABLES[rng.choice(_MATH_STYLES)]
    return _map_words(text, rng, lambda w: _char_map(w, table)).text()


def fullwidth(text: str, rng: Random) -> str:
    """Fullwidth forms: U+FF01 … U+FF5E are ASCII ! … ~ plus 0xFEE0; spaces may become U+3000."""
    ideographic_space = rng.random() < 0.3

    def word(w: str) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in w)

    tokens = _map_words(text, rng, word)
    if ideographic_space:
        _widen_gaps(tokens, "\u3000", around_single=False)
    return tokens.text()


def circled(text: str, rng: Random) -> str:
    """Circled letters Ⓐ/ⓐ (case kept, or all capitals / all small) and circled digits ⓪ ①…⑨."""
    case = rng.choice(("keep", "upper", "lower"))
    table: dict[str, str] = {}
    for i in range(26):
        upper, lower = chr(ord("A") + i), chr(ord("a") + i)
        cap = unicodedata.lookup(f"CIRCLED LATIN CAPITAL LETTER {upper}")
        small = unicodedata.lookup(f"CIRCLED LATIN SMALL LETTER {upper}")
        table[upper] = small if case == "lower" else cap
        table[lower] = cap if case == "upper" else small
    for d, name in enumerate(_DIGIT_NAMES):
        table[str(d)] = unicodedata.lookup(f"CIRCLED DIGIT {name}")
    return _map_words(text, rng, lambda w: _char_map(w, table)).text()


_ENCLOSED_STYLES = {
    "negative_squared": "NEGATIVE SQUARED LATIN CAPITAL LETTER {}",
    "negative_circled": "NEGATIVE CIRCLED LATIN CAPITAL LETTER {}",
    "squared": "SQUARED LATIN CAPITAL LETTER {}",
    "regional": "REGIONAL INDICATOR SYMBOL LETTER {}",
}
_VS16 = "\ufe0f"
_KEYCAP = "\u20e3"


def enclosed_emoji(text: str, rng: Random) -> str:
    """Negative squared 🅰, negative circled 🅐, squared 🄰 or regional-indicator 🇦 letters.

    Regional indicators are separated by a space (two adjacent ones form a flag) and styled words
    by two or three spaces. Digits stay plain or become keycaps (1️⃣).
    """
    style = rng.choice(sorted(_ENCLOSED_STYLES))
    pattern = _ENCLOSED_STYLES[style]
    keycaps = rng.random() < 0.5
    emoji_presentation = style == "negative_squared" and rng.random() < 0.5  # 🅰️ 🅱️ 🅾️ 🅿️
    regional = style == "regional"

    def word(w: str) -> str:
        units: list[str] = []
        for c in w:
            if c in _ASCII_LETTERS:
                ch = unicodedata.lookup(pattern.format(c.upper()))
                if emoji_presentation and c.upper() in "ABOP":
                    ch += _VS16
                units.append(ch)
            elif c in _ASCII_DIGITS and keycaps:
                units.append(c + _VS16 + _KEYCAP)
            elif regional and units and units[-1][-1] in _ASCII_DIGITS and c in _ASCII_DIGITS:
                units[-1] += c  # plain digit runs stay together: 🇸 🇹 300
            else:
                units.append(c)
        return (" " if regional else "").join(units)

    tokens = _map_words(text, rng, word)
    if regional:
        _widen_gaps(tokens, " " * rng.choice((2, 3)), around_single=True)
    return tokens.text()


def _small_caps_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for i in range(26):
        upper = chr(ord("A") + i)
        ch = _lookup(f"LATIN LETTER SMALL CAPITAL {upper}")
        if ch:  # there is no small capital X: it stays a plain x
            table[upper] = table[upper.lower()] = ch
        else:
            table[upper] = upper.lower()
    return table


_SMALL_CAPS = _small_caps_table()


def small_caps(text: str, rng: Random) -> str:
    """Small capitals ᴀʙᴄ… (``LATIN LETTER SMALL CAPITAL X``)."""
    return _map_words(text, rng, lambda w: _char_map(w, _SMALL_CAPS)).text()


# Latin letter → look-alikes (Cyrillic first, then Greek), separately for small and capital letters.
_HOMOGLYPHS_SMALL = {
    "a": "аα", "b": "в", "c": "с", "e": "еε", "h": "н", "i": "іι", "j": "ј", "k": "кκ", "m": "м",
    "o": "оο", "p": "рρ", "s": "ѕ", "t": "тτ", "u": "υ", "v": "ν", "x": "хχ", "y": "у",
}
_HOMOGLYPHS_CAPITAL = {
    "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "J": "Ј", "K": "КΚ", "M": "МΜ",
    "N": "Ν", "O": "ОΟ", "P": "РΡ", "S": "Ѕ", "T": "ТΤ", "X": "ХΧ", "Y": "УΥ",
}


def homoglyph(text: str, rng: Random) -> str:
    """Cyrillic / Greek look-alikes, mixed with Latin letters (each letter swapped with p ≈ 0.6)."""

    def word(w: str) -> str:
        out = []
        for c in w:
            options = _HOMOGLYPHS_SMALL.get(c) or _HOMOGLYPHS_CAPITAL.get(c)
            out.append(rng.choice(options) if options and rng.random() < 0.6 else c)
        return "".join(out)

    return _map_words(text, rng, word).text()


_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060")


def zero_width(text: str, rng: Random) -> str:
    """Zero-width space / non-joiner / joiner / word joiner between letters."""
    dense = rng.random() < 0.5
    kinds = rng.sample(_ZERO_WIDTH, rng.randint(1, len(_ZERO_WIDTH)))

    def word(w: str) -> str:
        out = [w[0]]
        for c in w[1:]:
            if dense or rng.random() < 0.6:
                out.append(rng.choice(kinds))
            out.append(c)
        return "".join(out)

    return _map_words(text, rng, word, eligible=lambda w: len(w) > 1 and _has_letter(w)).text()


def combining(text: str, rng: Random) -> str:
    """Combining diacritics (U+0300–U+036F) after letters, one or two per letter."""
    share = rng.choice((0.5, 0.8, 1.0))

    def word(w: str) -> str:
        out = []
        for c in w:
            out.append(c)
            if c in _ASCII_LETTERS and rng.random() < share:
                out.extend(chr(rng.randint(0x300, 0x36F)) for _ in range(rng.choice((1, 1, 2))))
        return "".join(out)

    return _map_words(text, rng, word).text()


# --------------------------------------------------------------------------------------------
# Spelling families
# --------------------------------------------------------------------------------------------

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9", "b": "8"}


def leet(text: str, rng: Random) -> str:
    """a→4 e→3 i→1 o→0 s→5 t→7 g→9 b→8, partially, in words of letters; each keeps at least one letter."""

    def word(w: str) -> str:
        chars = list(w)
        spots = [i for i, c in enumerate(chars) if c.lower() in _LEET]
        swap = [i for i in spots if rng.random() < 0.6] or ([rng.choice(spots)] if spots else [])
        letters = sum(c in _ASCII_LETTERS for c in chars)
        if swap and len(swap) >= letters:
            swap.remove(rng.choice(swap))
        for i in swap:
            chars[i] = _LEET[chars[i].lower()]
        return "".join(chars)

    # Only all-letter words: prices and ages (300k, 16th) are already digits.
    return _map_words(text, rng, word, eligible=lambda w: all(c in _ASCII_LETTERS for c in w)).text()


_SPLIT_SEPARATORS = (" ", ".", "-", "_", "/", "*")


def split_letters(text: str, rng: Random) -> str:
    """Letters of a few key words (or of the whole text) split by one separator: o.p.e.n  b.o."""
    sep = rng.choice(_SPLIT_SEPARATORS)
    gap = rng.choice(("  ", " | ", sep + " ")) if sep != " " else rng.choice(("  ", "   ", " | "))
    tokens = _Tokens.of(text)
    indexes = [i for i in tokens.word_indexes if len(tokens.parts[i]) > 1 and _has_letter(tokens.parts[i])]
    if rng.random() < 0.3:
        chosen = indexes
    else:  # a few key words
        chosen = sorted(rng.sample(indexes, min(len(indexes), rng.randint(1, 3)))) if indexes else []
    for i in chosen:
        tokens.parts[i] = sep.join(tokens.parts[i])
        tokens.changed.add(i)
    _widen_gaps(tokens, gap, around_single=sep == " ")
    return tokens.text()


def stretched(text: str, rng: Random) -> str:
    """A vowel or the last letter repeated 2–5 extra times: booo, mauuuu, kakkk."""

    def word(w: str) -> str:
        vowels = [i for i, c in enumerate(w) if c in _VOWELS]
        letters = [i for i, c in enumerate(w) if c in _ASCII_LETTERS]
        last = letters[-1]
        spot = rng.choice(vowels) if vowels and rng.random() < 0.6 else last
        return w[:spot + 1] + w[spot] * rng.randint(2, 5) + w[spot + 1:]

    return _map_words(text, rng, word).text()


_SPOKEN = {
    "bo": ("be o", "bee oo", "bi-o"),
    "st": ("es te",),
    "lt": ("el te",),
    "vcs": ("vi si es",),
    "fs": ("ef es",),
    "pap": ("pe a pe",),
    "cod": ("si o di",),
    "hj": ("ha je",),
}


def spoken(text: str, rng: Random) -> str:
    """Acronyms spelt out as spoken letters: BO → be o / bee oo / bi-o, ST → es te, VCS → vi si es."""

    def word(w: str) -> str:
        said = rng.choice(_SPOKEN[w.lower()])
        return said.upper() if w.isupper() and rng.random() < 0.5 else said

    return _map_words(text, rng, word, eligible=lambda w: w.lower() in _SPOKEN).text()


def abbreviation(text: str, rng: Random) -> str:
    """Inner vowels dropped from about 40% of the words of four letters or more: pilih → plh, anak → ank."""

    def word(w: str) -> str:
        return w[0] + "".join(c for c in w[1:] if c not in _VOWELS)

    def eligible(w: str) -> bool:
        return len(w) >= 4 and all(c in _ASCII_LETTERS for c in w) and len(word(w)) >= 2 and word(w) != w

    tokens = _Tokens.of(text)
    for i in _pick(rng, [i for i in tokens.word_indexes if eligible(tokens.parts[i])], 0.4):
        tokens.parts[i] = word(tokens.parts[i])
    return tokens.text()


# --------------------------------------------------------------------------------------------
# Combinations
# --------------------------------------------------------------------------------------------

# The order in which combined families are applied: spelling first, then glyph styling, then the
# invisible characters (which break words apart for any later word-level transform).
_SPELLING = ("spoken", "abbreviation", "stretched", "leet", "split_letters")
_GLYPHS = ("homoglyph", "small_caps", "math_alnum", "fullwidth", "circled", "enclosed_emoji")
_INVISIBLE = ("combining", "zero_width")
_ORDER = (*_SPELLING, *_GLYPHS, *_INVISIBLE)


def mixed(text: str, rng: Random) -> str:
    """Two or three families combined (at most one glyph style), applied in a fixed order."""
    k = rng.choice((2, 3))
    glyph = [rng.choice(_GLYPHS)] if rng.random() < 0.7 else []
    others = rng.sample([f for f in (*_SPELLING, *_INVISIBLE) if f != "spoken" or _has_spoken(text)], k - len(glyph))
    chosen = sorted((*glyph, *others), key=_ORDER.index)
    for name in chosen:
        text = FAMILIES[name](text, rng)
    return text


def _has_spoken(text: str) -> bool:
    return any(m.group().lower() in _SPOKEN for m in _WORD.finditer(text))


FAMILIES: dict[str, Transform] = {
    "math_alnum": math_alnum,
    "fullwidth": fullwidth,
    "circled": circled,
    "enclosed_emoji": enclosed_emoji,
    "small_caps": small_caps,
    "homoglyph": homoglyph,
    "zero_width": zero_width,
    "combining": combining,
    "leet": leet,
    "split_letters": split_letters,
    "stretched": stretched,
    "spoken": spoken,
    "abbreviation": abbreviation,
    "mixed": mixed,
}


def rng_for(seed: int, family: str, row_id: str) -> Random:
    """The generator for one (family, text): string seeds are hashed with SHA-512, stable across runs."""
    return Random(f"{seed}:{family}:{row_id}")


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


@dataclass
class FamilyResult:
    family: str
    pos_base: int = 0
    pos: int = 0  # positives the transform changed
    plain_tp: int = 0
    obf_tp: int = 0
    kept: int = 0
    canonical: int = 0
    neg_base: int = 0
    neg: int = 0
    plain_fp: int = 0
    obf_fp: int = 0
    lost: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "positives_base": self.pos_base, "positives": self.pos,
            "recall_plain": ratio(self.plain_tp, self.pos), "recall_obfuscated": ratio(self.obf_tp, self.pos),
            "kept": ratio(self.kept, self.plain_tp), "canonical": ratio(self.canonical, self.pos),
            "negatives_base": self.neg_base, "negatives": self.neg,
            "fpr_plain": ratio(self.plain_fp, self.neg), "fpr_obfuscated": ratio(self.obf_fp, self.neg),
        }


def read_rows(paths: Sequence[Path]) -> list[GoldRow]:
    """Plain rows (no obfuscation family) of gold-schema JSONL files."""
    from pantau.evaluate import read_gold

    return [g for path in paths for g in read_gold(path) if g.family is None]


def flagged(verdict: Verdict) -> bool:
    """The prediction ``pantau eval`` scores (pantau.evaluate.evaluate): the solicitation flag."""
    return bool(verdict.decision.solicitation)


def measure(rows: Sequence[GoldRow], families: Sequence[str], seed: int, keep_examples: int) -> list[FamilyResult]:
    from pantau.pipeline import Pipeline

    pipeline = Pipeline.default()
    plain = dict(zip((r.id for r in rows), pipeline.run_batch([(r.id, r.text) for r in rows]), strict=True))
    results = []
    for family in families:
        transform = FAMILIES[family]
        result = FamilyResult(family)
        pairs = []
        for row in rows:
            if row.label:
                result.pos_base += 1
            else:
                result.neg_base += 1
            obf = transform(row.text, rng_for(seed, family, row.id))
            if obf != row.text:
                pairs.append((row, obf))
        verdicts = pipeline.run_batch([(row.id, obf) for row, obf in pairs])
        for (row, obf), v in zip(pairs, verdicts, strict=True):
            p = plain[row.id]
            was, now = flagged(p), flagged(v)
            example = {"id": row.id, "plain": row.text, "obfuscated": obf, "normalized": v.normalized.text,
                       "normalized_plain": p.normalized.text, "score_plain": round(p.assessment.score, 4),
                       "score": round(v.assessment.score, 4)}
            if row.label:
                result.pos += 1
                result.plain_tp += was
                result.obf_tp += now
                result.canonical += v.normalized.text == p.normalized.text
                if was:
                    result.kept += now
                    if not now and len(result.lost) < keep_examples:
                        result.lost.append(example)
            else:
                result.neg += 1
                result.plain_fp += was
                result.obf_fp += now
                if now and not was and len(result.false_alarms) < keep_examples:
                    result.false_alarms.append(example)
        results.append(result)
    return results


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:.3f}"


def render_table(results: Sequence[FamilyResult]) -> str:
    head = f"{'family':<16}{'pos':>5}{'plain':>8}{'obf':>8}{'kept':>8}{'canon':>8}{'neg':>6}{'FPR':>8}{'FPR obf':>9}"
    lines = [head, "-" * len(head)]
    for r in results:
        m = r.metrics()
        lines.append(f"{r.family:<16}{r.pos:>5}{_fmt(m['recall_plain']):>8}{_fmt(m['recall_obfuscated']):>8}"
                     f"{_fmt(m['kept']):>8}{_fmt(m['canonical']):>8}{r.neg:>6}{_fmt(m['fpr_plain']):>8}"
                     f"{_fmt(m['fpr_obfuscated']):>9}")
    return "\n".join(lines)


def visible(text: str) -> str:
    """Text for a terminal: format characters (zero-width …) as <U+XXXX>, newlines as ⏎."""
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf" and c != _VS16 else
                   " ⏎ " if c == "\n" else c for c in text)


def render_examples(results: Sequence[FamilyResult]) -> str:
    lines: list[str] = []
    for r in results:
        for kind, examples in (("lost positive", r.lost), ("new false alarm", r.false_alarms)):
            if not examples:
                continue
            lines += ["", f"{r.family}: {kind}s"]
            for e in examples:
                lines += [f"  {e['id']}  score {e['score_plain']} → {e['score']}",
                          f"    plain:      {visible(e['plain'])}",
                          f"    obfuscated: {visible(e['obfuscated'])}",
                          f"    normalised: {visible(e['normalized'])}",
                          f"    (plain normalised: {visible(e['normalized_plain'])})"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--gold", type=Path, help="gold JSONL (id, text, label, family) instead of the written corpus")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="written-corpus folder (*.jsonl)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--examples", type=int, default=0, metavar="N", help="failing examples to print per family")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)

    paths = [args.gold] if args.gold else sorted(args.corpus.glob("*.jsonl"))
    if not paths:
        parser.error(f"no *.jsonl files in {args.corpus}")
    rows = read_rows(paths)
    families = args.family or list(FAMILIES)
    started = time.perf_counter()
    results = measure(rows, families, args.seed, args.examples)
    elapsed = time.perf_counter() - started
    source = str(args.gold) if args.gold else f"{args.corpus}/*.jsonl"
    if args.json:
        out = {"source": source, "seed": args.seed, "predicate": "decision.solicitation",
               "families": {r.family: r.metrics() for r in results}}
        if args.examples:
            out["examples"] = {r.family: {"lost": r.lost, "false_alarms": r.false_alarms} for r in results}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"source {source}   seed {args.seed}   flagged = decision.solicitation (as `pantau eval`)")
        print(f"plain positives {sum(r.label for r in rows)}   plain negatives {sum(not r.label for r in rows)}   "
              f"({elapsed:.1f}s)\n")
        print(render_table(results))
        if args.examples:
            print(render_examples(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
