"""Rates and prices in Rupiah, written any way (300k, 300rb, 300 ribu, 1,2jt, Rp350.000, 3OO).

Three signals, from weak to strong:

- ``rate.price``          an amount of money on its own (shops have prices too);
- ``rate.per_time``       an amount per hour/session/night/shot;
- ``rate.service_price``  an amount tied to a service term: ST 300 / LT 800, BO 500, VCS 100k.

Amounts are parsed with ``lokal.parse_rupiah``; the parsed value is the signal's ``detail``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lokal import parse_rupiah

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.signals.base import make_signal

_UNIT = r"(?:k|rb|rbu|ribu|ribuan|rban|jt|jeti|juta|jutaan|jtan|m|perak)"
_AMOUNT = (
    rf"(?:(?:rp|idr)\.?\s*\d{{1,3}}(?:[.,]\d{{3}})+(?:,-|,00)?"  # Rp350.000
    rf"|(?:rp|idr)\.?\s*\d+(?:[.,]\d+)?\s*{_UNIT}?"  # Rp 350rb, rp350
    rf"|\d+(?:[.,]\d+)?\s*{_UNIT}(?![a-z])"  # 300k, 1,2jt, 300 ribu
    r"|\d{1,3}(?:\.\d{3})+(?:,-)?)"  # 350.000
)
_BARE = r"\d{2,4}(?:[.,]\d+)?"  # 300, 1.5 — only counted next to a service term
_SERVICE = (
    r"(?:st|lt|short\s*time|long\s*time|fs|full\s*service|bo|vcs|vc|hj|bj|ml|crot|full\s*night|fn|pap|"
    r"include|exclude|incl|excl|in|ex|room|kamar|short|long|ons|owo|cim|gfe|shot|sesi|keluar|ronde|"
    r"vip|reguler|regular|paket|tarif|rate|harga|fee)"
)
_PER = r"(?:jam|j|sesi|malam|mlm|shot|crot|ronde|hour|hr|night|x|kali|menit|mnt|main|session|jamnya|hari)"

_SERVICE_PRICE = re.compile(
    rf"(?<![a-z]){_SERVICE}\s*[:=\-]?\s*(?P<a>{_AMOUNT}|{_BARE})(?![\d])"
    rf"|(?<![\d.,])(?P<b>{_AMOUNT}|{_BARE})\s*(?:/|per|untuk|utk|buat|for)?\s*(?:st|lt|short\s*time|long\s*time|fs|bo|vcs|hj|bj|crot|full\s*night|fn)(?![a-z])"
)
_PER_TIME = re.compile(rf"(?<![\d.,])(?P<a>{_AMOUNT}|{_BARE})\s*(?:/|per|se|sejam|tiap)\s*{_PER}(?![a-z])")
_PRICE = re.compile(rf"(?<![\d.,a-z])(?P<a>{_AMOUNT})")

_SIGNALS = (
    ("rate.service_price", 2.5, _SERVICE_PRICE),
    ("rate.per_time", 1.2, _PER_TIME),
    ("rate.price", 0.6, _PRICE),
)


def _amount(text: str) -> str:
    parsed = parse_rupiah(text.strip())
    if parsed is None:
        return ""
    return str(parsed.amount)


class RateExtractor:
    name = "rates"
    version = "1"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return tuple((name, SignalGroup.RATE) for name, _, _ in _SIGNALS)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        if not any(c.isdigit() for c in text):
            return []
        found: list[Signal] = []
        taken: list[tuple[int, int]] = []
        for name, weight, pattern in _SIGNALS:
            for m in pattern.finditer(text):
                a, b = m.span()
                if any(x <= a and b <= y for x, y in taken):
                    continue  # the amount is already part of a stronger rate signal
                amount = m.group("a") or (m.groupdict().get("b") or "")
                taken.append((a, b))
                found.append(make_signal(nt, name, SignalGroup.RATE, weight, a, b, _amount(amount)))
        return found
