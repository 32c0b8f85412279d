"""Machine instructions spent storing a group of single events on PostgreSQL: a figure that does not
move with the machine.

    .venv/bin/python benchmarks/write_instructions.py [--groups 300] [--size 6] [--tree PATH]

``POST /v1/events`` stores the events that arrive together as one group transaction
(``pantau.api.group_commit``); with 16 clients on two server processes a group holds about six. The
write path (``ingest_in_transaction``: look-ups, COPY, case work, the audit chain, commit) is most of
a server process's time there, and the wall-clock benchmark (``ingest_throughput.py``) moves by a
third within the hour on these shared machines. This script stores ``--groups`` groups of ``--size``
generated events (those of ``ingest_throughput.py``) in a throwaway database on 127.0.0.1:5432 under
valgrind's callgrind, with counting on only around the stored groups (after imports, migrations, model
load, 200 groups of warm-up, and the measured events scored once, so that their scores come from the
verdict cache: scoring is measured by ``scoring_instructions.py``), and prints instructions per group.
Waiting for PostgreSQL costs no instructions; its server's work is not counted. ``--tree`` runs
another checkout's ``src`` (e.g. a ``git worktree`` of an older commit) to compare two builds. Needs
``valgrind`` (Debian package) and PostgreSQL; takes about a minute.
"""

from __future__ import annotations

import argparse
import secrets
import time
from pathlib import Path

from callgrind import checked_src, count  # this folder
from ingest_throughput import postgres_database

ROOT = Path(__file__).resolve().parents[1]
WARM_GROUPS = 200


def child(groups: int, size: int, ready: Path, done: Path, url: str) -> None:
    """Runs under valgrind: prepare, signal ready, wait to be counted, store, signal done."""
    from ingest_throughput import EventMaker  # this folder: the HTTP benchmark's events
    from pydantic import TypeAdapter

    from pantau.api.schemas import EventIn
    from pantau.config import Settings
    from pantau.ingest import event_text, ingest_in_transaction
    from pantau.pipeline import Pipeline
    from pantau.region_store import build_index
    from pantau.store.db import make_engine, session_factory, upgrade

    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        regions = build_index(session)
    pipeline = Pipeline.default(cache_size=32_768)
    adapter: TypeAdapter[EventIn] = TypeAdapter(EventIn)
    maker = EventMaker()
    batches = [[adapter.validate_python(e) for e in maker.many(size)] for _ in range(WARM_GROUPS + groups)]
    key = secrets.token_bytes(32)
    for batch in batches[:WARM_GROUPS]:
        ingest_in_transaction(sessions, pipeline, batch, "platform:bench", key, regions)
    for batch in batches[WARM_GROUPS:]:  # scored now: the counted part finds the verdicts cached
        pipeline.run_batch([(e.event_id, event_text(e)) for e in batch])
    ready.touch()
    while ready.exists():
        time.sleep(0.05)
    for batch in batches[WARM_GROUPS:]:
        ingest_in_transaction(sessions, pipeline, batch, "platform:bench", key, regions)
    done.touch()
    time.sleep(0.5)  # counted no more: the parent switches counting off before this ends
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--size", type=int, default=6, help="events per group transaction (default 6)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose src/ runs (default: this one)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.groups, args.size, Path(args.child[0]), Path(args.child[1]), args.child[2])
        return
    src = checked_src(args.tree)
    database = postgres_database()  # the HTTP benchmark's throwaway database, dropped afterwards
    if isinstance(database, str):
        raise SystemExit(database)
    url, drop = database
    try:
        total = count(__file__, ["--groups", str(args.groups), "--size", str(args.size)], [url], src,
                      f"storing {args.groups:,} groups of {args.size} events")
    finally:
        drop()
    per_group = total / args.groups
    print(f"write path: {per_group / 1000:,.0f} k instructions per group of {args.size} events "
          f"({per_group / args.size / 1000:,.0f} k per event; {args.groups:,} groups, {src})")


if __name__ == "__main__":
    main()
