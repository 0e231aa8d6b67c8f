"""Provider and activity use cases: transitions, edits, verdicts, sign-up, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from matcher.accounts.roles import Role
from matcher.db import db
from providers import queries, services
from providers.convert import activity_to_engine
from providers.models import ActivityStatus, ActivityStatusChange
from providers.services import ProviderError
from tests.providers.conftest import activity_fields

S = ActivityStatus


@pytest.fixture
def setting(make_provider, make_staff, make_curator, make_activity):
    provider = make_provider()
    staff = make_staff(provider)
    curator = make_curator()
    activity = make_activity(provider)
    return provider, staff, curator, activity


def test_owner_submits_and_curator_approves_with_log(setting):
    _provider, staff, curator, activity = setting
    services.change_status(activity=activity, to=S.SUBMITTED, by=staff)
    services.change_status(activity=activity, to=S.APPROVED, by=curator)
    db.session.commit()
    assert activity.status == S.APPROVED
    assert activity.reviewed_by_id == curator.id and activity.reviewed_at is not None
    log = db.session.scalars(select(ActivityStatusChange).where(
        ActivityStatusChange.activity_id == activity.id).order_by(ActivityStatusChange.id)).all()
    assert [(c.from_status, c.to_status) for c in log] == [
        (None, S.DRAFT), (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.APPROVED)]
    assert [c.by_id for c in log[1:]] == [staff.id, curator.id]
    assert all(c.at is not None for c in log)


@pytest.mark.parametrize(("start", "to"), [
    (S.DRAFT, S.APPROVED), (S.SUBMITTED, S.APPROVED), (S.SUBMITTED, S.REJECTED),
    (S.APPROVED, S.REJECTED)])
def test_owner_may_not_review(setting, start, to):
    _provider, staff, _curator, activity = setting
    activity.status = start
    with pytest.raises(ProviderError, match="niet toegestaan"):
        services.change_status(activity=activity, to=to, by=staff, reason="prijs")


def test_other_roles_may_not_change_status(setting, make_user):
    _provider, _staff, _curator, activity = setting
    teacher = make_user(role=Role.TEACHER)
    with pytest.raises(ProviderError):
        services.change_status(activity=activity, to=S.SUBMITTED, by=teacher)


def test_same_status_is_refused(setting):
    _provider, staff, _curator, activity = setting
    with pytest.raises(ProviderError, match="al"):
        services.change_status(activity=activity, to=S.DRAFT, by=staff)


def test_rejection_needs_a_reason_and_other_needs_a_note(setting):
    _provider, staff, curator, activity = setting
    services.change_status(activity=activity, to=S.SUBMITTED, by=staff)
    with pytest.raises(ProviderError, match="reden"):
        services.change_status(activity=activity, to=S.REJECTED, by=curator)
    with pytest.raises(ProviderError, match="Licht"):
        services.change_status(activity=activity, to=S.REJECTED, by=curator, reason="overig")
    services.change_status(activity=activity, to=S.REJECTED, by=curator, reason="prijs",
                           note="Noem de prijs per leerling.")
    assert activity.review_reason == "prijs"
    assert activity.review_note == "Noem de prijs per leerling."
    # The provider fixes it and submits again.
    services.change_status(activity=activity, to=S.SUBMITTED, by=staff)


def test_archive_and_restore(setting):
    _provider, staff, curator, activity = setting
    services.change_status(activity=activity, to=S.ARCHIVED, by=staff)
    with pytest.raises(ProviderError):
        services.change_status(activity=activity, to=S.APPROVED, by=staff)
    services.change_status(activity=activity, to=S.DRAFT, by=staff)
    services.change_status(activity=activity, to=S.ARCHIVED, by=curator)


def test_editing_an_approved_activity_sends_it_back_for_review(make_provider, make_staff,
                                                              make_activity):
    provider = make_provider()
    staff = make_staff(provider)
    activity = make_activity(provider, status=S.APPROVED)
    changed = services.edit_activity(activity=activity,
                                     fields=activity_fields(price_amount=1400), by=staff)
    assert changed == ["price_amount"]
    assert activity.status == S.SUBMITTED
    assert activity.status_changes[-1].note.startswith("Gewijzigd na goedkeuring")


def test_saving_without_changes_keeps_approval(make_provider, make_staff, make_activity):
    provider = make_provider()
    staff = make_staff(provider)
    activity = make_activity(provider, status=S.APPROVED)
    assert services.edit_activity(activity=activity, fields=activity_fields(), by=staff) == []
    assert activity.status == S.APPROVED


def test_a_curators_change_keeps_approval(make_provider, make_curator, make_activity):
    activity = make_activity(make_provider(), status=S.APPROVED)
    services.update_activity(activity=activity, fields=activity_fields(sessions=6),
                             by=make_curator())
    assert activity.status == S.APPROVED


def test_archived_activity_cannot_be_edited(setting):
    _provider, staff, _curator, activity = setting
    services.change_status(activity=activity, to=S.ARCHIVED, by=staff)
    with pytest.raises(ProviderError, match="gearchiveerde"):
        services.edit_activity(activity=activity, fields=activity_fields(sessions=2), by=staff)


def test_group_minimum_above_maximum_is_refused(make_provider):
    with pytest.raises(ProviderError, match="groepsgrootte"):
        services.create_activity(provider=make_provider(), by=None,
                                 fields=activity_fields(group_min=40, group_max=20))


def test_duplicate_is_a_draft_with_a_new_key(make_provider, make_staff, make_activity):
    provider = make_provider()
    staff = make_staff(provider)
    activity = make_activity(provider, status=S.APPROVED)
    copy = services.duplicate_activity(activity=activity, by=staff)
    assert copy.key != activity.key and copy.title.endswith("(kopie)")
    assert copy.status == S.DRAFT
    assert copy.audience == activity.audience


def test_verdicts_change_the_links_the_matcher_sees(setting):
    _provider, _staff, _curator, activity = setting
    services.set_intervention_verdicts(activity=activity, verified=["cultuureducatie"],
                                       dropped=["zomerschool", "bestaat-niet"])
    assert activity.dropped_interventions == ["zomerschool"]
    assert activity.effective_interventions == ["cultuureducatie"]
    engine_activity = activity_to_engine(activity)
    assert engine_activity.interventions == ()
    assert engine_activity.curator_verified == ("cultuureducatie",)
    assert engine_activity.curator_dropped == ("zomerschool",)


def test_suggestions_come_from_the_text():
    found = services.suggest_interventions(fields=activity_fields(interventions=[]))
    assert "zomerschool" in [s.key for s in found]
    assert all(s.triggers for s in found)


def test_sign_up_creates_an_unapproved_provider_with_staff():
    signup = services.SignUp(
        name="Theater De Appel", kind="jeugdtheater", gemeente="Den Haag",
        serves=["Den Haag", " Delft ", "Delft"], email="info@appel.example.nl", website=None,
        contact_name="An Appel", phone="070-1234567", user_name="An Appel",
        user_email="an@appel.example.nl", password="een-heel-lang-wachtwoord")
    provider, user = services.register_provider(signup=signup)
    assert provider.key == "theater-de-appel" and not provider.approved
    assert provider.serves == ["Den Haag", "Delft"]
    assert user.role == Role.PROVIDER_STAFF and user.organisation == provider.organisation
    assert queries.find_provider_of(user) == provider
    assert user.email_confirmed_at is None  # confirmed by the link in the mail
    # A known login address makes nothing and raises nothing: the answer is the same.
    assert services.register_provider(signup=signup) is None


def test_provider_rejection_needs_a_reason(make_provider, make_curator):
    provider = make_provider(approved=False)
    curator = make_curator()
    with pytest.raises(ProviderError):
        services.review_provider(provider=provider, approve=False, note=" ", by=curator)
    services.review_provider(provider=provider, approve=False, note="Geen kvk-nummer.",
                             by=curator)
    assert provider.rejected and provider.status_label == "Afgewezen"
    services.review_provider(provider=provider, approve=True, note="", by=curator)
    assert provider.approved and provider.review_note == ""


def test_dates_must_lie_ahead(setting):
    _provider, _staff, _curator, activity = setting
    with pytest.raises(ProviderError):
        services.add_date(activity=activity, starts_at=datetime.now(UTC) - timedelta(days=1),
                          capacity=20)
    added = services.add_date(activity=activity,
                              starts_at=datetime.now(UTC) + timedelta(days=30), capacity=20)
    assert activity.dates == [added]


def test_curator_scope_follows_the_region(make_provider, make_curator):
    near = make_provider(gemeente="Zaanstad")
    far = make_provider(gemeente="Groningen")
    national = make_provider(gemeente="Utrecht", serves=["*"])
    curator = make_curator(region=("Amsterdam", "Zaanstad"))
    assert set(queries.visible_providers(curator)) == {near, national}
    with pytest.raises(queries.NotFound):
        queries.get_provider(curator, far.id)
