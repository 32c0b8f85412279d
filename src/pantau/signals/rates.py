"""Rates and prices in Rupiah, written any way (300k, 300rb, 300 ribu, 1,2jt, Rp350.000, 3OO).

Four signals, from weak to strong:

- ``rate.price``          an amount of money on its own (shops have prices too);
- ``rate.per_time``       an amount per hour/session/night/shot;
- ``rate.session``        such a rate for hours or a night in a text that also names a private
                          room (kamar, hotel, kos …) or a client, and nothing of a rental, a
                          lesson or another hired service: "3 jam 900, kamar udah siap";
- ``rate.service_price``  an amount tied to a service term: ST 300 / LT 800, BO 500, VCS 100k.

Amounts are parsed with ``lokal.parse_rupiah``; the parsed value is the signal's ``detail``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lokal import parse_rupiah

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.prefilter import Prefilter
from pantau.signals.base import make_signal

_UNIT = r"(?:k|rb|rbu|ribu|ribuan|rban|jt|jeti|juta|jutaan|jtan|m|perak)"
_AMOUNT = (
    rf"(?:(?:rp|idr)\.?\s*\d{{1,3}}(?:[.,]\d{{3}})+(?:,-|,00)?"  # Rp350.000
    rf"|(?:rp|idr)\.?\s*\d+(?:[.,]\d+)?\s*{_UNIT}?"  # Rp 350rb, rp350
    rf"|(?!2k[0-2]\d(?![\d.,]))\d+(?:[.,]\d+)?\s*{_UNIT}(?![a-z])"  # 300k, 1,2jt, 300 ribu (2k10 is a year)
    r"|\d{1,3}(?:\.\d{3})+(?:,-)?)"  # 350.000
)
_DIGIT_WORD = r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|\d)"
_SCALE = r"(?:ratus|puluh|belas|ribu|juta)"
_SLANG = r"(?:gopek|cepek|gocap|goceng|ceban|noban|seceng)"
_WORDS = (  # tiga ratus, dua ratus lima puluh, sejuta, satu setengah juta, gopek (parsed by lokal-id)
    rf"(?:(?:{_DIGIT_WORD}\s*|se){_SCALE}"
    rf"(?:\s+(?:{_DIGIT_WORD}\s*|se){_SCALE}){{0,4}}(?:\s+{_DIGIT_WORD}(?![a-z]))?"  # at most five parts
    rf"|(?:{_DIGIT_WORD}\s+)?setengah\s+(?:ribu|juta)"  # satu setengah juta, setengah juta
    rf"|{_SLANG})(?![a-z])"
    r"(?!\s*(?:tahun|thn|th|orang|menit|jam|hari|bulan|minggu|kali|x|anak|buah|ekor|kg|meter|km|persen|%))"
)
_BARE = rf"(?:\d{{3,4}}|{_WORDS})"  # 300, tiga ratus — only counted next to a service term
_SERVICE = (
    r"(?:st|lt|short\s*time|long\s*time|fs|full\s*service|bo|vcs|vc|hj|bj|ml|crot|full\s*night|fn|pap|"
    r"include|exclude|incl|excl|short|long|ons|owo|cim|gfe|shot|sesi|keluar)"
)
_PER = r"(?:jam|j|sesi|malam|mlm|shot|crot|ronde|hour|hr|night|x|kali|menit|mnt|main|session|jamnya|hari)"

_SERVICE_PRICE = re.compile(
    rf"(?<![a-z]){_SERVICE}\s*[:=\-]?\s*(?P<a>{_AMOUNT}|{_BARE})(?![\d])"
    rf"|(?<![\d.,])(?P<b>{_AMOUNT}|{_BARE})\s*(?:(?:saja|ya|dong|kakak|sayang|say|an)\s+)?(?:/|per|untuk|utk|buat|for)?\s*(?:st|lt|short\s*time|long\s*time|short|long|fs|bo|vcs|hj|bj|crot|full\s*night|fn)(?![a-z])"
)
# The time first, then the amount: "sejam 350", "2 jam 600", "semalam 1,5" (a bare 1,5 after a
# night or a day is millions, as "1jt" would be), "setengah jam 150rb".
_DURATION = (
    r"(?:sejam|semalam|seharian|setengah\s*jam|sesi|satu\s*jam|dua\s*jam|tiga\s*jam|\d{1,2}(?:[.,]5)?\s*jam|"
    r"\d{1,2}\s*malam|full\s*night|short|long)"
)
# ... not a clock time after a date: "tanggal 20 jam 7 pagi" (its "0 jam 7" was once a rate of 7 million)
_CLOCK_AFTER = r"\s*(?:pagi|siang|sore|malam|mlm|wib|wita|wit|teng|an)(?![a-z])"
_PER_TIME = re.compile(
    rf"(?<![\d.,])(?P<a>{_AMOUNT}|{_BARE})\s*(?:/|per|se|sejam|tiap)\s*{_PER}(?![a-z])"
    rf"|(?<![a-z\d.,:]){_DURATION}\s*(?:(?:cuma|hanya|saja|aja|jadi|total)\s*)?[:=]?\s*"
    rf"(?P<b>{_AMOUNT}|\d{{3}}(?!\d|[.,]\d)"
    rf"|\d(?:[.,]\d)?(?!\d|[.,]\d|\s*(?:jam|orang|x|kali|menit)(?![a-z])|{_CLOCK_AFTER}))"
)
# A number that counts people or things is no price ("100.000 follower", "1,2 juta orang").
_COUNTED = (
    r"(?!\s*(?:followers?|pengikut|subscribers?|subs|views?|viewers?|penonton|orang|likes?|peserta|warga|"
    r"penduduk|jiwa|suara|votes?|kasus|pasien|siswa|mahasiswa|anggota|downloads?|unduhan|kali|km|meter|"
    r"kg|unit|pcs|porsi|tahun|eksemplar|lembar|halaman)(?![a-z]))"
)
_PRICE = re.compile(rf"(?<![\d.,a-z])(?P<a>{_AMOUNT}|{_WORDS}){_COUNTED}")

_PRICE_WEIGHT = 0.6
_SIGNALS = (
    ("rate.service_price", 2.5, _SERVICE_PRICE),
    ("rate.per_time", 1.2, _PER_TIME),
    ("rate.price", _PRICE_WEIGHT, _PRICE),
)


# A rate for hours or a night is a session when the text also names a private room or a client
# and no rental, lodging, lesson or other hired service ("3 jam 900, kamar udah siap" against
# "transit 3 jam 150, AC, wifi" or "les privat 2 jam 150").
_SESSION_PLACE = re.compile(
    r"(?<![a-z])(?:kamar|kmr|hotel|htl|kos|kost|losmen|motel|apart|apartemen|apartment|room|villa|"
    r"pengaman|kondom|tamu|ronde|nginep|menginap|sampai pagi|sampe pagi)(?![a-z])"
)
_NOT_SESSION = re.compile(
    r"(?<![a-z])(?:sewa|disewakan|rental|transit|per bulan|perbulan|bulanan|harian|tahunan|check ?in|check ?out|"
    r"fasilitas|ac|wifi|kamar mandi|sarapan|breakfast|homestay|guest ?house|penginapan|kontrakan|kos putri|"
    r"kos putra|kost putri|kost putra|les|privat|kursus|belajar|guru|tutor|mua|make ?up|makeup|foto|fotografer|"
    r"studio|lapangan|futsal|badminton|parkir|mobil|motor|driver|sopir|supir|guide|pijat bayi|baby|bayi|"
    r"lansia|perawat|babysitter|cleaning|laundry|reservasi|traveloka|agoda|tiket)(?![a-z])"
)
# Hours, not nights: a room for the night is what hotels sell ("kamar hotel semalam 450rb").
_SESSION_PER = re.compile(r"(?:jam|sesi|shot|crot|ronde|hour|hr|menit|mnt|main|session|short|long)")
# A small amount a day is pocket money, a wage or a fee ("jajan anak SD 10rb sehari", "parkir 5rb/hari"), not the
# price of a day's booking: below this it does not count as a rate for a service.
_PER_DAY = re.compile(r"(?:/|per|se|tiap)\s*hari(?![a-z])")
_DAILY_FLOOR = 50_000
_WITH_UNIT = re.compile(rf"\d\s*{_UNIT}(?![a-z])")  # "5rb", "2jt": an amount that says its own scale

# Every rate holds an amount, and every amount a digit, a scale word or a slang amount: texts
# without any skip the three patterns (most texts, as most statuses name no price).
_ANY_AMOUNT = re.compile(rf"\d|{_SCALE}|{_SLANG}")
# Of the texts with a number, most name no rate either: one cheap search over the three tells.
_ANY_RATE = Prefilter(pattern for _, _, pattern in _SIGNALS)

# Land and building sizes in property ads (LT 120 LB 90) are not long-time prices.
_PROPERTY = re.compile(r"(?<![a-z])(?:lb\s*\d|luas tanah|luas bangunan|shm|hgb|sertifikat|carport|lantai|lift)")
# A workshop's "full service 85rb" is a price, not a sexual service's rate: only where a repair is named near it
# (a job list, "servis motor", "cuci ac", "bengkel motor"); a vehicle alone is no workshop ("di mobil full service").
# The job list is that of `solicitation.sex_acts`' cancels in lexicon/solicitation.yaml: change both together.
_VEHICLE = r"(?:motor|mobil|sepeda|matic|matik|bebek|nmax|pcx|vario|beat|cvt|ac|kendaraan)"
_WORKSHOP_REACH = 60  # characters before "full service" where the repair must be named
_WORKSHOP = re.compile(r"(?<![a-z])(?:ganti oli|ganti rantai|setel rem|tune up|spooring|"
                       rf"(?:servis|service|cuci|bengkel)\s+{_VEHICLE})(?![a-z])")


def _amount(text: str, *, thousands: bool = False) -> str:
    """The amount in Rupiah; a bare small number next to a service term means thousands (ST 300),
    a bare one-digit number (1,5 after "semalam") millions."""
    parsed = parse_rupiah(text.strip())
    if parsed is None:
        return ""
    amount = parsed.amount
    if _WITH_UNIT.search(text):  # "5rb", "2jt": the unit says what it is ("rp 800", "gopek" are still shorthand)
        thousands = False
    if thousands and amount < 10:
        amount *= 1_000_000
    elif thousands and amount < 10_000:
        amount *= 1000
    return str(int(amount))


_SESSION_NAME, _SESSION_WEIGHT = "rate.session", 2.5
# Enough evidence: more rates than this in one text add nothing, and each new one is checked against those already
# found (a crafted text of thousands of prices would cost seconds)
MAX_RATES = 32


class RateExtractor:
    name = "rates"
    version = "9"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (*((name, SignalGroup.RATE) for name, _, _ in _SIGNALS), (_SESSION_NAME, SignalGroup.RATE))

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        found: list[Signal] = []
        if _ANY_AMOUNT.search(text) is None or not _ANY_RATE(text):
            return found
        taken: list[tuple[int, int]] = []
        property_ad = _PROPERTY.search(text) is not None
        session: bool | None = None  # decided at the first hourly rate: most texts have none
        for name, weight, pattern in _SIGNALS:
            if property_ad and name == "rate.service_price":
                continue
            for m in pattern.finditer(text):
                if len(found) >= MAX_RATES:
                    return found
                a, b = m.span()
                if name == "rate.service_price" and "full" in m.group() and _WORKSHOP.search(
                        text, max(0, a - _WORKSHOP_REACH), a) is not None:
                    continue  # left to the plain price (the repair named before it: "tune up dulu" after is no shop)
                if any(x <= a and b <= y for x, y in taken):
                    continue  # the amount is already part of a stronger rate signal
                amount = m.group("a") or (m.groupdict().get("b") or "")
                taken.append((a, b))
                detail = _amount(amount, thousands=name != "rate.price")
                kind, strength = name, weight
                if name == "rate.per_time" and _PER_DAY.search(m.group()) and detail and int(detail) < _DAILY_FLOOR:
                    # keeps its name (the model knows it), with the weight of a plain price
                    strength = _PRICE_WEIGHT
                elif name == "rate.per_time" and _SESSION_PER.search(m.group()):
                    if session is None:
                        session = _SESSION_PLACE.search(text) is not None and _NOT_SESSION.search(text) is None
                    if session:
                        kind, strength = _SESSION_NAME, _SESSION_WEIGHT
                found.append(make_signal(nt, kind, SignalGroup.RATE, strength, a, b, detail))
        return found
