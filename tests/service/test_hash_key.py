"""One hash key per store: a process with another key refuses to start (its contact hashes would
never match the stored ones) until the key is rotated on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from pantau.config import Settings
from pantau.errors import ConfigError
from pantau.store.db import ready_engine, session_factory, transaction
from pantau.store.keys import fingerprint, rotate_hash_key
from pantau.store.schema import StoreKey

PANTAU = str(Path(sys.executable).with_name("pantau"))


def test_another_key_is_refused_until_rotated(settings: Settings) -> None:
    ready_engine(settings).dispose()  # the first start records the key
    other = settings.model_copy(update={"hash_key": SecretStr("another key, just as long")})
    with pytest.raises(ConfigError, match="not the key this database's phone numbers and handles were hashed"):
        ready_engine(other)
    ready_engine(settings).dispose()  # the right key still opens it

    engine = ready_engine(settings)
    with transaction(session_factory(engine)) as session:
        assert rotate_hash_key(session, other.contact_key)
        stored = session.execute(select(StoreKey.fingerprint)).scalar_one()
    assert stored == fingerprint(other.contact_key) and other.contact_key.decode() not in stored
    with transaction(session_factory(engine)) as session:
        assert not rotate_hash_key(session, other.contact_key)  # already the key: nothing to do
    engine.dispose()
    ready_engine(other).dispose()
    with pytest.raises(ConfigError, match="rotate-hash-key"):
        ready_engine(settings)


def test_a_regenerated_secrets_file_is_caught_and_rotating_is_audited(tmp_path: Path) -> None:
    """The embedded default regenerates its secrets when the file is gone: the store says so."""
    env = {**os.environ, "PANTAU_DATA_DIR": str(tmp_path / "data")}
    env.pop("PANTAU_DATABASE_URL", None)

    def pantau(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PANTAU, *args], env=env, capture_output=True, text=True, timeout=120, check=False)

    assert pantau("users", "add", "ana", "--role", "admin").returncode == 0
    (tmp_path / "data" / "secrets.json").unlink()  # the next command generates new secrets
    refused = pantau("users", "list")
    assert refused.returncode == 2 and "secrets file (was it deleted or replaced?)" in refused.stderr
    assert "Traceback" not in refused.stderr
    rotated = pantau("db", "rotate-hash-key")
    assert rotated.returncode == 0 and "no longer link" in rotated.stderr
    assert "ana" in pantau("users", "list").stdout
    assert "nothing changed" in pantau("db", "rotate-hash-key").stderr
    verified = pantau("audit", "verify")
    assert verified.returncode == 0 and "2 entries" in verified.stdout  # user.add and hash_key.rotate
    secrets = json.loads((tmp_path / "data" / "secrets.json").read_text())
    assert secrets["hash_key"] not in (tmp_path / "data" / "pantau.db").read_bytes().decode("latin-1")
