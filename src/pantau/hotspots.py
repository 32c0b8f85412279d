"""Hotspots: H3 cells where accounts offering sex concentrate, coarsened until each shows ≥ k.

For the week that ends the period, distinct accounts with a solicitation verdict are counted per
stored H3 cell (resolution 8). Cells standing for fewer than k accounts are merged into their
parent cell, level by level, down to resolution ``MIN_RESOLUTION``; what is still smaller is not
shown (only how many such accounts were left out). Counts are shown as bands (k–2k−1, 2k–5k−1,
≥ 5k: the report's map classes), never exactly: cells cut across kelurahan, and an exact cell count
beside a kelurahan's suppressed figure would give the hidden figure away by subtraction. Each
shown cell carries last week's band (or "< k"), whether it moved up or down a band, and an
**emerging** flag: a one-sided Poisson test of this week's count against the cell's own mean over
the previous weeks (p < 0.01 and at least k accounts). Weeks are ISO weeks in the region's zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import h3
from scipy.stats import poisson
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.stats import LEVEL_COLUMN, iso_week, level_of
from pantau.store.schema import Event, as_utc

MIN_RESOLUTION = 5
HISTORY_WEEKS = 8
ALPHA = 0.01
METHOD = (
    "Distinct accounts with a solicitation verdict per H3 cell and ISO week; cells below k accounts merge into "
    "their parent (down to resolution 5) and are hidden if still below k; counts are shown in bands (k to 2k-1, "
    "2k to 5k-1, 5k or more). Emerging: P(X >= this week | Poisson(mean of the previous weeks, at least 0.5)) "
    "< 0.01 and this week >= k."
)


def _coarsen(accounts_by_cell: dict[str, set[str]], k: int) -> tuple[dict[str, set[str]], int]:
    cells = dict(accounts_by_cell)
    while True:
        small = [c for c, a in cells.items() if len(a) < k and h3.get_resolution(c) > MIN_RESOLUTION]
        if not small:
            break
        for cell in small:
            parent = h3.cell_to_parent(cell, h3.get_resolution(cell) - 1)
            cells.setdefault(parent, set()).update(cells.pop(cell))
    hidden = {a for c, accounts in cells.items() if len(accounts) < k for a in accounts}
    return {c: a for c, a in cells.items() if len(a) >= k}, len(hidden)


def _count_in(cell: str, by_cell: dict[str, set[str]]) -> int:
    """Distinct accounts of a week inside ``cell`` (whatever resolution the cell has)."""
    res = h3.get_resolution(cell)
    return len({a for c, accounts in by_cell.items() if h3.cell_to_parent(c, res) == cell for a in accounts})


def band(count: int, k: int) -> tuple[int, str]:
    """A count's band (0: none, 1: below k, 2: k–2k−1, 3: 2k–5k−1, 4: 5k or more) and how it reads."""
    if count == 0:
        return 0, "0"
    if count < k:
        return 1, f"< {k}"
    if count < 2 * k:
        return 2, f"{k}–{2 * k - 1}"
    if count < 5 * k:
        return 3, f"{2 * k}–{5 * k - 1}"
    return 4, f"≥ {5 * k}"


_CHANGE = {1: "naik / up", 0: "tetap / same", -1: "turun / down"}


def hotspots(session: Session, code: str, end: datetime, k: int, zone: tzinfo = UTC) -> dict[str, Any]:
    column = LEVEL_COLUMN[level_of(code)]
    start = end - timedelta(weeks=HISTORY_WEEKS + 1)
    rows = session.execute(
        select(Event.h3_cell, Event.account_id, Event.occurred_at)
        .where(column == code, Event.solicitation.is_(True), Event.h3_cell.is_not(None),
               Event.account_id.is_not(None), Event.occurred_at >= start, Event.occurred_at < end)
    ).all()
    weeks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    def week_of(moment: datetime) -> str:
        return iso_week(as_utc(moment).astimezone(zone))

    for cell, account, occurred in rows:
        weeks[week_of(occurred)][cell].add(account)
    this_week = week_of(end - timedelta(seconds=1))
    previous = week_of(end - timedelta(weeks=1, seconds=1))
    history = [week_of(end - timedelta(weeks=i, seconds=1)) for i in range(1, HISTORY_WEEKS + 1)]
    shown, hidden = _coarsen(weeks.get(this_week, {}), k)
    cells = []
    for cell, accounts in sorted(shown.items(), key=lambda kv: -len(kv[1])):
        now_count = len(accounts)
        past = [_count_in(cell, weeks.get(w, {})) for w in history]
        last = past[0]
        mean = max(sum(past) / len(past), 0.5)
        p_value = float(poisson.sf(now_count - 1, mean))
        now_band, now_display = band(now_count, k)
        last_band, last_display = band(last, k)
        cells.append({
            "h3": cell, "resolution": h3.get_resolution(cell), "accounts": now_display,
            "accounts_at_least": k * (1, 2, 5)[now_band - 2],
            "previous_week": {"display": last_display, "suppressed": last_band == 1},
            "change": _CHANGE[(now_band > last_band) - (now_band < last_band)],
            "emerging": p_value < ALPHA and now_count >= k,
        })
    return {"code": code, "k": k, "week": this_week, "previous_week": previous, "cells": cells,
            "accounts_not_shown": f"< {k} per cell" if hidden else "0", "method": METHOD}
