"""How fast this machine runs Python, printed at the top of each benchmark.

Machines of the same kind differ: the same benchmark has run 2–3 times slower on one session's
machine than on another's. A fixed pure-Python loop, timed here, lets two runs' figures be
compared: divide by the ratio of their loop rates before comparing events or texts per second.
"""

from __future__ import annotations

import time

LOOP = 5_000_000


def _loop() -> float:
    start = time.perf_counter()
    total = 0
    for i in range(LOOP):
        total += i
    return time.perf_counter() - start


def speed_line() -> str:
    """One line: this machine's pure-Python loop rate (best of three), in million additions per second."""
    best = min(_loop() for _ in range(3))
    return f"machine: pure-Python loop {LOOP / best / 1e6:.1f} M additions/s (compare runs by this rate)"
