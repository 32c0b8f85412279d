"""One hash key per store: a process with another key refuses to start (its contact hashes would
never match the stored ones) until the key is rotated on purpose."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from pantau.api.app import create_app
from pantau.config import Settings
from pantau.errors import ConfigError
from pantau.pipeline import Pipeline
from pantau.store.db import ready_engine, session_factory, transaction
from pantau.store.keys import fingerprint, rotate_hash_key
from pantau.store.schema import AuditEntry, StoreKey

PANTAU = str(Path(sys.executable).with_name("pantau"))


def test_another_key_is_refused_until_rotated(settings: Settings, pipeline: Pipeline) -> None:
    ready_engine(settings).dispose()  # the first start records the key, audited
    engine = ready_engine(settings)
    with transaction(session_factory(engine)) as session:
        assert session.execute(select(StoreKey.fingerprint)).scalar_one() == fingerprint(settings.contact_key)
        recorded = session.execute(select(AuditEntry.details).where(AuditEntry.action == "hash_key.record")).scalar()
        assert recorded == {"fingerprint": fingerprint(settings.contact_key)[:12]}
    other = settings.model_copy(update={"hash_key": SecretStr("another key, just as long")})
    with pytest.raises(ConfigError, match="not the key this database's phone numbers and handles were hashed"):
        ready_engine(other)
    with pytest.raises(ConfigError, match="PANTAU_HASH_KEY"):
        create_app(other, pipeline)  # every server process checks, not only `pantau serve`
    ready_engine(settings).dispose()  # the right key still opens it

    with transaction(session_factory(engine)) as session:
        assert rotate_hash_key(session, other.contact_key) == (fingerprint(settings.contact_key)[:12],
                                                               fingerprint(other.contact_key)[:12])
    with transaction(session_factory(engine)) as session:
        assert rotate_hash_key(session, other.contact_key) is None  # already the key: nothing to do
        rotated = session.execute(select(AuditEntry.details).where(AuditEntry.action == "hash_key.rotate")).scalar()
        assert rotated == {"from": fingerprint(settings.contact_key)[:12], "to": fingerprint(other.contact_key)[:12]}
    engine.dispose()
    ready_engine(other).dispose()
    with pytest.raises(ConfigError, match="rotate-hash-key --yes"):
        ready_engine(settings)


def _secrets_of(data_dir: str, out: multiprocessing.Queue, start: Any) -> None:  # type: ignore[type-arg]
    os.environ["PANTAU_DATA_DIR"] = data_dir
    from pantau import config

    start.wait()  # every process is loaded and waiting: they look for the file at the same moment
    out.put(config.load_settings().contact_key)


def test_processes_starting_at_once_on_a_new_data_directory_agree_on_one_key(tmp_path: Path) -> None:
    """Each used to write its own secrets.json over the other's: one of them then hashed with a key
    the store no longer knew."""
    spawn = multiprocessing.get_context("spawn")
    for trial in range(3):
        data_dir, out, start = str(tmp_path / f"d{trial}"), spawn.Queue(), spawn.Barrier(4)
        starters = [spawn.Process(target=_secrets_of, args=(data_dir, out, start)) for _ in range(4)]
        for p in starters:
            p.start()
        keys = {out.get(timeout=60) for _ in starters}
        for p in starters:
            p.join(timeout=60)
        stored = json.loads((Path(data_dir) / "secrets.json").read_text())["hash_key"].encode()
        assert keys == {stored}
        assert [f.name for f in Path(data_dir).iterdir()] == ["secrets.json"]  # no temporary file left


def test_a_regenerated_secrets_file_is_caught_and_rotating_needs_yes(tmp_path: Path) -> None:
    """The embedded default regenerates its secrets when the file is gone: the store says so, and
    says where the key came from."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env["PANTAU_DATA_DIR"] = str(tmp_path / "d")

    def pantau(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PANTAU, *args], env=env | extra, capture_output=True, text=True, timeout=120,
                              check=False)

    assert pantau("users", "add", "ana", "--role", "admin").returncode == 0
    from_env = pantau("users", "list", PANTAU_HASH_KEY="a key typed by hand, long enough")
    assert from_env.returncode == 2 and "the hash key from PANTAU_HASH_KEY" in from_env.stderr
    (tmp_path / "d" / "secrets.json").unlink()  # the next command generates new secrets
    refused = pantau("users", "list")
    assert refused.returncode == 2 and "the secrets file pantau generated just now" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert f"the secrets file {tmp_path / 'd' / 'secrets.json'}" in pantau("users", "list").stderr  # now existing
    unconfirmed = pantau("db", "rotate-hash-key")
    assert unconfirmed.returncode == 2 and "pass --yes" in unconfirmed.stderr
    rotated = pantau("db", "rotate-hash-key", "--yes")
    assert rotated.returncode == 0 and "no longer link" in rotated.stderr and "Restart every server" in rotated.stderr
    assert "ana" in pantau("users", "list").stdout
    assert "nothing changed" in pantau("db", "rotate-hash-key", "--yes").stderr
    verified = pantau("audit", "verify")
    assert verified.returncode == 0 and "3 entries" in verified.stdout  # key recorded, user added, key rotated
