"""Account use cases. They flush, never commit: the caller commits once."""

from __future__ import annotations

from matcher.accounts.models import Organisation, User
from matcher.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from matcher.accounts.queries import find_user_by_email, normalise_email
from matcher.accounts.roles import ROLE_ORGANISATION, OrganisationKind, Role
from matcher.db import db, utcnow


class AccountError(ValueError):
    """A use case refused; the message is Dutch and shown to the user beside `field`."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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


def create_user(*, email: str, name: str, role: Role, organisation: Organisation,
                password: str | None) -> User:
    """Add a user to one organisation; the role must fit the kind of organisation."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"Er bestaat al een account met e-mailadres {email}.")
    expected = ROLE_ORGANISATION[role]
    if organisation.kind != expected:
        raise AccountError(f"Een {role.label.lower()} hoort bij een organisatie van het soort "
                           f"'{expected.value}', niet '{organisation.kind.value}'.")
    password_hash = None
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise AccountError(problem)
        password_hash = hash_password(password)
    user = User(email=email, name=name.strip(), role=role, organisation=organisation,
                password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(*, email: str, password: str) -> User | None:
    """The active user these credentials belong to, or None; upgrades old hashes."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(*, user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Het huidige wachtwoord klopt niet.", field="current")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, field="new")
    user.password_hash = hash_password(new)
    db.session.flush()


def set_active(*, user: User, active: bool, by: User) -> None:
    """Block or unblock an account; nobody blocks themselves."""
    if user.id == by.id and not active:
        raise AccountError("U kunt uw eigen account niet blokkeren.")
    user.active = active
    db.session.flush()
