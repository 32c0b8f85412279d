"""Server-rendered pages: one Jinja2 environment, the page frame's context, and security headers."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pantau.auth import Principal, Role
from pantau.console.i18n import Lang, language, translator
from pantau.regions import WIB

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# Everything is served by pantau itself: no other origin may be contacted, no inline script runs.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store", "X-Frame-Options": "DENY"}

# (key of the label, path, roles): the navigation, mirroring who may open each page.
REVIEWERS = (Role.MODERATOR, Role.CHILD_SAFETY_OFFICER, Role.ADMIN)
OFFICERS = (Role.CHILD_SAFETY_OFFICER, Role.ADMIN)
NAV: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("nav_review", "/console/review", REVIEWERS),
    ("nav_appeals", "/console/appeals", REVIEWERS),
    ("nav_child_safety", "/console/child-safety", OFFICERS),
    ("nav_region", "/console/regions", (Role.REGIONAL_OFFICIAL,)),
    ("nav_admin", "/console/admin", (Role.ADMIN,)),
    ("nav_audit", "/console/audit", (Role.AUDITOR, Role.ADMIN)),
)


def landing(who: Principal) -> str:
    """The first page a role sees after login."""
    return next((path for _, path, roles in NAV if who.role in roles), "/console/login")


def age(then: datetime | None, lang: Lang) -> str:
    """How long ago, coarsely: "5 mnt", "3 j", "2 h" (minutes, hours, days)."""
    if then is None:
        return "-"
    then = then if then.tzinfo else then.replace(tzinfo=UTC)
    minutes = max(0, int((datetime.now(UTC) - then).total_seconds() // 60))
    units = (("mnt", "min"), ("j", "h"), ("h", "d"))
    value, unit = ((minutes, 0) if minutes < 60 else (minutes // 60, 1) if minutes < 48 * 60
                   else (minutes // 1440, 2))
    return f"{value} {units[unit][0 if lang == 'id' else 1]}"


def when(value: datetime | None) -> str:
    """A stored time as the console shows it: in WIB, the zone of most of its users (and of the
    statements and referral packages), with the zone named."""
    if value is None:
        return "-"
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = when
    return env


def page(request: Request, template: str, *, who: Principal | None = None, csrf: str = "", flash: str = "",
         status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    nav = [(key, path) for key, path, roles in NAV if who is not None and who.role in roles]
    html = environment().get_template(template).render(
        t=translator(lang), lang=lang, who=who, csrf=csrf, flash=flash, nav=nav, path=request.url.path,
        age=lambda then: age(then, lang), **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)
