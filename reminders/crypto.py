"""Contact encryption at rest and the keyed digest used for look-ups.

A phone number or email is stored only as a MultiFernet token (keys from CONTACT_KEYS, the
first one current, older ones still decrypt) and an HMAC-SHA256 digest of its normalized form
(key from CONTACT_DIGEST_KEY), so no query ever needs the plaintext. Locally, with no keys in
the environment, both keys are made on first use in DATA_DIR with mode 0600.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

KEY_FILE = "contact_key"
DIGEST_KEY_FILE = "contact_digest_key"


def _key_file(filename: str, make) -> str:
    """A key kept in DATA_DIR with mode 0600, created on first use (local runs only)."""
    path = settings.DATA_DIR / filename
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    return path.read_text().strip()


def _keys() -> tuple[str, ...]:
    return tuple(settings.CONTACT_KEYS) or (
        _key_file(KEY_FILE, lambda: Fernet.generate_key().decode()),
    )


def _digest_key() -> str:
    return settings.CONTACT_DIGEST_KEY or _key_file(
        DIGEST_KEY_FILE, lambda: secrets.token_urlsafe(32)
    )


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(text: str) -> str:
    """The contact as a Fernet token under the current key."""
    return _fernet(_keys()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of a token made under any configured key."""
    return _fernet(_keys()).decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same plaintext re-encrypted under the current key (for key rotation)."""
    return _fernet(_keys()).rotate(token.encode()).decode()


def digest(normalized: str) -> str:
    """Keyed HMAC-SHA256 (hex) of a normalized contact: equal contacts, equal digests."""
    return hmac.new(_digest_key().encode(), normalized.encode(), hashlib.sha256).hexdigest()


def code_hash(subscription_id: int, code: str) -> str:
    """Keyed hash of a one-time code, bound to its subscription (a 6-digit space is small)."""
    return digest(f"code:{subscription_id}:{code}")


def token_hash(token: str) -> str:
    """Plain SHA-256 of a long random token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_secret(subscription_id: int, issued: str) -> str:
    """The keyed, reproducible secret behind one confirmation (as 64 hex digits): the same
    subscription and issue stamp always give the same code or link, so a send that is tried
    again repeats it instead of replacing it."""
    return digest(f"confirmation:{subscription_id}:{issued}")
