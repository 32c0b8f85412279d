"""One hash key per store: phone numbers and handles link accounts only while every process hashes
them with the same key.

The store keeps the key's fingerprint (HMAC-SHA256 of a fixed text under the key: it tells two keys
apart and reveals nothing of either). ``pantau db upgrade`` (or the embedded default's own
migration) records it when the store has none; every process that opens the store compares, and
one with another key refuses to start instead of writing hashes that never match the earlier
ones. ``pantau db rotate-hash-key --yes`` records a new key on purpose (audited): links between
hashes made before and after are lost, since a keyed hash cannot be recomputed without the text it
came from, which pantau does not keep.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pantau import audit
from pantau.errors import ConfigError
from pantau.store.schema import StoreKey

HASH_KEY = "hash_key"
SHOWN = 12  # hex digits of a fingerprint shown in messages and the audit log


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"pantau: fingerprint of the contact hash key", hashlib.sha256).hexdigest()


def check_hash_key(engine: Engine, key: bytes, source: str = "PANTAU_HASH_KEY", *, running: bool = False) -> None:
    """Record the key's fingerprint in a store that has none (audited); refuse a key that differs
    from it, naming ``source`` (where the key came from). ``running``: the process checked the key
    at its start, so a difference now means the store's key was rotated since."""
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
            audit.record(session, "pantau", "hash_key.record", "store", {"fingerprint": mine[:SHOWN]})
            return
    if stored is None:
        raise ConfigError("could not record the hash key's fingerprint; try again")
    if hmac.compare_digest(stored[0], mine):
        return
    if running:
        raise ConfigError(
            f"this store's hash key was replaced (fingerprint {stored[0][:SHOWN]}, recorded {stored[1]:%Y-%m-%d}) "
            f"while this process ran with {mine[:SHOWN]} from {source}: restart it with the new key")
    raise ConfigError(
        f"the hash key from {source} (fingerprint {mine[:SHOWN]}) is not the key this database's phone numbers "
        f"and handles were hashed with (fingerprint {stored[0][:SHOWN]}, recorded {stored[1]:%Y-%m-%d}): its hashes "
        "would never match the stored ones. Start every server and worker with the same key; only if that key is "
        "lost for good, replace it with `pantau db rotate-hash-key --yes` (links to earlier hashes are lost)")


def rotate_hash_key(session: Session, key: bytes) -> tuple[str | None, str] | None:
    """Record ``key`` as the store's hash key: (old, new) fingerprint prefixes, or None when it
    already is the store's key. Audited."""
    stored = session.execute(select(StoreKey).where(StoreKey.name == HASH_KEY).with_for_update()).scalar()
    mine = fingerprint(key)
    if stored is not None and hmac.compare_digest(stored.fingerprint, mine):
        return None
    old = stored.fingerprint[:SHOWN] if stored is not None else None
    if stored is None:
        session.add(StoreKey(name=HASH_KEY, fingerprint=mine, recorded_at=datetime.now(UTC)))
    else:
        stored.fingerprint, stored.recorded_at = mine, datetime.now(UTC)
    audit.record(session, "cli", "hash_key.rotate", "store", {"from": old, "to": mine[:SHOWN]})
    return old, mine[:SHOWN]
