"""Normaliser: raw chat/profile text → canonical text, keeping an offset map to the original.

Every step is a rewrite of the current text that records, for each new character, the span of
the ORIGINAL text it came from, so any finding on the canonical text can be highlighted in what
the user wrote. The steps, in order:

1. ``fold_chars``   one character at a time: NFKC (mathematical alphanumerics, fullwidth,
                    circled letters), small capitals, enclosed/regional-indicator emoji letters,
                    parenthesised letters, Greek/Cyrillic look-alikes, combining marks and
                    zero-width characters dropped, lower case, emoji and symbols → space.
2. ``undo_leet``    inside words that mix letters and digits: 0p3n → open, b0 → bo; numbers and
                    prices stay (300k, 16th, st300), and 3OO → 300.
3. ``join_split``   letters split by spaces or punctuation: o p e n, 0.p.e.n, O-P-E-N, b/o.
4. ``squeeze``      stretched letters: booo → bo, ooopeeen → open (maaaaf → maaf).
5. ``spoken``       letters spelt out: bee oo → bo, es te el te → st lt, vi si es → vcs.
6. ``expand_abbr``  chat abbreviations from a small lexicon of our own: yg → yang, gk → tidak.
7. ``spaces``       runs of white space → one space; trimmed.

Numbers are never rewritten into letters unless they sit inside a word, so prices, ages and
phone numbers survive for the extractors that need them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from pantau.models import NormalizedText
from pantau.prefilter import Prefilter

__all__ = ["KNOWN_ACRONYMS", "normalize"]

# --------------------------------------------------------------------------------------------
# Data: character tables. Small, focused, and our own.
# --------------------------------------------------------------------------------------------

# Small capitals and other letter-like forms that NFKC leaves alone.
_SMALL_CAPS = dict(
    zip(
        "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢɴʀʏɪʟ",
        "abcdefghijklmnopqrstuvwyznryil",
        strict=False,
    )
)
# Greek and Cyrillic letters used for their look, not their sound (оρєи вσ → open bo).
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "є": "e", "ё": "e", "һ": "h", "і": "i",
    "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "н": "h", "и": "n", "п": "n", "о": "o",
    "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "у": "y", "ѵ": "v", "ш": "w", "щ": "w",
    "х": "x", "ү": "y", "ь": "b", "ъ": "b", "я": "r", "л": "n", "д": "d", "ц": "u",
    "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʋ": "v", "ɴ": "n", "ʀ": "r", "ɯ": "w",
    # Greek capitals lower-case to other look-alikes (Μ → μ, read as u), so they come first
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "θ": "o", "ι": "i",
    "κ": "k", "λ": "a", "μ": "u", "ν": "v", "ξ": "e", "ο": "o", "π": "n", "ρ": "p", "σ": "o",
    "ς": "s", "τ": "t", "υ": "u", "φ": "o", "χ": "x", "ψ": "w", "ω": "w", "ϐ": "b", "ϲ": "c",
    "ϳ": "j", "ϱ": "p", "ϑ": "o",
    # Latin extensions and symbols used as letters
    "ø": "o", "ð": "d", "đ": "d", "ħ": "h", "ł": "l", "ŧ": "t", "ƀ": "b", "ɇ": "e", "ɨ": "i",
    "ʉ": "u", "ƚ": "l", "ȼ": "c", "ɍ": "r", "ɏ": "y", "ß": "ss", "æ": "ae", "œ": "oe",
    "ℓ": "l", "℮": "e", "∂": "d", "¢": "c", "€": "e", "£": "l", "¥": "y", "©": "c", "®": "r",
    "○": "o", "◯": "o", "⭕": "o", "❌": "x", "✖": "x", "❤": " ", "♡": " ",
}


def _enclosed_characters() -> dict[str, str]:
    table: dict[str, str] = {}
    for base, count in ((0x1F130, 26), (0x1F150, 26), (0x1F170, 26), (0x1F1E6, 26), (0x24B6, 26)):
        for i in range(count):
            table[chr(base + i)] = chr(ord("a") + i)
    for i in range(26):  # parenthesised ⒜ … ⒵ (NFKC would give "(a)")
        table[chr(0x249C + i)] = chr(ord("a") + i)
    for i in range(26):  # circled small ⓐ … ⓩ
        table[chr(0x24D0 + i)] = chr(ord("a") + i)
    # dingbat digits one to nine (negative circled ❶, sans-serif circled ➀, negative sans-serif ➊, double circled ⓵),
    # which NFKC leaves alone: "umur ❶❺" is 15. Their tens (❿ …) stay symbols.
    for base in (0x2776, 0x2780, 0x278A, 0x24F5):
        for i in range(9):
            table[chr(base + i)] = str(i + 1)
    table["🅾"] = "o"
    table["🅱"] = "b"
    table["🅰"] = "a"
    table["🅿"] = "p"
    return table


_SPECIAL = {**_SMALL_CAPS, **_LOOKALIKES, **_enclosed_characters()}
_DROP_CATEGORIES = {"Mn", "Me", "Cf", "Cc"}
_MARKS = {"Mn", "Me"}
_SPACE_CATEGORIES = {"So", "Sk", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"}


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Canonical form of one non-ASCII character (possibly empty, possibly several letters)."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    out = []
    for c in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch)):
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
            continue
        cat = unicodedata.category(c)
        if cat in _DROP_CATEGORIES:
            if c in "\n\t\r":
                out.append(" ")
            continue
        if cat in _SPACE_CATEGORIES:
            out.append(" ")
            continue
        low = c.casefold()
        out.append("".join(_SPECIAL.get(x, x) for x in low))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Offset-map bookkeeping
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Work:
    text: str
    starts: list[int]
    ends: list[int]


Edit = tuple[int, int, str]  # replace current text[a:b] with str


def _apply(work: _Work, edits: list[Edit]) -> _Work:
    """Apply non-overlapping, ordered edits, carrying the offset map along."""
    if not edits:
        return work
    text, starts, ends = work.text, work.starts, work.ends
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for a, b, rep in edits:
        parts.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        if rep:
            if len(rep) == b - a:  # one-for-one: keep per-character precision
                new_starts.extend(starts[a:b])
                new_ends.extend(ends[a:b])
            else:
                s, e = starts[a], ends[b - 1]
                new_starts.extend([s] * len(rep))
                new_ends.extend([e] * len(rep))
            parts.append(rep)
        pos = b
    parts.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return _Work("".join(parts), new_starts, new_ends)


def _rewrite(work: _Work, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], list[Edit] | None]) -> _Work:
    """Run ``fn`` on each match of ``pattern``; it returns edits in current-text coordinates."""
    edits: list[Edit] = []
    for m in pattern.finditer(work.text):
        got = fn(m)
        if got:
            edits.extend(got)
    return _apply(work, edits)


# --------------------------------------------------------------------------------------------
# Step 1: characters
# --------------------------------------------------------------------------------------------


def fold_chars(original: str) -> _Work:
    if original.isascii():
        low = original.lower()
        n = len(low)
        return _Work(low, list(range(n)), list(range(1, n + 1)))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(original):
        rep = ch.lower() if ch.isascii() else _fold_char(ch)
        if rep:
            parts.append(rep)
            starts.extend([i] * len(rep))
            ends.extend([i + 1] * len(rep))
        elif ends and unicodedata.category(ch) in _MARKS:
            ends[-1] = i + 1  # a dropped combining mark belongs to the letter before it
    return _Work("".join(parts), starts, ends)


# --------------------------------------------------------------------------------------------
# Step 2: leetspeak inside words
# --------------------------------------------------------------------------------------------

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s"}
# Words that mix letters and digits but are numbers with a unit or a label with a number.
_UNITS = (
    r"k|rb|ribu|jt|juta|jam|j|th|thn|thun|tahun|taun|yo|y|an|x|h|hr|m|mnt|menit|cm|kg|gb|mb|pm|am|nd|rd|st|cc|"
    r"malam|mlm|kali|crot|shot|ronde|menitan|hari|lt|fs|bo|pcs|ml|gr|mg|lbs"
)
# A short label run into a price right after a split letter (the t400 of "S.T400"): a number.
_MONEY = r"(?:k|rb|ribu|jt|juta)"
_LABELLED_PRICE = re.compile(rf"[a-z]{{1,3}}[1-9]\d+(?:[.,]\d+)*{_MONEY}?|[a-z][1-9](?:[.,]\d+)*{_MONEY}")
_AFTER_SPLIT_LETTER = re.compile(r"(?<![a-z0-9])[a-z][.\-_/*]$")
_NUMBER_WORD = re.compile(rf"(?:rp|idr)?\d+(?:[.,]\d+)*(?:{_UNITS})?(?:an)?")
_LABEL_NUMBER = re.compile(
    r"(?:st|lt|fs|rp|idr|kls|kelas|sma|smp|sd|smk|mts|ma|umur|usia|umr|no|wa|id|ke|jam|th|thn|tahun|"
    r"ep|vcs|vc(?=\d\d)|bo|ml|room|kamar|pin|line|tele|tg|ig|gen|ver|tipe|type|size|uk|lantai|blok|rt|rw|"
    r"covid|top|pro|max|mini|plus|ultra|lite|note|redmi|galaxy|iphone|"
    r"per|cuma|hanya|mulai|harga|hrg|tarif|rate)"
    rf"\d+(?:[.,]\d+)*(?:{_UNITS}|[a-z])?"  # a unit or one letter (kelas12a), not a word (ke73mu)
)
# A word with a year run onto it (#bokep2018, pilkada2024), or a year written 2k10: a number, not leet.
_WITH_YEAR = re.compile(r"[a-z]{3,}(?:19|20)\d\d|2k[0-2]\d")
_ZEROS_AS_O = re.compile(r"\d+(?:[.,]\d+)?(?=[o0]*o)[o0]{2,}(?:k|rb|jt|ribu|juta)?")
_MIXED_WORD = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[0-9@$])[a-z0-9@$]+")


_ZERO_O = re.compile(r"[a-z]*(?:o0|0o)[0o]*[a-z]*")
# The two patterns above backtrack over the whole word: no price or word of an ad is longer than this, and a crafted
# 20,000-character word took seconds
_LONGEST_LEET_WORD = 64


def _leet_word(m: re.Match[str]) -> list[Edit] | None:
    word = m.group()
    if word[0] == "@" and word[1:].isalnum():  # a handle, not leet
        return None
    if "@" in word[1:] and m.string[m.end() : m.end() + 1] == ".":  # an e-mail address
        return None
    if len(word) <= _LONGEST_LEET_WORD and _ZERO_O.fullmatch(word):  # b0o, bO0o: zeros among o's are o's
        return [(m.start(), m.end(), word.replace("0", "o"))]
    plain = _STRETCH.sub(r"\1", word)  # 3jttt, 300kkk: a stretched unit is still a unit
    if _NUMBER_WORD.fullmatch(plain) or _LABEL_NUMBER.fullmatch(plain) or _WITH_YEAR.fullmatch(plain):
        return None
    if _LABELLED_PRICE.fullmatch(plain) and _AFTER_SPLIT_LETTER.search(m.string, max(0, m.start() - 2), m.start()):
        return None
    if word[0].isdigit() and len(word) <= _LONGEST_LEET_WORD and _ZEROS_AS_O.fullmatch(word):  # 3oo → 300, 5ook
        head = re.match(r"[\d.,o]+", word)
        assert head is not None
        fixed = head.group().replace("o", "0") + word[head.end():]
        return [(m.start(), m.end(), fixed)]
    fixed = "".join(_LEET.get(c, c) for c in word)
    if fixed == word:
        return None
    return [(m.start(), m.end(), fixed)]


def undo_leet(work: _Work) -> _Work:
    return _rewrite(work, _MIXED_WORD, _leet_word)


# --------------------------------------------------------------------------------------------
# Step 3: letters split by spaces or punctuation
# --------------------------------------------------------------------------------------------

# Short acronyms of the domain; a two-letter split (b/o, s.t) is joined only into one of these,
# so that "s/d" or "a/n" stay as they are. The spoken-spelling step uses the same list.
KNOWN_ACRONYMS = frozenset(
    {"bo", "st", "lt", "fs", "hj", "bj", "ml", "dp", "vc", "vcs", "cod", "pap", "ons", "bbw", "lc", "psk",
     "wa", "gfe", "owo", "cim", "dm", "bdsm", "abg", "smp", "sma", "smk"}
)
_SEP = r"[ \t\n.\-_/*|~+,'`:;·•=^]"
# A letter may touch a number that follows it (S.T400 is "st" then "400"); a digit may not touch
# anything, so ordinary numbers and words are never taken for split letters.
_SPLIT_CHAR = r"(?:[a-z](?![a-z])|[0-9](?![a-z0-9]))"
_SPLIT_RUN = re.compile(rf"(?<![a-z0-9]){_SPLIT_CHAR}(?:{_SEP}+{_SPLIT_CHAR})+")
_SEP_RE = re.compile(f"{_SEP}+")
_SPLIT_PRICE = re.compile(r"\d{2,}(?:k|rb|jt)")
_WHITE_RUN = re.compile(r"\s+")
_WORD_BREAKERS = frozenset("|,;:")
_LETTERS_DIGITS = re.compile(r"[a-z]+|[0-9]+")

# Words a run of single letters may be cut into when the writer left no wider gap between words
# ("B O S T 300" → "bo st 300"): the domain's acronyms and a few words that recur in the ads.
SEGMENT_WORDS = KNOWN_ACRONYMS | frozenset(
    {"open", "ready", "redi", "rdy", "booking", "book", "include", "exclude", "room", "cash", "hotel", "real",
     "pict", "now", "only", "stok", "mami", "full", "service", "plus", "pijat", "massage", "sange", "free",
     "kondom", "avail", "area", "chat", "call", "video", "nego", "murah", "no", "tipu", "jt"}
)

_LONGEST_SEGMENT_WORD = max(map(len, SEGMENT_WORDS))


def _gap(sep: str) -> float:
    """How wide a separator is as a gap between words: its longest run of white space ("o - b"
    is one, "o   b" three), so a dash or dot with a space each side is not a wider gap; a bar,
    comma or semicolon never sits inside a word, so with white space it is half a space wider."""
    width = max((len(w) for w in _WHITE_RUN.findall(sep)), default=0)
    return width + 0.5 if width and _WORD_BREAKERS.intersection(sep) else width


def _segment(word: str) -> list[str]:
    """``word`` cut into SEGMENT_WORDS if it is made only of them (fewest pieces), else itself.
    A place name or other unknown word of three letters or more may stand before them
    ("makassaropenbo" → "makassar open bo", "bisabo" → "bisa bo")."""
    if len(word) < 4 or word in SEGMENT_WORDS:
        return [word]
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 1, -1, -1):
        # no piece is longer than the longest known word: linear in the run, not quadratic ("i m i m …" × 10,000)
        for j in range(min(n, i + _LONGEST_SEGMENT_WORD), i, -1):
            rest = best[j]
            if rest is not None and word[i:j] in SEGMENT_WORDS and (best[i] is None or len(rest) + 1 < len(best[i])):
                best[i] = [word[i:j], *rest]
    if best[0] is not None and len(best[0]) > 1:
        return best[0]
    for i in range(3, n - 1):  # unknown head + known words
        tail = best[i]
        if tail is not None:
            return [word[:i], *tail]
    return [word]


def _group_words(group: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """(first, last, text) pieces of one group of single characters: digits of two or more stay a
    number, a single digit among letters is read as leet (0.p.e.n), letters are cut into
    known words where they run together."""
    joined = "".join(c for _, c in group)
    pieces: list[tuple[int, int, str]] = []
    runs = list(_LETTERS_DIGITS.finditer(joined))
    merged: list[tuple[int, int, str]] = []  # (start, end, text) in group positions
    for k, r in enumerate(runs):
        text = r.group()
        # a lone digit is a letter when letters follow it, or when it ends a one-letter word (b.0)
        leet = k + 1 < len(runs) or (k > 0 and len(runs[k - 1].group()) == 1)
        if text.isdigit() and len(text) == 1 and len(runs) > 1 and leet:
            text = _LEET.get(text, text)
            if merged and not merged[-1][2].isdigit():
                a, _, prev = merged.pop()
                merged.append((a, r.end(), prev + text))
                continue
        if merged and text.isalpha() and merged[-1][2].isalpha():
            a, _, prev = merged.pop()
            merged.append((a, r.end(), prev + text))
            continue
        merged.append((r.start(), r.end(), text))
    for a, b, text in merged:
        if text.isalpha():
            at = a
            for part in _segment(text):
                pieces.append((group[at][0], group[at + len(part) - 1][0], part))
                at += len(part)
        else:
            pieces.append((group[a][0], group[b - 1][0], text))
    return pieces


def _join_split(m: re.Match[str]) -> list[Edit] | None:
    run = m.group()
    base = m.start()
    chars = [(base + i, c) for i, c in enumerate(run) if c.isalnum()]
    seps = [s.group() for s in _SEP_RE.finditer(run)]
    letters = sum(c.isalpha() for _, c in chars)
    if letters == 0:
        digits = "".join(c for _, c in chars)
        # digits spaced out one by one: only phone-number-like runs are joined
        return [(m.start(), m.end(), digits)] if len(digits) >= 8 else None
    # Break the run into words where a separator is a wider gap than the usual one and either the
    # widest of the run or wider than one beside it: "o.p.e.n b-o" breaks at the space, "o p e n  b o"
    # and "a  b  o p e n" at the double spaces, and "V C S  b.e.r.b.a.y.a.r" only at the double space
    # (a run may mix styles: the spaces in "V C S" are wider than the run's usual dot, but neither
    # the widest gap nor wider than their neighbours).
    widths = [_gap(sep) for sep in seps]
    usual, widest = max(set(widths), key=widths.count), max(widths)
    groups: list[list[tuple[int, str]]] = [[chars[0]]]
    for k, ch in enumerate(chars[1:]):
        if widths[k] > usual and (widths[k] == widest or widths[k] > min(widths[max(k - 1, 0) : k + 2])):
            groups.append([ch])
        else:
            groups[-1].append(ch)
    prices = {g for g, group in enumerate(groups) if _SPLIT_PRICE.fullmatch("".join(c for _, c in group))}
    if letters * 2 < len(chars) and letters < 3 and not prices:  # mostly digits (1-2, 5/6): not a split word
        return None
    edits: list[Edit] = []
    joined_before = False
    # In a run of several split words, two-letter words (k-e, d-i) are split words too.
    several = len(groups) > 1 and any(len(g) > 2 for g in groups)
    for g, group in enumerate(groups):
        pieces = _group_words(group) if len(group) > 1 else []
        if g in prices:  # 1-5-k, 2_0_k: a price spelt out
            pieces = [(group[0][0], group[-1][0], "".join(c for _, c in group))]
        if len(pieces) == 1 and len(group) == 2 and pieces[0][2] not in KNOWN_ACRONYMS and not several:
            pieces = []
        if g and (pieces or joined_before):  # the gap before a joined word becomes one space
            edits.append((groups[g - 1][-1][0] + 1, group[0][0], " "))
        for k, (first, last, text) in enumerate(pieces):
            if k:
                edits.append((pieces[k - 1][1] + 1, first, " "))
            edits.append((first, last + 1, text))
        joined_before = bool(pieces)
    return edits


_BRACKETED = re.compile(r"(?:[(\[{][a-z0-9][)\]}]\s*){2,}")
_BRACKET_CHAR = re.compile(r"[(\[{]([a-z0-9])[)\]}]")


def _unbracket(m: re.Match[str]) -> list[Edit]:
    return [(m.start() + c.start(), m.start() + c.end(), c.group(1)) for c in _BRACKET_CHAR.finditer(m.group())]


def join_split(work: _Work) -> _Work:
    work = _rewrite(work, _BRACKETED, _unbracket)  # (o)(p)(e)(n) → open, like ⒪⒫⒠⒩
    return _rewrite(work, _SPLIT_RUN, _join_split)


# --------------------------------------------------------------------------------------------
# Step 4: stretched letters
# --------------------------------------------------------------------------------------------

_STRETCH = re.compile(r"([a-z])\1{2,}")
_STRETCH_WORD = re.compile(r"(?<![a-z])[a-z]*([a-z])\1{2,}[a-z]*")  # from a word's start only: linear
# Real words with a doubled letter: a stretched run inside them keeps two.
_DOUBLE_WORDS = frozenset(
    {"maaf", "saat", "taat", "manfaat", "room", "book", "booking", "good", "free", "pool", "food",
     "see", "soon", "cool", "mood", "feel", "feeling", "coffee", "sweet", "boss", "bless", "miss", "kiss",
     "pass", "class", "address", "ass", "session", "success", "dress", "glass", "grass",
     "full", "all", "well", "still", "hello", "happy", "sorry", "apple", "kk",
     "massage", "mall", "need", "keep", "sleep", "teen", "moon", "look", "hoody",
     "aamiin", "amiin", "allah", "innalillahi", "lillahi", "www", "tweet", "meet", "three", "agree",
     "yummy", "mommy", "daddy", "cuddle", "bbw", "call", "jj"}
)


def _squeeze_word(m: re.Match[str]) -> list[Edit] | None:
    word = m.group()
    edits: list[Edit] = []
    runs = list(_STRETCH.finditer(word))
    once = _STRETCH.sub(r"\1", word)
    twice = _STRETCH.sub(r"\1\1", word)
    keep = 2 if (twice in _DOUBLE_WORDS and once not in _DOUBLE_WORDS) else 1
    for r in runs:  # the letters kept stand for the whole run
        edits.append((m.start() + r.start(), m.start() + r.end(), r.group(1) * keep))
    return edits


_ANY_TRIPLE = re.compile(r"([a-z])\1\1")  # a stretched word has one: texts without skip the word scan


def squeeze(work: _Work) -> _Work:
    return _rewrite(work, _STRETCH_WORD, _squeeze_word) if _ANY_TRIPLE.search(work.text) else work


# --------------------------------------------------------------------------------------------
# Step 5: letters spelt out ("bee oo", "es te el te", "vi si es")
# --------------------------------------------------------------------------------------------

# Letter names in Indonesian and English, written with doubled letters squeezed (bee → be).
_LETTER_NAMES = {
    "a": "a", "ei": "a", "be": "b", "bi": "b", "ce": "c", "ci": "c", "si": "c", "se": "c", "de": "d", "di": "d",
    "e": "e", "ef": "f", "ge": "g", "ji": "g", "ha": "h", "ac": "h", "i": "i", "ai": "i", "je": "j",
    "jei": "j", "ka": "k", "kei": "k", "el": "l", "em": "m", "en": "n", "o": "o", "oh": "o", "ou": "o",
    "pe": "p", "pi": "p", "ki": "q", "kiu": "q", "er": "r", "ar": "r", "es": "s", "te": "t", "ti": "t",
    "u": "u", "yu": "u", "ve": "v", "fe": "v", "vi": "v", "we": "w", "eks": "x", "ex": "x", "ye": "y",
    "wai": "y", "zet": "z", "zed": "z", "zi": "z",
}
# (each letter once or twice: "cc?" rather than "c{1,2}", so the engine can skip a name whose first
# letter does not fit without entering it)
_NAME = "(?:" + "|".join(
    "".join(f"{c}{c}?" for c in name) for name in sorted(_LETTER_NAMES, key=len, reverse=True)
) + ")(?![a-z0-9])"
_SPOKEN_RUN = re.compile(rf"(?<![a-z0-9]){_NAME}(?:[ \-.]+{_NAME})+")


def _squeezed(token: str) -> str:
    return re.sub(r"([a-z])\1+", r"\1", token)


def _spoken(m: re.Match[str]) -> list[Edit] | None:
    tokens = [(t.start() + m.start(), t.end() + m.start(), t.group()) for t in re.finditer(r"[a-z]+", m.group())]
    edits: list[Edit] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, str] | None = None
        letters = ""
        for j in range(i, min(i + 4, len(tokens))):
            name = _LETTER_NAMES.get(_squeezed(tokens[j][2]))
            if name is None:
                break
            letters += name
            if j > i and letters in KNOWN_ACRONYMS:
                best = (j, letters)
        if best is not None:
            j, word = best
            edits.append((tokens[i][0], tokens[j][1], word))
            i = j + 1
        else:
            i += 1
    return edits


_ANY_SPOKEN_RUN = Prefilter([_SPOKEN_RUN])  # most texts spell no letters out: one cheap search says so


def spoken(work: _Work) -> _Work:
    return _rewrite(work, _SPOKEN_RUN, _spoken) if _ANY_SPOKEN_RUN(work.text) else work


# --------------------------------------------------------------------------------------------
# Step 6: chat abbreviations
# --------------------------------------------------------------------------------------------


def _skeleton(word: str, *, squeeze: bool = True) -> str:
    """First letter and the consonants after it (pilih → plh), doubled letters once if asked."""
    form = word[0] + re.sub("[aeiou]", "", word[1:])
    return _squeezed(form) if squeeze else form


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[dict[str, str], str]:
    raw = resources.files("pantau.data").joinpath("abbreviations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    table: dict[str, str] = {}
    for expansion, forms in data["expansions"].items():
        for form in forms:
            table[str(form)] = str(expansion)
    never = set(map(str, data.get("never", []))) | KNOWN_ACRONYMS
    seen: set[str] = set()  # skeletons of the first list, ambiguous ones included
    for key in ("skeleton_words", "more_skeleton_words"):  # the first list wins a shared skeleton
        by_skeleton: dict[str, set[str]] = {}
        for word in map(str, data.get(key, [])):
            forms = {_skeleton(word, squeeze=False)}  # bulanan → blnn, never bln
            if re.search(r"([a-z])\1", word):  # minggu → mngg and mng
                forms.add(_skeleton(word))
            for form in forms:
                by_skeleton.setdefault(form, set()).add(word)
        for form, words in by_skeleton.items():
            if len(words) == 1 and len(form) >= 2 and not {form} & (table.keys() | never | words | seen):
                table[form] = words.pop()
        seen |= by_skeleton.keys()
    return table, str(data["version"])


def abbreviations_version() -> str:
    return _abbreviations()[1]


_ABBR_TOKEN = re.compile(r"(?<![a-z0-9@#])[a-z0-9]+")  # not inside #tags or @handles


@lru_cache(maxsize=1)
def _abbreviation_starts() -> frozenset[str]:
    """Every word an expansion can start at: the one-word forms and the first words of two-word ones."""
    return frozenset(form.split(" ", 1)[0] for form in _abbreviations()[0])


def expand_abbr(work: _Work) -> _Work:
    """Each word (or two words, "tf dl") found in the table is replaced by its expansion: one
    dictionary lookup per word, much cheaper than one regex alternation over every form."""
    table, _ = _abbreviations()
    if _abbreviation_starts().isdisjoint(_ABBR_TOKEN.findall(work.text)):
        return work  # most texts: no word to expand (one set test instead of a match object per word)
    tokens = list(_ABBR_TOKEN.finditer(work.text))
    edits: list[Edit] = []
    i = 0
    while i < len(tokens):
        m = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.start() == m.end() + 1 and work.text[m.end()] == " ":
            pair = f"{m.group()} {nxt.group()}"
            if pair in table:
                edits.append((m.start(), nxt.end(), table[pair]))
                i += 2
                continue
        if m.group() in table:
            edits.append((m.start(), m.end(), table[m.group()]))
        i += 1
    return _apply(work, edits)


# --------------------------------------------------------------------------------------------
# Step 7: white space
# --------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s{2,}|^\s+|\s+$|[\t\n\r\f\v]")


def spaces(work: _Work) -> _Work:
    n = len(work.text)

    def one(m: re.Match[str]) -> list[Edit]:
        at_edge = m.start() == 0 or m.end() == n
        return [(m.start(), m.end(), "" if at_edge else " ")]

    return _rewrite(work, _SPACES, one)


_STEPS: tuple[Callable[[_Work], _Work], ...] = (undo_leet, join_split, squeeze, spoken, expand_abbr, spaces)


def normalize(original: str) -> NormalizedText:
    """Normalise ``original``; see the module docstring for the steps."""
    work = fold_chars(original)
    for step in _STEPS:
        work = step(work)
    return NormalizedText(original=original, text=work.text, starts=work.starts, ends=work.ends)
