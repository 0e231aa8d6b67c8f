"""Encryption at rest for free text and pupil notes: MultiFernet over PUPIL_DATA_KEY.

The config value is a comma-separated list of Fernet keys, newest first. New text is encrypted
with the newest key; every listed key can decrypt, so a key is rotated by putting a new one in
front, running `cultuurmatch observations rotate-key`, and then dropping the old one.
"""

from __future__ import annotations

import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from matcher.config import ConfigError, parse_pupil_data_keys


class DecryptionError(RuntimeError):
    """Stored text cannot be read with any configured key (a key was dropped too early)."""


@cache
def _cipher_for(keys: str) -> MultiFernet:
    parsed = parse_pupil_data_keys(keys)
    if not parsed:
        raise ConfigError("PUPIL_DATA_KEY is empty; pupil data cannot be encrypted.")
    return MultiFernet([Fernet(key) for key in parsed])


def cipher() -> MultiFernet:
    return _cipher_for(current_app.config["PUPIL_DATA_KEY"] or "")


def encrypt_text(text: str | None) -> str | None:
    """A Fernet token for non-empty text; None for empty text."""
    if text is None or not text.strip():
        return None
    return cipher().encrypt(text.strip().encode("utf-8")).decode("ascii")


def decrypt_text(token: str | None) -> str:
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise DecryptionError("stored text cannot be decrypted with the configured keys") \
            from error


def rotate_token(token: str | None) -> str | None:
    """The same text, re-encrypted with the newest key."""
    if not token:
        return token
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise DecryptionError("stored text cannot be decrypted with the configured keys") \
            from error


def hash_token(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so a database leak opens nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
