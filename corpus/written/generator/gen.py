"""Scratch renderer for the pantau hand-written corpus.

Reads data/*.txt (hand-written rows, one per line, grouped by '## group | category'),
renders deterministic Unicode obfuscation markup and writes JSONL files.
No randomness: every row is a literal line in data/*.txt.

Markup:  {code:text} styles a span;  'base: ... {target} ...' + a variant line
'family | =code[,code2...]' applies the codes to the {target} spans of the base
(cycling); '=code*' styles the whole base; '=' alone is the base unstyled.
"""

import json
import re
import sys
import unicodedata as U
from pathlib import Path

POS = [
    "plain_offer",
    "obfuscated_offer",
    "conversational_offer",
    "agency_offer",
    "online_offer",
    "child_offer",
    "twitter_promo_offer",
]
NEG = [
    "neg_commerce",
    "neg_legit_service",
    "neg_rental",
    "neg_dating",
    "neg_news_warning",
    "neg_report",
    "neg_negation",
    "neg_everyday_chat",
    "neg_child_mention",
    "neg_sexual_nonoffer",
    "neg_twitter_promo",
]
FAMILIES = [
    "math_alnum",
    "fullwidth",
    "circled",
    "enclosed_emoji",
    "small_caps",
    "homoglyph",
    "zero_width",
    "combining",
    "leet",
    "split_letters",
    "stretched",
    "spoken",
    "abbreviation",
    "mixed",
]

MATH = {
    "b": "BOLD",
    "i": "ITALIC",
    "bi": "BOLD ITALIC",
    "ss": "SANS-SERIF",
    "sb": "SANS-SERIF BOLD",
    "si": "SANS-SERIF ITALIC",
    "sbi": "SANS-SERIF BOLD ITALIC",
    "ds": "DOUBLE-STRUCK",
    "sc": "SCRIPT",
    "bsc": "BOLD SCRIPT",
    "fr": "FRAKTUR",
    "bfr": "BOLD FRAKTUR",
    "mono": "MONOSPACE",
}
MATH_EXC = {
    ("ITALIC", "SMALL", "H"): "PLANCK CONSTANT",
    ("FRAKTUR", "CAPITAL", "C"): "BLACK-LETTER CAPITAL C",
    ("FRAKTUR", "CAPITAL", "H"): "BLACK-LETTER CAPITAL H",
    ("FRAKTUR", "CAPITAL", "I"): "BLACK-LETTER CAPITAL I",
    ("FRAKTUR", "CAPITAL", "R"): "BLACK-LETTER CAPITAL R",
    ("FRAKTUR", "CAPITAL", "Z"): "BLACK-LETTER CAPITAL Z",
}
for _c in "CHNPQRZ":
    MATH_EXC[("DOUBLE-STRUCK", "CAPITAL", _c)] = "DOUBLE-STRUCK CAPITAL " + _c
for _c in "BEFHILMR":
    MATH_EXC[("SCRIPT", "CAPITAL", _c)] = "SCRIPT CAPITAL " + _c
for _c in "EGO":
    MATH_EXC[("SCRIPT", "SMALL", _c)] = "SCRIPT SMALL " + _c
DIGITS = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"]

SMALLCAPS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ", strict=False))
HC = dict(zip("aceopxyijsABCEHIKMOPTXY", "асеорхуіјѕАВСЕНІКМОРТХУ", strict=False))
HG = {
    "a": "α",
    "b": "в",
    "c": "¢",
    "d": "∂",
    "e": "є",
    "h": "н",
    "i": "ι",
    "k": "к",
    "l": "ℓ",
    "m": "м",
    "n": "и",
    "o": "σ",
    "p": "ρ",
    "r": "я",
    "s": "ѕ",
    "t": "т",
    "u": "υ",
    "v": "ν",
    "w": "ω",
    "x": "χ",
    "y": "у",
}
LEET = {"o": "0", "e": "3", "a": "4", "i": "1", "O": "0", "E": "3", "A": "4", "I": "1"}
LEET2 = dict(LEET, s="5", S="5", t="7", T="7", g="9", G="9")
ZALGO = [
    "\u0300",
    "\u0301",
    "\u0315",
    "\u0316",
    "\u0327",
    "\u0334",
    "\u0353",
    "\u035b",
    "\u0308",
    "\u0324",
    "\u030c",
    "\u0352",
]
ZJ = ["\u200c", "\u200d", "\u2060", "\u200b"]
SPLIT = {"sps": " ", "spd": ".", "spdash": "-", "spu": "_", "spl": "/", "spst": "*"}

FAM_OF = {}
for k in MATH:
    FAM_OF[k] = "math_alnum"
FAM_OF.update(
    fw="fullwidth",
    ci="circled",
    cu="circled",
    pa="circled",
    sq="enclosed_emoji",
    nc="enclosed_emoji",
    so="enclosed_emoji",
    ri="enclosed_emoji",
    ri0="enclosed_emoji",
    smc="small_caps",
    hc="homoglyph",
    hg="homoglyph",
    zw="zero_width",
    zj="zero_width",
    zs="zero_width",
    st="combining",
    ul="combining",
    dia="combining",
    acc="combining",
    zg="combining",
    lt="leet",
    lt2="leet",
)
for k in SPLIT:
    FAM_OF[k] = "split_letters"


def math_char(style, ch):
    if ch.isdigit():
        if style in ("BOLD", "DOUBLE-STRUCK", "SANS-SERIF", "SANS-SERIF BOLD", "MONOSPACE"):
            return U.lookup(f"MATHEMATICAL {style} DIGIT {DIGITS[int(ch)]}")
        return ch
    if not ("a" <= ch.lower() <= "z"):
        return ch
    case = "CAPITAL" if ch.isupper() else "SMALL"
    key = (style, case, ch.upper())
    if key in MATH_EXC:
        return U.lookup(MATH_EXC[key])
    return U.lookup(f"MATHEMATICAL {style} {case} {ch.upper()}")


def per_word(text, fn):
    return " ".join(fn(w) for w in text.split(" "))


def style(code, text):
    if code in MATH:
        return "".join(math_char(MATH[code], c) for c in text)
    if code == "fw":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)
    if code in ("ci", "cu"):
        out = []
        for c in text:
            if code == "cu":
                c = c.upper()
            if "a" <= c <= "z":
                out.append(U.lookup(f"CIRCLED LATIN SMALL LETTER {c.upper()}"))
            elif "A" <= c <= "Z":
                out.append(U.lookup(f"CIRCLED LATIN CAPITAL LETTER {c}"))
            elif c == "0":
                out.append("⓪")
            elif "1" <= c <= "9":
                out.append(U.lookup(f"CIRCLED DIGIT {DIGITS[int(c)]}"))
            else:
                out.append(c)
        return "".join(out)
    if code == "pa":
        out = []
        for c in text:
            if c.isascii() and c.isalpha():
                out.append(U.lookup(f"PARENTHESIZED LATIN SMALL LETTER {c.upper()}"))
            elif "1" <= c <= "9":
                out.append(U.lookup(f"PARENTHESIZED DIGIT {DIGITS[int(c)]}"))
            else:
                out.append(c)
        return "".join(out)
    if code in ("sq", "nc", "so"):
        name = {
            "sq": "NEGATIVE SQUARED LATIN CAPITAL LETTER",
            "nc": "NEGATIVE CIRCLED LATIN CAPITAL LETTER",
            "so": "SQUARED LATIN CAPITAL LETTER",
        }[code]
        out = []
        for c in text:
            if c.isascii() and c.isalpha():
                out.append(U.lookup(f"{name} {c.upper()}"))
                if code == "sq" and c.upper() in "ABOP":
                    out.append("\ufe0f")
            elif c.isdigit():
                out.append(c + "\ufe0f\u20e3")
            else:
                out.append(c)
        return "".join(out)
    if code in ("ri", "ri0"):

        def w(word):
            cs = [
                U.lookup(f"REGIONAL INDICATOR SYMBOL LETTER {c.upper()}") if c.isascii() and c.isalpha() else c
                for c in word
            ]
            return (" " if code == "ri" else "").join(cs)

        return ("   " if code == "ri" else " ").join(w(x) for x in text.split(" "))
    if code == "smc":
        return "".join(SMALLCAPS.get(c.lower(), c) if c.isalpha() and c.isascii() else c for c in text)
    if code == "hc":
        return "".join(HC.get(c, c) for c in text)
    if code == "hg":
        return "".join(HG.get(c.lower(), c) if c.isascii() else c for c in text)
    if code == "zw":
        return per_word(text, lambda w: "\u200b".join(w))
    if code == "zj":

        def f(w):
            out = []
            for i, c in enumerate(w):
                out.append(c)
                if i < len(w) - 1:
                    out.append(ZJ[i % len(ZJ)])
            return "".join(out)

        return per_word(text, f)
    if code == "zs":
        return per_word(text, lambda w: w[: len(w) // 2] + "\u200b" + w[len(w) // 2 :] if len(w) > 1 else w)
    if code in ("st", "ul"):
        mark = "\u0336" if code == "st" else "\u0332"
        return "".join(c + mark if c != " " else c for c in text)
    if code in ("dia", "acc"):
        mark = "\u0308" if code == "dia" else "\u0301"
        return U.normalize("NFC", "".join(c + mark if c.lower() in "aeiou" else c for c in text))
    if code == "zg":
        out, k = [], 0
        for c in text:
            out.append(c)
            if c.isalnum():
                out.append(ZALGO[k % len(ZALGO)] + ZALGO[(k + 5) % len(ZALGO)])
                k += 1
        return "".join(out)
    if code in ("lt", "lt2"):
        m = LEET if code == "lt" else LEET2
        return "".join(m.get(c, c) for c in text)
    if code in SPLIT:
        sep = SPLIT[code]
        return (" " * (3 if sep == " " else 1)).join(sep.join(w) for w in text.split(" "))
    raise ValueError(f"unknown style code {code!r}")


SPAN = re.compile(r"\{([a-z0-9]+):([^{}]*)\}")
TARGET = re.compile(r"\{([^{}:]*)\}")


def render_inline(text, used):
    def rep(m):
        used.add(m.group(1))
        return style(m.group(1), m.group(2))

    if "{" in text and not SPAN.search(text):
        raise ValueError(f"unmatched markup: {text}")
    out = SPAN.sub(rep, text)
    if "{" in out or "}" in out:
        raise ValueError(f"leftover braces: {text}")
    return out


def render_variant(base, spec, used):
    spec = spec.strip()
    if spec == "=":
        return TARGET.sub(lambda m: m.group(1), base)
    codes = spec[1:]
    if codes.endswith("*"):
        code = codes[:-1]
        used.add(code)
        plain = TARGET.sub(lambda m: m.group(1), base)
        return style(code, plain)
    cl = codes.split(",")
    i = [0]

    def rep(m):
        c = cl[i[0] % len(cl)]
        i[0] += 1
        used.add(c)
        return style(c, m.group(1))

    out = TARGET.sub(rep, base)
    if i[0] == 0:
        raise ValueError(f"base has no targets: {base}")
    return out


def parse(path):
    rows, group, cat, base = [], None, None, None
    auto = {}
    for ln, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        try:
            if line.startswith("## "):
                group, cat = [x.strip() for x in line[3:].split(" | ")]
                assert cat in POS + NEG, cat
                base = None
                continue
            if line.startswith("base:"):
                base = line[5:].strip()
                continue
            fam = None
            head, sep, rest = line.partition(" | ")
            if sep and head in [*FAMILIES, "-"]:
                fam = None if head == "-" else head
                line = rest.strip()
            used = set()
            if line.startswith("="):
                assert base, "variant without base"
                text = render_variant(base, line, used)
                text = render_inline(text, used) if SPAN.search(text) else text
            else:
                text = render_inline(line, used)
            text = text.replace(" \\n ", "\n").replace("\\n", "\n")
            inferred = {FAM_OF[c] for c in used}
            c = cat
            if c in NEG:
                assert fam is None, "family on negative"
            else:
                if fam is None:
                    assert not inferred, f"styled positive without family: {inferred}"
                elif fam == "mixed":
                    pass
                elif inferred:
                    assert inferred == {fam}, f"family {fam} but markup says {inferred}"
                else:
                    assert fam not in set(FAM_OF.values()) - {"leet", "split_letters"}, (
                        f"mechanical family {fam} without markup"
                    )
                if c == "obfuscated_offer" and fam is None:
                    c = "plain_offer"
                if c == "plain_offer" and fam is not None:
                    c = "obfuscated_offer"
            g = group
            if group.endswith("*"):
                auto[group] = auto.get(group, 0) + 1
                g = f"{group[:-1]}{auto[group]:03d}"
            rows.append(dict(text=text, category=c, family=fam, group=g, src=f"{path.name}:{ln}"))
        except Exception as e:
            sys.exit(f"{path}:{ln}: {e}\n  {raw}")
    return rows


def main():
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    seen = {}
    groups_file = {}
    for p in sorted(Path(__file__).parent.glob("data/*.txt")):
        rows = parse(p)
        lines = []
        for n, r in enumerate(rows, 1):
            t = r["text"]
            if t in seen:
                sys.exit(f"duplicate text {r['src']} == {seen[t]}: {t}")
            seen[t] = r["src"]
            g = r["group"]
            if groups_file.setdefault(g, p.stem) != p.stem:
                sys.exit(f"group {g} used in two files")
            label = 1 if r["category"] in POS else 0
            obj = {
                "id": f"w-{p.stem}-{n:04d}",
                "text": t,
                "label": label,
                "minor": 1 if r["category"] == "child_offer" else 0,
                "category": r["category"],
                "family": r["family"],
                "group": g,
            }
            lines.append(json.dumps(obj, ensure_ascii=False))
        (out_dir / f"{p.stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(p.stem, len(lines))


if __name__ == "__main__":
    main()
