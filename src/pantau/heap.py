"""Keep what a long-running process loaded at start, and what it remembers, out of the garbage
collector's way.

The model, lexicons, policy and region index are a few hundred thousand Python objects that live
as long as the process. CPython's collector walks them again and again as scoring and storing
allocate (about a fifth of ingest's CPU, measured in docs/performance.md). ``freeze_loaded`` runs
one collection and then moves every surviving object to the permanent generation, which the
collector no longer scans; objects made afterwards are collected as usual.

What the process remembers as it runs (the pipeline's verdict cache, thousands of verdicts) cannot
be frozen, and CPython's default thresholds (a young collection every 700 net allocations of
container objects) make full collections frequent: each walks the whole cache. ``GC_THRESHOLDS``
makes a young collection wait for 20,000 net allocations instead. Almost everything a batch
allocates is freed by reference counting anyway, so young collections find little; cyclic garbage
waits a little longer (a few MiB at most). A stream worker's CPU over 100,000 events fell from
32.8 s to 31.1 s (with a cache four times larger, from 32.7 s to 28.7 s: docs/performance.md).
"""

from __future__ import annotations

import gc

#: (young, middle, old): see ``gc.set_threshold``; CPython's defaults are (700, 10, 10).
GC_THRESHOLDS = (20_000, 10, 10)


def freeze_loaded() -> None:
    """Call once a process has loaded what it keeps (pipeline, regions) and before its main loop."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
