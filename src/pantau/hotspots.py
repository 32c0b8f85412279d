"""Hotspots: H3 cells where accounts offering sex concentrate, coarsened until each shows ≥ k.

For the week that ends the period, distinct accounts with a solicitation verdict are counted per
stored H3 cell (resolution 8). Cells standing for fewer than k accounts are merged into their
parent cell, level by level, down to resolution ``MIN_RESOLUTION``; what is still smaller is not
shown. A shown cell says only "k or more": cells cut across kelurahan, and any count beyond that —
exact, or in bands (a band's floor of 20 beside a kelurahan's "< 10*" gave its neighbour's 1 away)
— is a bound on a figure the stats hide. Each shown cell carries last week's state ("0", "< k" or
"k or more"), and is flagged **emerging** when it reached k this week after being below k in each
of the previous ``HISTORY_WEEKS`` weeks (an exact test on exact past counts gave a hidden count
away). ``accounts_not_shown`` always reads the same. Weeks are ISO weeks in the region's zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import h3
from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.stats import LEVEL_COLUMN, iso_week, level_of
from pantau.store.schema import Event, as_utc

MIN_RESOLUTION = 5
HISTORY_WEEKS = 4
METHOD = (
    "Distinct accounts with a solicitation verdict per H3 cell and ISO week; cells below k accounts merge into "
    "their parent (down to resolution 5) and are hidden if still below k; a shown cell says only 'k or more'. "
    "Emerging: k or more this week after fewer than k in each of the previous 4 weeks."
)


def _coarsen(accounts_by_cell: dict[str, set[str]], k: int) -> dict[str, set[str]]:
    """The cells of at least k accounts once small ones are merged into their parents."""
    cells = dict(accounts_by_cell)
    while True:
        small = [c for c, a in cells.items() if len(a) < k and h3.get_resolution(c) > MIN_RESOLUTION]
        if not small:
            break
        for cell in small:
            parent = h3.cell_to_parent(cell, h3.get_resolution(cell) - 1)
            cells.setdefault(parent, set()).update(cells.pop(cell))
    return {c: a for c, a in cells.items() if len(a) >= k}


def _count_in(cell: str, by_cell: dict[str, set[str]]) -> int:
    """Distinct accounts of a week inside ``cell`` (whatever resolution the cell has)."""
    res = h3.get_resolution(cell)
    return len({a for c, accounts in by_cell.items() if h3.cell_to_parent(c, res) == cell for a in accounts})


def state(count: int, k: int) -> str:
    """How a cell's count reads: "0", "< k" or "≥ k" — nothing finer (see the module notes)."""
    return "0" if count == 0 else f"< {k}" if count < k else f"≥ {k}"


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
    shown = _coarsen(weeks.get(this_week, {}), k)
    past = {cell: [_count_in(cell, weeks.get(w, {})) for w in history] for cell in shown}
    cells = []
    # emerging cells first (a report lists a dozen), then by cell id: an order by count would rank them
    for cell in sorted(shown, key=lambda c: (not all(n < k for n in past[c]), c)):
        last = past[cell][0]
        cells.append({
            "h3": cell, "resolution": h3.get_resolution(cell), "accounts": state(len(shown[cell]), k),
            "accounts_at_least": k,
            "previous_week": {"display": state(last, k), "suppressed": 0 < last < k},
            "change": "tetap / same" if last >= k else "naik / up",
            "emerging": all(n < k for n in past[cell]),
        })
    return {"code": code, "k": k, "week": this_week, "previous_week": previous, "cells": cells,
            "accounts_not_shown": f"cells below {k} accounts are not shown", "method": METHOD}
