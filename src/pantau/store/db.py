"""Engine and sessions: SQLite (WAL) for the embedded default, PostgreSQL (psycopg 3) in production."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Engine, any_, bindparam, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pantau.config import Settings


def make_engine(settings: Settings) -> Engine:
    url = settings.url
    if url.startswith("sqlite"):
        # Only its owner may enter a new data directory: the database holds reported texts and
        # evidence of children (UU PDP), and SQLite creates its -wal and -shm files beside it.
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=json_text)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        queue = WriterQueue.for_path(settings.data_dir / "pantau.db.lock")

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # Writers take the lock at BEGIN, so read-then-append (the audit chain, idempotent
            # ingest) cannot interleave between threads or processes. They queue for it first:
            # SQLite's own wait for a busy database sleeps in steps of up to 100 ms.
            queue.enter(connection.connection.dbapi_connection)
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine, "checkin")
        def _leave(dbapi_connection: Any, _: Any) -> None:
            queue.leave(dbapi_connection)

        @event.listens_for(engine, "invalidate")
        def _leave_invalid(dbapi_connection: Any, _: Any, __: Any) -> None:
            queue.leave(dbapi_connection)

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # No server-side prepared statements: psycopg prepares a query after five runs, and PostgreSQL may
    # then keep a generic plan made while a table was nearly empty (a sequential scan over `events`
    # for the replay lookup, seconds per batch once the table holds 100,000 rows).
    # Per process: `pantau serve --workers N` runs up to 4, so at most 40 connections, under
    # PostgreSQL's default max_connections of 100 with room for workers and tools.
    # A server that takes connections but never answers must not hang a process forever (a worker's
    # periodic checks, a start): a connection attempt gives up after 10 s.
    return create_engine(url, pool_size=5, max_overflow=5, pool_pre_ping=True,
                         connect_args={"prepare_threshold": None, "connect_timeout": 10}, json_serializer=json_text)


def json_text(value: Any) -> str:
    """JSON columns' text, by orjson: several values per stored event, about 8x faster than json.dumps
    (the stored text is compact; every reader parses it, none compares it as text)."""
    return orjson.dumps(value).decode()


class WriterQueue:
    """One SQLite transaction at a time across this data directory's threads and processes, handed
    over as soon as it ends (every pantau transaction is a writer: BEGIN IMMEDIATE).

    A thread lock queues this process's threads; an exclusive ``flock`` on a lock file beside the
    database queues processes (``pantau serve --workers N``, workers, the CLI). The kernel wakes a
    waiting process the moment the holder releases, where SQLite's own busy wait polls with sleeps
    of up to 100 ms. The lock is held from BEGIN until the connection returns to the pool, which is
    after its COMMIT or ROLLBACK; a process that dies releases it with its files. There is one queue
    per lock file in a process (every engine on the data directory shares it). Waiting is bounded
    by ``TIMEOUT`` in both steps: a transaction opened inside another one, or a stuck process,
    gives "database is locked", not a hang.
    """

    TIMEOUT = 30.0  # seconds; the same bound as SQLite's busy timeout (make_engine)
    _queues: ClassVar[dict[Path, WriterQueue]] = {}
    _queues_lock = threading.Lock()

    @classmethod
    def for_path(cls, path: Path) -> WriterQueue:
        with cls._queues_lock:
            key = path.resolve()
            found = cls._queues.get(key)
            if found is None:
                found = cls._queues[key] = cls(key)
            return found

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._holder: Any = None  # the DBAPI connection in a transaction
        self._held: BinaryIO | None = None  # the lock file it holds the flock of

    def enter(self, dbapi_connection: Any) -> None:
        if self._holder is dbapi_connection:  # a long-lived connection's next transaction: still held
            return
        deadline = time.monotonic() + self.TIMEOUT
        if not self._threads.acquire(timeout=self.TIMEOUT):
            raise _locked(self.TIMEOUT)
        try:
            file = _flock_until(self.path, deadline)
        except BaseException:
            self._threads.release()
            raise
        self._holder, self._held = dbapi_connection, file

    def leave(self, dbapi_connection: Any) -> None:
        if self._holder is not dbapi_connection or self._held is None:
            return
        file, self._holder, self._held = self._held, None, None
        file.close()  # closing the file releases its flock
        self._threads.release()


def _flock_until(path: Path, deadline: float) -> BinaryIO:
    """``path`` opened (an open file of its own: the flock belongs to it alone) with its exclusive
    flock taken by ``deadline``; or "database is locked".

    Uncontended, one non-blocking call. Otherwise a helper thread makes the blocking call, which
    the kernel completes the moment the other process releases (prompt hand-over, no polling), while
    this thread waits for it with a deadline; a helper that gets the lock after the deadline gives
    it straight back and closes the file."""
    file = path.open("ab")
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return file
    except BlockingIOError:
        pass
    except BaseException:
        file.close()
        raise
    got, gate = threading.Event(), threading.Lock()
    abandoned = False

    def wait_for_it() -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        with gate:
            if abandoned:
                fcntl.flock(file.fileno(), fcntl.LOCK_UN)
                file.close()
            else:
                got.set()

    threading.Thread(target=wait_for_it, name="pantau-sqlite-writer-queue", daemon=True).start()
    if got.wait(max(0.0, deadline - time.monotonic())):
        return file
    with gate:
        if got.is_set():  # it arrived just now
            return file
        abandoned = True  # from here the file is the helper's: it closes it when (if ever) it gets the lock
    raise _locked(WriterQueue.TIMEOUT)


def _locked(seconds: float) -> OperationalError:
    problem = f"database is locked: no turn to write within {seconds:g} s"
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(problem))


def among_param(column: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column IN (the keys)`` for a batch's hundreds of keys, in a statement built once and run many
    times with the keys as the parameter ``name``. On PostgreSQL it is ``column = ANY(array)`` with
    the keys in one array parameter: an IN list sends one parameter per key, which SQLAlchemy and
    psycopg expand, and psycopg parses, anew for every batch (about a tenth of a batch's client time
    at 500 events). SQLite has no arrays and takes an expanding IN list. A statement kept and run
    again also skips SQLAlchemy's building and cache-key walk, which a write path of a dozen
    statements would pay per batch."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back whole on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    folder = Path(str(resources.files("pantau").joinpath("migrations")))
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration (``pantau db upgrade``; also run by ``serve`` on the embedded default)."""
    command.upgrade(alembic_config(engine), "head")


def unusable(engine: Engine, exc: Exception, hint: str = "") -> Exception:
    """A one-line ConfigError for a database that cannot be used: where (no password) and why."""
    from pantau.errors import ConfigError

    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return ConfigError(f"cannot use the database at {engine.url.render_as_string(hide_password=True)}: "
                       f"{reason}{hint if 'does not exist' in reason else ''}")


def ready_engine(settings: Any, *, check_key: bool = True) -> Engine:
    """The configured store's engine, ready to use: the embedded default migrated, a server database
    checked (``check_ready``), and the hash key the one the store's contact hashes were made with
    (``pantau.store.keys``; not for ``pantau db rotate-hash-key``, which replaces it)."""
    from pantau.store.keys import check_hash_key

    engine = make_engine(settings)
    if settings.embedded:
        upgrade(engine)  # the embedded default migrates itself
    check_ready(engine)
    if check_key:
        check_hash_key(engine, settings.contact_key, settings.hash_key_source)
    return engine


def check_ready(engine: Engine) -> None:
    """A clear ConfigError unless the database answers and has pantau's latest schema (a server
    database is migrated by ``pantau db upgrade``, never by a command that only uses it)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    from pantau.errors import ConfigError

    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise unusable(engine, exc) from None
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    if current != head:
        state = "has no pantau schema" if current is None else f"is at schema {current}, pantau needs {head}"
        raise ConfigError(f"the database {state}: run `pantau db upgrade` first")
