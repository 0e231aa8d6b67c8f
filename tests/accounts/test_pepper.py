"""The password pepper (ASVS 2.4.5): HMAC with a secret outside the database before Argon2."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from matcher.accounts import passwords
from matcher.accounts.passwords import (
    hash_password,
    is_peppered,
    needs_rehash,
    pepper_id,
    verify_password,
)
from matcher.config import ConfigError, read_environment
from matcher.db import db
from tests.conftest import TEST_PASSWORD, TEST_PEPPER

OTHER_PEPPER = "een-tweede-peper-die-lang-genoeg-is-0123456789"


def _unpeppered(password: str) -> str:
    """A hash as the app stored it before the pepper: plain Argon2id."""
    return passwords._hasher.hash(password)


def test_a_new_hash_names_the_pepper_and_needs_it(app):
    hashed = hash_password(TEST_PASSWORD)
    assert hashed.startswith(f"$hmac-{pepper_id(TEST_PEPPER)}$argon2id$")
    assert is_peppered(hashed) and not needs_rehash(hashed)
    assert verify_password(hashed, TEST_PASSWORD)
    assert not verify_password(hashed, TEST_PASSWORD + "x")
    # The Argon2 part alone is no plain hash of the password: the database is not enough.
    argon2_part = hashed[len("$hmac-") + 8 :]
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        PasswordHasher().verify(argon2_part, TEST_PASSWORD)


def test_without_the_pepper_a_stored_hash_verifies_nothing(app):
    hashed = hash_password(TEST_PASSWORD)
    app.config["PASSWORD_PEPPER"] = OTHER_PEPPER
    try:
        assert not verify_password(hashed, TEST_PASSWORD)
    finally:
        app.config["PASSWORD_PEPPER"] = TEST_PEPPER


def test_an_old_unpeppered_hash_still_verifies_and_needs_a_rehash(app):
    old = _unpeppered(TEST_PASSWORD)
    assert not is_peppered(old)
    assert verify_password(old, TEST_PASSWORD)
    assert not verify_password(old, "iets-heel-anders-lang")
    assert needs_rehash(old)


def test_login_rehashes_an_unpeppered_hash_with_the_pepper(client, make_user):
    user = make_user()
    user.password_hash = _unpeppered(TEST_PASSWORD)
    db.session.commit()
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert is_peppered(user.password_hash)
    assert user.password_hash.startswith(f"$hmac-{pepper_id(TEST_PEPPER)}$")
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_a_failed_login_leaves_an_unpeppered_hash_alone(client, make_user):
    user = make_user()
    old = user.password_hash = _unpeppered(TEST_PASSWORD)
    db.session.commit()
    client.post("/inloggen", data={"email": user.email, "password": "niet-het-goede-wachtwoord"})
    db.session.refresh(user)
    assert user.password_hash == old


def test_a_new_pepper_in_front_rehashes_at_login_and_the_old_one_still_verifies(
    app, client, make_user
):
    user = make_user()
    app.config["PASSWORD_PEPPER"] = f"{OTHER_PEPPER},{TEST_PEPPER}"
    try:
        assert verify_password(user.password_hash, TEST_PASSWORD)
        assert needs_rehash(user.password_hash)
        assert (
            client.post(
                "/inloggen", data={"email": user.email, "password": TEST_PASSWORD}
            ).status_code
            == 302
        )
        db.session.refresh(user)
        assert user.password_hash.startswith(f"$hmac-{pepper_id(OTHER_PEPPER)}$")
        app.config["PASSWORD_PEPPER"] = OTHER_PEPPER  # the old pepper can go now
        assert verify_password(user.password_hash, TEST_PASSWORD)
    finally:
        app.config["PASSWORD_PEPPER"] = TEST_PEPPER


PRODUCTION = {
    "MATCHER_ENV": "production",
    "SECRET_KEY": "x" * 48,
    "DATABASE_URL": "postgresql://x@y/z",
}


@pytest.mark.parametrize("pepper", ["", "dev", "kort", "changeme", f"{'p' * 40},kort"])
def test_production_refuses_to_start_without_a_real_pepper(pepper):
    from cryptography.fernet import Fernet

    env = {
        **PRODUCTION,
        "MATCHER_PUPIL_DATA_KEY": Fernet.generate_key().decode(),
        "MATCHER_PASSWORD_PEPPER": pepper,
    }
    with pytest.raises(ConfigError, match="MATCHER_PASSWORD_PEPPER"):
        read_environment(env)


def test_production_takes_the_pepper_from_the_environment():
    from cryptography.fernet import Fernet

    env = {
        **PRODUCTION,
        "MATCHER_PUPIL_DATA_KEY": Fernet.generate_key().decode(),
        "MATCHER_PASSWORD_PEPPER": "q" * 40,
    }
    assert read_environment(env).password_pepper == "q" * 40


def test_development_generates_a_local_pepper(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHER_INSTANCE_DIR", str(tmp_path))
    first = read_environment({"MATCHER_ENV": "development"}).password_pepper
    assert len(first) >= 32
    assert (tmp_path / "password_pepper").stat().st_mode & 0o077 == 0
    assert read_environment({"MATCHER_ENV": "development"}).password_pepper == first
