"""Regional monitoring for camat and lurah: aggregates only, scoped to the caller's regions.

A regional official may ask for a region equal to or below one of their region codes; anything
else is 403. These endpoints return counts per ISO week with small cells suppressed; they never
return an account id, a text, a name of a person, or a coordinate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import HTMLResponse

from pantau import hotspots, regions, stats
from pantau.api.deps import DB, State, require
from pantau.auth import Principal, Role
from pantau.errors import ForbiddenError, NotFoundError

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
def region_stats(code: Code, who: Viewer, st: State, session: DB,
                 from_: Annotated[date | None, Query(alias="from")] = None, to: Annotated[date | None, Query()] = None,
                 granularity: Annotated[Literal["week", "day"], Query(description="day: platform staff only")] = "week"
                 ) -> dict[str, Any]:
    check_scope(who, code)
    if granularity == "day" and who.role is Role.REGIONAL_OFFICIAL:
        raise ForbiddenError("daily figures are for the platform's own staff; officials get ISO weeks")
    zone = regions.time_zone(code)[1]
    start, end = stats.period(from_, to, zone=zone, whole_weeks=granularity == "week")
    children = regions.children(code) if stats.level_of(code) < 4 else []
    out = stats.region_stats(session, code, children, start, end, st.settings.suppression_k, granularity,
                             regions.lineage(code), zone)
    out["name"] = regions.region_name(code)
    for child in out["children"]:
        child["name"] = regions.region_name(child["code"])
    return out


@router.get("/{code}/hotspots", summary="H3 cells with at least k accounts offering sex in a week, and trends")
def region_hotspots(code: Code, who: Viewer, st: State, session: DB,
                    to: Annotated[date | None, Query(description="a day of the week to show (default: the last "
                                                                 "complete week)")] = None
                    ) -> dict[str, Any]:
    check_scope(who, code)
    zone = regions.time_zone(code)[1]
    _, end = stats.period(None, to, zone=zone)
    return hotspots.hotspots(session, code, end, st.settings.suppression_k, zone)


_LEVEL = {"kabupaten_kota": "", "kecamatan": "Kecamatan", "provinsi": "Provinsi"}


def _level_word(code: str) -> str:
    """How a region's level is named before it: a village-level code of 1xxx is a kelurahan, 2xxx a desa."""
    level = regions.level(code)
    if level == "kelurahan_desa":
        return "Kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "Desa"
    return _LEVEL.get(level, "")


def report_data(session: DB, code: str, to: date | None, k: int) -> Any:
    from datetime import UTC, datetime

    import shapely
    from sqlalchemy import select

    from pantau.report import ReportData
    from pantau.store.schema import RegionPolygon

    zone = regions.time_zone(code)[1]
    start, end = stats.period(None, to, weeks=8, zone=zone)
    children = regions.children(code) if stats.level_of(code) < 4 else []
    figures = stats.region_stats(session, code, children, start, end, k, ancestors=regions.lineage(code), zone=zone)
    figures["name"] = regions.region_name(code)
    for child in figures["children"]:
        child["name"] = regions.region_name(child["code"])
    shapes = {row.code: shapely.from_wkb(row.geometry_wkb) for row in session.execute(
        select(RegionPolygon).where(RegionPolygon.code.in_(children))).scalars()} if children else {}
    own = None if children else session.execute(select(RegionPolygon).where(RegionPolygon.code == code)).scalar()
    name = regions.region_name(code) or code
    kota = regions.region_name(code[:5]) if stats.level_of(code) > 2 else None
    label = " ".join(p for p in (_level_word(code), name) if p) + (f", {kota}" if kota else "")
    return ReportData(code=code, name=name, level_label=label, week=figures["weeks"][-1]["week"], stats=figures,
                      hotspots=hotspots.hotspots(session, code, end, k, zone), shapes=shapes,
                      generated_at=datetime.now(UTC), outline=shapely.from_wkb(own.geometry_wkb) if own else None)


@router.get("/{code}/report.pdf", summary="Weekly report (PDF, Bahasa Indonesia): numbers, trend, map, referral",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def region_report_pdf(code: Code, who: Viewer, st: State, session: DB,
                      to: Annotated[date | None, Query()] = None) -> Response:
    from pantau.report import report_pdf

    check_scope(who, code)
    data = report_data(session, code, to, st.settings.suppression_k)
    return Response(report_pdf(data), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="laporan-{code}-{data.week}.pdf"'})


@router.get("/{code}/report.html", summary="Weekly report (HTML, self-contained)", response_class=HTMLResponse)
def region_report_html(code: Code, who: Viewer, st: State, session: DB,
                       to: Annotated[date | None, Query()] = None) -> str:
    from pantau.report import report_html

    check_scope(who, code)
    return report_html(report_data(session, code, to, st.settings.suppression_k))
