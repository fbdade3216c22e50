"""The local salt, and the keyed hashes that stand for a person's address or name in the database.

A keyed hash (HMAC-SHA256 with the salt as key) gives the same pseudonym to the same address on
every build in one data folder, and nobody without the salt can test a guessed address or name
against the database. The salt comes from $BESTBITS_SALT, else from DATA_DIR/.salt, which the
first build creates with a random value (never committed).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from bestbits import config

SALT_ENV = "BESTBITS_SALT"


class SaltError(Exception):
    """The salt file cannot be read or created; the message says where and what to do."""


def salt_for(data_dir: Path) -> bytes:
    """$BESTBITS_SALT, else DATA_DIR/.salt (created once, random, never committed)."""
    configured = config.salt_text()
    if configured:
        return configured.encode()
    path = data_dir / ".salt"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        return path.read_text().strip().encode()
    except OSError as exc:
        raise SaltError(f"cannot read or create the salt file {path} ({exc}); set "
                        f"${SALT_ENV} or make {path.parent} writable") from exc


def normalise_name(name: str | None) -> str:
    """'Malcolm, Jeremy' and 'jérémy  MALCOLM' -> 'jeremy malcolm': how names are compared,
    for merging people and for the opt-out file."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    text = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
    return " ".join(text.split())


def keyed_hash(text: str, salt: bytes, length: int = 20) -> str:
    """The first LENGTH hex digits of HMAC-SHA256(salt, text)."""
    digest = hmac.new(salt, text.encode("utf-8", "surrogateescape"), hashlib.sha256)
    return digest.hexdigest()[:length]


def pseudonymise_address(address: str, salt: bytes) -> str:
    """A salted, keyed hash of an address: the same person gets the same key in one data folder."""
    return "addr:" + keyed_hash(address.strip().lower(), salt)


def name_member_key(normalised_name: str, salt: bytes) -> str:
    """The member key of a sender known by name only (no address): keyed like an address, so
    that the key of an opted-out person's name cannot be recomputed from the name alone."""
    return "name:" + keyed_hash("name\x1f" + normalised_name, salt, 16)


__all__ = ["SALT_ENV", "SaltError", "keyed_hash", "name_member_key", "normalise_name",
           "pseudonymise_address", "salt_for"]
