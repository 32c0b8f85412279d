"""Deployment settings: one typed object, read from ``PANTAU_*`` environment variables.

Nothing is read at import time: call ``Settings()`` (or ``load_settings()``) at start-up and pass
the object explicitly. The embedded default (no ``PANTAU_DATABASE_URL``) keeps a SQLite file and
generated secrets in the data directory (mode 0600); with a server database configured, missing or
default secrets stop the start with a clear message.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from pantau.errors import ConfigError

_SECRETS_FILE = "secrets.json"
_FORBIDDEN = {"", "changeme", "change-me", "secret", "default", "pantau"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PANTAU_", extra="ignore")

    data_dir: Path = Field(default=Path("pantau-data"), description="embedded database, secrets, exports")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; unset = SQLite in data_dir")
    hash_key: SecretStr | None = Field(default=None, description="HMAC key for phone numbers and handles")
    webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key for webhook signatures")
    webhook_url: str | None = Field(default=None, description="the platform's endpoint for actions")
    claim_minutes: int = Field(default=30, ge=1, le=24 * 60, description="how long a reviewer's claim lasts")
    suppression_k: int = Field(default=10, ge=5, le=1000,
                               description="regional figures behind fewer distinct accounts show as '< k'")
    ingest: Literal["direct", "stream"] = Field(
        default="direct", description="direct: the API scores and stores; stream: it queues on NATS for workers")
    nats_url: str = Field(default="nats://127.0.0.1:4222", description="NATS server with JetStream")
    stream: str = Field(default="pantau", pattern=r"^[a-z][a-z0-9_]{0,30}$",
                        description="name of the JetStream namespace: streams, subjects and the consumer")
    stream_max_messages: int = Field(default=1_000_000, ge=1,
                                     description="queued events over which ingest answers 503 (backpressure)")
    max_deliver: int = Field(default=5, ge=1, le=100,
                             description="deliveries of a failing event before it goes to dead letters")
    ack_wait: float = Field(default=60.0, ge=1.0, le=3600.0,
                            description="seconds before an event a worker took but did not ack goes to another")
    worker_batch: int = Field(default=500, ge=1, le=5000, description="events a worker scores and stores at once")
    #: where the hash key came from, for messages (set by ``load_settings``)
    _hash_key_source: str = PrivateAttr(default="PANTAU_HASH_KEY")

    @property
    def hash_key_source(self) -> str:
        return self._hash_key_source

    @property
    def embedded(self) -> bool:
        return self.database_url is None or self.database_url.startswith("sqlite")

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'pantau.db').resolve()}"

    @property
    def contact_key(self) -> bytes:
        """The HMAC key for phone numbers and handles, as bytes (set by ``load_settings``)."""
        if self.hash_key is None:
            raise ConfigError("no hash key: build the settings with pantau.config.load_settings()")
        return self.hash_key.get_secret_value().encode()


def load_settings() -> Settings:
    """Settings from the environment, with secrets resolved (generated for the embedded default)."""
    settings = Settings()
    missing = [name for name in ("hash_key", "webhook_secret") if _weak(getattr(settings, name))]
    if not missing:
        return settings
    if not settings.embedded:
        names = ", ".join(f"PANTAU_{n.upper()}" for n in missing)
        raise ConfigError(f"{names} must be set to a strong secret (≥ 16 characters) when a server database is used")
    stored, generated = _embedded_secrets(settings.data_dir)
    resolved = settings.model_copy(update={name: SecretStr(stored[name]) for name in missing})
    if "hash_key" in missing:
        path = settings.data_dir / _SECRETS_FILE
        resolved._hash_key_source = (f"the secrets file pantau generated just now ({path}: the one before was missing "
                                     "or unreadable; restore it from a backup if you have one)") if generated else \
            f"the secrets file {path}"
    return resolved


def _weak(value: SecretStr | None) -> bool:
    return value is None or value.get_secret_value().strip().lower() in _FORBIDDEN or len(value.get_secret_value()) < 16


def _embedded_secrets(data_dir: Path) -> tuple[dict[str, str], bool]:
    """Secrets of the embedded default, and whether they were generated just now: generated on first
    start and kept in data_dir (mode 0600). Two processes starting at once on a new data directory
    agree on one file: it is written whole under another name and linked into place only if none
    exists yet (the loser reads the winner's)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # see store.db.make_engine
    path = data_dir / _SECRETS_FILE
    for _ in range(3):
        if path.exists():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ConfigError(f"{path} is unreadable ({exc}); restore it from a backup, or remove it to generate "
                                  "new secrets (phone numbers and handles hashed before will no longer link)") from None
            if all(isinstance(stored.get(k), str) and len(stored[k]) >= 16 for k in ("hash_key", "webhook_secret")):
                return stored, False
            path.unlink(missing_ok=True)  # incomplete: made again below
        stored = {"hash_key": secrets.token_urlsafe(32), "webhook_secret": secrets.token_urlsafe(32)}
        temporary = data_dir / f".{_SECRETS_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(stored, handle)
        try:
            os.link(temporary, path)  # fails if another process made the file meanwhile
        except FileExistsError:
            continue  # read theirs
        except OSError:  # a file system without hard links: exclusive creation does the same
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(stored, handle)
        finally:
            temporary.unlink(missing_ok=True)
        return stored, True
    raise ConfigError(f"could not create {path}; check the data directory")
