"""Security keys (WebAuthn/FIDO2) as a second factor, next to the authenticator app (ASVS 2.3.2).

A user whose app-based second step is on may register keys on /account/beveiligingssleutels
and then, at the second login step, touch a key instead of typing a code. py_webauthn checks
every answer: the challenge (random, single use, at most five minutes old, kept in the session),
the origin and relying-party ID (from MATCHER_PUBLIC_URL, or MATCHER_WEBAUTHN_RP_ID and
MATCHER_WEBAUTHN_ORIGIN), user presence, the signature with the stored public key, and the
signature counter (one that does not go up means a cloned key). Only public keys are stored.
Switching the second step off, or an administrator wiping it, removes the keys too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import current_app, session
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from matcher.accounts.models import SecurityKey, User
from matcher.db import db, utcnow

REGISTER_KEY, LOGIN_KEY = "webauthn_register", "webauthn_login"
CHALLENGE_SECONDS = 300
MAX_KEYS = 10
RP_NAME = "Cultuurmatch"


class KeyRefused(ValueError):
    """The browser's answer does not prove possession of a registered key."""


def rp_id() -> str:
    return (
        current_app.config.get("WEBAUTHN_RP_ID")
        or urlsplit(current_app.config["PUBLIC_URL"]).hostname
        or "localhost"
    )


def expected_origin() -> str:
    if current_app.config.get("WEBAUTHN_ORIGIN"):
        return current_app.config["WEBAUTHN_ORIGIN"]
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    return f"{parts.scheme}://{parts.netloc}"


def keys_of(user: User) -> Sequence[SecurityKey]:
    return db.session.scalars(
        select(SecurityKey).where(SecurityKey.user_id == user.id).order_by(SecurityKey.id)
    ).all()


def has_keys(user: User) -> bool:
    return (
        db.session.scalar(select(SecurityKey.id).where(SecurityKey.user_id == user.id).limit(1))
        is not None
    )


def find_key(user: User, key_id: int) -> SecurityKey | None:
    key = db.session.get(SecurityKey, key_id)
    return key if key is not None and key.user_id == user.id else None


def _user_handle(user: User) -> bytes:
    """A stable handle that reveals neither the e-mail address nor the database id."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(secret, f"webauthn-user:{user.id}".encode(), hashlib.sha256).digest()[:32]


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
        for key in keys_of(user)
    ]


def _remember(slot: str, user: User, challenge: bytes) -> None:
    session[slot] = {
        "user": user.id,
        "challenge": bytes_to_base64url(challenge),
        "at": int(time.time()),
    }


def _take_challenge(slot: str, user: User) -> bytes:
    """The challenge issued to this session for this user; used once."""
    pending = session.pop(slot, None)
    if (
        not isinstance(pending, dict)
        or pending.get("user") != user.id
        or time.time() - pending.get("at", 0) > CHALLENGE_SECONDS
    ):
        raise KeyRefused("no challenge")
    return base64url_to_bytes(pending["challenge"])


def registration_options(user: User) -> str:
    """The options for navigator.credentials.create(), as JSON; the challenge is remembered."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_name=user.email,
        user_id=_user_handle(user),
        user_display_name=user.name,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
    )
    _remember(REGISTER_KEY, user, options.challenge)
    return options_to_json(options)


def register(user: User, credential: str, name: str) -> SecurityKey:
    """Store the key the browser just made, after checking its answer."""
    challenge = _take_challenge(REGISTER_KEY, user)
    try:
        verified = verify_registration_response(
            credential=_parsed(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise KeyRefused(str(error)) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if (
        db.session.scalar(select(SecurityKey.id).where(SecurityKey.credential_id == credential_id))
        is not None
    ):
        raise KeyRefused("already registered")
    key = SecurityKey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=verified.sign_count,
        name=name.strip()[:100],
        created_at=utcnow(),
    )
    db.session.add(key)
    db.session.flush()
    return key


def authentication_options(user: User) -> str:
    """The options for navigator.credentials.get() at the second login step, as JSON."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    _remember(LOGIN_KEY, user, options.challenge)
    return options_to_json(options)


def authenticate(user: User, credential: str) -> SecurityKey:
    """The user's key that signed this session's challenge; its counter moves on."""
    challenge = _take_challenge(LOGIN_KEY, user)
    try:
        parsed = _parsed(credential)
        raw_id = bytes_to_base64url(base64url_to_bytes(parsed["rawId"]))
    except (ValueError, KeyError, TypeError) as error:
        raise KeyRefused("malformed") from error
    key = db.session.scalar(
        select(SecurityKey).where(
            SecurityKey.user_id == user.id, SecurityKey.credential_id == raw_id
        )
    )
    if key is None:
        raise KeyRefused("unknown key")
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            credential_public_key=base64url_to_bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise KeyRefused(str(error)) from error
    key.sign_count, key.last_used_at = verified.new_sign_count, utcnow()
    db.session.flush()
    return key


def _parsed(credential: str) -> dict:
    value = json.loads(credential or "")
    if not isinstance(value, dict):
        raise ValueError("credential is not an object")
    return value
