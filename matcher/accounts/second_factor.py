"""The second factor: TOTP (RFC 6238, any authenticator app) with single-use recovery codes.

Required for curators and administrators (they decide what every school sees and who may do
what), optional for everyone else. Someone who has the role but no factor yet enrols at the
next login before any other page opens. The secret is stored Fernet-encrypted with the
PUPIL_DATA_KEY; recovery codes only as SHA-256 (each holds 112 random bits, so a plain hash
is enough, ASVS 2.6.2). A code is accepted once: the step it belonged to is remembered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import delete, select, update

from matcher.accounts.models import RecoveryCode, SecurityKey, User
from matcher.accounts.roles import Role
from matcher.config import parse_pupil_data_keys
from matcher.db import db, utcnow

REQUIRED_ROLES = frozenset({Role.CURATOR, Role.ADMINISTRATOR})
ISSUER = "Cultuurmatch"
RECOVERY_CODES = 10
# One step either side: a phone clock a little off still works, and a code typed just as
# it changes too.
VALID_WINDOW = 1


def is_required(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret_encrypted)


def needs_enrolment(user: User) -> bool:
    return is_required(user) and not is_enabled(user)


def _cipher() -> MultiFernet:
    keys = parse_pupil_data_keys(current_app.config["PUPIL_DATA_KEY"])
    return MultiFernet([Fernet(key) for key in keys])


def secret_of(user: User) -> str | None:
    if not user.totp_secret_encrypted:
        return None
    try:
        return _cipher().decrypt(user.totp_secret_encrypted.encode("ascii")).decode("ascii")
    except InvalidToken:
        current_app.logger.error("TOTP secret of user %s cannot be decrypted", user.id)
        return None


def pending_secret(user: User) -> str:
    """The secret being enrolled: made once, kept until confirmed, so a reload shows the same
    QR code."""
    secret = secret_of(user)
    if secret is None or is_enabled(user):
        secret = pyotp.random_base32()
        user.totp_secret_encrypted = _cipher().encrypt(secret.encode("ascii")).decode("ascii")
        user.totp_enabled_at = None
        db.session.flush()
    return secret


def rotate_secrets(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored TOTP secret with the newest PUPIL_DATA_KEY; rows rewritten.

    Part of `cultuurmatch observations rotate-key`: once it ran, older keys can go from the
    list without locking anyone out of the second step. A secret no configured key opens
    stops the rotation (nothing is committed), so no key is dropped while still needed.
    """
    cipher = _cipher()
    rewritten, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(User.id, User.totp_secret_encrypted)
            .where(User.id > last_id, User.totp_secret_encrypted.is_not(None))
            .order_by(User.id).limit(batch_size)).all()
        if not rows:
            break
        for user_id, token in rows:
            try:
                rotated = cipher.rotate(token.encode("ascii")).decode("ascii")
            except InvalidToken as error:
                raise RuntimeError(f"the TOTP secret of user {user_id} cannot be decrypted "
                                   "with any configured key") from error
            db.session.execute(update(User).where(User.id == user_id).values(
                totp_secret_encrypted=rotated).execution_options(synchronize_session=False))
            rewritten += 1
        last_id = rows[-1][0]
    db.session.flush()
    return rewritten


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI (allowed by the CSP's img-src, no inline script)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normalised(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _matching_step(user: User, code: str, secret: str | None) -> int | None:
    """The 30-second step within the window whose code `code` is, or None."""
    digits = _normalised(code)
    if secret is None or len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = totp.timecode(now) + offset
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _already_used(user: User, step: int) -> bool:
    return user.totp_last_step is not None and step <= user.totp_last_step


def verify_code(user: User, code: str, *, secret: str | None = None) -> bool:
    """Whether `code` is a current TOTP code not used before; remembers its step."""
    step = _matching_step(user, code, secret or secret_of(user))
    if step is None or _already_used(user, step):
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def is_replay(user: User, code: str) -> bool:
    """Whether `code` is a right code that was used already (someone may have seen it)."""
    step = _matching_step(user, code, secret_of(user))
    return step is not None and _already_used(user, step)


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode("ascii")).hexdigest()


def use_recovery_code(user: User, code: str) -> bool:
    """Whether `code` is one of the user's unused recovery codes; it is used up if so."""
    normalised = _normalised(code)
    # Recovery codes are ASCII letters and digits: anything else is a wrong code, not an error.
    if len(normalised) < 20 or not normalised.isascii():
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    return True


def remaining_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(14)  # 112 bits
        code = "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)))
    db.session.flush()
    return codes


def enable(user: User, code: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns the recovery codes (shown once) or None."""
    secret = secret_of(user)
    if secret is None or is_enabled(user) or not verify_code(user, code, secret=secret):
        return None
    user.totp_enabled_at = utcnow()
    db.session.flush()
    return _new_recovery_codes(user)


def remove(user: User) -> None:
    """Forget the factor, its recovery codes and any security keys (a lost phone, or
    switching it off): keys are an addition to the app, never left without it."""
    user.totp_secret_encrypted, user.totp_enabled_at, user.totp_last_step = None, None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecurityKey).where(SecurityKey.user_id == user.id))
    db.session.flush()


def enrol_with_secret(user: User, secret: str) -> Sequence[str]:
    """Switch the factor on with a known secret, no confirmation (demo data and tests)."""
    user.totp_secret_encrypted = _cipher().encrypt(secret.encode("ascii")).decode("ascii")
    user.totp_enabled_at, user.totp_last_step = utcnow(), None
    db.session.flush()
    return _new_recovery_codes(user)
