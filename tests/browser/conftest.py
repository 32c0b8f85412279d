"""Browser tests of the web console: the real app under uvicorn, Debian's Chromium driven by Playwright.

The app runs in a background thread on a free port against a temporary SQLite data directory
filled by ``pantau demo``'s simulated week (the real ingest path, with the shared Kota Malang
kelurahan boundaries when present). Chromium is ``/usr/bin/chromium`` from Debian (``.ci/run``
installs it); nothing is downloaded at run time, and every test fails if a page asks for anything
not served by pantau. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from pantau.api.app import create_app
from pantau.auth import Principal, Role
from pantau.config import Settings
from pantau.demo import run_demo
from pantau.pipeline import Pipeline
from pantau.store.db import make_engine, session_factory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
EVENTS, SEED = 600, 7

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package; .ci/run does)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402  (only with a browser to run it)
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@dataclass
class Console:
    """The running service: its address, settings, database and the demo users' tokens."""

    base: str
    settings: Settings
    pipeline: Pipeline
    tokens: dict[str, str]
    sessions: Any
    users: dict[str, Principal] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _principals(sessions: Any) -> dict[str, Principal]:
    from sqlalchemy import select

    from pantau.store.schema import User

    with sessions() as db:
        return {u.name: Principal(u.id, u.name, Role(u.role), tuple(u.regions or ()))
                for u in db.execute(select(User)).scalars()}


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    import uvicorn

    settings = Settings(data_dir=tmp_path_factory.mktemp("console") / "data", hash_key=SecretStr("k" * 32),
                        webhook_secret=SecretStr("w" * 32))
    pipeline = Pipeline.default()
    report = run_demo(settings, events=EVENTS, seed=SEED, pipeline=pipeline)
    tokens = {user.name: token for user, token in report.users if token}
    sessions = session_factory(make_engine(settings))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, pipeline), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="console-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield Console(f"http://127.0.0.1:{port}", settings, pipeline, tokens, sessions, _principals(sessions))
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_as(console: Console, browser: Browser) -> Iterator[Callable[[str | None], Page]]:
    """``open_as(user)`` → a page in a fresh browser context, signed in as that demo user (None: not
    signed in). Every request any page makes is recorded; at the end all must have gone to pantau."""
    contexts = []
    requested: list[str] = []

    def open_(user: str | None) -> Page:
        context = browser.new_context(viewport=DESKTOP, base_url=console.base, accept_downloads=True)
        context.on("request", lambda request: requested.append(request.url))
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            login(page, console.tokens[user])
        return page

    yield open_
    for context in contexts:
        context.close()
    elsewhere = [url for url in requested if not url.startswith(console.base + "/")]
    assert not elsewhere, f"pages asked for something not served by pantau: {elsewhere}"


def login(page: Page, token: str) -> None:
    page.goto("/console/login")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name=re.compile("^(Masuk|Sign in)$")).click()
    page.wait_for_load_state()
    assert "/console/login" not in page.url, page.content()


def audit_page(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width, no horizontal overflow on a phone, and no serious or
    critical accessibility violation (axe-core: labels, contrast, focus, landmarks, …)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: {serious}"
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.scrollingElement.scrollWidth")
    assert overflow <= PHONE["width"], f"{name}: {overflow}px wide at a phone's {PHONE['width']}px"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    phone = Axe().run(page)
    serious = [(v["id"], v["impact"]) for v in phone.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name} (phone): {serious}"
    page.set_viewport_size(DESKTOP)
