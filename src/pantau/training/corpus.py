"""The labelled corpus as one list of rows: real data, our written cases, and extra labelled JSONL.

- **real**: ``../shared/data`` via ``realdata.load_real_corpus`` (masked, deduplicated, clustered);
  never committed, read at training/evaluation time.
- **written**: ``corpus/written/*.jsonl``, our own cases, committed (see its README).
- **extra**: JSONL a deployment supplies (e.g. its reviewers' decisions): ``{"text", "label"}``,
  optional ``id``, ``category``, ``minor``; always training data.

Every real and written row belongs to a group (near-duplicate cluster or template group); the
split (train / validation / test) is a hash of the group, so variants never straddle a split.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pantau.errors import InputError
from pantau.masking import mask_pii
from pantau.training.realdata import Split, load_real_corpus, split_of, strip_hashtags

DEFAULT_WRITTEN_DIR = Path(__file__).resolve().parents[3] / "corpus" / "written"


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    label: int
    minor: int | None  # 1/0 where known (written and extra rows), None for real data
    category: str  # e.g. "obfuscated_offer", "neg_commerce", or the real source name
    family: str | None  # obfuscation family of written positives
    source: str  # "written", "extra", or the real source ("nbc-positive", …)
    group: str
    split: Split
    trainable: bool = True  # False for sets whose licence allows evaluation only

    def gold(self) -> dict[str, object]:
        """The row as a `pantau eval` gold line."""
        out: dict[str, object] = {"id": self.id, "text": self.text, "label": self.label, "category": self.category}
        if self.minor is not None:
            out["minor"] = self.minor
        if self.family:
            out["family"] = self.family
        return out


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None


def load_written(folder: Path = DEFAULT_WRITTEN_DIR) -> list[Row]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, obj in _read_jsonl(path):
            try:
                group = f"w:{obj['group']}"
                rows.append(
                    Row(
                        id=str(obj["id"]),
                        text=mask_pii(str(obj["text"])),
                        label=int(obj["label"]),  # type: ignore[call-overload]
                        minor=int(obj.get("minor", 0)),
                        category=str(obj["category"]),  # type: ignore[call-overload]
                        family=obj.get("family") or None,
                        source="written",
                        group=group,
                        split=split_of(group),  # type: ignore[arg-type]
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{path}:{number}: bad written-corpus row: {exc}") from None
    return rows


def load_extra(path: Path) -> list[Row]:
    """A deployment's own labelled JSONL: every row is training data."""
    rows = []
    for number, obj in _read_jsonl(path):
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or obj.get("label") not in (0, 1):
            raise InputError(f"{path}:{number}: each line needs a string 'text' and a 'label' of 0 or 1")
        rows.append(
            Row(
                id=str(obj.get("id", f"{path.stem}-{number}")),
                text=mask_pii(obj["text"]),
                label=int(obj["label"]),
                minor=int(obj["minor"]) if obj.get("minor") in (0, 1) else None,
                category=str(obj.get("category", "extra")),
                family=None,
                source="extra",
                group=f"x:{path.name}:{number}",
                split="train",
            )
        )
    return rows


def load_real(data_dir: Path, progress: Callable[[str], None] | None = None, *, eval_only: bool = False) -> list[Row]:
    rows = []
    for i, r in enumerate(load_real_corpus(data_dir, include_eval_only=eval_only, progress=progress)):
        rows.append(
            Row(
                id=f"r{i}",
                text=r.text,
                label=r.label,
                minor=None,
                category=r.source,
                family=None,
                source=r.source,
                group=r.group,
                split=split_of(r.group),
                trainable=r.licence_ok_for_training,
            )
        )
    return rows


def without_hashtags(rows: Iterable[Row]) -> list[Row]:
    """Copies with every #hashtag removed (same id and group): the robustness view of a split."""
    return [replace(r, text=strip_hashtags(r.text)) for r in rows]
