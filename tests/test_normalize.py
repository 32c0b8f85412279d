"""Normaliser: one table per rule, offset-map round trips, and a property test on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.normalize import normalize


def norm(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("OPEN BO", "open bo", id="plain-upper"),
        pytest.param("Ｏｐｅｎ ＢＯ", "open bo", id="fullwidth"),
        pytest.param("𝐎𝐩𝐞𝐧 𝐁𝐎", "open bo", id="math-bold"),
        pytest.param("𝕆𝕡𝕖𝕟 𝔹𝕆", "open bo", id="math-double-struck"),
        pytest.param("𝘰𝘱𝘦𝘯 𝘣𝘰", "open bo", id="math-sans-italic"),
        pytest.param("𝓸𝓹𝓮𝓷 𝓫𝓸", "open bo", id="math-script-bold"),
        pytest.param("Ⓞⓟⓔⓝ ⒷⓄ", "open bo", id="circled"),
        # dingbat digits, which NFKC leaves alone; their ten stays a symbol
        pytest.param("umur ❶❺ ➊➏ ➀➆ ⓵⓸", "umur 15 16 17 14", id="dingbat-digits"),
        pytest.param("⒪⒫⒠⒩ ⒝⒪", "open bo", id="parenthesised"),
        pytest.param("🅾️🅿️🅴🅽 🅱️🅾️", "open bo", id="negative-squared-emoji"),
        pytest.param("🄾🄿🄴🄽 🄱🄾", "open bo", id="squared-letters"),
        pytest.param("🇴🇵🇪🇳 🇧🇴", "open bo", id="regional-indicators"),
        pytest.param("ᴏᴘᴇɴ ʙᴏ", "open bo", id="small-capitals"),
        pytest.param("оρєи вσ", "open bo", id="greek-cyrillic-lookalikes"),
        pytest.param("ореn ВО", "open bo", id="cyrillic-o-p-e-and-B-O"),
        pytest.param("o\u200bp\u200ce\u200dn b\u2060o\ufeff", "open bo", id="zero-width"),
        pytest.param("ÖPËN BÖ", "open bo", id="diaeresis"),
        pytest.param("b̶o̶ o̶p̶e̶n̶", "bo open", id="strike-through"),
        pytest.param("ó̷p̸ȅ̴n̵ b̷ó", "open bo", id="zalgo-marks"),
    ],
)
def test_character_folding(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("0p3n b0", "open bo", id="leet-digits"),
        pytest.param("r34dy v1p s3x", "ready vip sex", id="leet-1-3-4"),
        pytest.param("m4m1 c@sh", "mami cash", id="leet-at-sign"),
        pytest.param("5t l7 $3x", "st lt sex", id="leet-five-seven-dollar"),
        pytest.param("b00king", "booking", id="leet-double-zero"),
        pytest.param("8o", "bo", id="leet-eight"),
        pytest.param("ST 300 LT 800", "st 300 lt 800", id="prices-untouched"),
        pytest.param("300k 300rb 1,2jt 1.2 juta", "300k 300rb 1,2jt 1.2 juta", id="rupiah-untouched"),
        pytest.param("Rp350.000", "rp350.000", id="rp-untouched"),
        pytest.param("16th 15thn 17yo", "16th 15thn 17yo", id="ages-untouched"),
        pytest.param("st300 lt800 kelas7", "st300 lt800 kelas7", id="label-plus-number-untouched"),
        pytest.param("3OO", "300", id="letter-o-as-zero"),
        pytest.param("5OOk", "500k", id="letter-o-as-zero-with-unit"),
        pytest.param("jam 20.00 tgl 12/05/2026", "jam 20.00 tgl 12/05/2026", id="times-dates-untouched"),
        pytest.param("@ayu_77", "@ayu_77", id="handle-untouched"),
    ],
)
def test_leetspeak(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("o p e n  b o", "open bo", id="spaced-with-double-space-gap"),
        pytest.param("o p e n", "open", id="spaced-single-word"),
        pytest.param("0.p.e.n", "open", id="dotted-with-leet"),
        pytest.param("O-P-E-N", "open", id="dashed"),
        pytest.param("o.p.e.n b-o", "open bo", id="dotted-then-dashed"),
        pytest.param("b/o", "bo", id="slashed-acronym"),
        pytest.param("v.c.s", "vcs", id="dotted-vcs"),
        pytest.param("o_p_e_n b_o", "open bo", id="underscored"),
        pytest.param("s/d", "s/d", id="s-slash-d-is-not-split-word"),
        pytest.param("a/n Budi", "a/n budi", id="a-slash-n-stays"),
        pytest.param("5/6", "5/6", id="digit-fraction-stays"),
        pytest.param("S T 300", "st 300", id="spaced-acronym-joined"),
        pytest.param("o . p . e . n", "open", id="spaced-dots"),
        pytest.param("a b", "a b", id="two-letters-not-an-acronym-stay"),
        pytest.param("0 8 1 2 3 4 5 6 7 8 9 0", "081234567890", id="spaced-phone-digits-joined"),
        pytest.param("S.T400 L.T1jt", "st400 lt1jt", id="dotted-label-touching-price-keeps-digits"),
        pytest.param("s t 3 5 0  l t 8 5 0", "st 350 lt 850", id="spaced-digits-stay-a-number"),
        pytest.param("🇸 🇹   3 0 0 ✔️ 🇱 🇹", "st 300 lt", id="regional-indicators-with-plain-digits"),
        pytest.param("b - o   r e a d y", "bo ready", id="spaced-dash-is-not-a-word-gap"),
        pytest.param("r e a d y  B O S T 300", "ready bo st 300", id="acronyms-run-together-are-cut"),
        pytest.param("m a k a s s a r o p e n b o", "makassar open bo", id="place-name-before-known-words"),
        pytest.param("v c s 1", "vcs 1", id="lone-final-digit-after-a-word-stays"),
        pytest.param("1-5-k, 2_0_k", "15k 20k", id="spelt-out-price"),
        pytest.param("k e l a s 1 2", "kelas 12", id="spaced-class-number-stays-digits"),
        pytest.param("y a n g | m a u | B O", "yang mau bo", id="bar-between-split-words"),
        pytest.param("c-e-w-e-k d-i h-o-t-e-l", "cewek di hotel", id="two-letter-word-inside-a-split-run"),
        pytest.param("V C S  b.e.r.b.a.y.a.r", "vcs berbayar", id="spaced-word-then-dotted-word"),
        pytest.param("o p e n  b.o", "open bo", id="spaced-then-dotted-after-double-space"),
        pytest.param("a  b  o p e n", "a b open", id="one-letter-words-between-double-spaces"),
    ],
)
def test_split_letters(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("booo", "bo", id="stretched-o"),
        pytest.param("ooopeeen boooo", "open bo", id="stretched-several"),
        pytest.param("readyyyyy", "ready", id="stretched-y"),
        pytest.param("maaaaaf", "maaf", id="real-double-kept"),
        pytest.param("roooom", "room", id="english-double-kept"),
        pytest.param("saat", "saat", id="double-untouched"),
        pytest.param("1000000", "1000000", id="digits-never-squeezed"),
    ],
)
def test_stretched_letters(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("bee oo", "bo", id="bee-oo"),
        pytest.param("be o", "bo", id="be-o"),
        pytest.param("es te el te", "st lt", id="es-te-el-te"),
        pytest.param("vi si es", "vcs", id="vi-si-es"),
        pytest.param("ef es", "fs", id="ef-es"),
        pytest.param("ha je", "hj", id="ha-je"),
        pytest.param("es teh manis", "es teh manis", id="iced-tea-untouched"),
        pytest.param("ha ha ha", "ha ha ha", id="laughter-untouched"),
        pytest.param("di sini", "di sini", id="preposition-untouched"),
    ],
)
def test_spoken_spellings(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("yg gk bgt", "yang tidak banget", id="common-three"),
        pytest.param("sy kk tf", "saya kakak transfer", id="pronoun-kin-transfer"),
        pytest.param("udh blm", "sudah belum", id="aspect"),
        pytest.param("bo st lt dp cod wa", "bo st lt dp cod wa", id="domain-acronyms-never-expanded"),
        pytest.param("#ygbaru", "#ygbaru", id="inside-hashtag-untouched"),
        pytest.param("stk ank br msk, plh ft", "stok anak baru masuk, pilih foto", id="vowels-dropped"),
        pytest.param("csh ditmpt, htl skitar", "cash ditempat, hotel skitar", id="skeleton-and-listed-forms"),
        pytest.param("pls tm rm mls", "pls tm rm mls", id="skeletons-of-other-chat-words-stay"),
        pytest.param("15 mnt", "15 mnt", id="ambiguous-skeleton-stays"),
        pytest.param("an4k", "anak", id="leet-digit-with-unit-letter-is-still-leet"),
        pytest.param("ma5ih ke73mu", "masih ketemu", id="leet-after-a-label-like-prefix"),
        pytest.param("3jttt", "3jt", id="stretched-unit-is-still-a-number"),
        pytest.param("vc5 vc100", "vcs vc100", id="vc5-is-vcs-vc100-a-price"),
        pytest.param("DΜ", "dm", id="greek-capital-mu-is-m"),
        pytest.param("open buking, laiv syo", "open booking, live show", id="english-spelled-as-said"),
        pytest.param("#videobokep2018 pilkada2024", "#videobokep2018 pilkada2024", id="a-year-run-on-is-no-leet"),
    ],
)
def test_abbreviations(raw: str, expected: str) -> None:
    assert norm(raw) == expected


def test_whitespace_collapsed_and_trimmed() -> None:
    assert norm("  open \n\t bo  ") == "open bo"


@pytest.mark.parametrize(
    ("raw", "needle", "original"),
    [
        pytest.param("ready 𝐁𝐎 ya", "bo", "𝐁𝐎", id="math-letters-map-back"),
        pytest.param("mau o.p.e.n b-o?", "open bo", "o.p.e.n b-o", id="joined-letters-map-back"),
        pytest.param("b̶o̶ murah", "bo", "b̶o̶", id="combining-marks-included"),
        pytest.param("boooo 300", "bo", "boooo", id="stretched-maps-to-whole-run"),
        pytest.param("yg ready", "yang", "yg", id="abbreviation-maps-to-abbreviation"),
        pytest.param("halo kak, bee oo ya", "bo", "bee oo", id="spoken-maps-to-words"),
        pytest.param("🅾️🅿️🅴🅽", "open", "🅾️🅿️🅴🅽", id="emoji-with-variation-selectors"),
    ],
)
def test_offset_map_points_at_original(raw: str, needle: str, original: str) -> None:
    nt = normalize(raw)
    i = nt.text.index(needle)
    start, end = nt.to_original(i, i + len(needle))
    assert raw[start:end] == original


def test_offset_map_is_identity_for_plain_ascii() -> None:
    raw = "ready sekarang, st 300"
    nt = normalize(raw)
    assert nt.text == raw
    assert list(nt.starts) == list(range(len(raw)))
    assert list(nt.ends) == list(range(1, len(raw) + 1))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_normalises_and_every_span_maps_inside_the_original(raw: str) -> None:
    nt = normalize(raw)
    assert len(nt.starts) == len(nt.ends) == len(nt.text)
    previous_start = previous_end = 0
    for s, e in zip(nt.starts, nt.ends, strict=True):
        assert 0 <= s < e <= len(raw)
        assert s >= previous_start and e >= previous_end  # monotone: spans stay contiguous
        previous_start, previous_end = s, e
    for i in range(len(nt.text)):
        for j in (i, i + 1, len(nt.text)):
            a, b = nt.to_original(i, j)
            assert 0 <= a <= b <= len(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("open bo 0p3n.-_/ 𝐁𝐎ｏʙσ\u200b\u0336300kSTLT")), max_size=60))
def test_obfuscation_alphabet_never_crashes(raw: str) -> None:
    nt = normalize(raw)
    assert nt.text == nt.text.strip()
