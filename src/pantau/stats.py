"""Regional aggregates for local government: counts only, small cells suppressed.

Figures per region and ISO week: accounts detected offering sex, actions taken by type, child-
safety escalations, field reports received, and the share of nearby profiles flagged. Each figure
is suppressed (shown as "< k") when fewer than k distinct accounts stand behind it (k = 10 by
default, never below 5). Suppression is complementary: wherever a total is shown beside its parts
(a region beside its sub-regions), enough further parts are suppressed that no suppressed part can
be recovered by subtraction. Nothing here returns an account id, a text, a name or a coordinate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from pantau.errors import InputError
from pantau.store.schema import ActionRecord, Event

MIN_K = 5
# The days a report may ask for: pantau holds no events before 2000, and the calendar arithmetic of
# a far date (year 1, year 9999) would overflow.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DEFAULT_K = 10
METRICS = ("accounts_detected", "child_safety_escalations", "field_reports", "profiles_seen", "profiles_flagged",
           "actions_hide_nearby", "actions_warn", "actions_suspend", "actions_escalate_child_safety")
LEVEL_COLUMN = {2: Event.kota, 3: Event.kecamatan, 4: Event.kelurahan}


def iso_week(day: datetime | date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_day(day: datetime | date) -> str:
    return day.strftime("%Y-%m-%d")


BUCKETS = {"week": iso_week, "day": iso_day}  # days: for the platform's own staff only


def level_of(code: str) -> int:
    return len(code.split("."))


@dataclass(frozen=True)
class Cell:
    """One figure: the count and the distinct accounts behind it (never returned to callers)."""

    value: int
    accounts: int


def raw_cells(session: Session, codes: Sequence[str], start: datetime, end: datetime, bucket: str = "week"
              ) -> dict[str, dict[str, dict[str, Cell]]]:
    """code → week → metric → Cell, counted from stored decisions and actions."""
    out: dict[str, dict[str, dict[str, Cell]]] = {c: defaultdict(dict) for c in codes}
    by_level: dict[int, list[str]] = defaultdict(list)
    for code in codes:
        by_level[level_of(code)].append(code)
    groups: dict[tuple[str, str, str], tuple[int, set[str]]] = {}

    def add(code: str, week: str, metric: str, account: str | None) -> None:
        count, accounts = groups.get((code, week, metric), (0, set()))
        if account is not None:
            accounts.add(account)
        groups[(code, week, metric)] = (count + 1, accounts)

    key = BUCKETS[bucket]
    for level, level_codes in by_level.items():
        column = LEVEL_COLUMN[level]
        rows = session.execute(
            select(column, Event.occurred_at, Event.kind, Event.account_id, Event.solicitation, Event.action)
            .where(column.in_(level_codes), Event.occurred_at >= start, Event.occurred_at < end)
        ).all()
        seen_detected: set[tuple[str, str, str]] = set()
        for code, occurred, kind, account, solicitation, action in rows:
            week = key(occurred)
            if solicitation and account is not None and (code, week, account) not in seen_detected:
                seen_detected.add((code, week, account))
                add(code, week, "accounts_detected", account)
            if action == "escalate_child_safety":
                add(code, week, "child_safety_escalations", account)
            if kind == "field_report":
                add(code, week, "field_reports", None)
            if kind == "profile":
                add(code, week, "profiles_seen", account)
                if action != "allow":
                    add(code, week, "profiles_flagged", account)
        actions = session.execute(
            select(column, ActionRecord.created_at, ActionRecord.type, ActionRecord.account_id)
            .join(Event, and_(Event.event_id == ActionRecord.source_event_id))
            .where(column.in_(level_codes), ActionRecord.created_at >= start, ActionRecord.created_at < end)
        ).all()
        for code, created, kind, account in actions:
            if kind in ("hide_nearby", "warn", "suspend", "escalate_child_safety"):
                add(code, key(created), f"actions_{kind}", account)
    for (code, week, metric), (count, accounts) in groups.items():
        # Field reports name no account: each report counts as its own source.
        out[code][week][metric] = Cell(count, len(accounts) if metric != "field_reports" else count)
    return out


def _shown(cell: Cell | None, k: int) -> dict[str, Any]:
    if cell is None or cell.value == 0:
        return {"value": 0, "display": "0", "suppressed": False}
    if cell.accounts < k:
        return {"value": None, "display": f"< {k}", "suppressed": True}
    return {"value": cell.value, "display": str(cell.value), "suppressed": False}


def protect(total: Cell | None, parts: dict[str, Cell | None], k: int) -> tuple[dict[str, Any], dict[str, dict]]:
    """Suppress small cells, then complementary cells, so no part can be recovered from the total.

    After primary suppression, if the total is shown and the suppressed parts' sum is recoverable
    (total minus the shown parts), keep suppressing the smallest shown non-zero parts until at least
    two are suppressed and together they stand for at least k accounts.
    """
    shown_total = _shown(total, k)
    shown = {code: _shown(cell, k) for code, cell in parts.items()}
    if not shown_total["suppressed"] and total is not None and total.value:
        while True:
            hidden = [c for c, s in shown.items() if s["suppressed"]]
            if not hidden:
                break
            hidden_accounts = sum(parts[c].accounts for c in hidden if parts[c] is not None)  # type: ignore[union-attr]
            if len(hidden) >= 2 and hidden_accounts >= k:
                break
            candidates = sorted((parts[c].value, c) for c, s in shown.items()  # type: ignore[union-attr]
                                if not s["suppressed"] and parts[c] is not None and parts[c].value > 0)  # type: ignore[union-attr]
            if not candidates:
                shown_total = {"value": None, "display": f"< {k}", "suppressed": True}
                break
            shown[candidates[0][1]] = {"value": None, "display": f"< {k}", "suppressed": True,
                                       "complementary": True}
    return shown_total, shown


def weeks_between(start: datetime, end: datetime, bucket: str = "week") -> list[str]:
    weeks, day = [], start
    while day < end:
        week = BUCKETS[bucket](day)
        if week not in weeks:
            weeks.append(week)
        day += timedelta(days=1)
    return weeks


def region_stats(session: Session, code: str, children: Iterable[str], start: datetime, end: datetime,
                 k: int = DEFAULT_K, bucket: str = "week") -> dict[str, Any]:
    """Weekly figures for ``code`` and its direct sub-regions, protected for publication."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    children = list(children)
    cells = raw_cells(session, [code, *children], start, end, bucket)
    weeks = weeks_between(start, end, bucket)
    region_weeks, child_weeks = [], {c: [] for c in children}  # type: ignore[var-annotated]
    for week in weeks:
        row: dict[str, Any] = {bucket: week}
        child_rows: dict[str, dict[str, Any]] = {c: {bucket: week} for c in children}
        for metric in METRICS:
            total = cells[code].get(week, {}).get(metric)
            parts = {c: cells[c].get(week, {}).get(metric) for c in children}
            shown_total, shown_parts = protect(total, parts, k)
            row[metric] = shown_total
            for c in children:
                child_rows[c][metric] = shown_parts[c]
        _share(row)
        region_weeks.append(row)
        for c in children:
            _share(child_rows[c])
            child_weeks[c].append(child_rows[c])
    return {"code": code, "k": k, "granularity": bucket, "from": start.date().isoformat(),
            "to": (end - timedelta(days=1)).date().isoformat(),
            "weeks": region_weeks, "children": [{"code": c, "weeks": child_weeks[c]} for c in children]}


def _share(row: dict[str, Any]) -> None:
    """Share of nearby profiles flagged: shown only when both of its figures are shown."""
    seen, flagged = row["profiles_seen"], row["profiles_flagged"]
    if seen["suppressed"] or flagged["suppressed"]:
        row["share_profiles_flagged"] = {"value": None, "display": "disembunyikan / suppressed", "suppressed": True}
    elif not seen["value"]:
        row["share_profiles_flagged"] = {"value": None, "display": "-", "suppressed": False}
    else:
        share = flagged["value"] / seen["value"]
        row["share_profiles_flagged"] = {"value": round(share, 3), "display": f"{share:.1%}", "suppressed": False}


def period(from_: date | None, to: date | None, weeks: int = 8) -> tuple[datetime, datetime]:
    """[start, end) in UTC; defaults to the last ``weeks`` ISO weeks up to today."""
    for day in (from_, to):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(f"{day.isoformat()} is out of range: days run from {FIRST_DAY} to {LAST_DAY}")
    today = datetime.now(UTC).date()
    if to is not None and to > today + timedelta(days=1):  # a day of slack for time zones east of UTC
        raise InputError(f"{to.isoformat()} is in the future: figures exist up to today")
    end_day = (to or today) + timedelta(days=1)
    start_day = from_ or (end_day - timedelta(weeks=weeks))
    if start_day >= end_day:
        raise InputError("'from' must be before 'to'")
    if (end_day - start_day).days > 366:
        raise InputError("a period is at most one year")
    return (datetime(start_day.year, start_day.month, start_day.day, tzinfo=UTC),
            datetime(end_day.year, end_day.month, end_day.day, tzinfo=UTC))
