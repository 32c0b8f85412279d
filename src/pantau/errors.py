"""The small exception tree of pantau. CLI exit codes are mapped in one place (`cli.py`)."""

from __future__ import annotations


class PantauError(Exception):
    """Base of every error pantau raises on purpose."""


class InputError(PantauError):
    """A caller gave input pantau cannot use (bad JSON line, missing field, too large)."""


class ArtefactError(PantauError):
    """A shipped or configured artefact (lexicon, policy, model) is missing or invalid.

    The message names the file and, where there is one, the entry and field at fault.
    """

    def __init__(self, path: str, message: str, *, where: str = "") -> None:
        self.path = path
        self.where = where
        located = f"{path}: {where}: {message}" if where else f"{path}: {message}"
        super().__init__(located)


class PolicyError(ArtefactError):
    """The policy file is invalid."""


class LexiconError(ArtefactError):
    """A lexicon file is invalid."""


class ModelError(ArtefactError):
    """A model artefact is missing, corrupted or incompatible."""


class ConfigError(PantauError):
    """Deployment settings are missing or unsafe (e.g. default secrets with a server database)."""


class NotFoundError(PantauError):
    """A requested record does not exist (or is outside the caller's scope)."""


class ConflictError(PantauError):
    """The request conflicts with the current state (e.g. a case claimed by someone else)."""


class ForbiddenError(PantauError):
    """The caller's role or scope does not allow this."""
