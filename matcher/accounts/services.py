"""Account use cases. They flush, never commit: the caller commits once."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from matcher.accounts import (
    audit,
    notices,
    reauth,
    second_factor,
    security_keys,
    sessions,
    throttle,
)
from matcher.accounts.models import AccountToken, Organisation, SecurityKey, User, UserSession
from matcher.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from matcher.accounts.queries import find_user_by_email, normalise_email
from matcher.accounts.roles import ROLE_ORGANISATION, OrganisationKind, Role
from matcher.db import db, utcnow

RESET_PURPOSE = "wachtwoord-herstel"
SIGN_UP_PURPOSE = "aanmelding"
EMAIL_PURPOSE = "e-mailadres"
# Sign-up and e-mail links stay valid longer than a reset link: they grant no more than the
# password the user already chose.
CONFIRM_HOURS = 48
WRONG_CREDENTIALS = "Het e-mailadres of wachtwoord klopt niet."


class AccountError(ValueError):
    """A use case refused; the message is Dutch and shown to the user beside `field`."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Throttled(AccountError):
    """Too many failures: try again after `retry_after` seconds (429 with Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("U heeft het te vaak geprobeerd. Probeer het over "
                         f"{_duration(retry_after)} opnieuw.")
        self.retry_after = retry_after


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconden"
    return f"{(seconds + 59) // 60} minuten"


def checked_email(email: str) -> str:
    """The one e-mail rule for every path that creates or changes an account.

    The same check as the login form's (email-validator, without a DNS look-up), then
    lower-cased, so an address that can be created can also be used to log in.
    """
    address = normalise_email(email or "")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError("Vul een geldig e-mailadres in.", field="email") from error
    return address


def check_password(password: str, *, user: User | None = None, email: str = "",
                   name: str = "", field: str = "password") -> None:
    context = [email, name] + ([user.email, user.name] if user else [])
    problem = password_problem(password, context=context)
    if problem:
        raise AccountError(problem, field=field)


def create_organisation(*, kind: OrganisationKind, name: str, gemeente: str | None = None,
                        sector: str | None = None, region: list[str] | None = None
                        ) -> Organisation:
    """Add an organisation (school, provider, gemeente, region or the platform itself)."""
    if not name.strip():
        raise AccountError("Geef de organisatie een naam.")
    organisation = Organisation(kind=kind, name=name.strip(), gemeente=gemeente, sector=sector,
                                region=list(region or []))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _check_role_fits(role: Role, organisation: Organisation) -> None:
    expected = ROLE_ORGANISATION[role]
    if organisation.kind != expected:
        raise AccountError(f"Een {role.label.lower()} hoort bij een organisatie van het soort "
                           f"'{expected.value}', niet '{organisation.kind.value}'.")


def create_user(*, email: str, name: str, role: Role, organisation: Organisation,
                password: str | None, by: User | None = None, confirmed: bool = True,
                temporary: bool = False) -> User:
    """Add a user to one organisation; the role must fit the kind of organisation.

    `temporary`: the password was chosen by someone else (an administrator), so it is a
    temporary one (ASVS 2.3.1): it expires after TEMPORARY_PASSWORD_HOURS, and the user
    chooses their own at the first login before any other page opens.
    """
    email = checked_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"Er bestaat al een account met e-mailadres {email}.")
    _check_role_fits(role, organisation)
    password_hash = None
    if password is not None:
        check_password(password, email=email, name=name)
        password_hash = hash_password(password)
    user = User(email=email, name=name.strip(), role=role, organisation=organisation,
                password_hash=password_hash, email_confirmed_at=utcnow() if confirmed else None)
    if password_hash is not None and temporary:
        user.must_change_password = True
        user.temporary_password_expires_at = utcnow() + timedelta(
            hours=temporary_password_hours())
    db.session.add(user)
    db.session.flush()
    audit.record("user-created", user=user, actor=by,
                 detail=role.value + (", tijdelijk wachtwoord" if user.must_change_password
                                      else ""))
    return user


# -------------------------------------------------------------- temporary passwords


def temporary_password_hours() -> int:
    return int(current_app.config["TEMPORARY_PASSWORD_HOURS"])


def temporary_password_expired(user: User) -> bool:
    """Whether `user` holds a temporary password whose time is up: it logs in no more."""
    expires = user.temporary_password_expires_at
    return (user.must_change_password and expires is not None
            and sessions.as_utc(expires) <= utcnow())


def password_state(user: User) -> str:
    """For the administrator's list: "eigen", "tijdelijk", "verlopen" or "geen"."""
    if user.password_hash is None:
        return "geen"
    if user.must_change_password:
        return "verlopen" if temporary_password_expired(user) else "tijdelijk"
    return "eigen"


def _retire_reset_links(user: User) -> None:
    """Every unused link to choose a password of `user` stops working."""
    now = utcnow()
    for other in db.session.scalars(db.select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == RESET_PURPOSE,
            AccountToken.used_at.is_(None))):
        other.used_at = now
    db.session.flush()


def can_be_invited(user: User) -> bool:
    """An invitation replaces no password of the user's own: only a temporary one, or none."""
    return user.active and (user.password_hash is None or user.must_change_password)


def _set_password(user: User, new: str) -> None:
    """The one way a password the user chose is stored: it is no longer temporary."""
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.temporary_password_expires_at = None
    db.session.flush()


class TemporaryPasswordExpired(AccountError):
    """The temporary password ran out while its holder was signed in."""


def choose_own_password(*, user: User, current: str, new: str) -> None:
    """Replace a temporary password with one of the user's own (the forced first step).

    The temporary password is asked for again, so a copied session cookie alone cannot take
    the account over; the new one follows every password rule and differs from it.
    """
    if not user.must_change_password:
        raise AccountError("U heeft al een eigen wachtwoord.")
    if temporary_password_expired(user):
        raise TemporaryPasswordExpired(
            "Uw tijdelijke wachtwoord is verlopen. Vraag de beheerder om een nieuwe "
            "uitnodiging, of kies via 'Wachtwoord vergeten' een nieuw wachtwoord.")
    if not verify_password(user.password_hash, current):
        raise AccountError("Het tijdelijke wachtwoord klopt niet.", field="current")
    if new == current:
        raise AccountError("Kies een ander wachtwoord dan het tijdelijke.", field="new")
    check_password(new, user=user, field="new")
    _set_password(user, new)
    sessions.end_sessions(user, reason=sessions.PASSWORD, keep=sessions.current_session())
    audit.record("password-changed", user=user, actor=user,
                 detail="tijdelijk wachtwoord vervangen")
    notices.send_password_changed(user)


def reinvite_user(*, user: User, by: User) -> None:
    """An administrator sends a new invitation: a link to choose a password, by mail.

    For an account whose temporary password expired (or that never had one, or lost its
    first invitation). A temporary password still in force stops working now, with any
    session it opened and any earlier link: from here on only the new link sets a password.
    """
    if not user.active:
        raise AccountError(f"{user.name} is geblokkeerd. Activeer het account eerst.")
    if not can_be_invited(user):
        raise AccountError(f"{user.name} heeft al een eigen wachtwoord. Een nieuw wachtwoord "
                           "vraagt de gebruiker zelf aan via 'Wachtwoord vergeten'.")
    user.password_hash = None
    user.must_change_password = False
    user.temporary_password_expires_at = None
    _retire_reset_links(user)
    sessions.end_sessions(user, reason=sessions.PASSWORD)
    invite_user(user)
    audit.record("invitation-sent", user=user, actor=by)


def authenticate(*, email: str, password: str) -> User | None:
    """The active user these credentials belong to, or None; upgrades old hashes."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if temporary_password_expired(user):
        # Answered as a wrong password (the caller counts a failure), so the answer tells
        # nobody that the account exists; the audit trail tells the administrator why.
        audit.record("temporary-password-expired", user=user)
        return None
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def sign_in(*, email: str, password: str, address: str) -> User:
    """Check a login attempt against the throttle and the password; commit either way.

    Raises Throttled while this address must wait for this account (the password is not even
    checked then), and AccountError for wrong credentials, after counting the failure.
    """
    email = normalise_email(email)
    wait = throttle.login_wait(email, address)
    if wait:
        audit.record("login-throttled", user=find_user_by_email(email), detail=f"{wait} s")
        raise Throttled(wait)
    user = authenticate(email=email, password=password)
    if user is None:
        _count_failure(email, address)
        raise AccountError(WRONG_CREDENTIALS)
    throttle.count_login_success(email, address)
    if user.email_confirmed_at is None:
        # Only someone with the right password learns this, so it tells an outsider nothing.
        raise AccountError("Bevestig eerst uw e-mailadres: volg de link in de e-mail die wij "
                           "u na het aanmelden stuurden.")
    return user


def complete_login(user: User) -> UserSession:
    """Both steps done (or the only one): a new session for `user`; a login counts as a
    recent authentication (accounts/reauth.py)."""
    row = sessions.start_session(user)
    reauth.mark(user)
    audit.record("login", user=user)
    return row


def reauthenticate(*, user: User, password: str = "", code: str = "") -> None:
    """Prove again who one is, with the password or a code from the app (not a recovery
    code: those are for a lost phone). Failures are throttled per account like the second
    step's. Raises Throttled or AccountError; on success the session counts as recent."""
    key = throttle.reauth_key(user.id)
    wait = throttle.wait_seconds(throttle.peek(key), utcnow())
    if wait:
        audit.record("login-throttled", user=user, detail=f"bevestigen, {wait} s")
        raise Throttled(wait)
    if not (password or code):
        raise AccountError("Vul uw wachtwoord in, of een code uit uw app.", field="password")
    if password:
        ok = verify_password(user.password_hash, password)
        how = "wachtwoord"
    else:
        ok = second_factor.is_enabled(user) and second_factor.verify_code(user, code.strip())
        how = "code"
    if not ok:
        throttle.count_failure(key, throttle.second_factor_policy())
        audit.record("reauth-failed", user=user, actor=user, detail=how)
        raise AccountError("Het wachtwoord klopt niet." if password else
                           "Deze code klopt niet (meer). Gebruik de code die uw app nu toont.",
                           field="password" if password else "code")
    reauth.mark(user)
    audit.record("reauthenticated", user=user, actor=user, detail=how)


def _count_failure(email: str, address: str) -> None:
    account_row = throttle.count_login_failure(email, address)
    known = find_user_by_email(email)
    audit.record("login-failed", user=known,
                 detail="" if known else "onbekend account")
    if known is not None and throttle.should_notify(account_row):
        notices.send_repeated_failures(known, account_row.failures)
        account_row.notified_at = utcnow()
        db.session.flush()


def sign_out(*, user: User) -> None:
    """Log this browser out; its session row ends, so a copy of the cookie stops working."""
    audit.record("logout", user=user, actor=user)
    sessions.end_current_session()


def change_password(*, user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Het huidige wachtwoord klopt niet.", field="current")
    check_password(new, user=user, field="new")
    _set_password(user, new)
    sessions.end_sessions(user, reason=sessions.PASSWORD, keep=sessions.current_session())
    audit.record("password-changed", user=user, actor=user)
    notices.send_password_changed(user)


def end_every_session(*, user: User) -> int:
    """"Overal uitloggen": every session of the user ends, this one too."""
    ended = sessions.end_sessions(user, reason=sessions.ELSEWHERE)
    audit.record("sessions-ended", user=user, actor=user, detail=f"{ended} sessies")
    sessions.end_current_session(sessions.ELSEWHERE)
    return ended


def end_one_session(*, user: User, row: UserSession) -> None:
    row.ended_at, row.end_reason = utcnow(), sessions.ELSEWHERE
    db.session.flush()
    audit.record("sessions-ended", user=user, actor=user, detail="1 sessie")


def set_active(*, user: User, active: bool, by: User) -> None:
    """Block or unblock an account; nobody blocks themselves. A block ends every session."""
    if user.id == by.id and not active:
        raise AccountError("U kunt uw eigen account niet blokkeren.")
    user.active = active
    db.session.flush()
    if not active:
        sessions.end_sessions(user, reason=sessions.BLOCKED)
    audit.record("unblocked" if active else "blocked", user=user, actor=by)


def change_role(*, user: User, role: Role, organisation: Organisation, by: User) -> bool:
    """Give a user another role or organisation; their sessions end. False: nothing changed.

    An administrator cannot change their own role, so the platform never loses its last one
    by a slip of the mouse.
    """
    if role == user.role and organisation.id == user.organisation_id:
        return False
    if user.id == by.id:
        raise AccountError("U kunt uw eigen rol of organisatie niet wijzigen.")
    _check_role_fits(role, organisation)
    before = f"{user.role.value} bij {user.organisation.name}"
    user.role, user.organisation = role, organisation
    db.session.flush()
    sessions.end_sessions(user, reason=sessions.ROLE)
    audit.record("role-changed", user=user, actor=by,
                 detail=f"{before} → {role.value} bij {organisation.name}")
    return True


# ------------------------------------------------------------------------ password reset


def reset_minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


def request_password_reset(*, email: str, address: str) -> None:
    """Mail a reset link when the address belongs to an active account; else do nothing.

    The caller answers the same either way, so the form tells nobody which addresses are
    known. Raises Throttled when this address or this e-mail address asked too often.
    """
    email = normalise_email(email)
    config = current_app.config
    wait = throttle.count_request([
        (f"reset-address:{address}", throttle.Policy(config["RESET_FREE_PER_ADDRESS"], 60)),
        (f"reset-account:{email}", throttle.Policy(config["RESET_FREE_PER_ACCOUNT"], 300)),
    ])
    if wait:
        raise Throttled(wait)
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = _issue_token(user, RESET_PURPOSE, timedelta(minutes=reset_minutes()))
    notices.send_reset_link(user, notices.public_link("accounts.reset_password", token=token),
                            reset_minutes())
    audit.record("reset-requested", user=user)


def _issue_token(user: User, purpose: str, lifetime: timedelta,
                 new_email: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, new_email=new_email,
                                token_hash=sessions.token_hash(token),
                                expires_at=utcnow() + lifetime))
    db.session.flush()
    return token


def find_token(token: str, purpose: str) -> AccountToken | None:
    """The unused, unexpired token for `purpose` of an active account, or None."""
    row = db.session.scalar(db.select(AccountToken).where(
        AccountToken.token_hash == sessions.token_hash(token or ""),
        AccountToken.purpose == purpose))
    if row is None or row.used_at is not None or not row.user.active:
        return None
    if sessions.as_utc(row.expires_at) <= utcnow():
        return None
    return row


def find_reset_token(token: str) -> AccountToken | None:
    return find_token(token, RESET_PURPOSE)


def reset_password(*, token: str, new: str) -> User:
    """Set a new password with a reset link; the link and every other one stop working, and
    every session of the account ends."""
    row = find_reset_token(token)
    if row is None:
        raise AccountError("Deze link werkt niet meer: hij is al gebruikt of verlopen. Vraag "
                           "een nieuwe aan.")
    user = row.user
    check_password(new, user=user, field="new")
    _set_password(user, new)
    _retire_reset_links(user)
    sessions.end_sessions(user, reason=sessions.RESET)
    audit.record("password-reset", user=user)
    notices.send_password_changed(user)
    return user


# ------------------------------------------------------------------------ second factor


def _check_current_password(user: User, password: str) -> None:
    """Re-authentication before a change to how the account is protected (ASVS 2.5/3.7)."""
    if not verify_password(user.password_hash, password or ""):
        raise AccountError("Het wachtwoord klopt niet.", field="password")


def verify_second_factor(*, user: User, code: str) -> None:
    """Check the code of the second login step: a TOTP code or an unused recovery code.

    Failures are throttled like passwords, per account: six digits are guessed quickly
    otherwise. Raises Throttled or AccountError.
    """
    key = throttle.second_factor_key(user.id)
    wait = throttle.wait_seconds(throttle.peek(key), utcnow())
    if wait:
        audit.record("login-throttled", user=user, detail=f"tweede stap, {wait} s")
        raise Throttled(wait)
    if second_factor.verify_code(user, code):
        return
    if second_factor.use_recovery_code(user, code):
        left = second_factor.remaining_recovery_codes(user)
        audit.record("recovery-code-used", user=user, detail=f"nog {left} over")
        notices.send_recovery_code_used(user, left)
        return
    throttle.count_failure(key, throttle.second_factor_policy())
    replayed = second_factor.is_replay(user, code)
    audit.record("second-factor-failed", user=user,
                 detail="code die al gebruikt was" if replayed else "")
    if replayed:  # ASVS 2.8.5: a used code again means someone may have seen it
        notices.send_code_replayed(user)
    raise AccountError("Deze code klopt niet (meer). Gebruik de code die uw app nu toont, "
                       "of een van uw herstelcodes.", field="code")


def enable_second_factor(*, user: User, password: str, code: str) -> list[str]:
    """Switch the second factor on after the password and a first code; the recovery codes."""
    _check_current_password(user, password)
    codes = second_factor.enable(user, code)
    if codes is None:
        raise AccountError("Deze code klopt niet. Controleer of de tijd op uw telefoon goed "
                           "staat en typ de code die de app nu toont.", field="code")
    audit.record("second-factor-enabled", user=user, actor=user)
    notices.send_second_factor_changed(user, enabled=True)
    return codes


def begin_security_key(*, user: User, password: str) -> str:
    """Options to register a security key, after the password; the second step must be on."""
    if not second_factor.is_enabled(user):
        raise AccountError("Zet eerst de tweede stap met een app aan; een beveiligingssleutel "
                           "komt daarnaast.")
    if len(security_keys.keys_of(user)) >= security_keys.MAX_KEYS:
        raise AccountError(f"U heeft al {security_keys.MAX_KEYS} beveiligingssleutels. "
                           "Verwijder er eerst een.", field="name")
    _check_current_password(user, password)
    return security_keys.registration_options(user)


def add_security_key(*, user: User, credential: str, name: str) -> SecurityKey:
    """Store the key made after begin_security_key (whose challenge proves the password)."""
    if not name.strip():
        raise AccountError("Geef de sleutel een naam, zodat u hem later herkent.", field="name")
    try:
        key = security_keys.register(user, credential, name)
    except security_keys.KeyRefused as error:
        raise AccountError("De sleutel kon niet worden toegevoegd. Probeer het opnieuw.",
                           field="name") from error
    audit.record("security-key-added", user=user, actor=user, detail=key.name)
    notices.send_security_key_changed(user, name=key.name, added=True)
    return key


def remove_security_key(*, user: User, key: SecurityKey, password: str) -> None:
    _check_current_password(user, password)
    name = key.name
    db.session.delete(key)
    db.session.flush()
    audit.record("security-key-removed", user=user, actor=user, detail=name)
    notices.send_security_key_changed(user, name=name, added=False)


def verify_security_key(*, user: User, credential: str) -> None:
    """The second login step with a security key; failures are throttled like codes."""
    key = throttle.second_factor_key(user.id)
    wait = throttle.wait_seconds(throttle.peek(key), utcnow())
    if wait:
        audit.record("login-throttled", user=user, detail=f"tweede stap, {wait} s")
        raise Throttled(wait)
    try:
        security_keys.authenticate(user, credential)
    except security_keys.KeyRefused as error:
        throttle.count_failure(key, throttle.second_factor_policy())
        audit.record("second-factor-failed", user=user, detail="beveiligingssleutel")
        raise AccountError("Deze sleutel werd niet herkend. Probeer het opnieuw, of typ een "
                           "code uit uw app.") from error


def disable_second_factor(*, user: User, password: str) -> None:
    if second_factor.is_required(user):
        raise AccountError("Voor uw rol is de tweede stap verplicht.")
    _check_current_password(user, password)
    second_factor.remove(user)
    audit.record("second-factor-disabled", user=user, actor=user)
    notices.send_second_factor_changed(user, enabled=False)


def reset_second_factor(*, user: User, by: User) -> None:
    """An administrator wipes a lost factor; the user enrols again at the next login."""
    if user.id == by.id:
        raise AccountError("Uw eigen tweede stap wist u niet hier; vraag een andere beheerder.")
    second_factor.remove(user)
    sessions.end_sessions(user, reason=sessions.SECOND_FACTOR)
    audit.record("second-factor-reset", user=user, actor=by)
    notices.send_second_factor_changed(user, enabled=False)


# ------------------------------------------------- sign-up and e-mail change, by mail link


def sign_up(*, email: str, name: str, role: Role, password: str,
            make_organisation: Callable[[], Organisation]) -> User | None:
    """A self-service sign-up that tells nobody whether the address is known.

    A new address gets an unconfirmed account and a mail with a link that confirms it and
    logs in; a known address gets a mail saying it already has an account, and nothing is
    made (None). The caller answers both the same: "kijk in uw e-mail". The password is
    hashed either way, so the two take the same time.
    """
    email = checked_email(email)
    check_password(password, email=email, name=name)
    existing = find_user_by_email(email)
    if existing is not None:
        hash_password(password)
        notices.send_already_registered(existing)
        return None
    user = create_user(email=email, name=name, role=role, organisation=make_organisation(),
                       password=password, confirmed=False)
    token = _issue_token(user, SIGN_UP_PURPOSE, timedelta(hours=CONFIRM_HOURS))
    notices.send_sign_up_link(user, notices.public_link("accounts.confirm_sign_up",
                                                        token=token))
    return user


def confirm_sign_up(*, token: str) -> User:
    """Follow the sign-up link: the address is confirmed; the caller logs the user in."""
    row = find_token(token, SIGN_UP_PURPOSE)
    if row is None:
        raise AccountError("Deze link werkt niet meer: hij is al gebruikt of verlopen.")
    row.used_at = utcnow()
    row.user.email_confirmed_at = utcnow()
    db.session.flush()
    audit.record("email-confirmed", user=row.user)
    return row.user


def request_email_change(*, user: User, new_email: str, password: str) -> None:
    """Send a link to the new address after the password; the old address hears of it.

    An address that belongs to someone else gets no link and the answer is the same, so the
    form cannot be used to find out who has an account.
    """
    _check_current_password(user, password)
    address = checked_email(new_email)
    if address == user.email:
        raise AccountError("Dit is al uw e-mailadres.", field="email")
    if find_user_by_email(address) is None:
        token = _issue_token(user, EMAIL_PURPOSE, timedelta(hours=CONFIRM_HOURS),
                             new_email=address)
        notices.send_email_change_link(user, address, notices.public_link(
            "accounts.confirm_email_change", token=token))
    notices.send_email_change_requested(user, address)
    audit.record("email-change-requested", user=user, actor=user)


def confirm_email_change(*, token: str) -> User:
    row = find_token(token, EMAIL_PURPOSE)
    if row is None or not row.new_email:
        raise AccountError("Deze link werkt niet meer: hij is al gebruikt of verlopen.")
    if find_user_by_email(row.new_email) is not None:
        raise AccountError("Dit e-mailadres is intussen in gebruik voor een ander account.")
    user, old = row.user, row.user.email
    user.email, row.used_at = row.new_email, utcnow()
    db.session.flush()
    audit.record("email-changed", user=user, detail=f"{old} → {user.email}")
    notices.send_email_changed(user, old)
    return user


def invite_user(user: User) -> None:
    """Mail a new user a link to choose their own password (no one else ever knows it).

    The link is a reset link that lives as long as a sign-up link: a new colleague may not
    read their mail within the hour.
    """
    token = _issue_token(user, RESET_PURPOSE, timedelta(hours=CONFIRM_HOURS))
    notices.send_invitation(user, notices.public_link("accounts.reset_password", token=token))
