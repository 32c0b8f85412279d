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
    # Minang
    "sabaleh": 11, "duo baleh": 12, "tigo baleh": 13, "ampek baleh": 14, "limo baleh": 15, "anam baleh": 16,
    "tujuah baleh": 17,
    # Banjar, Manado and Ambon Malay ("ampat belas", "anam blas"); Balinese
    "ampat belas": 14, "anam belas": 16, "ampa belas": 14,
    "solas": 11, "roras": 12, "pat belas": 14, "nem belas": 16,
    # Bugis and Makassar (their "ten" alone is left out: "baru sapulu ari" is ten days)
    "seppulo seddi": 11, "seppulo dua": 12, "seppulo tellu": 13, "seppulo eppa": 14,
    "seppulo lima": 15, "seppulo enneng": 16, "seppulo pitu": 17,
    "sampulo assere": 11, "sampulo anrua": 12, "sampulo antallu": 13, "sampulo appa": 14,
    "sampulo lima": 15, "sampulo annang": 16, "sampulo tuju": 17,
    # Batak Toba and Acehnese
    "sapulu sada": 11, "sapulu dua": 12, "sapulu tolu": 13, "sapulu opat": 14, "sapulu lima": 15,
    "sapulu onom": 16, "sapulu pitu": 17,
    "siblah": 11, "dua blah": 12, "lhee blah": 13, "peuet blah": 14, "limong blah": 15, "nam blah": 16,
    "tujoh blah": 17,
    # digits read one by one: "umur satu lima"
    "satu dua": 12, "satu tiga": 13, "satu empat": 14, "satu lima": 15, "satu enam": 16, "satu tujuh": 17,
}
# "belas" as chat and eastern Malay write it: "lima blas", "anam blas" (a digit before it, "1 blas", is Javanese
# "at all" or a count: "masih 5 belas pcs"; only an age word makes "usia 4 belas" an age, below)
_WORD_AGES |= {k.replace("belas", "blas"): v for k, v in _WORD_AGES.items() if k.endswith("belas")}
_WORD = "|".join(sorted((w.replace(" ", r"\s*") for w in _WORD_AGES), key=len, reverse=True))
# the patterns allow any spacing between a number's words ("limabelas", "lima  belas"): look them up without it
_AGE_BY_SKELETON = {k.replace(" ", ""): v for k, v in _WORD_AGES.items()} | {
    f"{d}{teen}": 10 + d for d in range(1, 8) for teen in ("belas", "blas")}
_NUM = rf"(?P<n>\d{{1,2}}|(?<![a-z])(?:{_WORD})(?![a-z]))"
# "umur 15, …" is an age; "15.000", "1,5", "lima belas" (read whole) and "10/10" (a rating) are not
_NOT_A_NUMBER_AFTER = r"(?![.,]?\d|\s*b(?:e)?las(?![a-z])|\s*/\s*10(?!\d))"
_UNIT_AFTER = (r"\s*(?:k|rb|ribu|jt|juta|jam|menit|menitan|jaman|hari|harian|bulan|orang|ekor|kg|cm|ratus|puluh|"
               r"ari|esso|allo|uroe|dinten|poe|wengi|minggu|pekan)"
               r"(?![a-z])")
_MONEY_AFTER = r"\s*(?:k|rb|ribu|jt|juta|ratus|puluh)(?![a-z])"
# umur and its forms ("umvr", "um0r", "umurr", Minang "umua"), usia, age; with "my" after it ("umur saya",
# Sundanese "umur abdi", "umurna", "umur kuring", Minang "umua ambo", Banjar "umur ulun", Ambon "umur beta")
_AGE_WORD = (r"(?:(?:um[uvo]r+(?:nya|ku|nyo|nye|na|e|ne|u)?|umua|usia(?:nya|ku|ne|na)?|age|aged)"
             r"(?:\s+(?:saya|aku|gue|gw|abdi|ambo|kulo|aing|awak|kuring|ulun|beta|ane|inyong|nyong))?)")
# "umur XV": Roman numerals of 12-17 (the normaliser squeezes "xiii" to "xi" and "xviii" to "xvi": the
# number is read from the original text)
_ROMAN = {"x": 10, "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
          "xix": 19, "xx": 20}
_TEAM_BEFORE = re.compile(r"(?<![a-z])(?:timnas|ssb|piala|liga|tim|team|kategori|kelompok|turnamen|pemain|pelatih|"
                          r"festival|skuad|squad|seleksi|kejuaraan|klub|club|akademi|voli|basket|futsal|bola|"
                          r"sepakbola|badminton|renang|atletik|catur|hoki|rugby)\s*$")
# An age as a sum, to slip past a filter: "umur 2x7+1", "usia 10 + 5", "umur dua kali tujuh", "setengah dari 30".
# Products and additions only: in ads " - " and "min" separate fields ("umur 25 - 10 menit dari hotel", "min 2 jam").
# The sum must end the phrase (a pause, the end, an age unit or a word of address), so that a count, a size or a
# time ("umur 15 + 5 menit", "usia 3 x 5 meter", "umur 4 x 4 mobil", "umur 16 +62 812…") is no sum.
_OPERAND = r"(?:\d{1,2}|dua puluh|tiga puluh|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)"
_TIMES = ("x", "×", "*", "kali", "dikali")
_OPERATOR = r"(?:[+*x×]|kali|dikali|tambah|ditambah|plus|lebih)"  # "sepuluh lebih lima": 15
_HALF = ("setengah", "separuh", "separo")
_PAUSE_AHEAD = r"\s*(?:[,;!?)]|\.(?!\d)|$)"  # a pause or the end of the text
_YEARS_AHEAD = r"\s*(?:th|thn|tahun|taun|yo|y\.o|years?)(?![a-z])"
_SUM_ENDS = (rf"(?={_PAUSE_AHEAD}|{_YEARS_AHEAD}|"
             r"\s+(?:kakak|kak|kk|ka|om|bang|abang|mas|mbak|say|sayang|ya|yaa|aja|saja|doang|ready|open|bisa|"
             r"available|only|dan|tapi|tp|lho|loh|wkwk|hehe)(?![a-z]))")
_UNIT_OF_YEARS = re.compile(_YEARS_AHEAD)
_OPERAND_VALUE = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
                  "sembilan": 9, "sepuluh": 10, "dua puluh": 20, "tiga puluh": 30}
_ARITH_AGE = re.compile(
    rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<e>{_OPERAND}(?:\s*{_OPERATOR}\s*{_OPERAND}(?![a-z])){{1,3}}"
    rf"|(?:{'|'.join(_HALF)})(?:nya)?\s*(?:dari\s*)?{_OPERAND})(?![.,]\d){_SUM_ENDS}")
_ARITH_TOKEN = re.compile(rf"{_OPERAND}|{_OPERATOR}|{'|'.join(_HALF)}")
_AGE_PATTERNS = (
    _ARITH_AGE,
    # digits spaced apart to slip past a filter: "umurku 1 5", "1 _ 4 th" (first, so "1 6 thn" is not read as 6)
    re.compile(rf"(?<![a-z])(?:{_AGE_WORD}|u)\s*[:=/-]?\s*(?:baru\s*|masih\s*)?"
               rf"(?P<n>1(?:\s+|\s*[_-]\s*)\d)(?![.,/]?\d)(?!{_UNIT_AFTER})"),  # not "u 1-2 jam"
    re.compile(r"(?<![\d.,/])(?P<n>1(?:\s+|\s*_\s*)\d)\s*(?:th|thn|thun|tahun|taun|yo|y\.o)(?![a-z])"),
    # umur 15, usia: 16, age 14, umurku 13, umur lima belas
    # (after umur/usia only money rules a number out: "umur 15 hari ini", "usia 16 jam 9 malam" are ages)
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?:baru\s*|masih\s*)?"
               rf"{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER})"),
    # the second age of two after one age word: "umur 7-15", "usia 9 - 14 th", "umur 10 sama 14", "umur 9 atau 14",
    # "umur 8/15" (only that number is the match: the first is read by the pattern above)
    _SECOND_AGE := re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<first>\d{{1,2}})\s*"
                              r"(?:-|–|s/d|sd|sampai|sampe|hingga|atau|sama|dan|&|/)\s*"
                              rf"(?P<n>\d{{1,2}})(?![.,]?\d)(?!{_UNIT_AFTER}|{_MONEY_AFTER}|\s*bln(?![a-z]))"
                              r"(?:\s*(?:th|thn|tahun|taun|yo)(?![a-z]))?"),
    # a half year: "umur 16,5 thn", "usia 15.5"
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<n>1[0-7])[.,][1-9](?![\d.,])(?!{_MONEY_AFTER})"),
    # "u 16", "u/16", "u: 15" (u for umur; not a youth team: "timnas U16", "SSB U14", "U17 cup")
    _U_AGE := re.compile(rf"(?<![a-z])u\s*[:/.]?\s*(?P<n>1[0-7]|(?:{_WORD})(?![a-z])){_NOT_A_NUMBER_AFTER}"
                         rf"(?!{_UNIT_AFTER}|\s*(?:cup|team|tim|squad|skuad|league|liga|piala)(?![a-z]))"),
    # a name with the age after it, as news and ads write it: "dek rara (15)", "Putri (16 th)"
    _NAME_AGE := re.compile(
        r"(?<![a-z])(?!(?:lantai|no|nomor|nmr|kamar|room|blok|jam|hari|menit|halaman|hal|bab|pasal|ayat|"
        r"gang|gg|rt|rw|ukuran|size|uk|pcs|isi|total|jumlah|tipe|type|seri|part|episode|eps|ep|paket|hemat|"
        r"promo|harga|diskon|porsi|box|pack|lembar|menu|level|lvl|no)\s*\()"
        r"[a-z]+\s*\(\s*(?P<n>1[0-7])\s*(?:th|thn|tahun|taun|yo|y\.o)?\s*\)"),
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<r>x[iv]+)(?![a-z])"),  # not "umur: x", a form's blank
    # 16th, 15 tahun, 14 thn, 17yo, 13 y.o, 15 years old, enam belas tahun
    re.compile(rf"(?<![\d.,]){_NUM}\s*(?:th|thn|thun|tahun|taun|taung|tahunan|yo|y\.o|y/o|years?\s*old|yrs?)"
               r"(?![a-z])"),
    # "I'm fifteen, …", "im 16." — 12 to 17, before a pause or the end only: "I'm 16 weeks pregnant", "im 16:30",
    # "I'm 16-0", "IM 15 gb" and "I'm 15 mnt dari hotel" are no ages
    _FIRST_PERSON_AGE := re.compile(
        rf"(?<![a-z])(?:i\s*['’‘`]?\s*m|i\s+am)\s+(?:only\s+|just\s+|still\s+)?{_NUM}"
        rf"(?={_PAUSE_AHEAD}|\s+(?:and(?!\s+a\s+half)|but|tapi|tp|dan|kak|om|ya|yo|y\.o)(?![a-z]))"),
    # an English teen number opening a line of a status before a pause, as a status gives one's age: "fifteen, open
    # BO" (not mid-sentence: "fifteen minutes away", "top fifteen, …"; not "SEVENTEEN, ready album", a K-pop group)
    _TEEN_OPENING := re.compile(rf"(?<![a-z])(?P<n>thirteen|fourteen|fifteen|sixteen)(?={_PAUSE_AHEAD})"),
    # "usia 4 belas": a digit and the word for teen, after an age word only ("masih 5 belas pcs" is a count)
    re.compile(rf"(?<![a-z]){_AGE_WORD}\s*[:=]?\s*(?P<n>[1-7]\s*b(?:e)?las)(?![a-z])(?!{_MONEY_AFTER})"),
    # baru 15, masih 16 (followed by nothing number-like)
    _BARU_AGE := re.compile(rf"(?<![a-z])(?:baru|masih)\s+{_NUM}{_NOT_A_NUMBER_AFTER}(?!{_UNIT_AFTER})"),
    # age/height/weight, as ads give them: 15/160/45, 16 / 155 / 40
    re.compile(rf"(?<![\d./,]){_NUM}\s*/\s*1[3-9]\d\s*/\s*\d{{2,3}}(?![\d/])(?!\s*(?:cm|mm|m|meter)(?![a-z]))"),
    # abg 16, dedek 15, bocil 14, gadis 15, cewek 16
    re.compile(rf"(?<![a-z])(?:abg|abege|dedek|adik|adek|bocil|gadis|cewek|cewe|ciwi|siswi|pelajar|remaja|sepupu|"
               rf"ponakan|keponakan|cousin|niece|daughter|"
               rf"anak(?:ku|\s+saya|\s+aku|\s+gue|\s+gw)?)\s*{_NUM}"
               rf"{_NOT_A_NUMBER_AFTER}(?!{_MONEY_AFTER}|\s*(?:jam|menit|orang|org|inch|inci|cm)"
               r"(?![a-z]))"),  # "sepeda anak 16 inch" is a size
)
# lahir 2010, kelahiran th 2009, lahiran 2009, born in 2011, YOB 2010, 2009 lahir, lahir di tahun 2010
_BORN = (r"(?:lahir|lahiran|kelahiran|klahiran|kelahiran\s*tahun|lhr|lair|born|born in|yob|y\.o\.b|dob|ttl|"
         r"tgl\s*lahir|tanggal\s*lahir|"
         r"kel\.?(?=\s*(?:'\d|(?:19|20)\d\d(?!\d))))")  # "kel. '10", "kel. 2011" (but "Kel. 10 Ulu" is a kelurahan)
# A year in words: "dua ribu sepuluh", "rong ewu sewelas", "two thousand (and) ten", "twenty eleven"
_YEAR_WORDS = {
    **{f"{thousand} {unit}": 2000 + n for thousand in ("dua ribu", "dua rebu", "rong ewu") for unit, n in (
        ("lima", 5), ("enam", 6), ("tujuh", 7), ("delapan", 8), ("sembilan", 9), ("sepuluh", 10),
        ("sebelas", 11), ("dua belas", 12), ("tiga belas", 13), ("empat belas", 14), ("lima belas", 15),
        ("enam belas", 16), ("tujuh belas", 17), ("delapan belas", 18), ("sembilan belas", 19), ("dua puluh", 20),
        ("dua puluh satu", 21),
        ("pitu", 7), ("wolu", 8), ("songo", 9), ("sewelas", 11), ("rolas", 12), ("telulas", 13),
        ("patbelas", 14), ("limolas", 15))},
    **{f"two thousand {a}{unit}": 2000 + n for a in ("", "and ") for unit, n in (
        ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11),
        ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15))},
    **{f"twenty {unit}": 2000 + n for unit, n in (
        ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15))},
}
_YEAR_BY_SKELETON = {k.replace(" ", ""): v for k, v in _YEAR_WORDS.items()}
_YEAR_WORD = "|".join(sorted((w.replace(" ", r"\s*") for w in _YEAR_WORDS), key=len, reverse=True))
_MONTH_AFTER = r"\s*(?:bulan|jan|feb|mar|apr|mei|jun|jul|agu|agt|sep|okt|nov|des)[a-z]*(?![a-z])"
_BIRTH_YEAR = re.compile(
    # a full year, after an optional place and day-month: "lahir 2010", "ttl jakarta 12 mei 2010", "DOB 03/08/2011"
    rf"(?<![a-z]){_BORN}\s*(?:(?:di|pada)\s+)?(?:tahun|thn|th|taun|in)?\s*[:=']?\s*"
    r"(?:[a-z]{3,}\s*,?\s*)?(?:\d{1,2}\s*[-/.\s]\s*(?:\d{1,2}|[a-z]{3,9})\s*[-/.\s]\s*)?"
    rf"(?:(?P<y>(?:19|20)\d\d)(?!\d)|2k(?P<k>[0-2]\d|\d)(?!\d)|(?P<w>{_YEAR_WORD})(?![a-z]))"
    # its digits spaced or dashed, straight after the word: "lahir 2 0 1 1", "lahir 2-0-1-1"
    rf"|(?<![a-z]){_BORN}\s*[:=]?\s*(?P<ys>2(?:\s+|\s*[-.]\s*)0(?:\s+|\s*[-.]\s*)[0-2](?:\s+|\s*[-.]\s*)\d)"
    r"(?!\d|[.,]\d)"
    # two digits straight after the word, not a day with its month: "kelahiran 09", "lahir '10"
    rf"|(?<![a-z]){_BORN}\s*(?:tahun|thn|th|taun)?\s*[:=']?\s*'?(?P<yy>[0-2]\d)"
    rf"(?![.,]?\d|\s*(?:rb|k|jt|ribu|juta)(?![a-z])|{_MONTH_AFTER})"
    r"|(?<![\d.,])(?P<y2>(?:19|20)\d\d)\s*(?:lahir|kelahiran)(?![a-z])"
    # "2010 liner", "liner 2011", "10 liner": people born in that year
    r"|(?<![\d.,])(?:20)?(?P<l>[01]\d)\s*-?\s*liners?(?![a-z])|(?<![a-z])liners?\s*(?:20)?(?P<l2>[01]\d)(?!\d)"
    r"|'(?P<l3>[01]\d)\s*-?\s*line(?![a-z])"  # "'10 line"
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
    r"|(?<![a-z0-9.,])2k(?P<k>[0-2]\d|\d)(?![\d-]|an(?![a-z]))"
    # a year that opens a line, as a status gives one's birth year, right before an offer or a word for a person:
    # "2010 open bo", "*2009* ready", "2010, cari om" (not "2011 kerja di batam", "2014 vs 2024", "2012 kamar")
    r"|(?<![^ *(_~])(?P<s>20[0-2]\d)(?=[*)_~]*\s*[,.:|/!-]?\s*(?:open|ready|redi|avail|available|vcs|vc|bo|booking|"
    r"cari|nyari|butuh|cewe|cewek|ciwi|cwe|girl|sange|fwb|temenin|nemenin|pap)"
    r"(?![a-z]))")
# vehicles and devices, whose year is not a person's
_PRODUCTS = (r"mobil|avanza|xenia|innova|brio|jazz|honda|yamaha|toyota|suzuki|daihatsu|mio|beat|vario|nmax|pcx|"
             r"laptop|iphone|samsung")
_NOT_A_BIRTH_YEAR_BEFORE = re.compile(
    r"(?<![a-z])(?:awal|akhir|pertengahan|semenjak|selama|kasus|"
    r"keluaran|produksi|rakitan|model|tipe|type|motor|rumah|bangun|dibangun|pajak|stnk|bpkb|lulus|"
    r"lulusan|angkatan|ajaran|anggaran|periode|musim|edisi|versi|seri|terbit|rilis|release|sebelum|setelah|"
    r"cerai|nikah|menikah|kawin|janda|duda|kerja|bekerja|kenal|mengenal|terjun|masuk|pindah|merantau|since|"
    r"alumni|suami|ditinggal|ditinggalin|pengalaman|harga|hrg|tarif|"
    # games titled by year: "NBA 2K14", "kaset WWE 2K14"
    r"nba|wwe|fifa|pes|game|games|kaset|ps|ps2|ps3|ps4|ps5|xbox|steam|"
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


# ("2010 - 2012" is a span of time; "- Cici 2k10 - Lala 2k02" is a list)
_NOT_A_BIRTH_YEAR_AFTER = re.compile(
    r"^\s*(?:lalu|silam|sampai|sampe|hingga|s/d|-\s*\d|ke(?![a-z])|an(?![a-z])|kemarin)")
MIN_BARE_YEAR_AGE = 12

_DURATION_BEFORE = re.compile(
    r"(?:sudah|udah|selama|pengalaman|garansi|lebih dari|kurang dari|sejak|tiap|setiap|per|dalam|kerja|"
    r"menikah|nikah|pacaran|lalu|yang lalu|kontrak|sewa|cicilan|tenor|masa|jalan|berdiri|usaha|"
    r"bangunan|umur bangunan|dari)\s*$"
)
# "... 10 tahun 2020": the tahun belongs to the year that follows, the number is a month or a date.
_DURATION_AFTER = re.compile(
    r"^\s*(?:lalu|yang lalu|lagi|kemudian|silam|terakhir|ke depan|pengalaman|kerja|garansi|(?:19|20)\d\d(?!\d)|"
    # a plant's, an animal's or a baby's age in days, weeks or months ("padi umur 16 hari", Sundanese "poe"); but
    # "umur 15 hari ini" is a birthday
    r"(?:hari|bulan|minggu|pekan|poe|ari|esso|allo|uroe|dinten)(?![a-z])(?!\s*ini(?![a-z])))"
)
# ... and so is "umurku baru 15 bulan kemarin", "umurku 16 minggu depan": a birthday near, said of oneself or with
# a word for reaching an age (not "anakku umur 12 bulan lalu udah ga pake", a baby's age)
_BIRTHDAY_NEAR_AFTER = re.compile(r"^\s*(?:bulan|minggu|pekan)\s+(?:lalu|kemarin|kemaren|kmrn|depan|dpn)(?![a-z])")
_BIRTHDAY_NEAR_BEFORE = re.compile(r"(?<![a-z])(?:lewat|genap|tepat|pas|mau|menuju|otw|baru)\s*$")
_FIRST_PERSON_AGE_WORD = re.compile(r"(?:umur|usia|umr)(?:ku|q|\s+(?:aku|saya|gue|gua|gw))(?![a-z])")


# Most texts state no age: one cheap search over every pattern above tells which to skip.
_ANY_AGE = Prefilter([_BIRTH_YEAR, _BARE_YEAR, *_AGE_PATTERNS])


class MinorAgeExtractor:
    name = "minor_age"
    version = "10"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return (("minor.age", SignalGroup.MINOR),)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        found: list[Signal] = []
        seen = _Seen(len(nt.text))
        digits = numeric_view(nt)
        if _ANY_AGE(nt.text):
            _read_ages(nt, nt.text, found, seen)
        if digits != nt.text and _ANY_AGE(digits):
            # only whole words of the numeric view: "u16" and "I5" are numbers, "7c" (a class) and "4age" are not
            _read_ages(nt, digits, found, seen, whole_words=True)
        return found


def this_year() -> int:
    """The year birth years are counted from (a function, so that tests can fix it)."""
    return date.today().year


class _Seen:
    """Positions of the text already read as an age (a child's or an adult's), one flag a character: a text of
    thousands of adults' ages ("20th 20th …") must not cost a check against each of them."""

    def __init__(self, length: int) -> None:
        self._flags = bytearray(length + 1)

    def add(self, span: tuple[int, int]) -> None:
        a, b = span
        self._flags[a:b] = b"\x01" * (b - a)

    def covers(self, position: int) -> bool:
        return bool(self._flags[position])

    def overlaps(self, span: tuple[int, int]) -> bool:
        return 1 in self._flags[span[0] : span[1]]


# forms no one uses for a small child's age ("I'm 7", "usia 2 + 3" is homework): only 12-17 count
_TWELVE_AND_UP = (_FIRST_PERSON_AGE, _ARITH_AGE)
# patterns that read a bare number as an age (no age word, no unit): not used on the numeric view
_NO_UNIT_OR_AGE_WORD = (_BARU_AGE,)


def _whole(text: str, m: re.Match[str]) -> bool:
    """Whether the match stands as whole words: no letter or digit touches it on either side."""
    before = m.start() > 0 and text[m.start() - 1].isalnum()
    return not before and not (m.end() < len(text) and text[m.end()].isalnum())


# Enough evidence: more ages than this in one text add nothing, and would cost time on crafted input
# (each new age is checked against those already found).
MAX_AGES = 32


def _read_ages(nt: NormalizedText, text: str, found: list[Signal], seen: _Seen,
               whole_words: bool = False) -> None:
    """Ages in ``text`` (the canonical text, or its numeric view) not already in ``seen``, added to ``found``."""
    for m in _BIRTH_YEAR.finditer(text):
        if len(found) >= MAX_AGES:
            return
        if whole_words and not _whole(text, m):
            continue
        age = this_year() - _birth_year(m)  # 18 this year may still be 17 today
        before = _words_before(text, m.start(), 1)
        if 5 <= age <= 18 and not seen.overlaps(m.span()) and not _PRODUCT_BEFORE.search(before) and not (
                m.group().startswith("lahiran") and _GAVE_BIRTH_BEFORE.search(before)):
            seen.add(m.span())
            found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
    for m in _BARE_YEAR.finditer(text):
        if len(found) >= MAX_AGES:
            return
        if whole_words and not _whole(text, m):
            continue
        age = this_year() - _birth_year(m)
        if not MIN_BARE_YEAR_AGE <= age <= 17 or seen.covers(m.start()):
            continue
        if m.group("s") and not _opens_line(nt, m.start()):
            continue
        if _NOT_A_BIRTH_YEAR_BEFORE.search(_words_before(text, m.start())) or \
                _TIME_WORD_JUST_BEFORE.search(_words_before(text, m.start(), 1)):
            continue
        if _NOT_A_BIRTH_YEAR_AFTER.match(text[m.end() : m.end() + 12]):
            continue
        seen.add(m.span())
        found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *m.span(), detail=str(min(age, 17))))
    for pattern in _AGE_PATTERNS:
        if whole_words and pattern in _NO_UNIT_OR_AGE_WORD:
            continue  # "baru i7", "masih i5": a processor, not an age
        for m in pattern.finditer(text):
            if len(found) >= MAX_AGES:
                return
            if whole_words and not _whole(text, m):
                continue
            if "n" in pattern.groupindex and m.group("n").startswith("0"):
                continue  # "O5 th", "umur 05": no one writes an age so
            if pattern is _ARITH_AGE:
                age = _arithmetic(m.group("e"))
            else:
                age = _roman(nt, m) if "r" in pattern.groupindex else _age(m.group("n"))
            if not (12 if pattern in _TWELVE_AND_UP else 5) <= age < 18:
                # (but an adult's sum before an age unit may be two people: "umur 25 + 16 th" still reads the 16)
                two = pattern is _ARITH_AGE and _UNIT_OF_YEARS.match(text, m.end()) is not None
                if age >= 18 and not two and not seen.covers(m.start()):
                    seen.add(m.span())  # "umur 1 8 thn": an adult; its "8 thn" is no age either
                continue
            if _DURATION_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
                continue
            if _DURATION_AFTER.match(text[m.end() : m.end() + 20]) and not (
                    _BIRTHDAY_NEAR_AFTER.match(text[m.end() : m.end() + 20]) and "n" in pattern.groupindex
                    and (_BIRTHDAY_NEAR_BEFORE.search(text[max(0, m.start("n") - 12) : m.start("n")])
                         or _FIRST_PERSON_AGE_WORD.match(text, m.start()))):
                continue
            if pattern is _U_AGE and _TEAM_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            if pattern is _SECOND_AGE and int(m.group("first")) >= age:
                continue  # "umurku 20-5" is no range (and no age of 5)
            if pattern is _TEEN_OPENING and not _opens_line(nt, m.start()):
                continue
            span = (m.start("n"), m.end()) if pattern is _SECOND_AGE else m.span()  # "15 tahun" of "umur 13-15 tahun"
            if seen.overlaps(span):
                continue
            if pattern is _NAME_AGE and "\n" in nt.original[slice(*nt.to_original(*m.span()))]:
                continue  # a name and its age stand on one line: "50rb\n(13) Kemeja" is a list
            seen.add(span)
            found.append(make_signal(nt, "minor.age", SignalGroup.MINOR, 0.0, *span, detail=str(age)))


def _arithmetic(expression: str) -> int:
    """The value of a small sum ("2x7+1" → 15, "dua kali tujuh" → 14, "setengah dari 30" → 15), or 0 if half of
    an odd number."""
    tokens = [t for t in _ARITH_TOKEN.findall(" ".join(expression.split())) if t != "dari"]
    if tokens[0] in _HALF:
        half = _OPERAND_VALUE.get(tokens[-1]) or int(tokens[-1])
        return half // 2 if half % 2 == 0 else 0
    values = [_OPERAND_VALUE.get(t) or int(t) for t in tokens[0::2]]
    if tokens[1:2] == ["lebih"] and not 12 <= sum(values) < 18:
        return values[0]  # "umur 15 lebih 3", "umur 10 lebih 8": the first number, and a bit
    terms = [values[0]]
    for op, value in zip(tokens[1::2], values[1:], strict=False):
        if op in _TIMES:
            terms[-1] *= value
        else:
            terms.append(value)
    return sum(terms)


def _birth_year(m: re.Match[str]) -> int:
    """The four-digit year a birth-year match gives ("2k10", "'09" and "10 liner" are 20xx)."""
    groups = m.groupdict()
    for name in ("y", "y2", "s"):
        if groups.get(name):
            return int(groups[name])
    if groups.get("ys"):
        return int("".join(c for c in groups["ys"] if c.isdigit()))
    if groups.get("w"):
        return _YEAR_BY_SKELETON["".join(groups["w"].split())]
    short = groups.get("k") or groups.get("yy") or groups.get("l") or groups.get("l2") or groups.get("l3")
    assert short is not None
    return 2000 + int(short)


_ALNUM = re.compile(r"[^\W_]")


def _opens_line(nt: NormalizedText, start: int) -> bool:
    """Whether no letter or digit stands before canonical position ``start`` on its line of the original (styled
    letters such as ⓞⓟⓔⓝ count: the canonical text is read)."""
    o_start = nt.to_original(start, start + 1)[0]
    line_start = bisect_left(nt.starts, nt.original.rfind("\n", 0, o_start) + 1)
    return _ALNUM.search(nt.text, line_start, start) is None


# Letters written for digits in a number: "I5 th", "umur l6", "lahir 2O1O". The normaliser reads such a
# word as leetspeak ("is", "2oio"), as it must for "0p3n", and reads digits run onto letters as letters
# ("u16" → "uig", "2k9" → "2kg"); ages are read a second time with these words as numbers.
_LOOKALIKE_DIGITS = {"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "s": "5", "S": "5"}
_DIGIT_BESIDE_LETTER = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
_WORD_REST = re.compile(r"\w*")
# a number, in digits or look-alikes, alone or run onto an age word or unit: "I5", "2O1O", "I5th", "umurl6",
# "u16", "2k9" (a name run onto a number, "Putri5", is left alone: no age starts inside a word)
_NUMBER_TOKEN = re.compile(r"(?i:um[uvo]r|usia|u|2k)?(?P<num>(?=[oOiIlsS]*\d)[\doOiIlsS]{1,4})"
                           r"(?i:th|thn|thun|tahun|taun|yo)?")

# a product written as one word ("2x7", which the normaliser reads as leetspeak "2xt")
_TIMES_TOKEN = re.compile(r"(?P<num>\d{1,2}[xX]\d{1,2})")


def numeric_view(nt: NormalizedText) -> str:
    """The canonical text with the digits of words that mix digits and letters put back, and numbers written
    with look-alike letters in digits ("I5" → "15"); the same length, so spans stay right."""
    original, starts, ends = nt.original, nt.starts, nt.ends
    hit = _DIGIT_BESIDE_LETTER.search(original)
    chars: list[str] | None = None
    while hit is not None:
        start = hit.start()
        while start > 0 and (original[start - 1].isalnum() or original[start - 1] == "_"):
            start -= 1
        end = _WORD_REST.match(original, hit.end()).end()  # type: ignore[union-attr]  # \w* always matches
        hit = _DIGIT_BESIDE_LETTER.search(original, end)
        token = original[start:end]
        number = _NUMBER_TOKEN.fullmatch(token) or _TIMES_TOKEN.fullmatch(token)
        if number is None:
            continue
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        if number.group("num").isdigit() and nt.text[first:last] == token.lower():
            continue  # "16th", "u16" left as they are by the normaliser
        num_start, num_end = start + number.start("num"), start + number.end("num")
        for i in range(first, last):
            if ends[i] - starts[i] != 1:
                continue  # the normaliser joined or split characters here: leave them
            c = original[starts[i]]
            digit = _LOOKALIKE_DIGITS.get(c, c) if num_start <= starts[i] < num_end else ""
            if digit.isdigit() and digit.isascii() and nt.text[i] != digit:
                chars = chars if chars is not None else list(nt.text)
                chars[i] = digit
    return nt.text if chars is None else "".join(chars)


def _roman(nt: NormalizedText, m: re.Match[str]) -> int:
    """The age a Roman numeral gives, read from the original text (the normaliser squeezed "xviii" to "xvi")."""
    start, end = nt.to_original(*m.span("r"))
    return _ROMAN.get(nt.original[start:end].lower(), 0)


def _age(number: str) -> int:
    """The age a matched number gives: digits, or a number word ("lima belas" → 15)."""
    digits = "".join(c for c in number if not c.isspace() and c not in "_-")
    if digits.isdigit():
        return int(digits)
    return _AGE_BY_SKELETON.get("".join(number.split()), 0)
