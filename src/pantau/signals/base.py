"""The signal-extractor protocol and the registry that keeps extractor names unique."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from pantau.models import NormalizedText, Signal, SignalGroup, signal_order


@runtime_checkable
class SignalExtractor(Protocol):
    """Finds signals in one normalised text.

    ``name`` is a stable snake_case identifier (a stored contract); ``signal_names`` lists every
    signal name the extractor can emit, so the registry can check them for uniqueness and the
    classifier can build one feature per signal. ``extract`` must return spans in the ORIGINAL
    text (use ``NormalizedText.to_original``).
    """

    name: str
    version: str

    @property
    def signal_names(self) -> tuple[tuple[str, SignalGroup], ...]: ...

    def extract(self, nt: NormalizedText) -> Iterable[Signal]: ...


class DuplicateNameError(ValueError):
    """Two extractors, or two signals, share a name."""


class Registry:
    """An ordered set of extractors with unique extractor and signal names."""

    def __init__(self, extractors: Iterable[SignalExtractor] = ()) -> None:
        self._extractors: dict[str, SignalExtractor] = {}
        self._signals: dict[str, SignalGroup] = {}
        for extractor in extractors:
            self.register(extractor)

    def register(self, extractor: SignalExtractor) -> None:
        if extractor.name in self._extractors:
            raise DuplicateNameError(f"an extractor named {extractor.name!r} is already registered")
        clashes = [n for n, _ in extractor.signal_names if n in self._signals]
        if clashes:
            raise DuplicateNameError(f"extractor {extractor.name!r} emits signal names already taken: {clashes}")
        self._extractors[extractor.name] = extractor
        self._signals.update(dict(extractor.signal_names))

    def __iter__(self) -> Iterator[SignalExtractor]:
        return iter(self._extractors.values())

    def __len__(self) -> int:
        return len(self._extractors)

    @property
    def signal_names(self) -> dict[str, SignalGroup]:
        """Every signal name any registered extractor can emit, with its group, in order."""
        return dict(self._signals)

    @property
    def version(self) -> str:
        """One string naming every extractor's version, recorded on each verdict."""
        return ",".join(f"{e.name}:{e.version}" for e in self)

    def extract(self, nt: NormalizedText) -> list[Signal]:
        found: list[Signal] = []
        for extractor in self:
            found.extend(extractor.extract(nt))
        found.sort(key=signal_order)
        return found


def make_signal(
    nt: NormalizedText, name: str, group: SignalGroup, weight: float, start: int, end: int, detail: str = ""
) -> Signal:
    """A signal for the canonical span ``[start, end)``, located in the original text."""
    o_start, o_end = nt.to_original(start, end)
    return Signal(name, group, weight, o_start, o_end, nt.original[o_start:o_end], detail)
