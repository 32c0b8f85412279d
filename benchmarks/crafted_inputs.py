"""Scoring time of crafted single texts, at 2,500 to 20,000 characters (the API's limit for one text).

    .venv/bin/python benchmarks/crafted_inputs.py [--max 20000]

Each line is one pattern repeated to each length: seconds for one ``Pipeline.run`` and the growth per doubling of
the length (about 2 is linear; 4 is quadratic, which let one event hold a worker for seconds). The patterns are
those reviewers found to be quadratic at some point (all fixed): runs of number words, split letters, one long
word, phone numbers in a language without spaces, one term repeated, hashtags beside signals, adults' ages.
Prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import speed_line


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


PATTERNS: dict[str, Callable[[int], str]] = {
    "number words": _repeat("4 belas "),
    "amounts in words": _repeat("lima ratus "),
    "split letters": _repeat("i m "),
    "rates a day": _repeat("rp 500/hari "),
    "one word of zeros then o": lambda n: "1" + "0" * (n - 3) + "ox",
    "one word, no triple letter": lambda n: "aaa " + "ab" * ((n - 4) // 2),
    "phones without spaces": _repeat("中08123456789"),
    "a term repeated": _repeat("open bo "),
    "hashtags beside handles": _repeat("@abc #a "),
    "adults' ages": _repeat("20th "),
    "one long domain-like word": lambda n: "ab-" * ((n - 6) // 3) + " x.com",
    "pijat run into words": _repeat("pijat-"),
    "sampai pagi": _repeat("sampai pagi "),
    "refusals": _repeat("bukan bo "),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, default=20_000, help="longest text (default 20,000 characters)")
    args = parser.parse_args()
    from pantau.pipeline import Pipeline

    pipeline = Pipeline.default()
    pipeline.run("warm", "open bo st 300")
    lengths = [n for n in (2_500, 5_000, 10_000, 20_000, 40_000) if n <= args.max]
    print(speed_line())
    print(f"{'pattern':28s}" + "".join(f"{n:>10,}" for n in lengths) + "   growth per doubling")
    for name, make in PATTERNS.items():
        times = []
        for n in lengths:
            text = make(n)
            start = time.perf_counter()
            pipeline.run(name, text)
            times.append(time.perf_counter() - start)
        growth = times[-1] / times[-2] if len(times) > 1 and times[-2] > 0 else float("nan")
        print(f"{name:28s}" + "".join(f"{t:>9.2f}s" for t in times) + f"   ×{growth:.1f}")


if __name__ == "__main__":
    main()
