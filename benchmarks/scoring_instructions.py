"""Machine instructions spent scoring one distinct text: a figure that does not move with the machine.

    .venv/bin/python benchmarks/scoring_instructions.py [--texts 1000] [--tree PATH]

Wall-clock figures on these shared machines move by a third within the hour, so two builds cannot
be told apart by a few per cent. Instructions can: this script runs the scoring path
(``Pipeline.run_batch``: normalise, signals, model, policy) over ``--texts`` distinct texts of the
simulated nearby feed (profiles are display name + status, as ingest scores them) under valgrind's
callgrind, with counting switched on only around the scoring (after imports, model load and a
warm-up of 300 other texts), and prints instructions per text. The same build and inputs give the
same figure to a fraction of a per cent. ``--tree`` scores with another checkout's ``src`` (e.g. a
``git worktree`` of an older commit) to compare two builds. Needs ``valgrind`` (Debian package);
takes about a minute and a half.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from callgrind import checked_src, count  # this folder

ROOT = Path(__file__).resolve().parents[1]


def child(texts: int, ready: Path, done: Path) -> None:
    """Runs under valgrind: prepare, signal ready, wait to be counted, score, signal done."""
    from datetime import UTC, datetime

    from pantau.demo import simulate
    from pantau.pipeline import Pipeline

    pipeline = Pipeline.default()
    planned = simulate(20000, 3573, 1, datetime(2026, 11, 24, tzinfo=UTC))[:20000]
    bodies = [p.body for p in planned]
    feed = ["\n".join(x for x in (b.get("display_name"), b.get("status")) if x) if b["kind"] == "profile"
            else b.get("text") or "" for b in bodies]
    distinct = list(dict.fromkeys(feed))
    if len(distinct) < 300 + texts:
        raise SystemExit(f"the feed has only {len(distinct)} distinct texts; ask for at most {len(distinct) - 300}")
    pipeline.run_batch([(str(i), t) for i, t in enumerate(distinct[:300])])  # warm the n-gram caches
    items = [(str(i), t) for i, t in enumerate(distinct[300 : 300 + texts])]
    ready.touch()
    while ready.exists():
        time.sleep(0.05)
    for i in range(0, len(items), 500):
        pipeline.run_batch(items[i : i + 500])
    done.touch()
    time.sleep(0.5)  # counted no more: the parent switches counting off before this ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose src/ is scored (default: this one)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.texts, Path(args.child[0]), Path(args.child[1]))
        return
    src = checked_src(args.tree)
    total = count(__file__, ["--texts", str(args.texts)], [], src, f"scoring {args.texts:,} distinct feed texts")
    print(f"scoring: {total / args.texts / 1000:,.0f} k instructions per distinct text "
          f"({args.texts:,} texts, {src})")


if __name__ == "__main__":
    main()
