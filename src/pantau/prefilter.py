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
anchored there. Patterns the rewrite cannot take (back-references, conditional groups, inline flags,
comments) are searched as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# A leading lookbehind on one character: (?<![a-z]), (?<![\d.,/]), (?<=\d).
_LEADING = re.compile(r"\(\?<([!=])(\[(?!\^)(?:\\.|[^\]\\])+\]|\\d)\)")
# Back-references, conditionals, inline flags and comments: searched as they are (the rewrite's
# token handling does not follow them).
_UNSUPPORTED = re.compile(r"\(\?P=|\\[1-9]|\\g|\(\?\(|\(\?[aiLmsux-]|\(\?#")


def _syntax(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each character of ``pattern`` that is syntax: outside escapes and character classes (a class
    is skipped whole, with a ``]`` first in it taken as a literal), with the group depth after it."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i += 1 + (pattern[i + 1 : i + 2] == "^")
            i += pattern[i : i + 1] == "]"
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        depth += (c == "(") - (c == ")")
        yield i, c, depth
        i += 1


def _top_level(pattern: str) -> list[str]:
    """The pattern's alternatives at depth 0 (outside groups and character classes)."""
    cuts = [i for i, c, depth in _syntax(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _group_end(pattern: str, start: int) -> int:
    """The index of the ``)`` that closes the group opened at ``start``."""
    base = None
    for i, c, depth in _syntax(pattern):
        if i == start:
            base = depth - 1
        elif base is not None and c == ")" and depth == base:
            return i
    raise ValueError(f"unbalanced group in {pattern[:60]!r}")


def _wrapped(pattern: str) -> str | None:
    """The inside of a pattern that is one non-capturing group ``(?:...)``, else None."""
    if not (pattern.startswith("(?:") and pattern.endswith(")")):
        return None
    return pattern[3:-1] if _group_end(pattern, 0) == len(pattern) - 1 else None


def alternatives(pattern: str) -> list[str]:
    """Every alternative of ``pattern``, looking into groups that wrap a whole alternative."""
    found: list[str] = []
    for part in _top_level(pattern):
        inner = _wrapped(part)
        found.extend(alternatives(inner) if inner is not None else [part])
    return found


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


def _joined(inner: str, after: str) -> str:
    """An alternative of a group followed by what follows the group; an empty group between keeps
    the two from forming one token ("\\0" and "1" are not "\\01", "a{" and "2}" not "a{2}")."""
    return f"{inner}(?:){after}" if inner and after else inner + after


def _forms(alt: str, negative: tuple[str, ...] = (), positive: str | None = None, depth: int = 0
           ) -> list[tuple[tuple[str, ...], str | None, str]]:
    """``alt`` as (classes the character before must not be in, class it must be in, the rest), with
    its leading lookbehinds taken off and a leading group of alternatives spelt out, each with its own
    lookbehinds: every form is tried at the same position, so together they match where ``alt`` does."""
    while (m := _LEADING.match(alt)) and (m.group(1) == "!" or positive is None) \
            and alt[m.end() : m.end() + 1] not in ("?", "*", "+", "{"):  # a quantified look-behind stays
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
                     for form in _forms(_joined(inner, after), negative, positive, depth + 1)]
            if len(spelt) <= _MAX_FORMS:
                return spelt
    return [(negative, positive, _first_char(alt))]


# One character to test, not repeated: a literal, an escape or a class.
_SINGLE = re.compile(r"(?:\\[a-zA-Z]|\\[^a-zA-Z0-9]|\[(?:\\.|[^\]\\])+\]|[^\\\[\]().^$|?*+{}])(?![?*+{])")


# Digits are rare in text, letters are not: a form that starts with a digit is tested by it; one that
# starts with a letter is better grouped behind the character before it (most letters stand inside a
# word, where that character is a letter too, and one test turns them all away).
_DIGITS = re.compile(r"\\d|\[[0-9-]+\]|[0-9]")


def _class_body(cls: str) -> str:
    r"""A class's inside, safe to join to another's: a hyphen at either end is escaped, so that
    [a] and [-z] make [a\-z], not the range a-z."""
    if not cls.startswith("["):
        return cls
    body = cls[1:-1]
    if body.startswith("-"):
        body = "\\" + body
    if body.endswith("-") and (len(body) - 1 - len(body[:-1].rstrip("\\"))) % 2 == 0:  # not itself escaped
        body = body[:-1] + "\\-"
    return body


def _union(classes: tuple[str, ...]) -> str:
    return "[" + "".join(_class_body(c) for c in classes) + "]"


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
    outside = _union(negative) if negative else ""
    if positive is None:
        return "[^" + outside[1:] if outside else ""
    return f"(?!{outside}){positive}" if outside else positive


def _unnamed(pattern: str) -> str:
    """``pattern`` with its named groups made non-capturing (outside classes and escapes)."""
    named = [m for i, c, _ in _syntax(pattern) if c == "(" and (m := _NAMED.match(pattern, i))]
    out, pos = [], 0
    for m in named:
        out += [pattern[pos : m.start()], "(?:"]
        pos = m.end()
    return "".join([*out, pattern[pos:]])


_NAMED = re.compile(r"\(\?P<\w+>")


class Prefilter:
    """``prefilter(text)`` is True when at least one of the patterns matches somewhere in ``text``."""

    def __init__(self, patterns: Iterable[str | re.Pattern[str]]) -> None:
        sources: list[str] = []
        for p in patterns:
            if isinstance(p, re.Pattern) and p.flags & ~re.UNICODE:
                raise ValueError(f"a prefilter takes patterns without flags: {p.pattern[:60]!r}")
            sources.append(p.pattern if isinstance(p, re.Pattern) else p)
        plain = [_unnamed(s) for s in sources]  # group names may repeat across patterns
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
