"""Use cases: invitations, submitting once, pupil codes, erasure, retention, key rotation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from matcher.cli import main
from matcher.db import db, utcnow
from matcher.mail import OutboxMessage
from matcher.observations import crypto, queries, services
from matcher.observations.models import (
    AuditAction,
    InvitationStatus,
    Observation,
    ObservationAuditEntry,
    ObservationInvitation,
    ObservationScore,
    PupilCode,
    PupilNote,
)
from tests.observations.conftest import invite, observation_input

SENTINEL = "Zwaluwstaart-Sentinel-8841"


def test_an_invitation_sends_a_single_use_link_and_stores_only_a_hash(school):
    token = invite(school)
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    invitation = db.session.scalar(select(ObservationInvitation))
    assert invitation.token_hash == crypto.hash_token(token) != token
    assert invitation.organisation_id == school.organisation.id
    assert invitation.group_id == school.group.id
    message = db.session.scalar(select(OutboxMessage))
    assert message.to == "docent@theater.example"
    assert f"/observatie/{token}" in message.body
    assert queries.find_invitation_by_token(token) == invitation
    assert queries.find_invitation_by_token(token[:-1] + "x") is None


def test_inviting_is_refused_until_the_school_records_its_legal_basis(make_school):
    school = make_school(policy=False)
    with pytest.raises(services.ObservationError, match="grondslag"):
        invite(school)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_staff_of_another_school_cannot_invite_for_a_group(make_school):
    first, second = make_school(), make_school()
    with pytest.raises(services.ObservationError):
        services.invite_professional(group=first.group, email="x@example.nl",
                                     observer_name="X", by=second.teacher)


def test_a_link_works_once(school):
    token = invite(school)
    invitation = queries.find_invitation_by_token(token)
    services.submit_observation(invitation=invitation, data=observation_input())
    db.session.commit()
    assert invitation.status == InvitationStatus.SUBMITTED
    with pytest.raises(services.InvitationUnusable, match="al gebruikt"):
        services.submit_observation(invitation=invitation, data=observation_input())


def test_an_expired_or_revoked_link_is_refused(school):
    invitation = queries.find_invitation_by_token(invite(school))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.InvitationUnusable, match="verlopen"):
        services.submit_observation(invitation=invitation, data=observation_input())
    other = queries.find_invitation_by_token(invite(school, email="b@example.nl"))
    services.revoke_invitation(invitation=other, by=school.teacher)
    with pytest.raises(services.InvitationUnusable, match="ingetrokken"):
        services.usable_invitation(other)


def test_every_dimension_needs_a_score_or_niet_gezien(school):
    invitation = queries.find_invitation_by_token(invite(school))
    data = observation_input()
    partial = services.ObservationInput(observed_on=data.observed_on, scores=data.scores[:-1])
    with pytest.raises(services.ObservationError, match="elke dimensie"):
        services.submit_observation(invitation=invitation, data=partial)
    services.submit_observation(invitation=invitation, data=observation_input(value=None))


def test_free_text_with_contact_details_is_refused(school):
    invitation = queries.find_invitation_by_token(invite(school))
    with pytest.raises(services.ObservationError, match="telefoonnummers"):
        services.submit_observation(invitation=invitation, data=observation_input(
            general_notes="Bel moeder op 06-12345678"))


def test_pupil_notes_need_the_schools_permission_and_its_own_codes(make_school):
    school = make_school(pupil_notes=False)
    code = services.issue_pupil_codes(group=school.group, count=1, by=school.teacher)[0].code
    db.session.commit()
    note = services.PupilNoteInput(code=code, note="durft meer", score=4)
    invitation = queries.find_invitation_by_token(invite(school))
    with pytest.raises(services.ObservationError, match="geen notities"):
        services.submit_observation(invitation=invitation,
                                    data=observation_input(pupil_notes=[note]))
    allowing = make_school()
    invitation = queries.find_invitation_by_token(invite(allowing))
    with pytest.raises(services.ObservationError, match="leerlingcode"):
        # The code of another school's group is not a code of this group.
        services.submit_observation(invitation=invitation,
                                    data=observation_input(pupil_notes=[note]))


def test_pupil_codes_are_random_unique_and_limited(school):
    codes = services.issue_pupil_codes(group=school.group, count=30, by=school.teacher)
    assert len({c.code for c in codes}) == 30
    assert all(len(c.code) == services.CODE_LENGTH for c in codes)
    with pytest.raises(services.ObservationError, match="hooguit"):
        services.issue_pupil_codes(group=school.group, count=11, by=school.teacher)


def _observe_with_pupil_note(school, note_text: str = "durft meer") -> str:
    code = services.issue_pupil_codes(group=school.group, count=2, by=school.teacher)[0].code
    invitation = queries.find_invitation_by_token(invite(school))
    services.submit_observation(invitation=invitation, data=observation_input(
        pupil_notes=[services.PupilNoteInput(code=code, note=note_text, score=4)]))
    db.session.commit()
    return code


def test_erasing_a_pupil_code_removes_its_notes_and_the_code(school):
    code = _observe_with_pupil_note(school)
    erased = services.erase_pupil(group=school.group, code=code.lower(), by=school.coordinator)
    db.session.commit()
    assert erased == 1
    assert db.session.scalar(select(func.count()).select_from(PupilNote)) == 0
    assert queries.find_pupil_code(group_id=school.group.id, code=code) is None
    assert db.session.scalar(select(func.count()).select_from(Observation)) == 1
    actions = db.session.scalars(select(ObservationAuditEntry.action)).all()
    assert AuditAction.ERASE_PUPIL in actions


def test_purge_removes_groups_past_retention_and_is_idempotent(school, make_group):
    old_group = make_group(school.organisation, name="Groep 8", school_year="2023-2024")
    for group in (school.group, old_group):
        services.issue_pupil_codes(group=group, count=1, by=school.teacher)
        services.add_own_observation(group=group, data=observation_input(
            pupil_notes=[services.PupilNoteInput(
                code=queries.list_pupil_codes(group.id)[0].code, note="x", score=3)]),
            by=school.teacher)
    db.session.commit()
    # 2023-2024 ends 31 July 2024; two years later is 31 July 2026.
    assert services.purge_expired(today=date(2026, 7, 31)).observations == 0
    result = services.purge_expired(today=date(2026, 8, 1))
    db.session.commit()
    assert result.groups == [old_group.id]
    assert result.observations == 1 and result.pupil_codes == 1
    assert services.purge_expired(today=date(2026, 8, 1)).observations == 0
    remaining = db.session.scalars(select(Observation.group_id)).all()
    assert remaining == [school.group.id]
    assert db.session.scalar(select(func.count()).select_from(ObservationScore)) == 10
    assert db.session.scalar(select(func.count()).select_from(PupilNote)) == 1
    assert db.session.scalar(select(func.count()).select_from(PupilCode)) == 1


def test_purge_command_runs_from_the_cli(app, school, make_group):
    make_group(school.organisation, name="Oud", school_year="2019-2020")
    result = app.test_cli_runner().invoke(main, ["purge", "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Bewaartermijn verlopen" in result.output


def _raw_texts() -> list[str]:
    rows = db.session.execute(text(
        "SELECT general_notes_encrypted FROM observations UNION ALL "
        "SELECT remark_encrypted FROM observation_scores UNION ALL "
        "SELECT note_encrypted FROM pupil_notes")).scalars().all()
    return [row for row in rows if row]


def test_free_text_and_pupil_notes_are_encrypted_at_rest(app, school):
    code = services.issue_pupil_codes(group=school.group, count=1, by=school.teacher)[0].code
    invitation = queries.find_invitation_by_token(invite(school))
    data = observation_input(general_notes=f"algemeen {SENTINEL}", pupil_notes=[
        services.PupilNoteInput(code=code, note=f"leerling {SENTINEL}", score=3)])
    data = services.ObservationInput(
        observed_on=data.observed_on, general_notes=data.general_notes,
        pupil_notes=data.pupil_notes,
        scores=[services.ScoreInput(s.dimension, s.score, f"opmerking {SENTINEL}")
                for s in data.scores])
    services.submit_observation(invitation=invitation, data=data)
    db.session.commit()
    stored = _raw_texts()
    assert len(stored) == 12
    assert not any(SENTINEL in value for value in stored)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        db.session.remove()
        db.engine.dispose()  # everything written to the file, no connection holds pages
        path = Path(url.removeprefix("sqlite:///"))
        files = [f for f in (path, path.with_name(path.name + "-wal"),
                             path.with_name(path.name + "-journal")) if f.exists()]
        # The files hold the committed rows (in write-ahead-log mode perhaps still in the log):
        # the (unencrypted) observer name is in them, the sentinel in none.
        assert any(b"Tessa Theatermaker" in file.read_bytes() for file in files)
        for file in files:
            assert SENTINEL.encode() not in file.read_bytes(), file
    else:
        assert url.startswith("postgresql")  # the SELECT above read the raw columns
    read = queries.read_observation(db.session.scalar(select(Observation)))
    assert SENTINEL in read.general_notes
    assert all(SENTINEL in score.remark for score in read.scores)
    assert SENTINEL in read.pupil_notes[0].note


def test_rotate_key_reencrypts_every_row_with_the_newest_key(app, school):
    invitation = queries.find_invitation_by_token(invite(school))
    services.submit_observation(invitation=invitation, data=observation_input(
        general_notes="oud geheim"))
    db.session.commit()
    old_key = app.config["PUPIL_DATA_KEY"]
    new_key = Fernet.generate_key().decode()
    app.config["PUPIL_DATA_KEY"] = f"{new_key},{old_key}"
    try:
        result = app.test_cli_runner().invoke(main, ["observations", "rotate-key"])
        assert result.exit_code == 0, result.output
        assert "1 versleutelde tekst" in result.output
        token = db.session.execute(text(
            "SELECT general_notes_encrypted FROM observations")).scalar_one()
        assert Fernet(new_key.encode()).decrypt(token.encode()) == b"oud geheim"
        app.config["PUPIL_DATA_KEY"] = new_key  # the old key can go now
        db.session.expire_all()
        read = queries.read_observation(db.session.scalar(select(Observation)))
        assert read.general_notes == "oud geheim"
    finally:
        app.config["PUPIL_DATA_KEY"] = old_key


def test_curator_counts_cover_only_the_region_and_carry_no_content(school, make_school):
    invitation = queries.find_invitation_by_token(invite(school))
    services.submit_observation(invitation=invitation, data=observation_input())
    db.session.commit()
    counts = queries.region_counts([school.organisation.gemeente], now=utcnow())
    row = next(c for c in counts if c.school == school.organisation.name)
    assert (row.observations, row.groups_observed, row.open_invitations) == (1, 1, 0)
    assert queries.region_counts(["Maastricht"], now=utcnow()) == []
