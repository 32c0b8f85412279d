"""Signal extractors: a protocol, a registry, and the built-in extractors.

Most signals are data (``pantau/data/lexicon/*.yaml``); the code extractors here handle what
patterns alone cannot: validated phone numbers, parsed Rupiah amounts, ages with their context.
To add one, write a class with ``name``, ``version``, ``signal_names`` and ``extract`` and pass it
to ``default_registry(extra=[...])``; see docs/signals.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from pantau.signals.base import DuplicateNameError, Registry, SignalExtractor, make_signal
from pantau.signals.contact import ContactExtractor
from pantau.signals.lexicon import LexiconExtractor, builtin_lexicons, load_lexicon_file
from pantau.signals.minors import MinorAgeExtractor
from pantau.signals.rates import RateExtractor

__all__ = [
    "ContactExtractor",
    "DuplicateNameError",
    "LexiconExtractor",
    "MinorAgeExtractor",
    "RateExtractor",
    "Registry",
    "SignalExtractor",
    "default_registry",
    "load_lexicon_file",
    "make_signal",
]


def default_registry(extra: Iterable[SignalExtractor] = ()) -> Registry:
    """The built-in lexicons and code extractors, then any ``extra`` ones."""
    return Registry([*builtin_lexicons(), RateExtractor(), ContactExtractor(), MinorAgeExtractor(), *extra])
