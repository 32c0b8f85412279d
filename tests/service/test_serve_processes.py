"""`pantau serve --workers 2`, as a user starts it: two server processes on one port and one
embedded database; events sent over several connections are all stored once, and the server stops
cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select

from pantau.config import Settings
from pantau.store.db import make_engine, session_factory, transaction
from pantau.store.schema import Event

PANTAU = shutil.which("pantau") or str(Path(sys.executable).with_name("pantau"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_processes(pid: int) -> list[int]:
    """The children of ``pid`` that are server processes (not multiprocessing's resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child, _, rest = stat.read_text().partition(" (")
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(rest.rpartition(")")[2].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(child))
    return found


def test_two_server_processes_share_one_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")} | {"PANTAU_DATA_DIR": str(tmp_path)}
    subprocess.run([PANTAU, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    added = subprocess.run([PANTAU, "users", "add", "app", "--role", "platform"], env=env, check=True,
                           capture_output=True, text=True, timeout=120)
    token = added.stdout.strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen([PANTAU, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "pantau serve did not answer within 90 s"
            time.sleep(0.3)
        assert len(_server_processes(server.pid)) == 2
        busy = subprocess.run([PANTAU, "serve", "--port", str(port), "--workers", "2"], env=env, capture_output=True,
                              text=True, timeout=120)
        assert busy.returncode != 0 and f"cannot listen on 127.0.0.1:{port}" in busy.stderr  # not shared

        now = datetime.now(UTC).isoformat()

        def send(n: int) -> int:
            i = n % 40  # each event twice, exactly: a replay repeats its event (another one would be a 409)
            event = {"kind": "status_post", "event_id": f"ev-{i}", "account_id": f"acct-{i % 7}",
                     "occurred_at": now, "text": "open BO malam ini" if i % 5 == 0 else "cari teman ngopi"}
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
                return client.post("/v1/events", json=event).status_code

        with ThreadPoolExecutor(8) as pool:  # 80 requests, each id twice: replays may meet in either process
            codes = list(pool.map(send, range(80)))
        assert codes == [200] * 80
        assert httpx.get(f"{base}/v1/cases/1234?who=me", headers={"Authorization": "Bearer wrong-token"}).status_code \
            == 401
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    sessions = session_factory(make_engine(Settings(data_dir=tmp_path)))
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(Event)).scalar() == 40

    # Each process logs every request as one JSON line: route templates, no ids, tokens or query strings.
    output = server.stdout.read().decode() if server.stdout else ""
    access = [json.loads(line) for line in output.splitlines() if '"pantau.access"' in line]
    posts = [a for a in access if a["method"] == "POST" and a["route"] == "/v1/events"]
    assert len(posts) == 80 and {a["status"] for a in posts} == {200} and all(a["ms"] >= 0 for a in posts)
    assert {"method": "GET", "route": "/v1/cases/{case_id}", "status": 401} in [
        {k: a[k] for k in ("method", "route", "status")} for a in access]
    assert token not in output and "wrong-token" not in output and "1234" not in output and "who=me" not in output
