"""Regional monitoring for camat and lurah: aggregates only, scoped to the caller's regions.

A regional official may ask for a region equal to or below one of their region codes; anything
else is 403. These endpoints return counts per ISO week with small cells suppressed; they never
return an account id, a text, a name of a person, or a coordinate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from pantau import hotspots, regions, stats
from pantau.api.deps import DB, require
from pantau.auth import Principal, Role
from pantau.errors import ForbiddenError, InputError, NotFoundError

router = APIRouter(prefix="/v1/regions", tags=["regions"])
Viewer = Annotated[Principal, Depends(require(Role.REGIONAL_OFFICIAL, Role.ADMIN))]
Code = Annotated[str, Path(pattern=r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$", examples=["35.73.05"])]


def check_scope(who: Principal, code: str) -> None:
    """Server-side scope: officials see their own region and what lies below it, nothing else."""
    if not regions.is_valid(code):
        raise NotFoundError(f"{code} is not a Kemendagri region code")
    if who.role is Role.REGIONAL_OFFICIAL and not any(regions.within(code, scope) for scope in who.regions):
        raise ForbiddenError(f"region {code} is outside your area ({', '.join(who.regions)})")


@router.get("/{code}/stats", summary="Weekly figures for a region and its sub-regions (small counts suppressed)")
def region_stats(code: Code, who: Viewer, session: DB, from_: Annotated[date | None, Query(alias="from")] = None,
                 to: Annotated[date | None, Query()] = None) -> dict[str, Any]:
    check_scope(who, code)
    try:
        start, end = stats.period(from_, to)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    children = regions.children(code) if stats.level_of(code) < 4 else []
    out = stats.region_stats(session, code, children, start, end)
    out["name"] = regions.region_name(code)
    for child in out["children"]:
        child["name"] = regions.region_name(child["code"])
    return out


@router.get("/{code}/hotspots", summary="H3 cells with at least k accounts offering sex this week, and trends")
def region_hotspots(code: Code, who: Viewer, session: DB,
                    to: Annotated[date | None, Query(description="last day of the week to show")] = None
                    ) -> dict[str, Any]:
    check_scope(who, code)
    _, end = stats.period(None, to)
    return hotspots.hotspots(session, code, end, stats.DEFAULT_K)
