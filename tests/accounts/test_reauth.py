"""An administrator proves again who they are before changing someone else's account."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from matcher.accounts.models import AccountEvent, User
from matcher.accounts.reauth import REAUTH_KEY
from matcher.accounts.roles import Role
from matcher.db import db
from tests.conftest import TEST_PASSWORD, totp_code

CONFIRM = "/beheer/bevestigen"


def _age(client, minutes: int = 11) -> None:
    """Pretend the login (or the last confirmation) was `minutes` ago."""
    with client.session_transaction() as session:
        value = dict(session[REAUTH_KEY])
        value["at"] -= minutes * 60
        session[REAUTH_KEY] = value


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(
            select(AccountEvent.kind)
            .where(AccountEvent.user_id == user.id)
            .order_by(AccountEvent.id)
        )
    )


@pytest.fixture
def admin_and_user(make_user, browser):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.TEACHER)
    return browser(admin), admin, user


def test_a_fresh_login_counts_as_recent(admin_and_user):
    client, _admin, user = admin_and_user
    response = client.post(f"/beheer/gebruikers/{user.id}/actief")
    assert response.headers["Location"].endswith("/beheer/gebruikers")
    db.session.refresh(user)
    assert not user.active


@pytest.mark.parametrize("action", ["block", "role", "second-factor", "create"])
def test_after_the_window_nothing_changes_without_confirming(
    admin_and_user, make_organisation, action
):
    client, _admin, user = admin_and_user
    _age(client)
    if action == "block":
        response = client.post(f"/beheer/gebruikers/{user.id}/actief")
        back = "/beheer/gebruikers"
    elif action == "role":
        response = client.post(
            f"/beheer/gebruikers/{user.id}/rol",
            data={"role": Role.COORDINATOR.value, "organisation_id": user.organisation_id},
        )
        back = f"/beheer/gebruikers/{user.id}/rol"
    elif action == "second-factor":
        response = client.post(f"/beheer/gebruikers/{user.id}/tweede-stap-wissen")
        back = "/beheer/gebruikers"
    else:
        response = client.post(
            "/beheer/gebruikers/nieuw",
            data={
                "name": "Nieuw",
                "email": "nieuw@example.nl",
                "role": Role.TEACHER.value,
                "organisation_id": user.organisation_id,
            },
        )
        back = "/beheer/gebruikers/nieuw"
    assert response.status_code == 302
    assert response.headers["Location"] == f"{CONFIRM}?next={back}"
    db.session.expire_all()
    assert user.active and user.role == Role.TEACHER
    assert db.session.scalar(select(User).where(User.email == "nieuw@example.nl")) is None
    assert "Er is niets gewijzigd" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_opening_the_role_form_after_the_window_asks_first(admin_and_user):
    client, _admin, user = admin_and_user
    _age(client)
    response = client.get(f"/beheer/gebruikers/{user.id}/rol")
    assert response.headers["Location"] == f"{CONFIRM}?next=/beheer/gebruikers/{user.id}/rol"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bevestig dat u het bent" in page and 'autocomplete="current-password"' in page


def test_confirming_with_the_password_allows_the_change(admin_and_user):
    client, admin, user = admin_and_user
    _age(client)
    response = client.post(
        f"{CONFIRM}?next=/beheer/gebruikers/{user.id}/rol", data={"password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == f"/beheer/gebruikers/{user.id}/rol"
    assert client.post(f"/beheer/gebruikers/{user.id}/actief").status_code == 302
    db.session.refresh(user)
    assert not user.active
    assert _kinds(admin)[-1] == "reauthenticated"


def test_confirming_with_an_app_code_allows_the_change(admin_and_user):
    client, admin, user = admin_and_user
    _age(client)
    # The login used this step's code; a code works once.
    db.session.execute(update(User).where(User.id == admin.id).values(totp_last_step=None))
    db.session.commit()
    response = client.post(CONFIRM, data={"code": totp_code()})
    assert response.headers["Location"] == "/beheer/gebruikers"
    client.post(f"/beheer/gebruikers/{user.id}/tweede-stap-wissen")
    assert "second-factor-reset" in _kinds(user)
    # The same code again is refused: it was used.
    _age(client)
    html = client.post(CONFIRM, data={"code": totp_code()}).get_data(as_text=True)
    assert "Deze code klopt niet" in html


def test_a_wrong_password_is_refused_counted_and_throttled(app, admin_and_user):
    client, admin, user = admin_and_user
    _age(client)
    html = client.post(CONFIRM, data={"password": "niet-het-goede-wachtwoord"}).get_data(
        as_text=True
    )
    assert "Het wachtwoord klopt niet." in html
    assert _kinds(admin)[-1] == "reauth-failed"
    assert (
        client.post(f"/beheer/gebruikers/{user.id}/actief").headers["Location"].startswith(CONFIRM)
    )
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        last = client.post(CONFIRM, data={"password": "niet-het-goede-wachtwoord"})
    assert last.status_code == 429 and "Retry-After" in last.headers
    # While throttled even the right password is not checked.
    assert client.post(CONFIRM, data={"password": TEST_PASSWORD}).status_code == 429


def test_an_empty_confirmation_says_what_to_fill_in(admin_and_user):
    client, _admin, _user = admin_and_user
    _age(client)
    html = client.post(CONFIRM, data={}).get_data(as_text=True)
    assert "Vul uw wachtwoord in, of een code uit uw app." in html


def test_the_confirmation_belongs_to_one_session(admin_and_user, browser):
    client, admin, user = admin_and_user
    other = browser(admin)
    with client.session_transaction() as session:
        borrowed = dict(session[REAUTH_KEY])
    _age(other)
    with other.session_transaction() as session:
        session[REAUTH_KEY] = borrowed  # the other session's moment does not count here
    assert (
        other.post(f"/beheer/gebruikers/{user.id}/actief").headers["Location"].startswith(CONFIRM)
    )


def test_the_window_follows_the_setting_and_next_stays_on_the_site(app, admin_and_user):
    client, _admin, user = admin_and_user
    _age(client, minutes=3)
    app.config["REAUTH_MINUTES"] = 2
    try:
        assert (
            client.post(f"/beheer/gebruikers/{user.id}/actief")
            .headers["Location"]
            .startswith(CONFIRM)
        )
        response = client.post(
            f"{CONFIRM}?next=https://elders.example/", data={"password": TEST_PASSWORD}
        )
        assert response.headers["Location"] == "/beheer/gebruikers"
    finally:
        app.config["REAUTH_MINUTES"] = 10
