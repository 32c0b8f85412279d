"""`pantau scan` and `pantau explain`, run as a user runs them: the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

PANTAU = shutil.which("pantau") or str(Path(sys.executable).with_name("pantau"))
FIELDS = {"id", "solicitation", "score", "minor_risk", "action", "reasons", "signals", "model_version"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([PANTAU, *args], input=stdin, capture_output=True, timeout=120, check=False)


def records(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def jsonl(*objs: object) -> bytes:
    return b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)


def test_scan_contract_in_order_with_spans_into_the_original() -> None:
    texts = ["𝐨𝐩𝐞𝐧 𝐁𝐎 ST 300 include room", "jual gamis ready stock, open PO", "ready VCS 100k, dedek 15th"]
    result = run("scan", "-", stdin=jsonl(*({"id": f"a{i}", "text": t, "extra": 1} for i, t in enumerate(texts))))
    assert result.returncode == 0, result.stderr
    out = records(result.stdout)
    assert [r["id"] for r in out] == ["a0", "a1", "a2"]
    for record, text in zip(out, texts, strict=True):
        assert set(record) == FIELDS
        assert 0.0 <= record["score"] <= 1.0  # type: ignore[operator]
        for s in record["signals"]:  # type: ignore[attr-defined]
            assert text[s["start"] : s["end"]] == s["text"]
    assert out[0]["solicitation"] is True and out[0]["action"] in {"review", "hide_nearby"}
    assert out[1]["action"] == "allow" and out[1]["solicitation"] is False
    assert out[2]["action"] == "escalate_child_safety" and out[2]["minor_risk"] is True
    assert out[0]["signals"][0]["text"] == "𝐨𝐩𝐞𝐧 𝐁𝐎"  # type: ignore[index]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        pytest.param(b"this is not json", "invalid JSON", id="not-json"),
        pytest.param(b'["id", "text"]', "expected a JSON object", id="not-an-object"),
        pytest.param(b'{"text": "open bo"}', "missing field 'id'", id="missing-id"),
        pytest.param(b'{"id": "x"}', "missing field 'text'", id="missing-text"),
        pytest.param(b'{"id": 7, "text": "open bo"}', "field 'id' must be a string", id="numeric-id"),
        pytest.param(b'{"id": "x", "text": null}', "field 'text' must be a string", id="null-text"),
        pytest.param(b'{"id": "x", "text": "\xff\xfe"}', "not valid UTF-8", id="bad-utf8"),
        pytest.param(b'{"id": "x", "text": "open\xed\xa0\x80bo"}', "not valid UTF-8", id="utf8-encoded-surrogate"),
        pytest.param(b'{"id": "x", "text": "o p e n \\udfff b o"}', "lone surrogate", id="surrogate-escape"),
        pytest.param(json.dumps({"id": "x", "text": "a" * 70000}).encode(), "limit is 65536", id="over-64KiB"),
    ],
)
def test_malformed_line_gives_error_record_in_place_and_exit_1(line: bytes, error: str) -> None:
    stdin = jsonl({"id": "before", "text": "halo"}) + line + b"\n" + jsonl({"id": "after", "text": "open bo"})
    result = run("scan", stdin=stdin)
    assert result.returncode == 1
    out = records(result.stdout)
    assert out[0]["id"] == "before" and out[2]["id"] == "after"
    assert set(out[1]) == {"line", "error"}
    assert out[1]["line"] == 2
    assert error in str(out[1]["error"])


def test_scan_reads_a_file_and_workers_give_identical_output(tmp_path: Path) -> None:
    lines = [{"id": str(i), "text": t} for i, t in enumerate(["open bo 300", "selamat pagi", "vcs murah", "x"] * 300)]
    path = tmp_path / "in.jsonl"
    path.write_bytes(jsonl(*lines) + b"oops\n")
    one = run("scan", str(path))
    two = run("scan", str(path), "--workers", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 1201
    assert one.stderr.count(b"\r") == 0  # no progress meter when stderr is not a terminal


def test_scan_missing_file_is_a_usage_error() -> None:
    result = run("scan", "/nonexistent/in.jsonl")
    assert result.returncode == 2
    assert b"cannot read /nonexistent/in.jsonl" in result.stderr


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_rejects_a_port_that_is_not_one(port: str) -> None:
    result = run("serve", "--port", port)  # it had reached bind() and died with a traceback
    assert result.returncode == 2
    assert b"argument --port" in result.stderr and b"Traceback" not in result.stderr


def test_scan_rejects_bad_worker_count() -> None:
    result = run("scan", "--workers", "0")
    assert result.returncode == 2
    assert b"must be at least 1" in result.stderr


def test_explain_shows_normalised_text_and_highlights_original_spans() -> None:
    result = run("explain", "Ready 0p3n 𝐁𝐎 kak, ST 300")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "open bo" in out  # the normalised text
    assert "⟦0p3n 𝐁𝐎⟧" in out  # the span, marked in the ORIGINAL text
    assert "solicitation.open_bo" in out
    assert "Tindakan / Action:" in out and "Alasan / Reasons:" in out


def test_explain_json_is_the_scan_record_plus_normalised_text() -> None:
    result = run("explain", "--json", "open bo")
    record = json.loads(result.stdout)
    assert set(record) == FIELDS | {"normalized"}
    assert record["normalized"] == "open bo"


def test_eval_reports_and_refuses_a_bad_gold_row(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(jsonl({"id": "a", "text": "open bo 300 wa aja", "label": 1, "minor": 0},
                           {"id": "b", "text": "selamat pagi semua", "label": 0}))
    result = run("eval", str(gold))
    assert result.returncode == 0 and result.stdout.startswith(b"rows 2 ")
    gold.write_bytes(jsonl({"id": "a", "text": "open bo", "label": 1, "minor": "maybe"}))
    result = run("eval", str(gold))  # it was silently read as "not given"
    assert result.returncode == 2 and b"'minor' must be 0 or 1" in result.stderr


def test_worker_status_with_no_nats_is_a_quick_clear_error(tmp_path: Path) -> None:
    """nats-py retries a first connection forever when reconnecting is allowed: the CLI hung, printing a
    traceback every two seconds."""
    env = {**os.environ, "PANTAU_NATS_URL": "nats://127.0.0.1:9", "PANTAU_DATA_DIR": str(tmp_path / "d")}
    started = time.monotonic()
    done = subprocess.run([PANTAU, "worker", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot reach NATS at nats://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr and time.monotonic() - started < 30


def test_a_database_without_pantaus_schema_is_a_clear_error(tmp_path: Path) -> None:
    """Commands on a server database that was never migrated printed UndefinedTable tracebacks."""
    import sqlalchemy

    from pantau.errors import ConfigError
    from pantau.store.db import check_ready

    with pytest.raises(ConfigError, match="has no pantau schema: run `pantau db upgrade` first"):
        check_ready(sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(ConfigError, match="cannot use the database"):
        check_ready(sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"))


def test_worker_with_its_metrics_port_taken_is_a_clear_error(tmp_path: Path) -> None:
    """A taken port, or an address not on this machine, printed an OSError traceback."""
    env = {**os.environ, "PANTAU_NATS_URL": "nats://127.0.0.1:9", "PANTAU_DATA_DIR": str(tmp_path / "d")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([PANTAU, "worker", "--metrics-port", str(port)], env=env, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 2 and f"cannot serve metrics on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr
