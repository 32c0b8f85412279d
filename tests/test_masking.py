"""mask_pii / mask_spans: what is masked, what must survive, where the spans stand, how fast."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.masking import PLACEHOLDERS, mask_pii, mask_spans

# (input, expected output) — every number, address and handle below is made up.
MASKED = [
    # Indonesian mobile, plain 08…
    ("wa 081234567890 ya", "wa <phone> ya"),
    # dashes between groups
    ("WA 0812-3456-7890", "WA <phone>"),
    ("Wa 0831_8539_2331", "Wa <phone>"),  # underscores as separators (seen in a crawled ad)
    # spaces between groups
    ("minat 0857 1234 5678", "minat <phone>"),
    # dots between groups
    ("hub 0818.1234.5678.", "hub <phone>."),
    # spaced dash
    ("0812 - 3456 - 7890", "<phone>"),
    # +62 with spaces
    ("+62 812 3456 7890", "<phone>"),
    # +62 with dashes
    ("wa +62 831-1234-5678.", "wa <phone>."),
    # (+62) in parentheses
    ("(+62) 812-3456-7890", "<phone>"),
    # 62… without the plus
    ("6281234567890", "<phone>"),
    # glued to the word before it
    ("Wa081234567890", "Wa<phone>"),
    # glued to an emoji
    ("📲082212345678 & DM", "📲<phone> & DM"),
    # glued to the word after it
    ("0812345678901kak", "<phone>kak"),
    # obfuscated: a letter o for the last zero
    ("0812 345 678 9o", "<phone>"),
    # obfuscated: letter O for the leading zero
    ("O812 3456 7890", "<phone>"),
    # obfuscated: l for 1
    ("08l2 3456 7890", "<phone>"),
    # digits spaced out one by one
    ("0 8 1 2 3 4 5 6 7 8 9 0", "<phone>"),
    # keycap emoji digits
    ("wa 0️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣", "wa <phone>"),
    # full-width digits
    ("wa ０８１２３４５６７８９０", "wa <phone>"),
    # bare 8… without the leading zero
    ("812 3456 7890", "<phone>"),
    # landline with area code
    ("(0274) 512345", "<phone>"),
    # landline without parentheses
    ("telp 0274 512345", "telp <phone>"),
    # Malaysian mobile (the nbc negatives hold many)
    ("ws 012-345 6789", "ws <phone>"),
    # other country code
    ("Whatsapp : +855-12-345-678", "Whatsapp : <phone>"),
    # a year before the number is not swallowed into it
    ("2020 081234567890", "2020 <phone>"),
    # a trailing word made of look-alike letters stays a word
    ("0812345678 lol", "<phone> lol"),
    # two numbers in a row
    ("0812345678 0813456789", "<phone> <phone>"),
    # http URL
    ("cek http://example.com/a?b=1 ya", "cek <url> ya"),
    # https URL, trailing ellipsis and dot kept outside
    ("https://t.co/abc123…", "<url>…"),
    # a link cut off after the scheme (tweets end like this)
    ("klik disini https:", "klik disini <url>"),
    # a link glued to a hashtag keeps the hashtag's word
    ("#bispakhttp://contoh.com/x", "#bispak<url>"),
    # a link glued to a handle: handle and link
    ("cc @kawan_ajahttps://t.co/xyz …", "cc <handle><url> …"),
    # www URL
    ("www.example.co.id.", "<url>."),
    # Twitter picture link
    ("lucu pic.twitter.com/AbCd123XyZ", "lucu <url>"),
    # a hashtag glued to a picture link keeps its word
    ("#jogjapic.twitter.com/AbCd123XyZ", "#jogja<url>"),
    # bit.ly
    ("klik bit.ly/3abcDEF", "klik <url>"),
    # t.me
    ("join t.me/contohgrup", "join <url>"),
    # wa.me with a number inside: one URL, not URL + phone
    ("wa.me/6281234567890", "<url>"),
    # s.id short link
    ("s.id/AbC12 dll.", "<url> dll."),
    # URL inside forum markup
    ("[img]https://s.example.id/a.jpg[/img]", "[img]<url>[/img]"),
    # e-mail
    ("email: nama.saya+x@contoh.co.id!", "email: <email>!"),
    # e-mail with digits before the @ is one e-mail, not a phone
    ("user081234567890@gmail.com", "<email>"),
    # @handle
    ("dm @cewek_jogja yaa", "dm <handle> yaa"),
    # handle with a dot, sentence dot left outside
    ("IG @toko.kita.", "IG <handle>."),
    # handle with digits is one handle, not a phone
    ("@user081234567890 hi", "<handle> hi"),
    # all kinds at once
    (
        "wa 0812-3456-7890 / dm @cewekjogja / info bit.ly/abc / a@b.com",
        "wa <phone> / dm <handle> / info <url> / <email>",
    ),
]

# Texts that must come out unchanged.
UNTOUCHED = [
    "backup_2020_05_06.zip",  # a date joined by underscores
    "08_12_2020_1234",  # a date first, then a counter
    # prices in k
    "harga 300k aja",
    # price with thousands dots
    "1.500.000 nego",
    # Rupiah glued
    "Rp350.000",
    # Rupiah with space and trailing ,-
    "Rp 1.500.000,-",
    # billions grouped in thousands, starting with 8
    "850.000.000",
    # 8.5 billion, ten digits, grouped in thousands
    "8.500.000.000",
    # age
    "umur 16th",
    # year
    "tahun 2020",
    # time
    "jam 20.00",
    # time range
    "jam 08.00-20.00 wib",
    # date plus time: nine-plus digits, but a date
    "tgl 06-05-2020 10.00",
    # short rate card
    "ST 400 LT 550",
    # a tweet id (no leading 0/8/+)
    "1250000000000000001",
    # a hex forum id with digits inside
    "[QUOTE=someone;5c1234abcde0522791111b4560]",
    # a list of two-digit numbers
    "nomor 85 86 87 88 89 90 91",
    # bare @ before an amount is no handle
    "hadiah pulsa @ 10rb per orang",
    # word.word without a known TLD
    "jl.malioboro no.5",
    # Indonesian suffix -in after a dot is no domain
    "ngomong.in aja",
    # toll-free 0800 numbers are no personal data
    "layanan 0800-100-1234",
    # plain chat
    "Nasi goreng pakai telur ceplok, kalian tim setengah matang atau matang?",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_masks(text: str, expected: str) -> None:
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_leaves_non_pii_alone(text: str) -> None:
    assert mask_pii(text) == text
    assert mask_spans(text) == []


def test_spans_point_at_the_masked_items() -> None:
    text = "Hai! WA 0812-3456-7890, ig @cewek_jogja, web https://contoh.id/x, mail a.b@contoh.com"
    spans = mask_spans(text)
    assert [(text[s:e], kind) for s, e, kind in spans] == [
        ("0812-3456-7890", "phone"),
        ("@cewek_jogja", "handle"),
        ("https://contoh.id/x", "url"),
        ("a.b@contoh.com", "email"),
    ]


def test_spans_are_sorted_and_disjoint() -> None:
    text = "wa.me/6281234567890 0812 3456 7890 @a_b x@y.com www.z.com 0813-1111-2222"
    spans = mask_spans(text)
    assert spans == sorted(spans)
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert end <= start
    assert {kind for _, _, kind in spans} <= set(PLACEHOLDERS)


def test_mask_pii_rebuilds_text_from_spans() -> None:
    text = "x 0812-3456-7890 y @abc z"
    rebuilt, pos = [], 0
    for start, end, kind in mask_spans(text):
        rebuilt += [text[pos:start], PLACEHOLDERS[kind]]
        pos = end
    rebuilt.append(text[pos:])
    assert mask_pii(text) == "".join(rebuilt) == "x <phone> y <handle> z"


@pytest.mark.parametrize("text", [t for t, _ in MASKED] + UNTOUCHED)
def test_idempotent(text: str) -> None:
    once = mask_pii(text)
    assert mask_pii(once) == once


_SEPARATORS = st.sampled_from(["", " ", "-", ".", " - "])


@given(
    prefix=st.sampled_from(["0", "+62 ", "+62", "62", "(+62) "]),
    operator=st.sampled_from(["811", "812", "813", "821", "831", "838", "852", "857", "877", "881", "895"]),
    subscriber=st.text(alphabet="0123456789", min_size=6, max_size=9),
    sep=_SEPARATORS,
    before=st.sampled_from(["", "wa ", "WA:", "hub ", "📲", "minat wa="]),
    after=st.sampled_from(["", " ya", ".", " kak", "!"]),
)
def test_no_indonesian_mobile_number_survives(
    prefix: str, operator: str, subscriber: str, sep: str, before: str, after: str
) -> None:
    # 08xx + 6..9 digits: every length Indonesian mobile numbers have (10-13 digits with the 0)
    groups = [operator] + [subscriber[i : i + 4] for i in range(0, len(subscriber), 4)]
    masked = mask_pii(before + prefix + sep.join(groups) + after)
    assert "<phone>" in masked
    assert not re.search(r"\d{4,}", masked.replace("<phone>", ""))


def test_fast_enough_for_every_scan() -> None:
    texts = [
        "ready cewe jogja open bo 300k full service, wa 0812-3456-7890 atau dm ya kak, cod no dp area hotel",
        "Nasi goreng pakai telur ceplok, kalian tim setengah matang atau matang? aku sih setengah matang.",
    ] * 500
    start = time.perf_counter()
    for text in texts:
        mask_pii(text)
    per_text = (time.perf_counter() - start) / len(texts)
    # ~2-10 µs on a developer machine; the bound only catches a pathological slowdown.
    assert per_text < 100e-6
