"""The second factor: TOTP codes computed with pyotp, recovery codes, enrolment at the next
login for curators and administrators, optional for the rest, reset by an administrator."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select, update

from matcher.accounts import second_factor
from matcher.accounts.models import AccountEvent, RecoveryCode, User
from matcher.accounts.roles import Role
from matcher.db import db
from tests.accounts.conftest import mails_to, signed_in
from tests.conftest import TEST_PASSWORD, TEST_TOTP_SECRET, totp_code


def _password_step(client, user):
    return client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})


def _code_step(client, code):
    return client.post("/inloggen/tweede-stap", data={"code": code})


def _forget_last_step(user):
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()


def test_a_curator_needs_the_code_after_the_password(client, make_user):
    curator = make_user(role=Role.CURATOR)
    response = _password_step(client, curator)
    assert response.headers["Location"].startswith("/inloggen/tweede-stap")
    assert not signed_in(client)
    assert _code_step(client, totp_code()).status_code == 302
    assert signed_in(client)


def test_a_wrong_code_is_refused_and_throttled(app, client, make_user):
    curator = make_user(role=Role.CURATOR)
    _password_step(client, curator)
    wrong = "000000" if totp_code() != "000000" else "111111"
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        html = _code_step(client, wrong).get_data(as_text=True)
        assert "Deze code klopt niet" in html
    refused = _code_step(client, totp_code())
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert not signed_in(client)


def test_a_long_code_in_other_script_is_a_wrong_code_not_an_error(client, make_user):
    """Found by the form fuzzer: twenty emoji went into the recovery-code hash as ASCII."""
    curator = make_user(role=Role.CURATOR)
    _password_step(client, curator)
    response = _code_step(client, "\U0001f4a5" * 20)
    assert response.status_code in (200, 400)
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_a_code_works_once(app, make_user):
    curator = make_user(role=Role.CURATOR)
    first, second = app.test_client(), app.test_client()
    code = totp_code()
    _password_step(first, curator)
    assert _code_step(first, code).status_code == 302
    _password_step(second, curator)
    assert "Deze code klopt niet" in _code_step(second, code).get_data(as_text=True)
    # A used code again is logged and its holder told (ASVS 2.8.5).
    event = db.session.scalar(select(AccountEvent).where(
        AccountEvent.kind == "second-factor-failed"))
    assert event.detail == "code die al gebruikt was"
    assert mails_to(curator.email)[-1].subject == "Een inlogcode werd twee keer gebruikt"


def test_a_recovery_code_works_once_and_the_holder_is_told(app, make_user):
    curator = make_user(role=Role.CURATOR, second_factor=False)
    codes = second_factor.enrol_with_secret(curator, TEST_TOTP_SECRET)
    db.session.commit()
    client = app.test_client()
    _password_step(client, curator)
    assert _code_step(client, codes[0].upper()).status_code == 302
    assert mails_to(curator.email)[-1].subject == "Ingelogd met een herstelcode"
    other = app.test_client()
    _password_step(other, curator)
    assert _code_step(other, codes[0]).status_code == 200  # used up
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code in stored for code in codes)


def test_the_second_step_must_follow_soon(client, make_user):
    curator = make_user(role=Role.CURATOR)
    _password_step(client, curator)
    with client.session_transaction() as session:
        pending = dict(session["pending_login"])
        session["pending_login"] = {**pending, "at": pending["at"] - 301}
    response = _code_step(client, totp_code())
    assert "/inloggen" in response.headers["Location"]
    assert not signed_in(client)


def test_the_code_page_without_a_right_password_sends_to_the_login(client, make_user):
    response = client.get("/inloggen/tweede-stap")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"


def _enrol(client, password=TEST_PASSWORD):
    page = client.get("/account/tweede-stap").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post("/account/tweede-stap", data={
        "password": password, "code": pyotp.TOTP(secret).now()})
    return page, secret, response


def test_an_administrator_without_a_factor_enrols_before_anything_else(client, make_user):
    admin = make_user(role=Role.ADMINISTRATOR, second_factor=False)
    assert _password_step(client, admin).status_code == 302
    for path in ("/overzicht", "/beheer/gebruikers", "/account"):
        response = client.get(path)
        assert response.headers["Location"] == "/account/tweede-stap", path
    page, secret, response = _enrol(client)
    assert 'src="data:image/svg+xml' in page and "verplicht" in page
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-f-]{34})</code>", response.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/beheer/gebruikers").status_code == 200
    db.session.refresh(admin)
    assert second_factor.is_enabled(admin)
    assert secret not in (admin.totp_secret_encrypted or "")  # encrypted at rest
    assert mails_to(admin.email)[-1].subject == "Tweede stap bij het inloggen gewijzigd"


def test_enrolment_needs_the_password_again(client, make_user):
    teacher = make_user(role=Role.TEACHER)
    client.post("/inloggen", data={"email": teacher.email, "password": TEST_PASSWORD})
    _page, _secret, response = _enrol(client, password="niet-mijn-wachtwoord")
    assert "Het wachtwoord klopt niet." in response.get_data(as_text=True)
    db.session.refresh(teacher)
    assert not second_factor.is_enabled(teacher)


def test_optional_for_a_teacher_who_can_switch_it_on_and_off(client, make_user):
    teacher = make_user(role=Role.TEACHER)
    client.post("/inloggen", data={"email": teacher.email, "password": TEST_PASSWORD})
    assert client.get("/overzicht").status_code == 200  # no enrolment demanded
    _enrol(client)
    db.session.refresh(teacher)
    assert second_factor.is_enabled(teacher)
    client.post("/account/tweede-stap/uitzetten", data={"password": "fout-wachtwoord-12"})
    db.session.refresh(teacher)
    assert second_factor.is_enabled(teacher)
    client.post("/account/tweede-stap/uitzetten", data={"password": TEST_PASSWORD})
    db.session.refresh(teacher)
    assert not second_factor.is_enabled(teacher)
    kinds = [e.kind for e in db.session.scalars(select(AccountEvent).order_by(AccountEvent.id))]
    assert "second-factor-enabled" in kinds and "second-factor-disabled" in kinds


def test_a_curator_cannot_switch_it_off(login, client, make_user):
    curator = make_user(role=Role.CURATOR)
    login(curator)
    client.post("/account/tweede-stap/uitzetten", data={"password": TEST_PASSWORD})
    db.session.refresh(curator)
    assert second_factor.is_enabled(curator)


def test_an_administrator_resets_a_lost_factor(app, browser, make_user):
    admin, curator = make_user(role=Role.ADMINISTRATOR), make_user(role=Role.CURATOR)
    curators_browser, admins_browser = browser(curator), browser(admin)
    assert admins_browser.post(
        f"/beheer/gebruikers/{curator.id}/tweede-stap-wissen").status_code == 302
    db.session.refresh(curator)
    assert not second_factor.is_enabled(curator)
    assert not signed_in(curators_browser)
    event = db.session.scalar(select(AccountEvent).where(
        AccountEvent.kind == "second-factor-reset"))
    assert event.user_id == curator.id and event.actor_id == admin.id
    fresh = app.test_client()
    _password_step(fresh, curator)
    assert fresh.get("/overzicht").headers["Location"] == "/account/tweede-stap"


def test_an_administrator_cannot_reset_their_own_factor(browser, make_user):
    admin = make_user(role=Role.ADMINISTRATOR)
    browser(admin).post(f"/beheer/gebruikers/{admin.id}/tweede-stap-wissen")
    db.session.refresh(admin)
    assert second_factor.is_enabled(admin)


def test_codes_are_computed_like_any_authenticator_app(make_user):
    curator = make_user(role=Role.CURATOR)
    _forget_last_step(curator)
    assert second_factor.verify_code(curator, pyotp.TOTP(TEST_TOTP_SECRET).now())
    assert not second_factor.verify_code(curator, "12345")
