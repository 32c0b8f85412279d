"""Command line: ``pantau scan``, ``pantau explain`` and friends.

Exit codes are mapped here and only here: 0 success, 1 some input lines failed, 2 usage or
configuration error (bad policy, missing model), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pantau import __version__
from pantau.errors import InputError, PantauError
from pantau.explain import render_explanation
from pantau.heap import freeze_loaded
from pantau.pipeline import Pipeline
from pantau.policy import load_policy

MAX_LINE_BYTES = 64 * 1024
BATCH = 256

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


# --------------------------------------------------------------------------------------------
# scan
# --------------------------------------------------------------------------------------------


def parse_line(raw: bytes) -> tuple[str, str]:
    """One JSON Lines record → (id, text), or InputError saying what is wrong."""
    if len(raw) > MAX_LINE_BYTES:
        raise InputError(f"line is {len(raw)} bytes; the limit is {MAX_LINE_BYTES} (64 KiB)")
    try:
        obj = json.loads(raw.decode("utf-8"))  # strict: json.loads(bytes) lets UTF-8-encoded surrogates through
    except UnicodeDecodeError:
        raise InputError("line is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object, got {type(obj).__name__}")
    for field in ("id", "text"):
        if field not in obj:
            raise InputError(f"missing field {field!r}")
        if not isinstance(obj[field], str):
            raise InputError(f"field {field!r} must be a string, got {type(obj[field]).__name__}")
        try:
            obj[field].encode("utf-8")
        except UnicodeEncodeError as exc:  # a JSON escape such as \udfff: not a character, cannot be written out
            code = ord(obj[field][exc.start])
            raise InputError(f"field {field!r} holds a lone surrogate (\\u{code:x}), which is not text") from None
    return obj["id"], obj["text"]


_WORKER_PIPELINE: Pipeline | None = None


def build_pipeline(policy_path: str | None, model_path: str | None) -> Pipeline:
    pipeline = Pipeline.default(
        load_policy(Path(policy_path)) if policy_path else None, Path(model_path) if model_path else None
    )
    freeze_loaded()  # the pipeline lives as long as the command: out of the collector's scans
    return pipeline


def _pipeline(args: argparse.Namespace) -> Pipeline:
    return build_pipeline(getattr(args, "policy", None), getattr(args, "model", None))


def _init_worker(policy_path: str | None, model_path: str | None) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = build_pipeline(policy_path, model_path)


def _scan_batch(batch: list[tuple[int, bytes]], pipeline: Pipeline | None = None) -> tuple[list[str], int]:
    """Scan one batch of (line number, raw line); returns output lines and the failure count."""
    pipe = pipeline or _WORKER_PIPELINE
    assert pipe is not None
    out: list[str | None] = []
    good: list[tuple[str, str]] = []
    slots: list[int] = []
    failures = 0
    for number, raw in batch:
        try:
            good.append(parse_line(raw))
            slots.append(len(out))
            out.append(None)
        except InputError as exc:
            failures += 1
            out.append(json.dumps({"line": number, "error": str(exc)}, ensure_ascii=False))
    for slot, verdict in zip(slots, pipe.run_batch(good), strict=True):
        out[slot] = json.dumps(verdict.to_scan_record(), ensure_ascii=False)
    return [line for line in out if line is not None], failures


def _batches(stream: IO[bytes]) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue  # blank lines carry nothing
        batch.append((number, line))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = self.last = time.monotonic()
        self.lines = 0

    def add(self, n: int) -> None:
        self.lines += n
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.5:
            self.last = now
            rate = self.lines / max(now - self.start, 1e-9)
            sys.stderr.write(f"\rpantau scan: {self.lines:,} lines, {rate:,.0f}/s")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            elapsed = max(time.monotonic() - self.start, 1e-9)
            sys.stderr.write(f"\rpantau scan: {self.lines:,} lines in {elapsed:.1f}s\n")


def scan(stream: IO[bytes], out: IO[str], *, workers: int = 1, policy_path: str | None = None,
         model_path: str | None = None, progress: bool = False) -> int:
    """Scan JSON Lines from ``stream`` to ``out``; returns the number of failed lines.

    Memory is bounded: at most ``2 × workers`` batches are in flight at any time.
    """
    failures = 0
    meter = _Progress(progress)

    def emit(result: tuple[list[str], int], size: int) -> None:
        nonlocal failures
        lines, failed = result
        failures += failed
        if lines:
            out.write("\n".join(lines) + "\n")
        meter.add(size)

    if workers <= 1:
        pipeline = build_pipeline(policy_path, model_path)
        for batch in _batches(stream):
            emit(_scan_batch(batch, pipeline), len(batch))
    else:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(policy_path, model_path)) as pool:
            pending: deque[tuple[Future[tuple[list[str], int]], int]] = deque()
            for batch in _batches(stream):
                pending.append((pool.submit(_scan_batch, batch), len(batch)))
                if len(pending) >= 2 * workers:
                    future, size = pending.popleft()
                    emit(future.result(), size)
            while pending:
                future, size = pending.popleft()
                emit(future.result(), size)
    out.flush()
    meter.done()
    return failures


# --------------------------------------------------------------------------------------------
# argument parsing and dispatch
# --------------------------------------------------------------------------------------------


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _cmd_scan(args: argparse.Namespace) -> int:
    if args.path == "-":
        stream: IO[bytes] = sys.stdin.buffer
    else:
        try:
            stream = open(args.path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise PantauError(f"cannot read {args.path}: {exc.strerror}") from None
    try:
        failures = scan(
            stream, sys.stdout, workers=args.workers, policy_path=args.policy, model_path=args.model,
            progress=sys.stderr.isatty() and not args.quiet,
        )
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if failures:
        print(f"pantau scan: {failures} line(s) could not be scanned; see the error records", file=sys.stderr)
    return EXIT_INPUT if failures else EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    text = args.text if args.text != "-" else sys.stdin.read()
    verdict = _pipeline(args).run("explain", text)
    if args.json:
        record: dict[str, Any] = verdict.to_scan_record()
        record["normalized"] = verdict.normalized.text
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(render_explanation(verdict, color=sys.stdout.isatty()))
    return EXIT_OK


def _default_web_workers() -> int:
    """One server process per CPU core, at most 4: the GIL lets one process use about one core."""
    return max(1, min(os.cpu_count() or 1, 4))


def _default_data_dir() -> Path:
    """``../shared/data`` beside the project root (or the working directory)."""
    for base in (Path(__file__).resolve().parents[2], Path.cwd()):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path("../shared/data")


# Non-offer rows hand-labelled from the same crawl period and surface as the nbc offers.
SURFACE_SOURCES = frozenset({"nbc-random", "nbc-new-data"})


def _say(message: str) -> None:
    print(f"pantau: {message}", file=sys.stderr, flush=True)


def _cmd_train(args: argparse.Namespace) -> int:
    from pantau.model import default_model_dir
    from pantau.training.corpus import load_extra, load_real, load_written
    from pantau.training.train import TrainConfig, train

    rows = []
    if not args.no_real:
        data_dir = Path(args.data_dir) if args.data_dir else _default_data_dir()
        if not data_dir.is_dir():
            raise PantauError(f"no dataset folder at {data_dir}; pass --data-dir or --no-real")
        rows += load_real(data_dir, _say)
    rows += load_written(Path(args.written)) if args.written else load_written()
    for extra in args.extra:
        rows += load_extra(Path(extra))
    model = train(rows, TrainConfig(seed=args.seed), _say)
    out = Path(args.out) if args.out else default_model_dir()
    model.save(out)
    _say(f"saved model {model.version} to {out} (weights digest {model.weights_digest()[:16]})")
    return EXIT_OK


def _cmd_eval(args: argparse.Namespace) -> int:
    from pantau.evaluate import evaluate, read_gold, render

    rows = read_gold(Path(args.gold))
    meter = _Progress(sys.stderr.isatty())
    done = [0]

    def tick(n: int) -> None:
        meter.add(n - done[0])
        done[0] = n

    report = evaluate(rows, _pipeline(args), tick)
    meter.done()
    if args.json:
        print(json.dumps(report.to_dict(args.worst), ensure_ascii=False, indent=2))
    else:
        print(render(report, args.worst))
    return EXIT_OK


def _cmd_corpus_export(args: argparse.Namespace) -> int:
    from pantau.evaluate import write_gold
    from pantau.training.corpus import load_real, load_written, without_hashtags

    rows = []
    if args.source in ("real", "all"):
        data_dir = Path(args.data_dir) if args.data_dir else _default_data_dir()
        if not data_dir.is_dir():
            raise PantauError(f"no dataset folder at {data_dir}; pass --data-dir")
        rows += load_real(data_dir, _say, eval_only=args.include_eval_only)
    if args.source in ("written", "all"):
        rows += load_written()
    rows = [r for r in rows if r.split == args.split]
    if args.surface_matched:
        rows = [r for r in rows if r.label == 1 or "#" in r.text or r.source in SURFACE_SOURCES]
    if args.strip_hashtags:
        rows = without_hashtags(rows)
    count = write_gold((r.gold() for r in rows), Path(args.out))
    _say(f"wrote {count:,} gold rows ({args.source}, split {args.split}) to {args.out}")
    return EXIT_OK


def _service_settings() -> Any:
    from pantau.config import load_settings

    return load_settings()


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pantau.api.app import create_app
    from pantau.api.processes import check_port_free, serve
    from pantau.logs import configure_json
    from pantau.store.db import ready_engine

    settings = _service_settings()
    check_port_free(args.host, args.port)  # a clear message now, not a traceback from a server process
    engine = ready_engine(settings)  # a server database missing or not migrated: a message, not a traceback
    _refuse_demo_with_webhooks(engine, settings)
    _warn_if_readable(settings)
    if settings.ingest == "stream":  # NATS unreachable: one line now, not a traceback from the server
        import asyncio

        from pantau.stream import connect

        async def probe() -> None:
            await (await connect(settings, "pantau-serve-check")).close()

        asyncio.run(probe())
    where = "SQLite in " + str(settings.data_dir.resolve()) if settings.embedded else "PostgreSQL"
    processes = f"{args.workers} server processes" if args.workers > 1 else "one process"
    _say(f"serving on http://{args.host}:{args.port} ({processes}; storage: {where}); API docs at /docs")
    configure_json()  # one JSON object per line on stderr: each request (pantau.access) and any error
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", log_config=None,
                    access_log=False)
        return EXIT_OK
    return serve(args.host, args.port, args.workers)  # each process builds its app from the same environment


def _refuse_demo_with_webhooks(engine: Any, settings: Any) -> None:
    """A data directory filled by `pantau demo` must never send its simulated actions to a platform."""
    if not settings.webhook_url:
        return
    from sqlalchemy import select

    from pantau.demo import DEMO_USERS
    from pantau.store.schema import User

    with engine.connect() as connection:  # the demo's users mark it (the users table is small, events not)
        demo = connection.execute(select(User.id).where(User.name.in_([u.name for u in DEMO_USERS])).limit(1)).first()
    if demo is not None:
        raise PantauError("this database holds `pantau demo`'s simulated week (its demo users) and PANTAU_WEBHOOK_URL "
                          "is set: its simulated actions would reach the platform. Use a new PANTAU_DATA_DIR (or "
                          "database) for real use, or unset PANTAU_WEBHOOK_URL to look at the demo")


def _warn_if_readable(settings: Any) -> None:
    """The embedded database holds texts and decisions: warn when others on the machine can enter
    its data directory (one made by an older version may be 0755; the file inside a 0700 directory
    is out of their reach whatever its own mode)."""
    if settings.database_url is None and settings.data_dir.exists() and settings.data_dir.stat().st_mode & 0o077:
        _say(f"warning: {settings.data_dir} can be read by other users of this machine (mode "
             f"{settings.data_dir.stat().st_mode & 0o777:o}); run `chmod -R go-rwx {settings.data_dir}`")


def _cmd_worker(args: argparse.Namespace) -> int:
    import asyncio
    import contextlib

    from pantau import worker
    from pantau.logs import configure_json
    from pantau.store.db import ready_engine

    if args.metrics_host is not None and args.metrics_port is None:
        raise InputError("--metrics-host needs --metrics-port (metrics are served only on a port you name)")
    settings = _service_settings()
    engine = ready_engine(settings)
    _refuse_demo_with_webhooks(engine, settings)  # a worker sends webhooks too
    configure_json()
    run = asyncio.run
    with contextlib.suppress(ImportError):  # libuv's loop: less CPU a message than asyncio's own (not on Windows)
        import uvloop

        run = uvloop.run
    run(worker.run(settings, metrics_port=args.metrics_port, metrics_host=args.metrics_host or "127.0.0.1"))
    return EXIT_OK


def _cmd_worker_status(args: argparse.Namespace) -> int:
    import asyncio
    import dataclasses

    from pantau.stream import connect, status

    settings = _service_settings()

    async def read() -> Any:
        nc = await connect(settings, "pantau-status")
        try:
            return await status(nc.jetstream(), settings, recent=args.recent)
        finally:
            await nc.close()

    st = asyncio.run(read())
    if args.json:
        print(json.dumps(dataclasses.asdict(st), ensure_ascii=False, indent=2))
        return EXIT_OK
    s, c = st.stream, st.consumer
    print(f"stream {s['name']}: {s['messages']:,} queued (limit {s['limit']:,}), {s['bytes']:,} bytes")
    print(f"consumer {c['name']}: {c['pending']:,} waiting, {c['in_flight']:,} in flight, "
          f"{c['redelivered']:,} redelivered, {c['waiting_workers']} fetch requests waiting")
    print(f"dead letters: {st.dead_letters:,}")
    for d in st.recent_dead:
        print(f"  #{d.sequence} {d.subject} event={d.event_id or '-'} deliveries={d.deliveries}: {d.error}")
    return EXIT_OK


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (1-65535)")
    return port


def _cmd_db_upgrade(_: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from pantau.store.db import make_engine, unusable, upgrade
    from pantau.store.keys import check_hash_key

    settings = _service_settings()
    engine = make_engine(settings)
    try:
        upgrade(engine)
    except OperationalError as exc:
        raise unusable(engine, exc, " (create it first, e.g. `createdb`)") from None
    check_hash_key(engine, settings.contact_key, settings.hash_key_source)  # recorded here, by the operator
    _say("database schema is at the latest version (migrations applied where needed)")
    return EXIT_OK


def _cmd_db_rotate_hash_key(args: argparse.Namespace) -> int:
    from pantau.store.db import ready_engine, session_factory, transaction
    from pantau.store.keys import rotate_hash_key

    if not args.yes:
        raise InputError("rotating the hash key loses every link between phone numbers and handles hashed before and "
                         "after; pass --yes if the old key is lost for good (otherwise start every process with it)")
    settings = _service_settings()
    engine = ready_engine(settings, check_key=False)
    with transaction(session_factory(engine)) as session:
        changed = rotate_hash_key(session, settings.contact_key)
    engine.dispose()
    if changed is None:
        _say("the configured hash key already is this store's key; nothing changed")
    else:
        _say(f"the hash key from {settings.hash_key_source} (fingerprint {changed[1]}) is now this store's key, "
             f"replacing {changed[0] or 'none'}; phone numbers and handles hashed before no longer link to new ones. "
             "Restart every server and worker with this key: running ones still hash with the old one.")
    return EXIT_OK


@contextmanager
def _store_transaction(*, existing: bool = False) -> Iterator[Any]:
    """One transaction on the configured store; the embedded default is migrated first. ``existing``:
    the command only reads or changes what is there, so an embedded database that does not exist
    yet is an error (rather than a new empty one, with new secrets, that says "0 entries")."""
    from pantau.config import Settings
    from pantau.store.db import ready_engine, session_factory, transaction

    if existing:
        plain = Settings()
        if plain.embedded and plain.database_url is None and not (plain.data_dir / "pantau.db").is_file():
            raise PantauError(f"no pantau database in {plain.data_dir.resolve()}: run the command where `pantau "
                              "serve` keeps its data, or set PANTAU_DATA_DIR (or PANTAU_DATABASE_URL)")
    with transaction(session_factory(ready_engine(_service_settings()))) as session:
        yield session


def _cmd_users_add(args: argparse.Namespace) -> int:
    from pantau.auth import Role, add_user

    with _store_transaction() as session:
        token = add_user(session, args.name, Role(args.role), args.region)
    _say(f"created {args.role} {args.name!r}; this token is shown once — store it safely:")
    print(token)
    return EXIT_OK


def _cmd_users_list(_: argparse.Namespace) -> int:
    from sqlalchemy import select

    from pantau.store.schema import User

    with _store_transaction(existing=True) as session:
        users = list(session.execute(select(User).order_by(User.id)).scalars())
        rows = [(u.name, u.role, ",".join(u.regions or []) or "-", "disabled" if u.disabled else "active",
                 f"{u.created_at:%Y-%m-%d}") for u in users]
    if not rows:
        _say("no users yet: add one with `pantau users add NAME --role ROLE`")
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(("name", "role", "regions", "status"))]
    for row in [("name", "role", "regions", "status", "created"), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, [*widths, 0], strict=True)).rstrip())
    return EXIT_OK


def _cmd_users_disable(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from pantau import audit
    from pantau.store.schema import User

    disable = args.users_command == "disable"
    with _store_transaction(existing=True) as session:
        user = session.execute(select(User).where(User.name == args.name)).scalar()
        if user is None:
            raise InputError(f"no user named {args.name!r} (see `pantau users list`)")
        if user.disabled == disable:
            _say(f"{args.name!r} is already {'disabled' if disable else 'enabled'}; nothing changed")
            return EXIT_OK
        user.disabled = disable
        audit.record(session, "cli", "user.disable" if disable else "user.enable", f"user:{user.id}", {})
    _say(f"{args.name!r} is {'disabled: its token is refused' if disable else 'enabled again'} (a running server "
         "notices within a minute)")
    return EXIT_OK


def _cmd_webhooks_status(_: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from pantau.store.schema import WebhookDelivery

    with _store_transaction(existing=True) as session:
        counts = dict(session.execute(select(WebhookDelivery.status, func.count())
                                      .group_by(WebhookDelivery.status)).tuples().all())
        failed = list(session.execute(select(WebhookDelivery).where(WebhookDelivery.status == "failed")
                                      .order_by(WebhookDelivery.id.desc()).limit(10)).scalars())
        lines = [f"  #{d.id} action {d.action_id}, {d.attempts} attempts: {d.last_error or '-'}" for d in failed]
        retrying = list(session.execute(select(WebhookDelivery).where(
            WebhookDelivery.status == "pending", WebhookDelivery.last_error.is_not(None))
            .order_by(WebhookDelivery.id.desc()).limit(10)).scalars())
        waiting = [f"  #{d.id} action {d.action_id}, {d.attempts} attempts so far: {d.last_error}" for d in retrying]
    print(", ".join(f"{s} {counts.get(s, 0):,}" for s in ("pending", "delivered", "failed")))
    if waiting:
        print("being retried (the receiver refused or was unreachable):")
        print("\n".join(waiting))
    if lines:
        print("latest failed (send again with `pantau webhooks retry`):")
        print("\n".join(lines))
    return EXIT_OK


def _cmd_webhooks_retry(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from pantau.actions import retry_failed
    from pantau.store.schema import WebhookDelivery

    with _store_transaction(existing=True) as session:
        known = {d.id: d.status for d in session.execute(select(WebhookDelivery).where(
            WebhookDelivery.id.in_(args.ids))).scalars()} if args.ids else {}
        queued = retry_failed(session, "cli", args.ids)
    _say(f"{queued:,} failed deliveries queued to be sent again" if queued else "no failed deliveries to send again")
    others = [f"#{i} {known[i]}" if i in known else f"#{i} does not exist"
              for i in args.ids if known.get(i) != "failed"]
    if others:
        _say("not sent again (only failed deliveries are): " + ", ".join(others))
        return EXIT_INPUT
    return EXIT_OK


def _cmd_audit_verify(_: argparse.Namespace) -> int:
    from pantau import audit

    with _store_transaction(existing=True) as session:
        result = audit.verify(session)
    if result.ok:
        print(f"audit log OK: {result.entries} entries, hash chain intact; head {result.head}")
        return EXIT_OK
    print(f"audit log TAMPERED at entry {result.first_bad_seq}: {result.problem}")
    return EXIT_INPUT


def _cmd_reviews_export(args: argparse.Namespace) -> int:
    from pantau import audit
    from pantau.evaluate import write_gold
    from pantau.review import labelled_rows

    with _store_transaction(existing=True) as session:
        rows = labelled_rows(session)
        audit.record(session, "cli", "labels.export", args.out, {"rows": len(rows)})
    count = write_gold(rows, Path(args.out))
    _say(f"wrote {count:,} reviewed texts as labelled rows to {args.out} (use: pantau train --extra {args.out})")
    return EXIT_OK


def _cmd_regions_import(args: argparse.Namespace) -> int:
    from pantau.region_store import import_boundaries

    with _store_transaction() as session:
        report = import_boundaries(session, Path(args.path), repair=args.repair)
    print(report.format(limit=args.show))
    _say(f"imported {len(report.accepted)} boundaries from {args.path}; restart `pantau serve` to use them")
    return EXIT_OK if report.ok else EXIT_INPUT


def _cmd_demo(args: argparse.Namespace) -> int:
    from pantau.demo import DemoExists, render, run_demo

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rpantau demo: {done:,}/{total:,} events ingested")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")

    try:
        report = run_demo(_service_settings(), events=args.events, seed=args.seed, again=args.again,
                          boundaries=Path(args.import_boundaries) if args.import_boundaries else None,
                          allow_server_database=args.yes, progress=progress)
    except DemoExists as exc:
        _say(str(exc))
        return EXIT_OK
    print(render(report))
    return EXIT_OK


def _add_service_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from pantau.auth import Role

    p = sub.add_parser("serve", help="run the HTTP API (embedded SQLite unless PANTAU_DATABASE_URL is set)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--workers", type=_positive_int, default=_default_web_workers(), metavar="N",
                   help="server processes sharing the port (default: one per CPU core, at most 4: "
                        f"{_default_web_workers()} here)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("worker", help="score and store events from the NATS JetStream stream (see docs/operations.md)")
    p.add_argument("--metrics-port", type=_port, metavar="PORT", help="serve Prometheus metrics on this port")
    p.add_argument("--metrics-host", metavar="ADDRESS",
                   help="address the metrics port listens on (default 127.0.0.1; 0.0.0.0 for a Prometheus on "
                        "another machine: the metrics hold counts only, no texts or accounts)")
    p.set_defaults(func=_cmd_worker)
    wsub = p.add_subparsers(dest="worker_command", metavar="ACTION")
    w = wsub.add_parser("status", help="queue depth, consumer progress and the latest dead letters")
    w.add_argument("--recent", type=int, default=10, help="how many recent dead letters to show (default 10)")
    w.add_argument("--json", action="store_true", help="print JSON")
    w.set_defaults(func=_cmd_worker_status)

    p = sub.add_parser("db", help="database schema")
    dsub = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    dsub.add_parser("upgrade", help="apply every migration").set_defaults(func=_cmd_db_upgrade)
    r = dsub.add_parser("rotate-hash-key", help="make the configured hash key the store's own (links to phone "
                        "numbers and handles hashed with the old key are lost)")
    r.add_argument("--yes", action="store_true", help="yes, the old key is lost for good")
    r.set_defaults(func=_cmd_db_rotate_hash_key)

    p = sub.add_parser("users", help="people and systems that may call pantau")
    usub = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    a = usub.add_parser("add", help="create a user and print its token (once)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--region", action="append", default=[], metavar="CODE",
                   help="Kemendagri region code (regional_official only; repeatable), e.g. 35.73.05")
    a.set_defaults(func=_cmd_users_add)
    usub.add_parser("list", help="every user: name, role, regions, active or disabled").set_defaults(
        func=_cmd_users_list)
    for verb, what in (("disable", "refuse a user's token from now on"), ("enable", "accept a disabled user's token")):
        d = usub.add_parser(verb, help=what)
        d.add_argument("name")
        d.set_defaults(func=_cmd_users_disable)

    p = sub.add_parser("webhooks", help="deliveries of actions to the platform")
    hsub = p.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    hsub.add_parser("status", help="deliveries by status and the latest failures").set_defaults(
        func=_cmd_webhooks_status)
    r = hsub.add_parser("retry", help="send failed deliveries again (all, or the given ids)")
    r.add_argument("ids", nargs="*", type=_positive_int, metavar="ID")
    r.set_defaults(func=_cmd_webhooks_retry)

    p = sub.add_parser("regions", help="Kemendagri region boundaries")
    gsub = p.add_subparsers(dest="regions_command", required=True, metavar="ACTION")
    g = gsub.add_parser("import", help="validate and load boundary polygons (GeoJSON with Kemendagri codes)")
    g.add_argument("path", help="GeoJSON FeatureCollection; each feature carries a code such as 35.73.05.1001")
    g.add_argument("--repair", action="store_true", help="repair invalid geometry (make_valid) instead of rejecting")
    g.add_argument("--show", type=int, default=50, help="how many problems to list (default 50)")
    g.set_defaults(func=_cmd_regions_import)

    p = sub.add_parser("reviews", help="human review outcomes")
    rsub = p.add_subparsers(dest="reviews_command", required=True, metavar="ACTION")
    e = rsub.add_parser("export-labels", help="reviewed texts as {text, label} JSONL for `pantau train --extra`")
    e.add_argument("out", help="output JSONL path")
    e.set_defaults(func=_cmd_reviews_export)

    p = sub.add_parser("audit", help="the append-only audit log")
    asub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    asub.add_parser("verify", help="check the hash chain; exit 1 if tampered").set_defaults(func=_cmd_audit_verify)


def _add_model_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("train", help="train the classifier on the labelled corpus (train split)")
    p.add_argument("--data-dir", help="public datasets folder (default: ../shared/data beside the project)")
    p.add_argument("--no-real", action="store_true", help="train on the written corpus (and --extra) only")
    p.add_argument("--written", help="written-corpus folder (default: corpus/written)")
    p.add_argument("--extra", action="append", default=[], metavar="FILE",
                   help="extra labelled JSONL ({'text', 'label'}), e.g. your reviewers' decisions; repeatable")
    p.add_argument("--out", help="where to save the model (default: the package's shipped model folder)")
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("eval", help="precision, recall, F1, FPR and errors against gold JSONL")
    p.add_argument("gold", help="gold JSONL: {'id', 'text', 'label'} with optional category, family, minor")
    p.add_argument("--model", help="trained model folder (default: the shipped model)")
    p.add_argument("--policy", help="policy YAML file (default: the built-in policy)")
    p.add_argument("--worst", type=int, default=20, help="how many worst errors to list (default 20)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_eval)

    p = sub.add_parser("corpus", help="export labelled corpus splits as gold JSONL")
    csub = p.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    e = csub.add_parser("export", help="write one split as gold JSONL for `pantau eval`")
    e.add_argument("--split", choices=["train", "validation", "test"], default="test")
    e.add_argument("--source", choices=["real", "written", "all"], default="all")
    e.add_argument("--strip-hashtags", action="store_true", help="remove every #hashtag (robustness check)")
    e.add_argument("--surface-matched", action="store_true",
                   help="keep offers, and only those non-offers that share the offers' surface (hashtags, or the "
                        "hand-labelled promo-surface sample of the nbc random tweets)")
    e.add_argument("--include-eval-only", action="store_true",
                   help="also non-commercial-licence sets (evaluation only)")
    e.add_argument("--data-dir", help="public datasets folder (default: ../shared/data beside the project)")
    e.add_argument("--out", required=True, help="output JSONL path")
    e.set_defaults(func=_cmd_corpus_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pantau",
        description="pantau: deteksi penawaran seks komersial dan eksploitasi anak pada teks obrolan berbahasa "
        "Indonesia. / Explainable detection of commercial-sex offers and child exploitation in Indonesian chat text.",
    )
    parser.add_argument("--version", action="version", version=f"pantau {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("scan", help="scan JSON Lines ({'id', 'text'} per line) and write one verdict per line")
    p.add_argument("path", nargs="?", default="-", help="input file, or - for standard input (default)")
    p.add_argument("--workers", type=_positive_int, default=1, help="processes to use (default 1)")
    p.add_argument("--policy", help="policy YAML file (default: the built-in policy)")
    p.add_argument("--model", help="trained model folder (default: the shipped model)")
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.set_defaults(func=_cmd_scan)

    p = sub.add_parser("explain", help="explain the verdict on one text, with its signals highlighted")
    p.add_argument("text", help="the text to explain, or - to read it from standard input")
    p.add_argument("--policy", help="policy YAML file (default: the built-in policy)")
    p.add_argument("--model", help="trained model folder (default: the shipped model)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_explain)

    _add_model_commands(sub)
    _add_service_commands(sub)
    p = sub.add_parser("demo", help="fill the embedded database with a simulated week in Kota Malang, plus demo users")
    p.add_argument("--events", type=_positive_int, default=5000, help="how many events to simulate (default 5000)")
    p.add_argument("--seed", type=int, default=3573, help="random seed (default 3573)")
    p.add_argument("--import-boundaries", metavar="PATH",
                   help="kelurahan GeoJSON to import (default: the shared Kota Malang file, if present)")
    p.add_argument("--again", action="store_true", help="add another simulated week to an existing demo")
    p.add_argument("--yes", action="store_true", help="allow writing the demo into a server database")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PantauError as exc:
        print(f"pantau: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pantau: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
