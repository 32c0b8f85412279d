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
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.prefilter import Prefilter
from pantau.signals.base import make_signal

# Ages written as words (Indonesian and English), as the normaliser leaves them.
_WORD_AGES = {
    "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    "dua belas": 12, "tiga belas": 13, "empat belas": 14, "lima belas": 15, "enam belas": 16, "tujuh belas": 17,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    # Javanese and Sundanese
    "sewelas": 11, "rolas": 12, "telulas": 13, "patbelas": 14, "limolas": 15, "nembelas": 16, "pitulas": 17,
    "tilu welas": 13, "opat welas": 14, "lima welas": 15, "genep welas": 16, "tujuh welas": 17,
    # digits read one by one: "umur satu lima"
    "satu dua": 12, "satu tiga": 13, "satu empat": 14, "satu lima": 15, "satu enam": 16, "satu tujuh": 17,
}
_WORD = "|".join(sorted((w.replace(" ", r"\s*") for w in _WORD_AGES), key=len, reverse=True))
_NUM = rf"(?P<n>\d{{1,2}}|(?<![a-z])(?:{_WORD})(?![a-z]))"
_NOT_A_NUMBER_AFTER = r"(?![.,]?\d)"  # "umur 15, …" is an age; "15.000" and "1,5" are not
_UNIT_AFTER = (r"\s*(?:k|rb|ribu|jt|juta|jam|menit|menitan|jaman|hari|harian|bulan|orang|ekor|kg|cm|ratus|puluh)"
               r"(?![a-z])")
_MONEY_AFTER = r"\s*(?:k|rb|ribu|jt|juta|ratus|puluh)(?![a-z])"
# umur and its forms, also with v for u ("umvr"), usia, age
_AGE_WORD = r"(?:um[uv]r(?:nya|ku|nyo|nye|e|ne)?|usia(?:nya|ku|ne)?|age|aged)"
_AGE_PATTERNS = (
    # digits spaced apart to slip past a filter: "umurku 1 5", "1 _ 4 th" (first, so "1 6 thn" is not read as 6)
    re.compile(rf"(?<![a-z])(?:{_AGE_WORD}|u)\s*[:=/-]?\s*(?:baru\s*|masih\s*)?"
               rf"(?P<n>1(?:\s+|\s*[_-]\s*)\d)(?![.,/]?\d)(?!{_MONEY_AFTER})"),
    re.compile(r"(?<![\d.,/])(?P<n>1(?:\s+|\s*_\s*)\d)\s*(?:th|thn|thun|tahun|taun|yo|y\.o)(?![a-z])"),
    # umur 15, usia: 16, age 14, umurku 13, umur lima belas
    # (after umur/usia only money rules a number out: "umur 15 hari ini", "usia 16 jam 9 malam" are ages)
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?:baru\s*|masih\s*)?"
               rf"{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER})"),
    # a half year: "umur 16,5 thn", "usia 15.5"
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<n>1[0-7])[.,][1-9](?![\d.,])(?!{_MONEY_AFTER})"),
    # "u 16", "u/16", "u: 15" (u for umur) and a name with the age after it, as news and ads write
    # it: "dek rara (15)", "Putri (16 th)"
    re.compile(rf"(?<![a-z])u\s*[:/.]?\s*(?P<n>1[0-7]){_NOT_A_NUMBER_AFTER}(?!{_UNIT_AFTER})"),
    re.compile(r"(?<![a-z])(?!(?:lantai|no|nomor|nmr|kamar|room|blok|jam|hari|menit|halaman|hal|bab|pasal|ayat|"
               r"gang|gg|rt|rw|ukuran|size|uk|pcs|isi|total|jumlah|tipe|type|seri|part|episode|eps|ep|paket|hemat|"
               r"promo|harga|diskon|porsi|box|pack|lembar|menu|level|lvl|no)\s*\()"
               r"[a-z]+\s*\(\s*(?P<n>1[0-7])\s*(?:th|thn|tahun|taun|yo|y\.o)?\s*\)"),
    # 16th, 15 tahun, 14 thn, 17yo, 13 y.o, 15 years old, enam belas tahun
    re.compile(rf"(?<![\d.,]){_NUM}\s*(?:th|thn|thun|tahun|taun|tahunan|yo|y\.o|y/o|years?\s*old|yrs?)(?![a-z])"),
    # baru 15, masih 16 (followed by nothing number-like)
    re.compile(rf"(?<![a-z])(?:baru|masih)\s+{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_UNIT_AFTER})"),
    # age/height/weight, as ads give them: 15/160/45, 16 / 155 / 40
    re.compile(rf"(?<![\d./,]){_NUM}\s*/\s*1[3-9]\d\s*/\s*\d{{2,3}}(?![\d/])(?!\s*(?:cm|mm|m|meter)(?![a-z]))"),
    # abg 16, dedek 15, bocil 14, gadis 15, cewek 16
    re.compile(rf"(?<![a-z])(?:abg|abege|dedek|adik|bocil|gadis|cewek|cewe|ciwi|siswi|pelajar|remaja|"
               rf"anak(?:ku|\s+saya|\s+aku|\s+gue|\s+gw)?)\s*{_NUM}"
               rf"{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER}|\s*(?:jam|menit)(?![a-z]))"),
)
# lahir 2010, kelahiran th 2009, lahiran 2009, born in 2011, YOB 2010, 2009 lahir, lahir di tahun 2010
_BORN = (r"(?:lahir|lahiran|kelahiran|klahiran|kelahiran\s*tahun|lhr|lair|born|born in|yob|y\.o\.b|dob|ttl|"
         r"tgl\s*lahir|tanggal\s*lahir|"
         r"kel\.?(?=\s*'\d))")  # "kel. '10" (but "Kel. 10 Ulu" is a kelurahan)
# A year in words: "dua ribu sepuluh", "rong ewu sewelas", "two thousand (and) ten", "twenty eleven"
_YEAR_WORDS = {
    **{f"{thousand} {unit}": 2000 + n for thousand in ("dua ribu", "rong ewu", "rongewu") for unit, n in (
        ("lima", 5), ("enam", 6), ("tujuh", 7), ("delapan", 8), ("sembilan", 9), ("sepuluh", 10),
        ("sebelas", 11), ("dua belas", 12), ("tiga belas", 13), ("empat belas", 14), ("lima belas", 15),
        ("pitu", 7), ("wolu", 8), ("songo", 9), ("sewelas", 11), ("rolas", 12), ("telulas", 13),
        ("patbelas", 14), ("limolas", 15))},
    **{f"two thousand {a}{unit}": 2000 + n for a in ("", "and ") for unit, n in (
        ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11),
        ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15))},
    **{f"twenty {unit}": 2000 + n for unit, n in (
        ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15))},
}
_YEAR_WORD = "|".join(sorted((w.replace(" ", r"\s*") for w in _YEAR_WORDS), key=len, reverse=True))
_MONTH_AFTER = r"\s*(?:bulan|jan|feb|mar|apr|mei|jun|jul|agu|agt|sep|okt|nov|des)[a-z]*(?![a-z])"
_BIRTH_YEAR = re.compile(
    # a full year, after an optional place and day-month: "lahir 2010", "ttl jakarta 12 mei 2010", "DOB 03/08/2011"
    rf"(?<![a-z]){_BORN}\s*(?:(?:di|pada)\s+)?(?:tahun|thn|th|taun|in)?\s*[:=']?\s*"
    r"(?:[a-z]{3,}\s*,?\s*)?(?:\d{1,2}\s*[-/.\s]\s*(?:\d{1,2}|[a-z]{3,9})\s*[-/.\s]\s*)?"
    rf"(?:(?P<y>(?:19|20)\d\d)(?!\d)|2k(?P<k>[0-2]\d)(?!\d)|(?P<w>{_YEAR_WORD})(?![a-z]))"
    # two digits straight after the word, not a day with its month: "kelahiran 09", "lahir '10"
    rf"|(?<![a-z]){_BORN}\s*(?:tahun|thn|th|taun)?\s*[:=']?\s*'?(?P<yy>[0-2]\d)"
    rf"(?![.,]?\d|\s*(?:rb|k|jt|ribu|juta)(?![a-z])|{_MONTH_AFTER})"
    r"|(?<![\d.,])(?P<y2>(?:19|20)\d\d)\s*(?:lahir|kelahiran)(?![a-z])"
    # "2010 liner", "liner 2011", "10 liner": people born in that year
    r"|(?<![\d.,])(?:20)?(?P<l>[01]\d)\s*-?\s*liners?(?![a-z])|(?<![a-z])liners?\s*(?:20)?(?P<l2>[01]\d)(?!\d)"
)
# "ready bo thn 2010", "cewe 2010": a year after th/thn/tahun or a word for a person, taken as a birth
# year only when it makes the person 12-17 (MIN_BARE_YEAR_AGE) and none of the three words before it
# says the year is something else: a time word (sejak, lulus, cerai …), a vehicle or a product, a law
# ("UU no 35 tahun 2014"). Words further back ("ready bo di hotel thn 2010") do not count.
_BARE_YEAR = re.compile(
    r"(?<![a-z0-9])(?:th|thn|thun|tahun|taun|cewe|cewek|cwe|cwek|ciwi|cewi|aku|ak|gue|gw|gua|saya|anak|adek|adik|"
    r"dedek|gadis)"
    rf"\s*[.:']?\s*(?:(?P<y>20[0-2]\d)|(?P<w>{_YEAR_WORD})(?![a-z]))"
    r"(?![\d-]|an(?![a-z])|\s*(?:rb|k|jt|ribu|juta)(?![a-z]))"
    # "2k10" on its own: the form is used for years only (a price would be "2,1k")
    r"|(?<![a-z0-9.,])2k(?P<k>[0-2]\d)(?![\d-]|an(?![a-z]))"
    # a year that opens a line, as a status gives one's birth year: "2010 open bo", "2009 cari temen"
    r"|(?<![^ ])(?P<s>20[0-2]\d)(?![\d-]|an(?![a-z])|\s*(?:rb|k|jt|ribu|juta)(?![a-z]))")
# vehicles and devices, whose year is not a person's
_PRODUCTS = (r"mobil|avanza|xenia|innova|brio|jazz|honda|yamaha|toyota|suzuki|daihatsu|mio|beat|vario|nmax|pcx|"
             r"laptop|iphone|samsung")
_NOT_A_BIRTH_YEAR_BEFORE = re.compile(
    r"(?<![a-z])(?:awal|akhir|pertengahan|semenjak|selama|kasus|"
    r"keluaran|produksi|rakitan|model|tipe|type|motor|rumah|bangun|dibangun|pajak|stnk|bpkb|lulus|"
    r"lulusan|angkatan|ajaran|anggaran|periode|musim|edisi|versi|seri|terbit|rilis|release|sebelum|setelah|"
    r"cerai|nikah|menikah|kawin|janda|duda|kerja|bekerja|kenal|mengenal|terjun|masuk|pindah|merantau|"
    rf"terakhir|{_PRODUCTS}|hp|uu|pp|perda|undang|nomor|no\s*\d+)(?![a-z])"
)
# a time word right before the year: "dari thn 2015", "sejak tahun 2012" ("dari surabaya thn 2010" is a place)
_TIME_WORD_JUST_BEFORE = re.compile(r"(?<![a-z])(?:sejak|dari|pada|sampai|hingga|mulai|s/d|di)$")
# a vehicle's or a device's "lahir 2012" ("Yamaha Mio lahir 2012, surat lengkap")
_PRODUCT_BEFORE = re.compile(rf"(?<![a-z])(?:{_PRODUCTS})$")
# giving birth, not being born: "baru lahiran 10 bulan", "habis lahiran"
_GAVE_BIRTH_BEFORE = re.compile(r"(?<![a-z])(?:baru|habis|abis|sejak|setelah|pasca|udah|sudah|melahirkan)$")


def _words_before(text: str, start: int, count: int = 3) -> str:
    """Up to ``count`` words before ``start`` within its clause (a comma or a full stop ends the look)."""
    clause = re.split(r"[,.;:!?\n]", text[max(0, start - 40) : start])[-1]
    return " ".join(clause.split()[-count:])


# "2012 udah open bo": a line that opens with a year and then a time word tells when, not who
# ("2013 kebawah", "2010? pertama kali ngetwit": a time, or a question about one)
_TIME_AFTER_OPENING_YEAR = re.compile(
    r"\s*(?:\?|(?:udah|sudah|pernah|mulai|dulu|sempat|sampai|sampe|hingga|ke\s*bawah|ke\s*atas)(?![a-z]))")
_NOT_A_BIRTH_YEAR_AFTER = re.compile(r"^\s*(?:lalu|silam|sampai|hingga|s/d|-|ke(?![a-z])|an(?![a-z])|kemarin)")
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


# Most texts state no age: one cheap search over every pattern above tells which to skip.
_ANY_AGE = Prefilter([_BIRTH_YEAR, _BARE_YEAR, *_AGE_PATTERNS])


class MinorAgeExtractor:
    name = "minor_age"
    version = "8"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (("minor.age", SignalGroup.MINOR),)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = numeric_view(nt)
        found: list[Signal] = []
        if not _ANY_AGE(text):
            return found
        seen: set[tuple[int, int]] = set()
        for m in _BIRTH_YEAR.finditer(text):
            age = date.today().year - _birth_year(m)  # 18 this year may still be 17 today
            before = _words_before(text, m.start(), 1)
            if 5 <= age <= 18 and not _PRODUCT_BEFORE.search(before) and not (
                    m.group().startswith("lahiran") and _GAVE_BIRTH_BEFORE.search(before)):
                seen.add(m.span())
                found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
        for m in _BARE_YEAR.finditer(text):
            age = date.today().year - _birth_year(m)
            if not MIN_BARE_YEAR_AGE <= age <= 17 or any(a <= m.start() < b for a, b in seen):
                continue
            if m.group("s") and (not _opens_line(nt, m.start()) or _TIME_AFTER_OPENING_YEAR.match(text, m.end())):
                continue
            if _NOT_A_BIRTH_YEAR_BEFORE.search(_words_before(text, m.start())) or \
                    _TIME_WORD_JUST_BEFORE.search(_words_before(text, m.start(), 1)):
                continue
            if _NOT_A_BIRTH_YEAR_AFTER.match(text[m.end() : m.end() + 12]):
                continue
            seen.add(m.span())
            found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
        for pattern in _AGE_PATTERNS:
            for m in pattern.finditer(text):
                age = _age(m.group("n"))
                if not 5 <= age < 18:
                    if age >= 18 and not any(a <= m.start() < b for a, b in seen):
                        seen.add(m.span())  # "umur 1 8 thn": an adult; its "8 thn" is no age either
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


def _birth_year(m: re.Match[str]) -> int:
    """The four-digit year a birth-year match gives ("2k10", "'09" and "10 liner" are 20xx)."""
    groups = m.groupdict()
    for name in ("y", "y2", "s"):
        if groups.get(name):
            return int(groups[name])
    if groups.get("w"):
        return _YEAR_WORDS[" ".join(groups["w"].split())] if " " in groups["w"] else next(
            v for k, v in _YEAR_WORDS.items() if k.replace(" ", "") == groups["w"])
    short = groups.get("k") or groups.get("yy") or groups.get("l") or groups.get("l2")
    assert short is not None
    return 2000 + int(short)


def _opens_line(nt: NormalizedText, start: int) -> bool:
    """Whether nothing but spaces, emoji or punctuation stands before ``start`` on its line of the original."""
    o_start = nt.to_original(start, start + 1)[0]
    line = nt.original[nt.original.rfind("\n", 0, o_start) + 1 : o_start]
    return not any(c.isalnum() for c in line)


# Letters written for digits in a number: "I5 th", "umur l6", "lahir 2O1O". The normaliser reads such a
# word as leetspeak ("is", "2oio"), as it must for "0p3n"; ages are read with these words as numbers.
_LOOKALIKE_DIGITS = {"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "|": "1", "s": "5", "S": "5"}
_ANY_LOOKALIKE_NEXT_TO_DIGIT = re.compile(r"[oOiIlsS|]\d|\d[oOiIlsS|]")
_LOOKALIKE_NUMBER = re.compile(r"(?<![\w|])(?=[oOiIlsS|]*\d)(?=\d*[oOiIlsS|])[\doOiIlsS|]{2,4}(?![\w|])")


def numeric_view(nt: NormalizedText) -> str:
    """The canonical text with each number written with look-alike letters back in digits, same length."""
    if not _ANY_LOOKALIKE_NEXT_TO_DIGIT.search(nt.original):
        return nt.text
    chars: list[str] | None = None
    starts = nt.starts
    for m in _LOOKALIKE_NUMBER.finditer(nt.original):
        first = bisect_left(starts, m.start())
        last = bisect_left(starts, m.end())
        if last - first != m.end() - m.start() or any(
                nt.ends[i] - starts[i] != 1 for i in range(first, last)):
            continue  # the normaliser joined or split these characters: leave them
        chars = chars if chars is not None else list(nt.text)
        for i, c in zip(range(first, last), m.group(), strict=True):
            chars[i] = _LOOKALIKE_DIGITS.get(c, c)
    return nt.text if chars is None else "".join(chars)


def _age(number: str) -> int:
    """The age a matched number gives: digits, or a number word ("lima belas" → 15)."""
    digits = "".join(c for c in number if not c.isspace() and c != "_")
    if digits.isdigit():
        return int(digits)
    return _WORD_AGES.get(" ".join(number.split()), _WORD_AGES.get(number, 0)) or next(
        (v for k, v in _WORD_AGES.items() if k.replace(" ", "") == number.replace(" ", "")), 0)
