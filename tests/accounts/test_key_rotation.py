"""`cultuurmatch observations rotate-key` re-encrypts the TOTP secrets too."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import text

from matcher.accounts import second_factor
from matcher.accounts.roles import Role
from matcher.cli import main
from matcher.db import db
from tests.accounts.conftest import signed_in
from tests.conftest import TEST_TOTP_SECRET


def _stored_secret(user) -> str:
    return db.session.execute(
        text("SELECT totp_secret_encrypted FROM users WHERE id = :id"), {"id": user.id}
    ).scalar_one()


def test_rotate_key_reencrypts_totp_secrets_with_the_newest_key(app, make_user, browser):
    admin = make_user(role=Role.ADMINISTRATOR)
    curator = make_user(role=Role.CURATOR)
    make_user(role=Role.TEACHER)  # no second factor: nothing to rotate
    old_key = app.config["PUPIL_DATA_KEY"]
    new_key = Fernet.generate_key().decode()
    app.config["PUPIL_DATA_KEY"] = f"{new_key},{old_key}"
    try:
        result = app.test_cli_runner().invoke(main, ["observations", "rotate-key"])
        assert result.exit_code == 0, result.output
        assert "2 sleutel(s) voor de tweede stap" in result.output
        for user in (admin, curator):
            token = _stored_secret(user).encode()
            assert Fernet(new_key.encode()).decrypt(token).decode() == TEST_TOTP_SECRET
        # The old key can go now: the second step still works for both.
        app.config["PUPIL_DATA_KEY"] = new_key
        db.session.expire_all()
        assert second_factor.secret_of(admin) == TEST_TOTP_SECRET
        assert signed_in(browser(curator))
    finally:
        app.config["PUPIL_DATA_KEY"] = old_key


def test_rotate_key_stops_without_writing_when_a_secret_cannot_be_read(app, make_user):
    admin = make_user(role=Role.ADMINISTRATOR)
    curator = make_user(role=Role.CURATOR)
    stranger = Fernet(Fernet.generate_key()).encrypt(b"ONBEKEND").decode()
    db.session.execute(
        text("UPDATE users SET totp_secret_encrypted = :t WHERE id = :id"),
        {"t": stranger, "id": curator.id},
    )
    db.session.commit()
    before = _stored_secret(admin)
    old_key = app.config["PUPIL_DATA_KEY"]
    app.config["PUPIL_DATA_KEY"] = f"{Fernet.generate_key().decode()},{old_key}"
    try:
        result = app.test_cli_runner().invoke(main, ["observations", "rotate-key"])
        assert result.exit_code == 1
        assert f"user {curator.id} cannot be decrypted" in result.output
        db.session.rollback()
        assert _stored_secret(admin) == before
    finally:
        app.config["PUPIL_DATA_KEY"] = old_key
