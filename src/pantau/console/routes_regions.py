"""The regional dashboard for a camat or lurah: aggregates of their own area, nothing about a person.

Roles and scope as in /v1/regions: regional officials (their region codes and below; anything
else is a 403 page) and admins. Every figure is the stats' display string, so suppressed figures
read "< k" exactly as the API and the weekly PDF say them. Field reports are filed through the
same function as ``POST /v1/field-reports``; the official sees only each report's status.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from pantau import regions
from pantau.api import routes_field_reports
from pantau.api.routes_regions import Code, check_scope, report_data
from pantau.auth import Role
from pantau.console.deps import ConsoleError, ConsoleRoute, Form, State, Viewer, allow
from pantau.console.drawings import TREND_BASE, TREND_HEIGHT, TREND_TOP, region_map, trend_bars
from pantau.console.i18n import for_request
from pantau.console.render import page
from pantau.regions import time_zone
from pantau.report import report_pdf, report_view
from pantau.store.db import transaction

router = APIRouter(prefix="/console", route_class=ConsoleRoute)
RegionViewer = Annotated[Viewer, Depends(allow(Role.REGIONAL_OFFICIAL, Role.ADMIN))]
Official = Annotated[Viewer, Depends(allow(Role.REGIONAL_OFFICIAL))]
# The ISO week to show: the complete week that holds this day (default: the last complete week).
Week = Annotated[date | None, Query(description="a day of the week to show (default: the last complete week; "
                                                "a week is shown once it has ended)")]


def week_links(code: str, to: date | None) -> tuple[date, date | None]:
    """Days that show the week before the shown one and the week after it (their Sundays; the week
    after is None when the shown week is the last complete one)."""
    today = datetime.now(UTC).astimezone(time_zone(code)[1]).date()
    last_sunday = today - timedelta(days=today.weekday() + 1)  # the end of the last complete week
    shown = min(to or last_sunday, last_sunday)
    sunday = shown + timedelta(days=6 - shown.weekday())
    following = sunday + timedelta(days=7)
    return sunday - timedelta(days=7), (following if following <= last_sunday else None)


@router.get("/regions", summary="Open a region's dashboard (an official's own region by default)")
def regions_start(found: RegionViewer, code: Annotated[str, Query(max_length=20)] = "") -> Response:
    target = code.strip() or (found.who.regions[0] if found.who.regions else "")
    return RedirectResponse(f"/console/regions/{target}" if target else "/console/admin", status_code=303)


@router.get("/regions/{code}", summary="Headline numbers, trend, map, hotspots, field reports, weekly PDF")
def dashboard(request: Request, code: Code, st: State, found: RegionViewer, to: Week = None) -> Response:
    check_scope(found.who, code)
    k = st.settings.suppression_k
    with transaction(st.sessions) as db:
        data = report_data(db, code, to, k)
        mine = routes_field_reports.my_reports(found.who, db) if found.who.role is Role.REGIONAL_OFFICIAL else []
    view = report_view(data)
    cells = list(zip([h.label for h in view.hotspots], data.hotspots.get("cells", []), strict=True))
    return page(request, "region.html", who=found.who, csrf=found.csrf, flash=found.session.take_flash(),
                code=code, data=data, view=view, k=k, map=region_map(data.shapes, view.children, cells, k),
                bars=trend_bars(data.stats["weeks"], k), trend_box=(TREND_HEIGHT, TREND_BASE, TREND_TOP),
                zone=time_zone(code)[0], reports=mine, can_report=found.who.role is Role.REGIONAL_OFFICIAL,
                subregions=[(c.code, c.name) for c in view.children], to=to, weeks=week_links(code, to))


@router.get("/regions/{code}/report.pdf", summary="The weekly report (PDF)")
def weekly_pdf(code: Code, st: State, found: RegionViewer, to: Week = None) -> Response:
    check_scope(found.who, code)
    with transaction(st.sessions) as db:
        data = report_data(db, code, to, st.settings.suppression_k)
    return Response(report_pdf(data), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="laporan-{code}-{data.week}.pdf"',
                             "Cache-Control": "no-store"})


@router.post("/regions/{code}/field-reports", summary="File a field report (text, approximate place, time)")
def field_report(request: Request, code: Code, st: State, found: Official, form: Form) -> Response:
    check_scope(found.who, code)
    try:
        local = datetime.fromisoformat(form.get("occurred_at", ""))
    except ValueError:
        raise ConsoleError(400, "occurred_at: expected a date and time such as 2026-11-29T21:30") from None
    occurred = local if local.tzinfo else local.replace(tzinfo=time_zone(code)[1])
    sub = form.get("region_code") or code
    if not regions.within(sub, code):
        raise ConsoleError(403, key="forbidden_text")
    try:
        body = routes_field_reports.FieldReportIn(text=form.get("text", ""), place=form.get("place", ""),
                                                  occurred_at=occurred, region_code=sub)
        with transaction(st.sessions) as db:
            routes_field_reports.file_report(body, found.who, st, db)
    except ValidationError as exc:  # the same checks as the API: text length, time zone, not in the future
        raise ConsoleError(400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                           ) from None
    found.session.flash_next(for_request(request)("fr_sent"))
    return RedirectResponse(f"/console/regions/{code}", status_code=303)
