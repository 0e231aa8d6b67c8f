"""Outgoing e-mail through an outbox table, delivered by a backend chosen in the config.

Use cases call `queue_mail` inside their own transaction, so a mail is only ever sent for a
change that was committed. `deliver_outbox` (the `cultuurmatch mail deliver` command, run from
cron or by hand) sends what is waiting with the backend of MAIL_BACKEND:

- ``outbox``: keep the messages in the table only (the default; tests and a quiet demo);
- ``console``: print each message to standard output;
- ``file``: append each message to MAIL_FILE (default: instance/mail.log);
- ``smtp``: send through MAIL_SMTP_HOST/PORT with optional login and STARTTLS.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import JSON, String, Text, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from matcher.db import Base, TimestampMixin, db, utcnow

BACKENDS = ("outbox", "console", "file", "smtp")
MAX_ATTEMPTS = 5


class MailError(ValueError):
    """A message cannot be queued; the message is Dutch."""


class OutboxMessage(TimestampMixin, Base):
    """One e-mail waiting to be sent, or sent (sent_at), or given up on (error)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # The secrets (links with tokens) in `body`, masked there once the mail is delivered: the
    # outbox can still show what was sent without keeping a working link for MAIL_KEEP_DAYS.
    secrets: Mapped[list[str]] = mapped_column(JSON, default=list)


MASK = "[verwijderd na verzending]"


def queue_mail(*, to: str, subject: str, body: str, secrets: Sequence[str] = ()
               ) -> OutboxMessage:
    """Put one Dutch e-mail in the outbox; flushes, never commits (the caller commits).

    `secrets` are the parts of `body` that grant access (a link with a token); they are
    replaced by MASK in the stored body as soon as the mail has been delivered.
    """
    address = to.strip()
    if "@" not in address or any(c in address for c in "\r\n,;"):
        raise MailError(f"Ongeldig e-mailadres: {to!r}.")
    clean_subject = " ".join(subject.split())
    if not clean_subject:
        raise MailError("Een e-mail heeft een onderwerp nodig.")
    message = OutboxMessage(to=address, subject=clean_subject[:200], body=body,
                            secrets=[secret for secret in secrets if secret])
    db.session.add(message)
    db.session.flush()
    return message


def pending_messages(limit: int = 500) -> Sequence[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None),
                                    OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)).all()


def to_email(app: Flask, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = app.config["MAIL_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="cultuurmatch.nl")
    email.set_content(message.body)
    return email


def _console(app: Flask) -> Callable[[EmailMessage], None]:
    def send(email: EmailMessage) -> None:
        click.echo(email.as_string())
        click.echo("-" * 72)

    return send


def _file(app: Flask) -> Callable[[EmailMessage], None]:
    path = Path(app.config.get("MAIL_FILE") or Path(app.instance_path) / "mail.log")

    def send(email: EmailMessage) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(email.as_string())
            handle.write("\n" + "-" * 72 + "\n")

    return send


def _smtp(app: Flask) -> Callable[[EmailMessage], None]:
    host = app.config.get("MAIL_SMTP_HOST")
    if not host:
        raise MailError("MAIL_BACKEND is smtp, maar MATCHER_SMTP_HOST is niet ingesteld.")
    port = int(app.config.get("MAIL_SMTP_PORT") or 587)
    user, password = app.config.get("MAIL_SMTP_USER"), app.config.get("MAIL_SMTP_PASSWORD")
    starttls = bool(app.config.get("MAIL_SMTP_STARTTLS", True))

    def send(email: EmailMessage) -> None:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            smtp.send_message(email)

    return send


SENDERS = {"console": _console, "file": _file, "smtp": _smtp}


def deliver_outbox(app: Flask) -> int:
    """Send every waiting message with the configured backend; returns how many were sent.

    With the ``outbox`` backend nothing leaves the table and 0 is returned. A message that
    fails is tried again on the next run, at most MAX_ATTEMPTS times. Commits per message, so
    a failure halfway never sends a message twice.
    """
    backend = app.config.get("MAIL_BACKEND", "outbox")
    if backend not in BACKENDS:
        raise MailError(f"Onbekende MAIL_BACKEND {backend!r}; kies uit {', '.join(BACKENDS)}.")
    if backend == "outbox":
        return 0
    with app.app_context():
        send = SENDERS[backend](app)
        sent = 0
        for message in pending_messages():
            message.attempts += 1
            try:
                send(to_email(app, message))
            except (OSError, smtplib.SMTPException) as error:
                message.error = f"{type(error).__name__}: {error}"[:2000]
                app.logger.warning("Mail %s to %s failed: %s", message.id, message.to, error)
            else:
                message.sent_at, message.error = utcnow(), ""
                mask_secrets(message)
                sent += 1
            db.session.commit()
        return sent


def mask_secrets(message: OutboxMessage) -> None:
    """Replace every secret in a delivered message's body by MASK and forget the secrets."""
    body = message.body
    for secret in message.secrets or []:
        body = body.replace(secret, MASK)
    message.body, message.secrets = body, []


def purge_old_messages(*, before: datetime) -> int:
    """Delete messages sent (or given up on) before `before`; returns how many.

    Sent mail holds links and names that are only needed until they are delivered, among
    them single-use invitation links: keeping them longer only widens what a leak could show.
    """
    finished = or_(OutboxMessage.sent_at < before,
                   (OutboxMessage.attempts >= MAX_ATTEMPTS) & (OutboxMessage.created_at < before))
    result = db.session.execute(delete(OutboxMessage).where(finished))
    return result.rowcount or 0


@click.group("mail")
def mail_group() -> None:
    """Outgoing e-mail (the outbox)."""


@mail_group.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Send the e-mails waiting in the outbox with MAIL_BACKEND."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        sent = deliver_outbox(app)
    except MailError as error:
        raise click.ClickException(str(error)) from error
    waiting = len(pending_messages())
    click.echo(f"{sent} e-mail(s) verstuurd met backend '{app.config['MAIL_BACKEND']}'; "
               f"{waiting} wachtend.")
