"""Ages under 18, written any way: 16th, 15 tahun, umur 13, usia 17, 14yo, "baru 15", ABG 16,
"umur lima belas", "fifteen years old", "umurku 1 5" (digits spaced apart), and birth years ("lahir 2010",
"kelahiran 2009", and "thn 2010" when the year makes the person 12-17 and no time word stands before it).

High recall on purpose. A number counts as an age when a word says so (umur, usia, age, "th",
"tahun", "yo") and it is below 18; "N tahun" after a duration word (sudah, selama, pengalaman,
garansi …) is a duration, not an age. Punctuation after the age does not hide it ("umur 15, open
BO"); a digit after it does ("umur 15.000" is a price). A birth year counts when the person may
still be under 18 this year (a birthday later in the year is assumed). The age is the signal's
``detail``. School levels and slang are data (``data/lexicon/minor.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.signals.base import make_signal

# Ages written as words (Indonesian and English), as the normaliser leaves them.
_WORD_AGES = {
    "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "dua belas": 12, "tiga belas": 13, "empat belas": 14, "lima belas": 15, "enam belas": 16, "tujuh belas": 17,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
}
_WORD = "|".join(sorted((w.replace(" ", r"\s*") for w in _WORD_AGES), key=len, reverse=True))
_NUM = rf"(?P<n>\d{{1,2}}|(?<![a-z])(?:{_WORD})(?![a-z]))"
_NOT_A_NUMBER_AFTER = r"(?![.,]?\d)"  # "umur 15, …" is an age; "15.000" and "1,5" are not
_UNIT_AFTER = r"\s*(?:k|rb|ribu|jt|juta|jam|menit|hari|bulan|orang|ekor|kg|cm|ratus|puluh)(?![a-z])"
_MONEY_AFTER = r"\s*(?:k|rb|ribu|jt|juta|ratus|puluh)(?![a-z])"
_AGE_PATTERNS = (
    # digits spaced apart to slip past a filter: "umurku 1 5", "1 _ 4 th" (first, so "1 6 thn" is not read as 6)
    re.compile(r"(?<![a-z])(?:umur|usia|umurnya|usianya|umurku|usiaku|age)\s*[:=]?\s*(?:baru\s*|masih\s*)?"
               rf"(?P<n>1(?:\s+|\s*_\s*)[0-7]){_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER})"),
    re.compile(r"(?<![\d.,])(?P<n>1(?:\s+|\s*_\s*)[0-7])\s*(?:th|thn|thun|tahun|taun|yo|y\.o)(?![a-z])"),
    # umur 15, usia: 16, age 14, umurku 13, umur lima belas
    # (after umur/usia only money rules a number out: "umur 15 hari ini", "usia 16 jam 9 malam" are ages)
    re.compile(rf"(?<![a-z])(?:umur|usia|umurnya|usianya|umurku|usiaku|age|aged)\s*[:=]?\s*(?:baru\s*|masih\s*)?"
               rf"{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER})"),
    # 16th, 15 tahun, 14 thn, 17yo, 13 y.o, 15 years old, enam belas tahun
    re.compile(rf"(?<![\d.,]){_NUM}\s*(?:th|thn|thun|tahun|taun|tahunan|yo|y\.o|y/o|years?\s*old|yrs?)(?![a-z])"),
    # baru 15, masih 16 (followed by nothing number-like)
    re.compile(rf"(?<![a-z])(?:baru|masih)\s+{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_UNIT_AFTER})"),
    # age/height/weight, as ads give them: 15/160/45, 16 / 155 / 40
    re.compile(rf"(?<![\d./,]){_NUM}\s*/\s*1[3-9]\d\s*/\s*\d{{2,3}}(?![\d/])(?!\s*(?:cm|mm|m|meter)(?![a-z]))"),
    # abg 16, dedek 15, bocil 14, gadis 15, cewek 16
    re.compile(rf"(?<![a-z])(?:abg|abege|dedek|adik|bocil|gadis|cewek|cewe|siswi|pelajar|remaja|anak)\s*{_NUM}"
               rf"{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER}|\s*(?:jam|menit)(?![a-z]))"),
)
# lahir 2010, kelahiran th 2009, born in 2011, YOB 2010, 2009 lahir
_BIRTH_YEAR = re.compile(
    r"(?<![a-z])(?:lahir|lahiran|kelahiran|klahiran|born|born in|yob|y\.o\.b)\s*(?:tahun|thn|th|taun|in)?\s*[:=']?\s*"
    r"(?P<y>(?:19|20)\d\d)(?!\d)"
    r"|(?<![\d.,])(?P<y2>(?:19|20)\d\d)\s*(?:lahir|kelahiran)(?![a-z])"
)
# "ready bo thn 2010": a year after th/thn/tahun alone, taken as a birth year only when it makes the
# person 12-17 (MIN_BARE_YEAR_AGE) and no time or product word says it is something else
_BARE_YEAR = re.compile(r"(?<![a-z])(?:th|thn|thun|tahun|taun)\s*[.:']?\s*(?P<y>20[0-2]\d)(?![\d-]|an(?![a-z]))")
_NOT_A_BIRTH_YEAR_BEFORE = re.compile(
    r"(?:sejak|dari|pada|di|sampai|hingga|mulai|awal|akhir|pertengahan|s/d|sd|semenjak|selama|kasus|"
    r"keluaran|produksi|rakitan|model|tipe|type|mobil|motor|rumah|bangun|dibangun|pajak|stnk|bpkb|lulus|"
    r"lulusan|angkatan|ajaran|anggaran|periode|musim|edisi|versi|seri|terbit|rilis|release|sebelum|setelah)"
    r"\s*$"
)
_NOT_A_BIRTH_YEAR_AFTER = re.compile(r"^\s*(?:lalu|silam|sampai|hingga|s/d|-|ke|an(?![a-z])|kemarin)")
MIN_BARE_YEAR_AGE = 12

_DURATION_BEFORE = re.compile(
    r"(?:sudah|udah|selama|pengalaman|garansi|lebih dari|kurang dari|sejak|tiap|setiap|per|dalam|kerja|"
    r"menikah|nikah|pacaran|lalu|yang lalu|kontrak|sewa|cicilan|tenor|masa|jalan|berdiri|usaha|"
    r"bangunan|umur bangunan|dari)\s*$"
)
# "... 10 tahun 2020": the tahun belongs to the year that follows, the number is a month or a date.
_DURATION_AFTER = re.compile(
    r"^\s*(?:lalu|yang lalu|lagi|kemudian|silam|terakhir|ke depan|pengalaman|kerja|garansi|(?:19|20)\d\d(?!\d))"
)


class MinorAgeExtractor:
    name = "minor_age"
    version = "4"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (("minor.age", SignalGroup.MINOR),)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        found: list[Signal] = []
        seen: set[tuple[int, int]] = set()
        for m in _BIRTH_YEAR.finditer(text):
            age = date.today().year - int(m.group("y") or m.group("y2"))  # 18 this year may still be 17 today
            if 5 <= age <= 18:
                seen.add(m.span())
                found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
        for m in _BARE_YEAR.finditer(text):
            age = date.today().year - int(m.group("y"))
            if not MIN_BARE_YEAR_AGE <= age <= 18 or any(a <= m.start() < b for a, b in seen):
                continue
            if _NOT_A_BIRTH_YEAR_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
                continue
            if _NOT_A_BIRTH_YEAR_AFTER.match(text[m.end() : m.end() + 12]):
                continue
            seen.add(m.span())
            found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
        for pattern in _AGE_PATTERNS:
            for m in pattern.finditer(text):
                age = _age(m.group("n"))
                if not 5 <= age < 18:
                    continue
                if _DURATION_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
                    continue
                if _DURATION_AFTER.match(text[m.end() : m.end() + 20]):
                    continue
                if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in seen):
                    continue
                seen.add(m.span())
                found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(age)))
        return found


def _age(number: str) -> int:
    """The age a matched number gives: digits, or a number word ("lima belas" → 15)."""
    digits = "".join(c for c in number if not c.isspace() and c != "_")
    if digits.isdigit():
        return int(digits)
    return _WORD_AGES.get(" ".join(number.split()), _WORD_AGES.get(number, 0)) or next(
        (v for k, v in _WORD_AGES.items() if k.replace(" ", "") == number.replace(" ", "")), 0)
