"""Add a batch of hand-written rows (e.g. from an independent author) to the corpus, in its schema.

    .venv/bin/python scripts/add_written.py SRC.jsonl corpus/written/independent_<stem>.jsonl [--heldout]

SRC rows need ``text``, ``label``, ``category`` and ``group`` (``minor``/``family`` optional). Rows are
checked (labels, categories, minor only on child offers), texts already in the corpus or repeated in
SRC are dropped with a count, and ids and groups are made unique: ``w-<stem>-NNNN`` and
``ind-<stem>-<group>`` (``h-``/``heldout-`` with ``--heldout``). Prints what it kept.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "written" / "generator"))
from gen import NEG, POS  # noqa: E402  (the corpus schema's category lists)

POSITIVE, NEGATIVE = set(POS), set(NEG)


def known_texts() -> set[str]:
    seen = set()
    for folder in ("corpus/written", "corpus/heldout"):
        for path in (ROOT / folder).glob("*.jsonl"):
            seen.update(" ".join(json.loads(line)["text"].split()).lower() for line in path.open(encoding="utf-8"))
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--heldout", action="store_true", help="ids h-…, groups heldout-… (never trained on)")
    args = parser.parse_args()
    stem = args.target.stem
    slug = stem.removeprefix("independent_").replace("_", "-")
    seen = known_texts()
    kept, dropped, problems = [], Counter[str](), []
    for n, line in enumerate(args.source.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        text, label, category = str(row.get("text", "")).strip(), row.get("label"), row.get("category")
        minor = int(row.get("minor") or 0)
        if not text or label not in (0, 1) or category not in (POSITIVE if label else NEGATIVE) \
                or (minor and category != "child_offer"):
            problems.append(f"line {n}: label {label!r}, category {category!r}, minor {minor}")
            continue
        key = " ".join(text.split()).lower()
        if key in seen:
            dropped["duplicate text"] += 1
            continue
        seen.add(key)
        group = re.sub(r"[^a-z0-9]+", "-", str(row.get("group") or f"row-{n}").lower()).strip("-")[:60]
        kept.append({"id": f"{'h' if args.heldout else 'w'}-{stem}-{len(kept) + 1:04d}", "text": text,
                     "label": label, "minor": minor, "category": category, "family": row.get("family"),
                     "group": f"{'heldout' if args.heldout else 'ind'}-{slug}-{group}"})
    if problems:
        print("rows that break the schema (nothing written):", *problems[:20], sep="\n  ", file=sys.stderr)
        return 1
    with args.target.open("w", encoding="utf-8") as out:
        for row in kept:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    labels = Counter(r["label"] for r in kept)
    print(f"{args.target}: {len(kept)} rows ({labels[1]} offers, {labels[0]} negatives); dropped {dict(dropped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
