"""One cheap search that tells whether any of several patterns can match a text.

Most texts match none of an extractor's patterns, so the question "can any of them match?" is asked
of every text and should cost little. Python's ``re`` engine gives no head start to a pattern that
begins with a lookbehind, and most of ours do (``(?<![a-z])umur``, "a word that starts here"): it
runs the whole pattern at every position of the text. Written with the character before the match
consumed instead (``[^a-z]umur``), the engine skips in C the positions where that character cannot
stand and, for an alternative whose next character does not fit, the alternative itself.

The answer is exact, not an estimate: a match at position 1 or later is a match of the rewritten
form over the same text (it reads the same characters, so inner lookarounds see what they saw), and a
match at position 0, where there is no character before, is tried with the patterns themselves,
anchored there. Patterns the rewrite cannot take (back-references, conditional groups, flags) are
searched as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A leading lookbehind on one character: (?<![a-z]), (?<![\d.,/]), (?<=\d).
_LEADING = re.compile(r"\(\?<([!=])(\[(?!\^)(?:\\.|[^\]\\])+\]|\\d)\)")
_UNSUPPORTED = re.compile(r"\(\?P=|\\[1-9]|\(\?\(|\(\?[aiLmsux]")


def _top_level(pattern: str) -> list[str]:
    """The pattern's alternatives at depth 0 (outside groups and character classes)."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a ] first in a class is a literal
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _wrapped(pattern: str) -> str | None:
    """The inside of a pattern that is one non-capturing group ``(?:...)``, else None."""
    if not (pattern.startswith("(?:") and pattern.endswith(")")):
        return None
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return pattern[3:-1] if i == len(pattern) - 1 else None
        i += 1
    return None


def alternatives(pattern: str) -> list[str]:
    """Every alternative of ``pattern``, looking into groups that wrap a whole alternative."""
    found: list[str] = []
    for part in _top_level(pattern):
        inner = _wrapped(part)
        if inner is not None and len(_top_level(inner)) > 1:
            found.extend(alternatives(inner))
        elif inner is not None:
            found.extend(alternatives(inner) if _wrapped(inner) is not None else [inner])
        else:
            found.append(part)
    return found


def _group_end(pattern: str, start: int) -> int:
    """The index of the ``)`` that closes the group opened at ``start``."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced group in {pattern[:60]!r}")


# One character class repeated at least once, at the start: \d{1,2}, [a-z]+ (not lazy or possessive).
_REPEATED = re.compile(r"(\\[dsw]|\[(?!\^)(?:\\.|[^\]\\])+\]|[a-z0-9])(?:(\+)|\{(\d+),(\d*)\})(?![?+])")
_MAX_FORMS = 64  # forms one alternative may be spelt out into


def _first_char(tail: str) -> str:
    r"""``tail`` with a leading repeated class spelt as its first character and the rest (\d{1,2} →
    \d\d{0,1}), so that the engine sees a character to test first."""
    m = _REPEATED.match(tail)
    if m is None:
        return tail
    atom, plus, low, high = m.groups()
    if plus:
        return f"{atom}{atom}*{tail[m.end():]}"
    if int(low) < 1 or (high and int(high) < int(low)):
        return tail
    rest = f"{atom}{{{int(low) - 1},{int(high) - 1 if high else ''}}}" if (high != "1" or low != "1") else ""
    return f"{atom}{rest}{tail[m.end():]}"


def _forms(alt: str, negative: tuple[str, ...] = (), positive: str | None = None, depth: int = 0
           ) -> list[tuple[tuple[str, ...], str | None, str]]:
    """``alt`` as (classes the character before must not be in, class it must be in, the rest), with
    its leading lookbehinds taken off and a leading group of alternatives spelt out, each with its own
    lookbehinds: every form is tried at the same position, so together they match where ``alt`` does."""
    while (m := _LEADING.match(alt)) and (m.group(1) == "!" or positive is None):
        if m.group(1) == "!":
            negative = (*negative, m.group(2))
        else:
            positive = m.group(2)
        alt = alt[m.end() :]
    if depth < 4 and alt.startswith("(?:"):
        end = _group_end(alt, 0)
        after = alt[end + 1 :]
        if not after.startswith(("?", "*", "+", "{")):
            spelt = [form for inner in _top_level(alt[3:end])
                     for form in _forms(inner + after, negative, positive, depth + 1)]
            if len(spelt) <= _MAX_FORMS:
                return spelt
    return [(negative, positive, _first_char(alt))]


# One character to test, not repeated: a literal, an escape or a class.
_SINGLE = re.compile(r"(?:\\[a-zA-Z]|\\[^a-zA-Z0-9]|\[(?:\\.|[^\]\\])+\]|[^\\\[\]().^$|?*+{}])(?![?*+{])")


# Digits are rare in text, letters are not: a form that starts with a digit is tested by it; one that
# starts with a letter is better grouped behind the character before it (most letters stand inside a
# word, where that character is a letter too, and one test turns them all away).
_DIGITS = re.compile(r"\\d|\[[0-9-]+\]|[0-9]")


def _union(classes: tuple[str, ...]) -> str:
    return "[" + "".join(c[1:-1] if c.startswith("[") else c for c in classes) + "]"


def _first_then_behind(negative: tuple[str, ...], positive: str | None, tail: str) -> str | None:
    r"""The form tested by its first character, a digit: "(?<![.,])\d+rb" → "\d(?<![.,][\s\S])\d*rb". The
    lookbehind, moved past that character, reads the same character before the match; at the start
    of the text it does not fit, so a negative one holds and a positive one fails, as before."""
    m = _SINGLE.match(tail)
    if m is None or not _DIGITS.fullmatch(m.group()):
        return None
    behind = (rf"(?<!{_union(negative)}[\s\S])" if negative else "") + \
        (rf"(?<={positive}[\s\S])" if positive is not None else "")
    return f"{m.group()}{behind}{tail[m.end():]}"


def _consumed(negative: tuple[str, ...], positive: str | None) -> str:
    """The lookbehinds as one consumed character ("" when there are none)."""
    outside = "[" + "".join(c[1:-1] if c.startswith("[") else c for c in negative) + "]" if negative else ""
    if positive is None:
        return "[^" + outside[1:] if outside else ""
    return f"(?!{outside}){positive}" if outside else positive


class Prefilter:
    """``prefilter(text)`` is True when at least one of the patterns matches somewhere in ``text``."""

    def __init__(self, patterns: Iterable[str | re.Pattern[str]]) -> None:
        sources: list[str] = []
        for p in patterns:
            if isinstance(p, re.Pattern) and p.flags & ~re.UNICODE:
                raise ValueError(f"a prefilter takes patterns without flags: {p.pattern[:60]!r}")
            sources.append(p.pattern if isinstance(p, re.Pattern) else p)
        plain = [re.sub(r"\(\?P<[a-zA-Z_][a-zA-Z0-9_]*>", "(?:", s) for s in sources]  # group names may repeat
        self._originals: tuple[re.Pattern[str], ...] = ()
        self._anywhere: re.Pattern[str] | None = None
        self._at_start: re.Pattern[str] | None = None
        if any(_UNSUPPORTED.search(s) for s in plain):
            self._originals = tuple(re.compile(s) for s in sources)
            return
        direct: list[str] = []
        by_prefix: dict[str, list[str]] = {}
        for alt in (a for s in plain for a in alternatives(s)):
            for negative, positive, tail in _forms(alt):
                form = _first_then_behind(negative, positive, tail)
                if form is not None:
                    direct.append(f"(?:{form})")
                else:
                    by_prefix.setdefault(_consumed(negative, positive), []).append(tail)
        if direct or by_prefix:
            anywhere = direct + [f"{prefix}(?:{'|'.join(tails)})" if prefix else "|".join(f"(?:{t})" for t in tails)
                                 for prefix, tails in by_prefix.items()]
            self._anywhere = re.compile("|".join(anywhere))
            self._at_start = re.compile("|".join(f"(?:{s})" for s in plain))

    def __call__(self, text: str) -> bool:
        if self._originals:  # patterns the rewrite cannot take: searched as they are
            return any(p.search(text) is not None for p in self._originals)
        if self._anywhere is None or self._at_start is None:
            return False
        return self._anywhere.search(text) is not None or self._at_start.match(text) is not None
