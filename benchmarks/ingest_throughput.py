"""Ingest throughput and latency of the HTTP API, through a real server on loopback, per storage backend.

    .venv/bin/python benchmarks/ingest_throughput.py [--seconds 20] [--single 20000] [--batches 100]
                                                     [--connections 16] [--batch-connections 4]
                                                     [--workers N] [--backend sqlite|postgres|both]

For each backend — the embedded SQLite (a fresh temporary data dir) and PostgreSQL (a throwaway
database ``pantau_bench_<random>`` created on 127.0.0.1:5432 as user ``postgres`` and dropped at the
end; skipped with a note when no server answers) — it runs ``pantau db upgrade`` and
``pantau users add bench --role platform``, starts ``pantau serve --workers N`` (its default: one
process per core) on a free loopback port, and
sends generated nearby events (profiles and status posts of our own writing: mostly ordinary
statuses, about 10% offers, some of them obfuscated; no personal data; unique event ids, occurred a
few minutes ago at +07:00). It measures:

- single-event ingest (``POST /v1/events``): one keep-alive connection sending sequentially, then
  ``--connections`` concurrent ones (a bare asyncio HTTP/1.1 client, so the load generator takes
  little of the shared cores) — events/s and p50/p99 latency per request;
- batch ingest (``POST /v1/events/batch``, 1,000 events a request, ``--batch-connections``
  concurrent connections) — events/s and p50/p99 per batch;
- replay: the same batches sent again (every event already seen) — events/s and p50/p99 per batch.

Each measurement stops at ``--seconds`` or at its count, whichever comes first. Request bodies are
made before the clock starts. Server CPU is that of the server and its worker processes. The server
and this client share the machine's cores, so the figures are a lower bound for a server with cores
of its own. Prints its figures; asserts nothing. Targets (the ingest issue): >= 1,000 single events/s,
>= 10,000 events/s in batches on 2 cores, p99 < 50 ms for a single event.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
from machine import speed_line  # benchmarks/machine.py: this machine's Python speed

PANTAU = str(Path(sys.executable).with_name("pantau"))
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
WIB = timezone(timedelta(hours=7))
BATCH = 1000
MAX_BODY = 256 * 1024  # the API's request body limit (pantau.api.app.MAX_BODY)

# --- generated events ---------------------------------------------------------------------------

CITIES = [  # (area name, lat, lon, Kemendagri regency code): coarse city centres only
    ("malang", -7.98, 112.63, "35.73"), ("jogja", -7.80, 110.36, "34.71"), ("sleman", -7.72, 110.36, "34.04"),
    ("surabaya", -7.26, 112.75, "35.78"), ("bandung", -6.91, 107.61, "32.73"), ("jaksel", -6.26, 106.81, "31.74"),
    ("bekasi", -6.24, 106.99, "32.75"), ("semarang", -6.97, 110.42, "33.74"), ("denpasar", -8.65, 115.22, "51.71"),
    ("medan", 3.59, 98.67, "12.75"),
]
EVERYDAY = [
    "lagi nunggu hujan reda di {area}, ada yang tau warung kopi buka sampai malam?",
    "cari teman lari pagi sekitar {area}, biasanya jam 5.30",
    "baru pindah ke {area}, salam kenal semua 🙏",
    "ada yang mau mabar ML malam ini? rank epic aja",
    "jual sepeda lipat bekas, mulus, {price}rb nego tipis, COD {area}",
    "kos putri dekat kampus {area}, {price}rb/bulan include listrik & wifi",
    "open PO kue kering lebaran, nastar {price}rb/toples",
    "servis AC panggilan area {area}, cuci AC {price}rb, bergaransi",
    "capek banget habis lembur, pengen rebahan aja",
    "ready kak, aku udah di depan gerbang",
    "long time no see, kapan ngopi lagi?",
    "ada info loker admin di {area}? lulusan SMK akuntansi",
    "pijat refleksi panggilan {area}, terapis bersertifikat, {price}rb/jam",
    "hati-hati modus open BO di aplikasi, banyak yang minta DP lalu blokir",
    "bukan cewek BO ya, cuma cari teman ngobrol",
    "anakku kelas 3 SD, ada rekomendasi les calistung di {area}?",
    "jalan {area} macet parah, ada kecelakaan dekat lampu merah",
    "nonton bareng final besok? tempatnya di kafe biasa",
    "cari teman taaruf, insyaallah serius, domisili {area}",
    "mie ayam depan kampus enak banget, {price}rb udah kenyang",
]
OFFERS = [
    "open BO {area} {price} include room",
    "ready BO kak, ST {price} LT {long} include room, no DP",
    "open bo area {area}, cash di tempat, yg serius chat",
    "VCS {short}k 15 menit, pap dulu baru tf",
    "ready ST {price} kak, sudah sama kamar",
    "stok cewek ready {area} malam ini, bisa pilih foto",
    "avail {area} ST {price} LT {long}, WA aja",
]
PROFILE_NAMES = ["dimas", "ayu", "rara", "bayu", "sinta", "putra", "nadia", "eko", "lala", "gilang", "wulan", "rizky"]
PROFILE_STATUSES = ["", "no drama", "kerja | kopi | musik", "mahasiswa {area}", "cari teman ngobrol", "✨ slow respon"]
PROFILE_OFFERS = ["open BO {area}", "ready ST kak", "avail {area}, WA aja"]

_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}
_BOLD = {**{c: chr(0x1D400 + i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")},
         **{c: chr(0x1D41A + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
         **{c: chr(0x1D7CE + i) for i, c in enumerate("0123456789")}}
_LEET = str.maketrans({"o": "0", "O": "0", "e": "3", "a": "4", "i": "1"})


def obfuscate(text: str, rng: random.Random) -> str:
    """One of the evasions seen on such apps: leetspeak, fancy letters, dotted words or zero-width joins."""
    style = rng.randrange(4)
    if style == 0:
        return text.translate(_LEET)
    if style == 1:
        table = _BOLD if rng.random() < 0.5 else _FULLWIDTH
        words = text.split(" ")
        return " ".join("".join(table.get(c, c) for c in w) if i < 3 else w for i, w in enumerate(words))
    if style == 2:
        head, _, rest = text.partition(" ")
        return ".".join(head) + " " + rest
    head, _, rest = text.partition(" ")
    return "\u200b".join(head) + " " + rest


@dataclass
class EventMaker:
    """An endless stream of events; ids are unique within a run (a random prefix per run)."""

    seed: int = 2026
    accounts: int = 5000
    rng: random.Random = field(init=False)
    prefix: str = field(init=False)
    counter: Iterator[int] = field(init=False)
    lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    kinds: Counter[str] = field(init=False, default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.prefix = "bench-" + secrets.token_hex(3)
        self.counter = itertools.count()

    def _fill(self, template: str, area: str) -> str:
        rng = self.rng
        return template.format(area=area, price=rng.choice([150, 200, 250, 300, 350, 400, 500, 650, 850]),
                               long=rng.choice([700, 800, 1000, 1200]), short=rng.choice([50, 100, 150]))

    def one(self) -> dict[str, Any]:
        with self.lock:
            rng = self.rng
            n = next(self.counter)
            area, lat, lon, regency = rng.choice(CITIES)
            # about one account in ten is an offering account; most of what it posts are offers
            account = rng.randrange(self.accounts)
            offering = account % 10 == 0
            offer = rng.random() < (0.8 if offering else 0.02)
            when = datetime.now(WIB) - timedelta(seconds=rng.randint(30, 600))
            event: dict[str, Any] = {"event_id": f"{self.prefix}-{n}", "occurred_at": when.isoformat("T", "seconds"),
                                     "account_id": f"acct-{account}"}
            if rng.random() < 0.15:
                name = rng.choice(PROFILE_NAMES) + (str(rng.randint(1, 99)) if rng.random() < 0.5 else "")
                status = self._fill(rng.choice(PROFILE_OFFERS if offer else PROFILE_STATUSES), area)
                event |= {"kind": "profile", "display_name": name, "status": status,
                          "declared_age": rng.randint(18, 45), "account_age_days": rng.randint(0, 900)}
            else:
                text = self._fill(rng.choice(OFFERS if offer else EVERYDAY), area)
                if offer and rng.random() < 0.4:
                    text = obfuscate(text, rng)
                event |= {"kind": "status_post", "text": text}
            event["region_code"] = f"{regency}.{rng.randint(1, 19):02d}"
            if rng.random() < 0.5:  # a coarse point near the city centre
                event["location"] = {"lat": round(lat + rng.uniform(-0.05, 0.05), 3),
                                     "lon": round(lon + rng.uniform(-0.05, 0.05), 3)}
            self.kinds["offer" if offer else "ordinary"] += 1
            return event

    def many(self, count: int) -> list[dict[str, Any]]:
        return [self.one() for _ in range(count)]


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run([PANTAU, *args], env=env, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"pantau {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


class Server:
    """``pantau serve`` as a child process on a free loopback port; ``stop`` leaves nothing running."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen([PANTAU, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--workers", str(workers)], env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pantau serve exited ({self.proc.returncode}): {self.log_tail()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"pantau serve did not answer /healthz in {timeout:.0f} s: {self.log_tail()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time so far of the server and its worker processes (Linux /proc; NaN elsewhere)."""
        total = 0.0
        try:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    pid, _, rest = stat.read_text().partition(" (")
                    fields = rest.rpartition(")")[2].split()
                except OSError:
                    continue  # a process that ended meanwhile
                if int(pid) == self.proc.pid or int(fields[1]) == self.proc.pid:  # fields[1]: parent pid
                    total += int(fields[11]) + int(fields[12])
        except OSError:
            return float("nan")
        return total / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._log.close()


# --- measurements -------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    events: int = 0
    requests: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    replayed: int = 0
    server_cpu: float = float("nan")  # seconds of server CPU during the measurement
    client_cpu: float = 0.0  # seconds of this process's CPU (all its threads) spent on the requests

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        if q == 0.5:
            return statistics.median(ordered)
        return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.5) - 1))]


def _count(result: Result, decisions: list[dict[str, Any]]) -> None:
    for decision in decisions:
        result.actions[decision["action"]] += 1
        result.replayed += bool(decision["replayed"])


async def _connection(server: Server, token: str, path: str, bodies: Iterator[bytes], deadline: float,
                      result: Result, answers: list[bytes], events_per_request: int) -> None:
    """One keep-alive HTTP/1.1 connection sending POSTs one after another.

    A bare asyncio client (a few tens of microseconds per request, against about a millisecond for
    httpx): the load generator shares the server's two cores, so it must cost little. Responses are
    kept as bytes and read after the clock stops."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port, limit=16 * 1024 * 1024)
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: ").encode()
    try:
        for body in bodies:
            if time.perf_counter() >= deadline:
                return
            start = time.perf_counter()
            writer.write(head + str(len(body)).encode() + b"\r\n\r\n" + body)
            headers = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":", 1)[1]) for line in headers.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            answer = await reader.readexactly(length)
            result.latencies_ms.append((time.perf_counter() - start) * 1000)
            result.requests += 1
            result.events += events_per_request
            status = int(headers.split(b" ", 2)[1])
            if status != 200:
                result.errors[f"HTTP {status}: {answer[:120].decode(errors='replace')}"] += 1
            else:
                answers.append(answer)
    finally:
        writer.close()


def measure(name: str, server: Server, token: str, path: str, bodies: list[bytes], seconds: float,
            connections: int, events_per_request: int) -> Result:
    """POST ``bodies`` (made before the clock starts) over ``connections`` concurrent keep-alive
    connections until they run out or ``seconds`` pass; decisions are counted after the clock stops."""
    result = Result(name)
    queue = iter(bodies)
    answers: list[bytes] = []

    async def run() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_connection(server, token, path, queue, deadline, result, answers, events_per_request)
                               for _ in range(connections)))

    cpu0, client0, start = server.cpu_seconds(), time.process_time(), time.perf_counter()
    asyncio.run(run())
    result.seconds = time.perf_counter() - start
    result.server_cpu, result.client_cpu = server.cpu_seconds() - cpu0, time.process_time() - client0
    for answer in answers:
        decoded = json.loads(answer)
        _count(result, decoded.get("decisions", [decoded]))
    return result


def single(server: Server, token: str, maker: EventMaker, count: int, seconds: float, connections: int) -> Result:
    """``count`` single-event POSTs (or ``seconds``), over ``connections`` concurrent keep-alive connections."""
    return measure(f"single, {connections} conn{'s' if connections > 1 else ''}", server, token, "/v1/events",
                   [dumps(maker.one()) for _ in range(count)], seconds, connections, 1)


def batches(name: str, server: Server, token: str, bodies: list[bytes], seconds: float, connections: int) -> Result:
    """Batch POSTs of ``bodies`` over ``connections`` concurrent connections, until they run out or time is up."""
    plural = "s" if connections > 1 else ""
    return measure(f"{name}, {connections} conn{plural}", server, token, "/v1/events/batch", bodies, seconds,
                   connections, BATCH)


# --- one backend --------------------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def bench_backend(name: str, database_url: str | None, args: argparse.Namespace, workdir: Path) -> Backend:
    out = Backend(name)
    data_dir = workdir / f"data-{name.split()[0].lower()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env |= {"PANTAU_DATA_DIR": str(data_dir), "PANTAU_HASH_KEY": secrets.token_urlsafe(24),
            "PANTAU_WEBHOOK_SECRET": secrets.token_urlsafe(24)}
    if database_url:
        env["PANTAU_DATABASE_URL"] = database_url
    run_cli(["db", "upgrade"], env)
    token = run_cli(["users", "add", "bench", "--role", "platform"], env).strip().splitlines()[-1]
    maker = EventMaker()
    server = Server(env, workdir / f"serve-{name.split()[0].lower()}.log", args.workers)
    try:
        server.wait_ready()
        warm = single(server, token, maker, 200, 30, 1)  # imports, pools, caches: not measured
        if warm.errors:
            out.notes.append(f"warm-up errors: {dict(warm.errors)}")
        out.results.append(single(server, token, maker, args.single, args.seconds, 1))
        out.results.append(single(server, token, maker, args.single, args.seconds, args.connections))

        sent = [dumps({"events": maker.many(BATCH)}) for _ in range(args.batches)]
        over = [len(b) for b in sent if len(b) > MAX_BODY]
        if over:
            out.notes.append(f"{len(over)} batches of {BATCH} events are over the {MAX_BODY:,}-byte body limit")
        out.results.append(batches(f"batch of {BATCH}", server, token, sent, args.seconds, args.batch_connections))
        sizes = [len(b) for b in sent]
        out.notes.append(f"batch body: {statistics.mean(sizes) / 1024:,.0f} KiB on average "
                         f"({statistics.mean(sizes) / BATCH:.0f} bytes/event; limit {MAX_BODY // 1024} KiB)")
        out.results.append(batches(f"replay, batch of {BATCH}", server, token, sent, args.seconds,
                                   args.batch_connections))
        mix = maker.kinds
        out.notes.append(f"events generated: {sum(mix.values()):,} ({mix['offer'] / max(1, sum(mix.values())):.1%} "
                         "offers)")
    except Exception:
        print(f"server log (last lines):\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        server.stop()
    return out


def postgres_database() -> tuple[str, Callable[[], None]] | str:
    """A throwaway database and its dropper, or why there is none."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at 127.0.0.1:5432 as postgres ({str(exc).strip().splitlines()[0]})"
    name = f"pantau_bench_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql://postgres@127.0.0.1:5432/{name}", drop


# --- report -------------------------------------------------------------------------------------

TARGETS = {"single": (1_000, 50.0), "batch": (10_000, None)}


def render(backend: Backend) -> str:
    lines = [f"\n== {backend.name} ==",
             f"{'measurement':<24}{'events':>9}{'requests':>10}{'events/s':>11}{'p50 ms':>10}{'p99 ms':>10}"
             f"{'server CPU':>12}{'client CPU':>12}  {'target':<28}{'met':<5}errors",
             f"{'':<74}{'ms/event':>12}{'ms/event':>12}"]
    for r in backend.results:
        p50, p99 = r.pct(0.5), r.pct(0.99)
        if r.name.startswith("single"):
            rate_target, p99_target = TARGETS["single"]
            target = f">= {rate_target:,}/s, p99 < {p99_target:.0f} ms"
            met = r.rate >= rate_target and p99 < p99_target
        elif r.name.startswith("batch"):
            rate_target, _ = TARGETS["batch"]
            target = f">= {rate_target:,}/s"
            met = r.rate >= rate_target
        else:
            target, met = "(no target)", None
        errors = sum(r.errors.values())
        per = 1000 / r.events if r.events else float("nan")
        lines.append(f"{r.name:<24}{r.events:>9,}{r.requests:>10,}{r.rate:>11,.0f}{p50:>10.1f}{p99:>10.1f}"
                     f"{r.server_cpu * per:>12.2f}{r.client_cpu * per:>12.2f}"
                     f"  {target:<28}{'-' if met is None else 'yes' if met else 'NO':<5}{errors}")
    for r in backend.results:
        if r.errors:
            lines.append(f"  {r.name} errors: {dict(r.errors.most_common(3))}")
    fresh = [r for r in backend.results if not r.name.startswith("replay")]
    actions = sum((r.actions for r in fresh), Counter[str]())
    total = sum(actions.values())
    if total:
        shares = ", ".join(f"{a} {n / total:.1%}" for a, n in actions.most_common())
        lines.append(f"  decisions on fresh events: {shares}")
    for r in backend.results:
        if r.name.startswith("replay") and r.events:
            lines.append(f"  replay: {r.replayed:,} of {r.events:,} answered as replayed")
    lines += [f"  note: {n}" for n in backend.notes]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="time bound of each measurement (default 20)")
    parser.add_argument("--single", type=int, default=20_000, help="single-event requests per measurement at most")
    parser.add_argument("--batches", type=int, default=100,
                        help=f"batches of {BATCH} per measurement at most (default 100, about 10 s: long "
                             "enough that one slow second does not decide the figure)")
    parser.add_argument("--connections", type=int, default=16,
                        help="concurrent connections for the second single-event run (default 16)")
    parser.add_argument("--batch-connections", type=int, default=4,
                        help="concurrent connections for the batch runs (default 4: the kernel spreads "
                             "connections over the server processes by hash, and with 2 they often meet in one)")
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4),
                        help="`pantau serve --workers` (default: its own default, one per core, at most 4)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    print(f"pantau ingest benchmark: real `pantau serve --workers {args.workers}` on 127.0.0.1; {cores} cores, "
          "shared by the server and this load generator (so the server has less than all of them)")
    print(f"bounds: {args.seconds:g} s per measurement, at most {args.single:,} single requests and "
          f"{args.batches} batches of {BATCH}; {args.connections} connections for the concurrent single-event run, "
          f"{args.batch_connections} for batches")
    print(speed_line())
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        workdir = Path(tmp)
        if args.backend in ("sqlite", "both"):
            print(render(bench_backend("SQLite (embedded, WAL)", None, args, workdir)), flush=True)
        if args.backend in ("postgres", "both"):
            made = postgres_database()
            if isinstance(made, str):
                print(f"\n== PostgreSQL ==\n  skipped: {made}")
            else:
                url, drop = made
                try:
                    print(render(bench_backend(f"PostgreSQL ({url.rsplit('/', 1)[1]})", url, args, workdir)),
                          flush=True)
                finally:
                    drop()


if __name__ == "__main__":
    main()
