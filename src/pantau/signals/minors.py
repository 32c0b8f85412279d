"""Ages under 18, written any way: 16th, 15 tahun, umur 13, usia 17, 14yo, "baru 15", ABG 16.

High recall on purpose. A number counts as an age when a word says so (umur, usia, age, "th",
"tahun", "yo") and it is below 18; "N tahun" after a duration word (sudah, selama, pengalaman,
garansi …) is a duration, not an age. The age is the signal's ``detail``.
School levels and slang are data (``data/lexicon/minor.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.signals.base import make_signal

_NUM = r"(?P<n>\d{1,2})"
_AGE_PATTERNS = (
    # umur 15, usia: 16, age 14, umurku 13
    re.compile(rf"(?<![a-z])(?:umur|usia|umurnya|usianya|umurku|usiaku|age|aged)\s*[:=]?\s*(?:baru\s*|masih\s*)?{_NUM}(?![\d.,])"),
    # 16th, 15 tahun, 14 thn, 17yo, 13 y.o, 15 years old
    re.compile(rf"(?<![\d.,]){_NUM}\s*(?:th|thn|thun|tahun|taun|tahunan|yo|y\.o|y/o|years?\s*old|yrs?)(?![a-z])"),
    # baru 15, masih 16 (followed by nothing number-like)
    re.compile(rf"(?<![a-z])(?:baru|masih)\s+{_NUM}(?![\d.,]|\s*(?:k|rb|ribu|jt|juta|jam|menit|hari|bulan|orang|ekor|kg|cm)(?![a-z]))"),
    # abg 16, dedek 15, bocil 14, gadis 15, cewek 16
    re.compile(rf"(?<![a-z])(?:abg|abege|dedek|adik|bocil|gadis|cewek|cewe|siswi|pelajar|remaja|anak)\s*{_NUM}(?![\d.,]|\s*(?:k|rb|ribu|jt|juta|jam|menit)(?![a-z]))"),
)
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
    version = "2"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (("minor.age", SignalGroup.MINOR),)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        if not any(c.isdigit() for c in text):
            return []
        found: list[Signal] = []
        seen: set[tuple[int, int]] = set()
        for pattern in _AGE_PATTERNS:
            for m in pattern.finditer(text):
                age = int(m.group("n"))
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
