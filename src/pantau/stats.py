"""Regional aggregates for local government: counts only, small cells suppressed.

Figures per region and ISO week: accounts detected offering sex, actions taken by type, child-
safety escalations, field reports received, and the share of nearby profiles flagged. Each figure
is suppressed (shown as "< k") when fewer than k distinct accounts stand behind it (k = 10 by
default, never below 5). Suppression is complementary: wherever a total is shown beside its parts
(a region beside its sub-regions), enough further parts are suppressed that no suppressed part can
be recovered by subtraction. It is also consistent across levels: a region hidden in its parent's
view (a kelurahan in its kecamatan's, a kecamatan in its kota's) is hidden in its own view too, and
enough of its own parts with it that they do not add up to it — else a camat could ask for the
kelurahan directly and subtract.

Weeks are ISO weeks in the region's own time zone (WIB, WITA or WIT), and only complete ones: a
week appears once its Sunday has ended, and always whole, so figures for the same week never
differ by the day they were asked for (that would give daily counts by subtraction).
Nothing here returns an account id, a text, a name or a coordinate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from pantau.errors import InputError
from pantau.store.schema import ActionRecord, Event, as_utc

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
    """One figure: the count and the distinct sources behind it — accounts, or each field report
    (never returned to callers)."""

    value: int
    accounts: int
    sources: frozenset[str] = frozenset()


def raw_cells(session: Session, codes: Sequence[str], start: datetime, end: datetime, bucket: str = "week",
              zone: tzinfo = UTC) -> dict[str, dict[str, dict[str, Cell]]]:
    """code → week (or day) in ``zone`` → metric → Cell, counted from stored decisions and actions."""
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

    bucket_of = BUCKETS[bucket]

    def key(moment: datetime) -> str:
        return bucket_of(as_utc(moment).astimezone(zone))

    for level, level_codes in by_level.items():
        column = LEVEL_COLUMN[level]
        rows = session.execute(
            select(column, Event.occurred_at, Event.kind, Event.account_id, Event.solicitation, Event.action)
            .where(column.in_(level_codes), Event.occurred_at >= start, Event.occurred_at < end)
        ).all()
        seen_detected: set[tuple[str, str, str]] = set()
        anonymous = 0
        for code, occurred, kind, account, solicitation, action in rows:
            week = key(occurred)
            if solicitation and account is not None and (code, week, account) not in seen_detected:
                seen_detected.add((code, week, account))
                add(code, week, "accounts_detected", account)
            if action == "escalate_child_safety":
                add(code, week, "child_safety_escalations", account)
            if kind == "field_report":  # a report names no account: each report is its own source
                anonymous += 1
                add(code, week, "field_reports", f"report:{anonymous}")
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
        out[code][week][metric] = Cell(count, len(accounts), frozenset(accounts))
    return out


def _shown(cell: Cell | None, k: int) -> dict[str, Any]:
    if cell is None or cell.value == 0:
        return {"value": 0, "display": "0", "suppressed": False}
    if cell.accounts < k:
        return {"value": None, "display": f"< {k}", "suppressed": True}
    return {"value": cell.value, "display": str(cell.value), "suppressed": False}


def _hidden(k: int) -> dict[str, Any]:
    return {"value": None, "display": f"< {k}", "suppressed": True, "complementary": True}


def protect(total: Cell | None, parts: dict[str, Cell | None], k: int, hide_total: bool = False,
            also_hide: Iterable[str] = ()) -> tuple[dict[str, Any], dict[str, dict]]:
    """Suppress small cells, then complementary cells, so no part can be recovered from the total.

    After primary suppression, if the total is shown and the suppressed parts' sum is recoverable
    (total minus the shown parts), keep suppressing the smallest shown non-zero parts until at least
    two are suppressed, together they stand for at least k accounts, and the sum leaves every small
    hidden part anywhere from 1 to k−1 even to a reader who knows each complement stands for k or
    more. ``hide_total``: the total is hidden elsewhere (in the parent region's view), so it is hidden
    here too, and parts are hidden by the same rule so that the shown ones do not add up to it.
    ``also_hide``: parts hidden in another figure of the same view, hidden here too (``protect_view``).

    Sources are counted distinct across the hidden parts: accounts active in two of them count once
    (the same five accounts in two small kelurahan are five people, not ten).
    """
    shown_total = _shown(total, k)
    shown = {code: _shown(cell, k) for code, cell in parts.items()}
    for code in also_hide:
        cell = parts.get(code)
        if cell is not None and cell.value and not shown[code]["suppressed"]:
            shown[code] = _hidden(k)
    forced = hide_total and not shown_total["suppressed"]
    if forced:
        shown_total = _hidden(k)
    if (forced or not shown_total["suppressed"]) and total is not None and total.value:
        while True:
            hidden = [c for c, s in shown.items() if s["suppressed"]]
            if not hidden and not forced:
                break
            hidden_accounts = _distinct_sources(hidden, parts)
            complements = sum(1 for c in hidden if shown[c].get("complementary"))
            # A reader knows the hidden parts' sum, that a complement stands for k or more (it was
            # big enough to show) and that a small one stands for 1 to k−1: what that leaves a small
            # part must still be anything from 1 to k−1 (A = 1, B = 10* of a sum 11 gave A away).
            slack = hidden_accounts - k * complements - (len(hidden) - complements - 1)
            # With no complement, each small part is also at least the sum less k−1 for every other
            # one: 9 and 9 beside a total of 18 are both 9. The least must stay 1.
            least = hidden_accounts - (k - 1) * (len(hidden) - 1) if not complements else 1
            if len(hidden) >= 2 and hidden_accounts >= k and slack >= k - 1 and least <= 1:
                break
            candidates = sorted((parts[c].value, c) for c, s in shown.items()  # type: ignore[union-attr]
                                if not s["suppressed"] and parts[c] is not None and parts[c].value > 0)  # type: ignore[union-attr]
            if not candidates:  # nothing left to hide beside it: the total goes (a complement: not small)
                shown_total = _hidden(k)
                break
            shown[candidates[0][1]] = _hidden(k)
    return shown_total, shown


def _distinct_sources(hidden: list[str], parts: dict[str, Cell | None]) -> int:
    """Distinct sources of the hidden parts (an account active in two of them counts once)."""
    cells = [cell for code, cell in parts.items() if cell is not None and code in hidden]
    if not any(cell.sources for cell in cells):  # figures given without their sources: counts as they are
        return sum(cell.accounts for cell in cells)
    return len(set().union(*(cell.sources for cell in cells)))


# Figures that count (a subset of) the accounts detected: a sub-region hidden in accounts detected
# is hidden in these too, or a shown count of hides in it would bound its hidden count of accounts.
# Not the other way round: a figure with few counts everywhere (escalations) would hide everything.
MAIN_METRIC = "accounts_detected"
DERIVED_METRICS = ("actions_hide_nearby", "actions_warn", "actions_suspend", "actions_escalate_child_safety",
                   "child_safety_escalations", "profiles_flagged")


def protect_view(totals: dict[str, Cell | None], parts: dict[str, dict[str, Cell | None]], k: int,
                 hide_total: dict[str, bool]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict]]]:
    """``protect`` for every figure of one view (metric → total, metric → parts): the figures derived
    from the accounts detected hide at least the sub-regions that figure hides."""
    out = {MAIN_METRIC: protect(totals[MAIN_METRIC], parts[MAIN_METRIC], k, hide_total.get(MAIN_METRIC, False))}
    main_hidden = {c for c, shown in out[MAIN_METRIC][1].items() if shown["suppressed"]}
    for metric in totals:
        if metric != MAIN_METRIC:
            out[metric] = protect(totals[metric], parts[metric], k, hide_total.get(metric, False),
                                  main_hidden if metric in DERIVED_METRICS else ())
    return {m: t for m, (t, _) in out.items()}, {m: p for m, (_, p) in out.items()}


def weeks_between(start: datetime, end: datetime, bucket: str = "week", zone: tzinfo = UTC) -> list[str]:
    weeks, day = [], start.astimezone(zone)
    while day < end:
        week = BUCKETS[bucket](day)
        if week not in weeks:
            weeks.append(week)
        day += timedelta(days=1)
    return weeks


def region_stats(session: Session, code: str, children: Iterable[str], start: datetime, end: datetime,
                 k: int = DEFAULT_K, bucket: str = "week", ancestors: Sequence[tuple[str, Sequence[str]]] = (),
                 zone: tzinfo = UTC) -> dict[str, Any]:
    """Weekly figures for ``code`` and its direct sub-regions, protected for publication.

    ``ancestors``: the regions above ``code`` whose views are published too, top down, each with its
    direct sub-regions (``regions.lineage``); what their views hide stays hidden in this one."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    children = list(children)
    chain = [(a, list(a_children)) for a, a_children in ancestors]
    codes = dict.fromkeys([*(c for a, a_children in chain for c in (a, *a_children)), code, *children])
    cells = raw_cells(session, list(codes), start, end, bucket, zone)
    weeks = weeks_between(start, end, bucket, zone)
    path = [*(a for a, _ in chain[1:]), code] if chain else []  # each ancestor's sub-region towards ``code``
    region_weeks, child_weeks = [], {c: [] for c in children}  # type: ignore[var-annotated]
    for week in weeks:
        row: dict[str, Any] = {bucket: week}
        child_rows: dict[str, dict[str, Any]] = {c: {bucket: week} for c in children}

        def cell(region: str, metric: str, week: str = week) -> Cell | None:
            return cells[region].get(week, {}).get(metric)

        hidden_above: dict[str, bool] = {}
        for (ancestor, siblings), step in zip(chain, path, strict=True):
            _, above = protect_view({m: cell(ancestor, m) for m in METRICS},
                                    {m: {c: cell(c, m) for c in siblings} for m in METRICS}, k, hidden_above)
            hidden_above = {m: bool(above[m].get(step, {}).get("suppressed")) for m in METRICS}
        shown_totals, shown_parts = protect_view({m: cell(code, m) for m in METRICS},
                                                 {m: {c: cell(c, m) for c in children} for m in METRICS}, k,
                                                 hidden_above)
        for metric in METRICS:
            row[metric] = shown_totals[metric]
            for c in children:
                child_rows[c][metric] = shown_parts[metric][c]
        _share(row)
        region_weeks.append(row)
        for c in children:
            _share(child_rows[c])
            child_weeks[c].append(child_rows[c])
    first, last = start.astimezone(zone), (end - timedelta(days=1)).astimezone(zone)
    return {"code": code, "k": k, "granularity": bucket, "from": first.date().isoformat(),
            "to": last.date().isoformat(), "time_zone": first.tzname(),
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


def period(from_: date | None, to: date | None, weeks: int = 8, zone: tzinfo = UTC, *, whole_weeks: bool = True,
           now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) as moments, midnights in ``zone``. With ``whole_weeks`` (the default, and all
    officials get): every complete ISO week that has a day in [from, to], Monday to Sunday; a week
    still running is left out. Defaults to the last ``weeks`` complete weeks. Days (platform staff
    only): exactly [from, to]."""
    for day in (from_, to):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(f"{day.isoformat()} is out of range: days run from {FIRST_DAY} to {LAST_DAY}")
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    if from_ is not None and to is not None and from_ > to:
        raise InputError("'from' must not be after 'to'")
    for day in (from_, to):
        if day is not None and day > today:
            raise InputError(f"{day.isoformat()} is in the future: figures exist up to today ({today.isoformat()})")
    if whole_weeks:
        this_monday = today - timedelta(days=today.weekday())  # the running week is not shown
        end_day = min((to or today) - timedelta(days=(to or today).weekday()) + timedelta(weeks=1), this_monday)
        start_day = (from_ - timedelta(days=from_.weekday())) if from_ else end_day - timedelta(weeks=weeks)
        if start_day >= end_day:
            sunday = this_monday + timedelta(days=6)
            raise InputError(f"no complete week in this period yet: the week of {start_day.isoformat()} ends on "
                             f"Sunday {sunday.isoformat()}; figures are shown for whole weeks only")
    else:
        end_day = (to or today) + timedelta(days=1)
        start_day = from_ or (end_day - timedelta(weeks=weeks))
    if (end_day - start_day).days > 371:
        raise InputError("a period is at most one year")
    return (datetime(start_day.year, start_day.month, start_day.day, tzinfo=zone).astimezone(UTC),
            datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone).astimezone(UTC))
