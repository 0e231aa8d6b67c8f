"""Use cases behind the catalogue pages: visibility, shortlists and the match form."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matcher.accounts.models import User
from matcher.accounts.roles import SCHOOL_ROLES
from matcher.catalogue.forms import MatchForm
from matcher.catalogue.models import Favourite
from matcher.db import db
from matcher.engine.model import LEERLINGEN, Match, MatchRequest, Plan
from providers.models import Activity, ActivityStatus, Provider


@dataclass(frozen=True)
class MatchResult:
    matches: list[Match]
    plan: Plan | None

    @property
    def activity_keys(self) -> list[str]:
        keys = [m.activity_key for m in self.matches]
        if self.plan:
            keys += [m.activity_key for m in self.plan.matches if m.activity_key not in keys]
        return keys


def find_visible_activity(key: str) -> Activity | None:
    """An activity schools may see: approved, of an approved provider."""
    return db.session.scalar(
        select(Activity).join(Activity.provider)
        .where(Activity.key == key, Activity.status == ActivityStatus.APPROVED,
               Provider.approved.is_(True)))


def _is_school_user(user) -> bool:
    return user.is_authenticated and user.role in SCHOOL_ROLES


def favourite_keys(user) -> set[str]:
    if not _is_school_user(user):
        return set()
    return set(db.session.scalars(
        select(Activity.key).join(Favourite, Favourite.activity_id == Activity.id)
        .where(Favourite.user_id == user.id)))


def favourite_activities(user: User) -> list[Activity]:
    return list(db.session.scalars(
        select(Activity).join(Favourite, Favourite.activity_id == Activity.id)
        .where(Favourite.user_id == user.id, Activity.status == ActivityStatus.APPROVED)
        .options(selectinload(Activity.provider)).order_by(Activity.title)))


def toggle_favourite(*, user: User, activity: Activity) -> bool:
    """Put the activity on the user's shortlist or take it off; True when it was added."""
    existing = db.session.scalar(select(Favourite).where(
        Favourite.user_id == user.id, Favourite.activity_id == activity.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    db.session.add(Favourite(user_id=user.id, activity_id=activity.id))
    db.session.flush()
    return True


def known_partners(user) -> frozenset[str]:
    """Providers on the school's shortlists: partners it already works with (LKCA's advice)."""
    if not _is_school_user(user):
        return frozenset()
    return frozenset(db.session.scalars(
        select(Provider.key).join(Activity, Activity.provider_id == Provider.id)
        .join(Favourite, Favourite.activity_id == Activity.id)
        .join(User, User.id == Favourite.user_id)
        .where(User.organisation_id == user.organisation_id)))


def prefill_from_school(form: MatchForm, user) -> None:
    """A school user's sector and gemeente are known; don't make them type it."""
    if _is_school_user(user):
        form.sector.data = user.organisation.sector or form.sector.data
        form.gemeente.data = user.organisation.gemeente or ""


def request_from_form(form: MatchForm) -> MatchRequest:
    return MatchRequest(
        key="formulier",
        school_name="",
        sector=form.sector.data,
        gemeente=form.gemeente.data.strip(),
        interventions=tuple(form.interventions.data),
        grades=tuple(int(g) for g in form.grades.data),
        pupils=form.pupils.data,
        periods=tuple(form.periods.data or ()),
        budget=float(form.budget.data) if form.budget.data is not None else None,
        disciplines=tuple(form.disciplines.data or ()),
        competences=tuple(form.competences.data or ()),
        location=form.location.data or "geen-voorkeur",
        wishes=(form.wishes.data or "").strip(),
        participants=form.participants.data or LEERLINGEN,
    )
