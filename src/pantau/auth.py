"""Users, roles and tokens. Tokens are shown once and stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau import audit
from pantau import regions as _regions
from pantau.errors import ConflictError, InputError
from pantau.store.schema import User


class Role(StrEnum):
    PLATFORM = "platform"  # ingest, appeals, receives webhooks
    MODERATOR = "moderator"
    CHILD_SAFETY_OFFICER = "child_safety_officer"
    ADMIN = "admin"
    AUDITOR = "auditor"  # read-only audit log
    REGIONAL_OFFICIAL = "regional_official"  # aggregates for their region codes only, never individuals




@dataclass(frozen=True)
class Principal:
    id: int
    name: str
    role: Role
    regions: tuple[str, ...]

    @property
    def actor(self) -> str:
        return f"user:{self.id}:{self.name}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(session: Session, name: str, role: Role, regions: list[str] | None = None) -> str:
    """Create a user; returns the token (shown once, never stored)."""
    if not name.strip():
        raise InputError("a user needs a name")
    regions = [_regions.normalize_code(r) or r for r in regions or []]  # "3573051001" → "35.73.05.1001"
    if role is Role.REGIONAL_OFFICIAL and not regions:
        raise InputError("a regional_official needs at least one --region (a Kemendagri code such as 35.73.05)")
    if role is not Role.REGIONAL_OFFICIAL and regions:
        raise InputError("--region applies to the regional_official role only")
    bad = [r for r in regions if not _regions.is_valid(r)]
    if bad:
        raise InputError(f"not a Kemendagri region code: {', '.join(bad)} (expected e.g. 35.73, 35.73.05, "
                         "35.73.05.1001)")
    provinces = [r for r in regions if "." not in r]
    if provinces:  # the regional endpoints serve a kabupaten/kota and below
        raise InputError(f"{', '.join(provinces)} is a province: give the kabupaten/kota, kecamatan or "
                         "kelurahan/desa codes the official covers")
    if session.execute(select(User.id).where(User.name == name)).first():
        raise ConflictError(f"a user named {name!r} already exists")
    token = "pt_" + secrets.token_urlsafe(32)
    user = User(name=name, role=role.value, regions=regions, token_hash=hash_token(token),
                created_at=datetime.now(UTC), disabled=False)
    session.add(user)
    session.flush()
    audit.record(session, "cli", "user.create", f"user:{user.id}", {"name": name, "role": role.value,
                                                                   "regions": regions})
    return token


def authenticate(session: Session, token: str) -> Principal | None:
    user = session.execute(select(User).where(User.token_hash == hash_token(token))).scalar_one_or_none()
    if user is None or user.disabled:
        return None
    return Principal(user.id, user.name, Role(user.role), tuple(user.regions or ()))
