"""The bulk row writer (``pantau.store.bulk``) stores exactly what the ORM would, on both backends.

On PostgreSQL it writes with COPY, whose text format escapes tabs, newlines and backslashes itself;
these tests read the rows back through the ORM and compare every awkward value.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from pantau.config import Settings
from pantau.store import bulk
from pantau.store.db import among_param, make_engine, session_factory, transaction
from pantau.store.schema import Account, AuditEntry, Event, as_utc
from pantau.worker import transient

AWKWARD = "tab\there, new\nline, back\\slash, \\N, quote ' \" , 0p3n 𝐁𝐎 🏩, NUL-free\r\nend"


def _event(event_id: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": event_id, "kind": "status_post", "account_id": "acc-bulk",
        "occurred_at": datetime(2026, 11, 30, 9, 15, 1, 250000, tzinfo=timezone(timedelta(hours=7))).astimezone(UTC),
        "received_at": datetime(2026, 11, 30, 2, 15, 2, tzinfo=UTC), "text": AWKWARD, "region_code": None,
        "kota": "35.73", "kecamatan": None, "kelurahan": None, "h3_cell": None, "region_approximate": True,
        "details": {"note": AWKWARD, "n": [1, 2.5, None, True]}, "action": "allow", "score": 0.125,
        "solicitation": False, "minor_risk": True, "rule_id": "allow", "reasons": [], "signals": None,
        "model_version": "m", "degraded": False, "case_id": None,
    }
    return row | overrides


def test_rows_written_in_bulk_read_back_unchanged(settings: Settings) -> None:
    engine = make_engine(settings)
    sessions = session_factory(engine)
    columns = [c.key for c in Event.__table__.columns]
    out = bulk.writer(Event.__table__, engine.dialect, columns)
    rows = [_event("b1"), _event("b2", text="", details={}, signals=[{"name": "x", "text": "\\t"}], reasons=["é"])]
    with transaction(sessions) as session:
        session.add(Account(id="acc-bulk", first_seen=datetime.now(UTC), last_seen=datetime.now(UTC)))
        session.flush()
        prepared = [out.row(r) for r in rows]
        out.set(prepared[1], "score", 0.75)  # a value set after the row was prepared
        out.insert(session.connection(), prepared)
    with sessions() as session:
        stored = {e.event_id: e for e in session.execute(select(Event).order_by(Event.event_id)).scalars()}
    assert sorted(stored) == ["b1", "b2"]
    for row in rows:
        got = stored[str(row["event_id"])]
        for key in columns:
            want = 0.75 if (row["event_id"], key) == ("b2", "score") else row[key]
            value = getattr(got, key)
            if isinstance(want, datetime):
                assert as_utc(value) == want, key
            else:
                assert value == want, (key, value, want)
    engine.dispose()


def test_an_empty_bulk_write_writes_nothing(settings: Settings) -> None:
    engine = make_engine(settings)
    sessions = session_factory(engine)
    keys = ("at", "actor", "action", "subject", "details", "prev_hash", "hash")
    with transaction(sessions) as session:
        bulk.writer(AuditEntry.__table__, engine.dialect, keys).insert(session.connection(), [])
        assert session.execute(select(AuditEntry)).first() is None
    engine.dispose()


def test_a_duplicate_row_fails_as_sqlalchemys_integrity_error(settings: Settings) -> None:
    """Callers retry a lost race on IntegrityError (``ingest_in_transaction``): the bulk writer raises
    it as any statement would, on PostgreSQL's COPY as on SQLite's executemany, and nothing stays."""
    engine = make_engine(settings)
    sessions = session_factory(engine)
    out = bulk.writer(Event.__table__, engine.dialect, [c.key for c in Event.__table__.columns])
    with transaction(sessions) as session:
        session.add(Account(id="acc-bulk", first_seen=datetime.now(UTC), last_seen=datetime.now(UTC)))
        session.flush()
        out.insert(session.connection(), [out.row(_event("d1"))])
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        out.insert(session.connection(), [out.row(_event("d2")), out.row(_event("d1"))])
    with sessions() as session:
        assert session.execute(select(Event.event_id)).scalars().all() == ["d1"]
    engine.dispose()


def test_a_lost_server_connection_is_an_invalidated_operational_error(settings: Settings) -> None:
    """The server goes away in the middle of a COPY (here: its backend is terminated): the error is
    SQLAlchemy's OperationalError with the connection invalidated, which the stream worker treats as
    an outage (it holds the batch and retries), and the next transaction gets a fresh connection."""
    if settings.embedded:
        pytest.skip("SQLite has no server connection to lose")
    engine = make_engine(settings)
    sessions = session_factory(engine)
    out = bulk.writer(Event.__table__, engine.dialect, [c.key for c in Event.__table__.columns])
    with transaction(sessions) as session:
        session.add(Account(id="acc-bulk", first_seen=datetime.now(UTC), last_seen=datetime.now(UTC)))
    with pytest.raises(OperationalError) as caught, transaction(sessions) as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with make_engine(settings).connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        out.insert(session.connection(), [out.row(_event("lost1"))])
    assert caught.value.connection_invalidated and transient(caught.value)
    with transaction(sessions) as session:
        out.insert(session.connection(), [out.row(_event("lost2"))])
    with sessions() as session:
        assert session.execute(select(Event.event_id)).scalars().all() == ["lost2"]
    engine.dispose()


def test_among_param_selects_exactly_the_listed_keys(settings: Settings) -> None:
    """A statement with ``among_param`` (an array parameter on PostgreSQL, an expanding IN list on
    SQLite), built once and run with each list of keys, finds the same rows as IN: for one key,
    hundreds of keys, keys that are not stored, no keys and awkward characters."""
    engine = make_engine(settings)
    sessions = session_factory(engine)
    ids = [f"among-{i}" for i in range(600)] + ["with 'quote', {brace}, \"dq\""]
    with transaction(sessions) as session:
        now = datetime.now(UTC)
        session.add_all([Account(id=i, first_seen=now, last_seen=now) for i in ids])
    wanted = [ids[0:1], ids[::2], ids[-1:], ["never-stored"], [*ids[5:9], "never-stored"], []]
    kept = select(Account.id).where(among_param(Account.__table__.c.id, "keys", engine.dialect.name))
    with sessions() as session:
        for keys in wanted:
            found = set(session.connection().execute(kept, {"keys": keys}).scalars())
            assert found == set(keys) - {"never-stored"}, keys[:3]
            via_in = set(session.execute(select(Account.id).where(Account.id.in_(keys))).scalars())
            assert found == via_in
