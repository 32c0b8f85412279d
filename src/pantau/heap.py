"""Keep what a long-running process loaded at start out of the garbage collector's way.

The model, lexicons, policy and region index are a few hundred thousand Python objects that live
as long as the process. CPython's collector walks them again and again as scoring and storing
allocate (about a fifth of ingest's CPU, measured in docs/performance.md). ``freeze_loaded`` runs
one collection and then moves every surviving object to the permanent generation, which the
collector no longer scans; objects made afterwards are collected as usual.
"""

from __future__ import annotations

import gc


def freeze_loaded() -> None:
    """Call once a process has loaded what it keeps (pipeline, regions) and before its main loop."""
    gc.collect()
    gc.freeze()
