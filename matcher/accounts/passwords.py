"""Password hashing with Argon2id (slow on purpose) and the password policy (ASVS 2.1).

The policy: at least 12 characters, any characters at all (spaces, emoji), no upper bound
below 128, no composition rules; and not a common or breached password, nor one made of the
user's own name or address. The list of common passwords ships with the code
(common_passwords.txt, 30,000 entries), so checking it sends nothing anywhere.

A pepper (ASVS 2.4.5): before Argon2 the password goes through HMAC-SHA256 with
PASSWORD_PEPPER, a secret kept outside the database, so a stolen copy of the users table
alone cannot be attacked offline. The stored form is `$hmac-<id>$` + the Argon2 string, where
<id> names the pepper (the first hex digits of its SHA-256), so a pepper can be rotated: put
the new one first in MATCHER_PASSWORD_PEPPER, keep the old one behind it, and every login
rehashes with the newest. Hashes from before the pepper (plain Argon2) still verify and are
rehashed peppered at the next successful login.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Digits and punctuation people put before or after a word to pass a length rule.
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown account equal to a known one.
_DUMMY_HASH = _hasher.hash("cultuurmatch-timing-equaliser")


PEPPER_PREFIX = "$hmac-"


class PepperMissing(RuntimeError):
    """A peppered hash names a pepper that is no longer configured."""


def parse_peppers(value: str | None) -> list[str]:
    """The comma-separated PASSWORD_PEPPER list, newest first."""
    return [pepper.strip() for pepper in (value or "").split(",") if pepper.strip()]


def pepper_id(pepper: str) -> str:
    return hashlib.sha256(pepper.encode("utf-8")).hexdigest()[:8]


def _peppers() -> list[str]:
    peppers = parse_peppers(current_app.config.get("PASSWORD_PEPPER"))
    if not peppers:
        raise RuntimeError("PASSWORD_PEPPER is not configured")
    return peppers


def _peppered(pepper: str, password: str) -> str:
    digest = hmac.new(pepper.encode("utf-8"), password.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode("ascii")


def hash_password(password: str) -> str:
    """HMAC with the newest pepper, then Argon2id; the pepper's id goes in front."""
    pepper = _peppers()[0]
    return f"{PEPPER_PREFIX}{pepper_id(pepper)}{_hasher.hash(_peppered(pepper, password))}"


def _split(password_hash: str) -> tuple[str | None, str]:
    """(pepper id or None for a hash from before the pepper, the Argon2 string)."""
    if not password_hash.startswith(PEPPER_PREFIX):
        return None, password_hash
    rest = password_hash[len(PEPPER_PREFIX):]
    return rest[:8], rest[8:]


def _pepper_for(identifier: str) -> str:
    for pepper in _peppers():
        if pepper_id(pepper) == identifier:
            return pepper
    raise PepperMissing(identifier)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password fits; always spends the time of one Argon2 verification."""
    if not password_hash:
        _spend_one_verification(password)
        return False
    identifier, encoded = _split(password_hash)
    try:
        if identifier is None:  # from before the pepper
            return _hasher.verify(encoded, password)
        try:
            pepper = _pepper_for(identifier)
        except PepperMissing:
            current_app.logger.error("A password hash names pepper %s, which is not in "
                                     "PASSWORD_PEPPER", identifier)
            _spend_one_verification(password)
            return False
        return _hasher.verify(encoded, _peppered(pepper, password))
    except (VerificationError, InvalidHashError):
        return False


def _spend_one_verification(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


def needs_rehash(password_hash: str) -> bool:
    """True for a hash without the newest pepper, or with older Argon2 parameters."""
    identifier, encoded = _split(password_hash)
    if identifier != pepper_id(_peppers()[0]):
        return True
    try:
        return _hasher.check_needs_rehash(encoded)
    except InvalidHashError:
        return True


def is_peppered(password_hash: str | None) -> bool:
    return bool(password_hash) and _split(password_hash)[0] is not None


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _normalised(password: str) -> str:
    return unicodedata.normalize("NFKC", password).casefold()


def _variants(password: str) -> set[str]:
    """The password as a list would hold it: lower-cased, without padding, leet undone."""
    lowered = _normalised(password)
    variants = {lowered, lowered.translate(_LEET)}
    for variant in list(variants):
        variants.add(_PADDING.sub("", variant))
        variants.add(variant.replace(" ", ""))
    return {variant for variant in variants if variant}


def _is_repetition(password: str) -> bool:
    """One short piece repeated ("aaaaaaaaaaaa", "abcabcabcabc", "123412341234")."""
    return re.fullmatch(r"(.{1,4}?)\1+", _normalised(password)) is not None


def _is_sequence(password: str) -> bool:
    """A run of consecutive characters ("123456789012", "abcdefghijkl")."""
    codes = [ord(char) for char in _normalised(password)]
    steps = {b - a for a, b in zip(codes, codes[1:], strict=False)}
    return len(codes) > 1 and (steps <= {1, -9} or steps <= {-1, 9})


def _is_common(password: str) -> bool:
    words = common_passwords()
    variants = _variants(password)
    if variants & words:
        return True
    # A listed word doubled ("welkomwelkom") or typed twice with a space.
    return any(len(v) % 2 == 0 and v[: len(v) // 2] == v[len(v) // 2:]
               and v[: len(v) // 2] in words for v in variants)


def _personal_words(context: Iterable[str]) -> set[str]:
    """The pieces of a name or e-mail address that someone might build a password from."""
    words = set()
    for value in context:
        for piece in re.split(r"[\W_]+", _normalised(value or "")):
            if len(piece) >= 4:
                words.add(piece)
    return words


def password_problem(password: str, *, context: Iterable[str] = ()) -> str | None:
    """A Dutch explanation of why a password is not acceptable, or None.

    `context` holds the user's name and e-mail address: a password made of those is refused.
    The explanations say what to do instead, not just what is wrong.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens. Een zin van "
                "een paar woorden is lang genoeg en makkelijk te onthouden.")
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens lang zijn."
    if password.strip() != password:
        return "Een wachtwoord mag niet met een spatie beginnen of eindigen."
    if _is_repetition(password) or _is_sequence(password):
        return ("Dit wachtwoord is een herhaling of een reeks (zoals 'aaaa' of '1234') en is "
                "zo geraden. Kies een paar woorden die niet bij elkaar horen.")
    if _is_common(password):
        return ("Dit wachtwoord staat in lijsten van veelgebruikte of uitgelekte wachtwoorden, "
                "ook met cijfers of leestekens ervoor of erachter. Kies iets dat alleen u "
                "bedenkt, bijvoorbeeld vier woorden die niet bij elkaar horen.")
    remainder = _normalised(password)
    for word in _personal_words(context):
        remainder = remainder.replace(word, "")
    if len(_PADDING.sub("", remainder)) < 4:
        return ("Dit wachtwoord bestaat vooral uit uw naam of e-mailadres. Kies iets dat "
                "anderen niet over u kunnen weten.")
    return None
