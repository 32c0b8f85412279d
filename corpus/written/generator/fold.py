import re
import unicodedata as U

HC_INV = dict(zip("асеорхуіјѕАВСЕНІКМОРТХУ", "aceopxyijsABCEHIKMOPTXY", strict=False))
HG_INV = {
    "α": "a",
    "в": "b",
    "¢": "c",
    "∂": "d",
    "є": "e",
    "н": "h",
    "ι": "i",
    "к": "k",
    "ℓ": "l",
    "м": "m",
    "и": "n",
    "σ": "o",
    "ρ": "p",
    "я": "r",
    "ѕ": "s",
    "т": "t",
    "υ": "u",
    "ν": "v",
    "ω": "w",
    "χ": "x",
    "у": "y",
}
SC = dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", strict=False))


def fold(t):
    out = []
    for c in U.normalize("NFKD", t):
        if U.combining(c) or c in "\u200b\u200c\u200d\u2060\ufe0f\u20e3":
            continue
        c = HC_INV.get(c, HG_INV.get(c, SC.get(c, c)))
        n = U.name(c, "")
        m = re.search(r"(?:LETTER|SYMBOL LETTER) ([A-Z])$", n)
        if m and not c.isascii():
            c = m.group(1)
        out.append(c.lower())
    return re.sub(r"[^0-9a-z]+", "", "".join(out))
