"""Secrets in mail are masked once delivered; administrators read the account audit trail."""

from __future__ import annotations

from email import message_from_string
from email.policy import default as email_policy

from sqlalchemy import select

from matcher.accounts.models import AccountEvent
from matcher.accounts.roles import Role
from matcher.db import db
from matcher.mail import MASK, OutboxMessage, deliver_outbox, queue_mail
from tests.accounts.conftest import link_in, mails_to


def test_a_delivered_reset_mail_keeps_no_working_link(app, client, make_user, tmp_path):
    user = make_user()
    client.post("/wachtwoord-vergeten", data={"email": user.email})
    link = link_in(mails_to(user.email)[0])
    mail_file = tmp_path / "mail.log"
    app.config.update(MAIL_BACKEND="file", MAIL_FILE=str(mail_file))
    try:
        assert deliver_outbox(app) == 1
    finally:
        app.config.update(MAIL_BACKEND="outbox", MAIL_FILE=None)
    sent = message_from_string(mail_file.read_text().split("\n" + "-" * 72)[0],
                               policy=email_policy)
    assert link in sent.get_content()  # the recipient got the link
    stored = db.session.scalar(select(OutboxMessage))
    db.session.refresh(stored)
    assert link not in stored.body and MASK in stored.body
    assert stored.secrets == []
    assert client.get(link.split("5000", 1)[1]).status_code == 200  # still usable, once


def test_mail_without_secrets_is_delivered_as_written(app, tmp_path):
    message = queue_mail(to="a@example.nl", subject="Onderwerp", body="Gewone tekst.")
    db.session.commit()
    app.config.update(MAIL_BACKEND="file", MAIL_FILE=str(tmp_path / "mail.log"))
    try:
        deliver_outbox(app)
    finally:
        app.config.update(MAIL_BACKEND="outbox", MAIL_FILE=None)
    db.session.refresh(message)
    assert message.body == "Gewone tekst."


def test_an_observation_invitation_marks_its_link_as_secret(app):
    from matcher.observations import services as observations

    source = __import__("inspect").getsource(observations._mail_invitation)
    assert "secrets=[link]" in source


def test_the_administrator_reads_the_account_events(browser, make_user):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user()
    browser(user)
    admins = browser(admin)
    admins.post(f"/beheer/gebruikers/{user.id}/actief")
    page = admins.get("/beheer/accountgebeurtenissen").get_data(as_text=True)
    assert "Ingelogd" in page and "Geblokkeerd" in page and user.email in page
    only_user = admins.get(f"/beheer/accountgebeurtenissen?gebruiker={admin.id}")
    assert user.email not in only_user.get_data(as_text=True).split("<tbody>")[1]


def test_every_account_change_is_recorded_with_who_and_where(browser, make_user):
    admin, user = make_user(role=Role.ADMINISTRATOR), make_user()
    users = browser(user, address="192.0.2.5")
    users.post("/uitloggen", environ_base={"REMOTE_ADDR": "192.0.2.5"})
    browser(admin).post(f"/beheer/gebruikers/{user.id}/actief")
    events = db.session.scalars(select(AccountEvent).where(AccountEvent.user_id == user.id)
                                .order_by(AccountEvent.id)).all()
    assert [e.kind for e in events] == ["login", "logout", "blocked"]
    assert events[0].address == "192.0.2.5" and events[2].actor_id == admin.id


def test_purge_deletes_old_sessions_tokens_and_counts_but_not_live_ones(app, browser,
                                                                         make_user):
    from datetime import timedelta

    from sqlalchemy import update

    from matcher.accounts.models import LoginThrottle, UserSession
    from matcher.accounts.throttle import Policy, count_failure
    from matcher.db import utcnow

    live_user, old_user = make_user(), make_user()
    browser(live_user)
    browser(old_user)
    long_ago = utcnow() - timedelta(days=90)
    db.session.execute(update(UserSession).where(UserSession.user_id == old_user.id)
                       .values(ended_at=long_ago, last_seen_at=long_ago))
    count_failure("address:192.0.2.1", Policy(5, 15), now=long_ago)
    db.session.commit()
    from matcher.cli import main

    result = app.test_cli_runner().invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "oude sessie(s)" in result.output
    owners = db.session.scalars(select(UserSession.user_id)).all()
    assert owners == [live_user.id]
    assert db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == "address:192.0.2.1")) is None


def test_purge_deletes_account_events_past_the_retention_period(app, make_user):
    from datetime import timedelta

    from sqlalchemy import update

    from matcher.accounts import audit
    from matcher.cli import main
    from matcher.db import utcnow

    user = make_user()
    old = audit.record("login", user=user).id
    almost = audit.record("logout", user=user).id
    fresh = audit.record("login", user=user).id
    now = utcnow()
    db.session.execute(update(AccountEvent).where(AccountEvent.id == old)
                       .values(created_at=now - timedelta(days=366)))
    db.session.execute(update(AccountEvent).where(AccountEvent.id == almost)
                       .values(created_at=now - timedelta(days=364)))
    db.session.commit()
    assert app.config["ACCOUNT_EVENTS_KEEP_DAYS"] == 365
    result = app.test_cli_runner().invoke(main, ["purge"])
    assert result.exit_code == 0, result.output
    assert "1 accountgebeurtenis(sen) ouder dan 365 dagen verwijderd." in result.output
    left = set(db.session.scalars(select(AccountEvent.id)).all())
    assert left == {almost, fresh}


def test_account_event_retention_follows_the_setting_and_zero_keeps_all(app, make_user):
    from datetime import timedelta

    from sqlalchemy import update

    from matcher.accounts import audit
    from matcher.accounts.housekeeping import purge_account_events
    from matcher.db import utcnow

    user = make_user()
    event_id = audit.record("login", user=user).id
    db.session.execute(update(AccountEvent).where(AccountEvent.id == event_id)
                       .values(created_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    assert purge_account_events(utcnow(), keep_days=0) == 0
    assert purge_account_events(utcnow(), keep_days=60) == 0
    assert purge_account_events(utcnow(), keep_days=30) == 1
    db.session.commit()
    assert db.session.scalar(select(AccountEvent).where(AccountEvent.id == event_id)) is None


def test_the_events_page_says_how_long_events_are_kept(make_user, login):
    client = login(make_user(role=Role.ADMINISTRATOR))
    html = client.get("/beheer/accountgebeurtenissen").get_data(as_text=True)
    assert "Gebeurtenissen ouder dan 365 dagen worden verwijderd." in html
