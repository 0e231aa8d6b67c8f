"""The schoolprogramma's link warnings and exports, and the mail outbox with its backends."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from matcher.cli import main as cli
from matcher.db import db
from matcher.mail import MailError, OutboxMessage, deliver_outbox, queue_mail
from matcher.schools import services
from matcher.schools.programme import build_programme, programme_csv, programme_pdf
from tests.schools.conftest import SOON


def _book(world, intervention: str, nonce: str):
    return services.book(organisation=world.school.organisation, by=world.school.coordinator,
                         nonce=nonce, stream=world.school.stream, on_date=SOON, seats=5,
                         intervention=intervention, activity=world.activity).booking


def test_programme_warns_about_weak_and_unverified_links(world):
    world.activity.verified_interventions = ["cultuureducatie"]
    _book(world, "cultuureducatie", "a")
    _book(world, "zomerschool", "b")
    _book(world, "welbevinden", "c")
    view = build_programme(world.school.organisation, "2026-2027")
    links = {s.key: s.lines[0].link for s in view.sections}
    assert links == {"cultuureducatie": "gecontroleerd door curator",
                     "zomerschool": "opgegeven door aanbieder", "welbevinden": "zwak"}
    assert len(view.warnings) == 2
    assert view.per_part == {"externe aanbieder": Decimal("150.00")}
    text = programme_csv(view)
    assert text.splitlines()[0].startswith("doelgebied;interventie;activiteit")
    assert "Zwakke koppeling" in text and "50,00" in text
    assert programme_pdf(view).startswith(b"%PDF")


def test_csv_cells_cannot_start_a_formula(world):
    world.activity.title = "=1+1"
    booking = _book(world, "zomerschool", "f")
    booking.title = world.activity.title
    text = programme_csv(build_programme(world.school.organisation, "2026-2027"))
    assert ";'=1+1;" in text


def test_queue_mail_flushes_and_checks_the_address(app):
    message = queue_mail(to="ouder@example.nl", subject="Uitnodiging\r\nBcc: x", body="Hallo")
    assert message.id is not None and message.subject == "Uitnodiging Bcc: x"
    with pytest.raises(MailError):
        queue_mail(to="geen-adres", subject="x", body="y")
    with pytest.raises(MailError):
        queue_mail(to="a@b.nl\nBcc: c@d.nl", subject="x", body="y")


@pytest.mark.parametrize("backend", ["outbox", "file", "console"])
def test_deliver_outbox_with_each_backend(app, tmp_path, backend, capsys):
    queue_mail(to="leider@school.nl", subject="Goedkeuring gevraagd", body="Keur goed.")
    db.session.commit()
    app.config.update(MAIL_BACKEND=backend, MAIL_FILE=str(tmp_path / "mail.log"))
    try:
        sent = deliver_outbox(app)
    finally:
        app.config.update(MAIL_BACKEND="outbox")
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage))
    if backend == "outbox":
        assert sent == 0 and message.sent_at is None
        return
    assert sent == 1 and message.sent_at is not None
    written = (tmp_path / "mail.log").read_text() if backend == "file" else \
        capsys.readouterr().out
    assert "Subject: Goedkeuring gevraagd" in written and "To: leider@school.nl" in written


def test_smtp_failure_is_kept_for_a_retry(app, monkeypatch):
    import smtplib

    class Broken:
        def __init__(self, *args, **kwargs):
            raise smtplib.SMTPConnectError(421, "weg")

    monkeypatch.setattr(smtplib, "SMTP", Broken)
    queue_mail(to="a@b.nl", subject="x", body="y")
    db.session.commit()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="smtp.example.nl")
    try:
        assert deliver_outbox(app) == 0
    finally:
        app.config.update(MAIL_BACKEND="outbox")
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1 and "weg" in message.error


def test_cli_mail_deliver(app):
    queue_mail(to="a@b.nl", subject="x", body="y")
    db.session.commit()
    result = CliRunner().invoke(cli, ["mail", "deliver"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert "0 e-mail(s) verstuurd met backend 'outbox'; 1 wachtend." in result.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_purge_deletes_sent_and_abandoned_mail_after_the_keep_period(app):
    from datetime import UTC, datetime, timedelta

    from matcher.mail import MAX_ATTEMPTS, purge_old_messages

    now = datetime.now(UTC)
    old_sent = queue_mail(to="a@example.nl", subject="Oud", body="link")
    old_sent.sent_at = now - timedelta(days=40)
    recent_sent = queue_mail(to="b@example.nl", subject="Nieuw", body="link")
    recent_sent.sent_at = now - timedelta(days=2)
    abandoned = queue_mail(to="c@example.nl", subject="Mislukt", body="link")
    abandoned.attempts, abandoned.created_at = MAX_ATTEMPTS, now - timedelta(days=40)
    waiting = queue_mail(to="d@example.nl", subject="Wacht", body="link")
    waiting.created_at = now - timedelta(days=40)
    db.session.commit()

    assert purge_old_messages(before=now - timedelta(days=30)) == 2
    db.session.commit()
    left = set(db.session.scalars(select(OutboxMessage.subject)))
    assert left == {"Nieuw", "Wacht"}


def test_purge_command_reports_the_mail_it_removed(app):
    result = app.test_cli_runner().invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "verstuurde e-mail(s) ouder dan 30 dagen verwijderd" in result.output
