"""Sessions that end: every cause of ending has a test, and so has each check of the cookie."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from matcher.accounts.models import AccountEvent, UserSession
from matcher.accounts.roles import OrganisationKind, Role
from matcher.accounts.sessions import SESSION_KEY
from matcher.db import db, utcnow
from tests.accounts.conftest import copy_cookie, signed_in
from tests.conftest import TEST_PASSWORD, TEST_PEPPER

NEW_PASSWORD = "paarse-olifant-fietst-langzaam"


def test_logout_ends_the_session_for_a_copy_of_the_cookie_too(app, browser, make_user):
    user = make_user()
    mine = browser(user)
    thief = copy_cookie(mine, app.test_client())
    assert signed_in(thief)
    mine.post("/uitloggen")
    assert not signed_in(mine)
    assert not signed_in(thief)


def test_a_password_change_ends_every_other_session(browser, make_user):
    user = make_user()
    here, elsewhere = browser(user), browser(user)
    response = here.post("/account", data={"current": TEST_PASSWORD, "new": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_blocking_ends_every_session_and_unblocking_revives_none(browser, make_user):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user()
    users_browser = browser(user)
    admins_browser = browser(admin)
    admins_browser.post(f"/beheer/gebruikers/{user.id}/actief")
    assert not signed_in(users_browser)
    admins_browser.post(f"/beheer/gebruikers/{user.id}/actief")  # unblock
    db.session.refresh(user)
    assert user.active
    assert not signed_in(users_browser)


def test_an_inactive_user_is_refused_even_with_a_live_session(browser, make_user):
    user = make_user()
    client = browser(user)
    db.session.execute(update(type(user)).where(type(user).id == user.id).values(active=False))
    db.session.commit()
    assert not signed_in(client)


def test_a_role_change_ends_every_session(browser, make_user, make_organisation):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.TEACHER)
    users_browser, admins_browser = browser(user), browser(admin)
    response = admins_browser.post(f"/beheer/gebruikers/{user.id}/rol", data={
        "role": Role.COORDINATOR.value, "organisation_id": user.organisation_id})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == Role.COORDINATOR
    assert not signed_in(users_browser)
    event = db.session.scalar(select(AccountEvent).where(AccountEvent.kind == "role-changed"))
    assert event.user_id == user.id and event.actor_id == admin.id
    assert "leerkracht" in event.detail and "cultuurcoordinator" in event.detail


def test_an_organisation_change_ends_every_session(browser, make_user, make_organisation):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.TEACHER)
    other_school = make_organisation(name="OBS De Nieuwe School")
    users_browser, admins_browser = browser(user), browser(admin)
    admins_browser.post(f"/beheer/gebruikers/{user.id}/rol", data={
        "role": Role.TEACHER.value, "organisation_id": other_school.id})
    db.session.refresh(user)
    assert user.organisation_id == other_school.id
    assert not signed_in(users_browser)


def test_saving_the_same_role_ends_nothing(browser, make_user):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.TEACHER)
    users_browser, admins_browser = browser(user), browser(admin)
    admins_browser.post(f"/beheer/gebruikers/{user.id}/rol", data={
        "role": Role.TEACHER.value, "organisation_id": user.organisation_id})
    assert signed_in(users_browser)


def test_a_role_must_fit_the_organisation_and_an_admin_keeps_their_own(
        browser, make_user, make_organisation):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.TEACHER)
    provider = make_organisation(kind=OrganisationKind.PROVIDER)
    admins_browser = browser(admin)
    html = admins_browser.post(f"/beheer/gebruikers/{user.id}/rol", data={
        "role": Role.TEACHER.value, "organisation_id": provider.id}).get_data(as_text=True)
    assert "hoort bij een organisatie" in html
    html = admins_browser.post(f"/beheer/gebruikers/{admin.id}/rol", data={
        "role": Role.CURATOR.value, "organisation_id": admin.organisation_id}
    ).get_data(as_text=True)
    assert "eigen rol" in html
    db.session.refresh(admin)
    assert admin.role == Role.ADMINISTRATOR


def test_an_idle_session_ends(app, browser, make_user):
    user = make_user()
    client = browser(user)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"], seconds=1)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert "Uw sessie is verlopen" in client.get("/inloggen").get_data(as_text=True)
    row = db.session.scalar(select(UserSession))
    assert row.end_reason == "inactief"


def test_a_session_in_use_still_ends_after_the_absolute_limit(app, browser, make_user):
    user = make_user()
    client = browser(user)
    age = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], seconds=1)
    db.session.execute(update(UserSession).values(created_at=utcnow() - age,
                                                  last_seen_at=utcnow()))
    db.session.commit()
    assert not signed_in(client)
    assert db.session.scalar(select(UserSession)).end_reason == "verlopen"


def test_use_keeps_a_session_alive(app, browser, make_user):
    user = make_user()
    client = browser(user)
    nearly_idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - nearly_idle))
    db.session.commit()
    assert signed_in(client)
    db.session.expire_all()
    seen = db.session.scalar(select(UserSession)).last_seen_at
    assert utcnow() - seen.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)


def test_overal_uitloggen_ends_every_session_this_one_too(browser, make_user):
    user = make_user()
    here, elsewhere = browser(user), browser(user)
    page = here.get("/account/sessies").get_data(as_text=True)
    assert page.count("Beëindigen") == 2 and "deze sessie" in page
    response = here.post("/account/sessies/overal-uitloggen")
    assert response.status_code == 302
    assert not signed_in(here)
    assert not signed_in(elsewhere)


def test_ending_one_other_session(browser, make_user):
    user = make_user()
    here, elsewhere = browser(user), browser(user)
    rows = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
    response = here.post(f"/account/sessies/{rows[1].id}/beeindigen")
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_nobody_ends_someone_elses_session(browser, make_user):
    mine, theirs = make_user(), make_user()
    my_browser, their_browser = browser(mine), browser(theirs)
    their_row = db.session.scalar(select(UserSession).where(UserSession.user_id == theirs.id))
    assert my_browser.post(f"/account/sessies/{their_row.id}/beeindigen").status_code == 404
    assert signed_in(their_browser)


def test_a_cookie_without_a_session_token_is_refused(app, make_user):
    """A cookie signed with the key but never issued by a login (the old kind) counts not."""
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert not signed_in(client)


def test_a_token_of_another_user_is_refused(app, browser, make_user):
    mine, theirs = make_user(), make_user()
    my_browser = browser(mine)
    with my_browser.session_transaction() as session:
        token = session[SESSION_KEY]
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["_user_id"], session[SESSION_KEY] = str(theirs.id), token
    assert not signed_in(forged)


def test_login_renews_the_session_and_its_csrf_token(app, make_user):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = "planted-before-login"
        session["planted"] = "by-someone-else"
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "planted-before-login"
        first_token = session[SESSION_KEY]
    client.post("/uitloggen")
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        assert session[SESSION_KEY] != first_token


def test_a_new_address_does_not_log_a_user_out(browser, make_user):
    client = browser(make_user(), address="10.0.0.1")
    assert signed_in(client, environ_base={"REMOTE_ADDR": "2001:db8::1"})


def test_the_database_holds_only_a_hash_of_the_session_token(browser, make_user):
    client = browser(make_user())
    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    row = db.session.scalar(select(UserSession))
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_pages_behind_a_login_are_not_cached(browser, client, make_user):
    signed = browser(make_user())
    for path in ("/account", "/overzicht", "/menukaart/"):
        assert signed.get(path).headers.get("Cache-Control") == "no-store", path
    assert "no-store" not in (client.get("/menukaart/").headers.get("Cache-Control") or "")


def test_downloads_behind_a_login_are_not_cached(browser, make_user):
    signed = browser(make_user(role=Role.SCHOOL_LEADER))
    for path in ("/school/programma.csv", "/school/programma.pdf"):
        response = signed.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_production_uses_a_host_only_secure_session_cookie(database_url, make_user):
    import os
    from unittest import mock

    from cryptography.fernet import Fernet

    from matcher import create_app
    from matcher.config import build_config

    env = {"MATCHER_ENV": "production", "SECRET_KEY": "x" * 48,
           "DATABASE_URL": database_url, "MATCHER_PUPIL_DATA_KEY": Fernet.generate_key().decode(),
           "MATCHER_PASSWORD_PEPPER": TEST_PEPPER}
    with mock.patch.dict(os.environ, env):
        config = build_config()
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    app = create_app({**config, "TESTING": True, "WTF_CSRF_ENABLED": False})
    user = make_user()
    response = app.test_client().post("/inloggen", base_url="https://localhost", data={
        "email": user.email, "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
