"""Contact details that move a conversation off-platform: phone/WhatsApp numbers, links, handles.

Phone numbers are validated with ``lokal.parse_phone`` (Indonesian numbering plan), so prices
and dates never count as numbers. The signal text is the original span; nothing is stored here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lokal import parse_phone

from pantau.models import NormalizedText, Signal, SignalGroup
from pantau.signals.base import make_signal

_PHONE = re.compile(r"(?<![\d])(?:\+?62|0)\s*8(?:[\s.\-]*\d){7,11}(?![\d])")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|(?<![a-z0-9])(?:wa\.me|t\.me|bit\.ly|s\.id|linktr\.ee|line\.me|tinyurl\.com|"
    r"telegram\.me|chat\.whatsapp\.com)/\S*"
)
_HANDLE = re.compile(r"(?<![a-z0-9_])@[a-z0-9_.]{3,30}")

_SIGNALS = (
    ("contact.phone", 1.0),
    ("contact.link", 0.8),
    ("contact.handle", 0.5),
)


class ContactExtractor:
    name = "contact"
    version = "1"

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]:
        return tuple((name, SignalGroup.CONTACT) for name, _ in _SIGNALS)

    def extract(self, nt: NormalizedText) -> Iterable[Signal]:
        text = nt.text
        found: list[Signal] = []
        if any(c.isdigit() for c in text):
            for m in _PHONE.finditer(text):
                digits = re.sub(r"\D", "", m.group())
                if parse_phone(digits).valid:
                    found.append(make_signal(nt, "contact.phone", SignalGroup.CONTACT, 1.0, *m.span()))
        if "." in text or "/" in text:
            for m in _LINK.finditer(text):
                found.append(make_signal(nt, "contact.link", SignalGroup.CONTACT, 0.8, *m.span()))
        if "@" in text:
            for m in _HANDLE.finditer(text):
                found.append(make_signal(nt, "contact.handle", SignalGroup.CONTACT, 0.5, *m.span()))
        return found
