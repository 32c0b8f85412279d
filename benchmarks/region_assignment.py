"""Region assignment throughput: ``RegionIndex.assign_many`` and single-point ``assign``.

    .venv/bin/python benchmarks/region_assignment.py [--points 200000] [--seed 7]

Loads the Kota Malang kelurahan boundaries (57 polygons) from
``../shared/data/wilayah-boundaries/geojson/`` (beside the repository; never committed), draws
uniformly random points in Kota Malang's bounding box (seeded), and times, on one core:

- ``assign_many`` over all points at once (vectorised STRtree query, snapping, H3 cells, results);
- ``assign`` one point at a time over a tenth of them;
- ``assign_many`` on the centroid fallback alone (no polygons), for comparison.

Prints its figures and how the points were assigned; asserts nothing. Target: assign_many
>= 50,000 points/s on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from pantau.regions import H3_RESOLUTION, RegionIndex, load_centroids, load_geojson

ROOT = Path(__file__).resolve().parents[1]
BOUNDARIES = ROOT.parent / "shared" / "data" / "wilayah-boundaries" / "geojson" / "kota_malang_3573_desakel.geojson"
TARGET = 50_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--geojson", type=Path, default=BOUNDARIES)
    args = parser.parse_args()
    if not args.geojson.exists():
        print(f"boundaries not found: {args.geojson}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    report = load_geojson(args.geojson)
    print(report.summary(), f"(load and validate {time.perf_counter() - t0:.2f} s)")
    t0 = time.perf_counter()
    index = RegionIndex(report.accepted)
    print(f"index: {len(index.regions)} polygons, H3 resolution {H3_RESOLUTION} (built in "
          f"{(time.perf_counter() - t0) * 1000:.1f} ms)")

    minx, miny, maxx, maxy = np.array([r.geometry.bounds for r in index.regions]).T
    bbox = (minx.min(), miny.min(), maxx.max(), maxy.max())
    rng = np.random.default_rng(args.seed)
    lons = rng.uniform(bbox[0], bbox[2], args.points)
    lats = rng.uniform(bbox[1], bbox[3], args.points)
    print(f"points: {args.points:,} uniform in the bounding box lon {bbox[0]:.4f}..{bbox[2]:.4f}, "
          f"lat {bbox[1]:.4f}..{bbox[3]:.4f} (seed {args.seed})")

    index.assign_many(lats[:1000], lons[:1000])  # warm-up: imports, lokal's code list
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        results = index.assign_many(lats, lons)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    rate = args.points / best
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"assign_many      : {rate:>11,.0f} points/s  (best of 3: {best:.3f} s; target >= {TARGET:,}: {verdict})")

    methods = Counter("none" if a is None else f"{a.method}{' (approximate)' if a.approximate else ''}"
                      for a in results)
    print("  assigned by    : " + ", ".join(f"{k} {v / args.points:.1%}" for k, v in methods.most_common()))

    single = max(1, args.points // 10)
    t0 = time.perf_counter()
    for lat, lon in zip(lats[:single].tolist(), lons[:single].tolist(), strict=True):
        index.assign(lat, lon)
    elapsed = time.perf_counter() - t0
    print(f"assign (1 point) : {single / elapsed:>11,.0f} points/s  ({elapsed / single * 1e6:.1f} µs per point, "
          f"{single:,} points)")

    fallback = RegionIndex.from_centroids()
    t0 = time.perf_counter()
    fallback.assign_many(lats, lons)
    elapsed = time.perf_counter() - t0
    print(f"centroids only   : {args.points / elapsed:>11,.0f} points/s  (assign_many, {len(load_centroids())} "
          "centroids, no polygons)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
