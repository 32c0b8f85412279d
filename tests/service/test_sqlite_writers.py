"""The embedded SQLite's writer queue (pantau.store.db.WriterQueue): one transaction at a time across
threads and processes, handed over at commit, with a clear error instead of a hang."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from pantau import audit
from pantau.config import Settings
from pantau.store.db import WriterQueue, make_engine, session_factory, transaction, upgrade
from pantau.store.schema import AuditEntry

TRY_LOCK = "import fcntl, sys; f = open(sys.argv[1], 'ab'); fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)"
WRITER = """
import sys
from pathlib import Path
from pantau import audit
from pantau.config import Settings
from pantau.store.db import make_engine, session_factory, transaction
sessions = session_factory(make_engine(Settings(data_dir=Path(sys.argv[1]))))
for i in range(int(sys.argv[2])):
    with transaction(sessions) as session:
        audit.record(session, sys.argv[3], "test.write", f"n:{i}", {})
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path, hash_key=SecretStr("h" * 32), webhook_secret=SecretStr("w" * 32))
    upgrade(make_engine(s))
    return s


def _other_process_can_lock(path: Path) -> bool:
    return subprocess.run([sys.executable, "-c", TRY_LOCK, str(path)], capture_output=True).returncode == 0


def test_another_process_waits_for_an_open_transaction(settings: Settings) -> None:
    sessions = session_factory(make_engine(settings))
    lock = settings.data_dir / "pantau.db.lock"
    with transaction(sessions) as session:
        session.execute(select(func.count()).select_from(AuditEntry))
        assert not _other_process_can_lock(lock)  # held from BEGIN …
    assert _other_process_can_lock(lock)  # … until the commit returned the connection


def test_a_transaction_inside_a_transaction_fails_clearly(settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriterQueue, "TIMEOUT", 0.2)
    sessions = session_factory(make_engine(settings))
    with transaction(sessions) as outer:
        outer.execute(select(func.count()).select_from(AuditEntry))
        with pytest.raises(OperationalError, match="no turn to write within"), transaction(sessions) as inner:
            inner.execute(select(func.count()).select_from(AuditEntry))
    with transaction(sessions) as after:  # the failed attempt left nothing held
        assert after.execute(select(func.count()).select_from(AuditEntry)).scalar() == 0


def test_concurrent_writers_in_threads_and_processes_lose_nothing(settings: Settings) -> None:
    sessions = session_factory(make_engine(settings))
    children = [subprocess.Popen([sys.executable, "-c", WRITER, str(settings.data_dir), "150", f"proc-{n}"])
                for n in range(2)]
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for i in range(150):
                with transaction(sessions) as session:
                    audit.record(session, name, "test.write", f"n:{i}", {})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"thread-{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [c.wait(timeout=120) for c in children] == [0, 0] and not errors
    with transaction(sessions) as session:
        counts = dict(session.execute(select(AuditEntry.actor, func.count()).group_by(AuditEntry.actor)).all())
        assert counts == {"proc-0": 150, "proc-1": 150, "thread-0": 150, "thread-1": 150}
        assert audit.verify(session).ok  # one chain: no two writers read the same last hash


def test_two_engines_on_one_data_dir_share_the_queue(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriterQueue, "TIMEOUT", 0.2)
    first, second = (session_factory(make_engine(settings)) for _ in range(2))
    with transaction(first) as outer:
        outer.execute(select(func.count()).select_from(AuditEntry))
        with pytest.raises(OperationalError, match="no turn to write"), transaction(second) as inner:
            inner.execute(select(func.count()).select_from(AuditEntry))


def test_a_process_that_keeps_the_lock_gives_an_error_not_a_hang(settings: Settings,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WriterQueue, "TIMEOUT", 0.5)
    hold = ("import fcntl, sys; f = open(sys.argv[1], 'ab'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True);"
            " sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(settings.data_dir / "pantau.db.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sessions = session_factory(make_engine(settings))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OperationalError, match=r"no turn to write within 0\.5 s"), transaction(sessions) as s:
            s.execute(select(func.count()).select_from(AuditEntry))
    finally:
        holder.communicate("", timeout=30)  # the other process lets go
    with transaction(sessions) as session:  # and the queue works again
        audit.record(session, "test", "test.write", "after", {})
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar() == 1
