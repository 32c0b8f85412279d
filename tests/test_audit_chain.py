"""The audit chain's digest is fixed: entries written by earlier versions must keep verifying."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from pantau.audit import GENESIS, _digest


def _as_first_written(prev: str, at: datetime, actor: str, action: str, subject: str, details: dict) -> str:
    """The digest as the first version of the audit log computed it: canonical JSON of the whole entry."""
    body = json.dumps({"at": at.astimezone(UTC).isoformat(), "actor": actor, "action": action, "subject": subject,
                       "details": details}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


def test_the_digest_is_the_canonical_json_of_the_whole_entry() -> None:
    at = datetime(2026, 11, 30, 9, 0, 1, 123456, tzinfo=timezone(timedelta(hours=7)))
    cases = [
        ("pantau", "case.open", "case:1", {"account": "acc-1"}),
        ("platform:mi", "event.decide", "event:e\"1", {"score": 0.5, "case": None, "z": [1, {"b": 2, "a": "é"}]}),
        ("moderator:Ayu 🌸", "case.decide", "case:2", {}),
        ("a\nb", "appeal\t", "\\", {"nested": {"y": True, "x": "open 𝐁𝐎"}}),
    ]
    prev = GENESIS
    for actor, action, subject, details in cases:
        assert _digest(prev, at, actor, action, subject, details) == \
            _as_first_written(prev, at, actor, action, subject, details)
        prev = _digest(prev, at, actor, action, subject, details)
