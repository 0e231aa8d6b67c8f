"""Password hashing with Argon2id (slow on purpose) and the password policy (ASVS 2.1).

The policy: at least 12 characters, any characters at all (spaces, emoji), no upper bound
below 128, no composition rules; and not a common or breached password, nor one made of the
user's own name or address. The list of common passwords ships with the code
(common_passwords.txt, 30,000 entries), so checking it sends nothing anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password fits; always spends the time of one Argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


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
