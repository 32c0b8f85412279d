"""One hash key per store: phone numbers and handles link accounts only while every process hashes
them with the same key.

The store keeps the key's fingerprint (HMAC-SHA256 of a fixed text under the key: it tells two keys
apart and reveals nothing of either). The first process to open a store records it; every later
one compares, and a process with another key refuses to start instead of writing hashes that never
match the earlier ones. ``pantau db rotate-hash-key`` records a new key on purpose (audited): links
between hashes made before and after are lost, since a keyed hash cannot be recomputed without
the text it came from, which pantau does not keep.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pantau.errors import ConfigError
from pantau.store.schema import StoreKey

HASH_KEY = "hash_key"


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"pantau: fingerprint of the contact hash key", hashlib.sha256).hexdigest()


def check_hash_key(engine: Engine, key: bytes, *, embedded: bool) -> None:
    """Record the key's fingerprint in a store that has none; refuse a key that differs from it."""
    mine = fingerprint(key)
    stored: tuple[str, datetime] | None = None
    for _ in range(2):  # a second starter may record it at the same moment: then read theirs
        with Session(engine) as session, session.begin():
            row = session.get(StoreKey, HASH_KEY)
            if row is not None:
                stored = (row.fingerprint, row.recorded_at)
                break
            session.add(StoreKey(name=HASH_KEY, fingerprint=mine, recorded_at=datetime.now(UTC)))
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                continue
            return
    if stored is None:
        raise ConfigError("could not record the hash key's fingerprint; try again")
    if hmac.compare_digest(stored[0], mine):
        return
    where = "the data directory's secrets file (was it deleted or replaced?)" if embedded else "PANTAU_HASH_KEY"
    raise ConfigError(
        f"the hash key from {where} is not the key this database's phone numbers and handles were hashed "
        f"with (recorded {stored[1]:%Y-%m-%d}): its hashes would never match the stored ones. Start every server "
        "and worker with the same key; to replace the key on purpose, losing the links to earlier hashes, run "
        "`pantau db rotate-hash-key`")


def rotate_hash_key(session: Session, key: bytes) -> bool:
    """Record ``key`` as the store's hash key; False when it already is."""
    stored = session.execute(select(StoreKey).where(StoreKey.name == HASH_KEY).with_for_update()).scalar()
    mine = fingerprint(key)
    if stored is not None and hmac.compare_digest(stored.fingerprint, mine):
        return False
    if stored is None:
        session.add(StoreKey(name=HASH_KEY, fingerprint=mine, recorded_at=datetime.now(UTC)))
    else:
        stored.fingerprint, stored.recorded_at = mine, datetime.now(UTC)
    return True
