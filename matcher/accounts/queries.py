"""Reads of users and organisations: get_* raises when missing, find_* returns None."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from matcher.accounts.models import Organisation, User
from matcher.accounts.roles import OrganisationKind
from matcher.db import db


class NotFound(LookupError):
    """The record does not exist (or is not visible to whoever asked)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def find_organisation(kind: OrganisationKind, name: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(Organisation.kind == kind, Organisation.name == name))


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"organisation {organisation_id}")
    return organisation


def list_users() -> Sequence[User]:
    return db.session.scalars(
        select(User).join(User.organisation).order_by(Organisation.name, User.name)).all()


def list_organisations() -> Sequence[Organisation]:
    return db.session.scalars(select(Organisation).order_by(Organisation.kind,
                                                            Organisation.name)).all()
