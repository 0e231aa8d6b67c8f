"""Imports: idempotent upserts, all or nothing, scope per role, spreadsheets with places."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from matcher.db import db
from providers import spreadsheet
from providers.importer import ImportRejected, import_offers, read_offers, validate
from providers.models import Activity, ActivityStatus, ActivityStatusChange, Provider

SAMPLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "samples"
                     / "offers.json").read_text())
S = ActivityStatus


def as_file(document: dict) -> bytes:
    return json.dumps(document).encode()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def latest_changes() -> tuple:
    return (db.session.scalar(select(func.max(Activity.updated_at))),
            db.session.scalar(select(func.max(Provider.updated_at))))


def run_import(document: dict, *, by=None, status=S.APPROVED, **options):
    offers = read_offers(as_file(document), "aanbod.json")
    summary = import_offers(offers=offers, by=by, status=status,
                            approve_providers=by is None or by.role != "aanbieder", **options)
    db.session.commit()
    return summary


def test_import_creates_approved_offers_and_twice_changes_nothing():
    first = run_import(SAMPLE)
    assert first.created == len(SAMPLE["activities"])
    assert first.providers_created == len(SAMPLE["providers"])
    assert {a.status for a in db.session.scalars(select(Activity))} == {S.APPROVED}
    assert all(p.approved for p in db.session.scalars(select(Provider)))
    marks = latest_changes()
    changes = count(ActivityStatusChange)

    second = run_import(SAMPLE)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(SAMPLE["activities"]))
    assert second.providers_updated == 0
    assert latest_changes() == marks
    assert count(ActivityStatusChange) == changes


def test_import_updates_by_id():
    run_import(SAMPLE)
    changed = copy.deepcopy(SAMPLE)
    changed["activities"][0]["title"] = "Nieuwe titel"
    summary = run_import(changed)
    assert (summary.created, summary.updated) == (0, 1)
    key = changed["activities"][0]["id"]
    assert db.session.scalar(select(Activity.title).where(Activity.key == key)) == "Nieuwe titel"


def test_an_invalid_row_at_the_end_imports_nothing():
    broken = copy.deepcopy(SAMPLE)
    last = len(broken["activities"]) - 1
    broken["activities"][last]["group_size"] = {"min": 40, "max": 20}
    broken["activities"][last]["format"] = "dansfeest"
    with pytest.raises(ImportRejected) as error:
        read_offers(as_file(broken), "aanbod.json")
    places = [issue.place for issue in error.value.issues]
    assert f"$.activities[{last}].group_size.min" in places
    assert f"$.activities[{last}].format" in places
    assert all(issue.message for issue in error.value.issues)
    assert count(Activity) == 0


def test_a_failure_halfway_leaves_the_database_as_it_was(make_provider, make_activity):
    other = make_provider(name="Ander Theater")
    make_activity(other, status=S.APPROVED)
    taken = db.session.scalar(select(Activity.key))
    document = copy.deepcopy(SAMPLE)
    # The last activity uses an id that belongs to another provider: found while writing.
    document["activities"][-1]["id"] = taken
    offers = read_offers(as_file(document), "aanbod.json")
    with pytest.raises(ImportRejected) as error:
        import_offers(offers=offers, by=None, status=S.APPROVED, approve_providers=True,
                      batch_size=3)
    db.session.rollback()
    assert [i.place for i in error.value.issues] == [
        f"$.activities[{len(document['activities']) - 1}].id"]
    assert count(Activity) == 1
    assert count(Provider) == 1


def test_progress_is_reported_per_batch():
    seen = []
    run_import(SAMPLE, progress=seen.append, batch_size=5)
    total = len(SAMPLE["activities"])
    assert seen == [*range(5, total, 5), total]


def test_provider_staff_import_only_their_own_offer(make_provider, make_staff):
    provider = make_provider(name="Jeugdtheater aan het IJ")
    provider.key = "jeugdtheater-ij"
    db.session.commit()
    staff = make_staff(provider)
    with pytest.raises(ImportRejected) as error:
        run_import(SAMPLE, by=staff, status=S.SUBMITTED)
    assert any("eigen organisatie" in issue.message for issue in error.value.issues)
    db.session.rollback()

    own = {"format": SAMPLE["format"], "providers": [],
           "activities": [a for a in SAMPLE["activities"] if a["provider"] == "jeugdtheater-ij"]}
    summary = run_import(own, by=staff, status=S.SUBMITTED)
    assert summary.created == len(own["activities"])
    assert {a.status for a in db.session.scalars(select(Activity))} == {S.SUBMITTED}


def test_staff_reimport_of_a_changed_approved_activity_goes_to_review(make_provider,
                                                                     make_staff):
    run_import(SAMPLE)
    provider = db.session.scalar(select(Provider).where(Provider.key == "sanne-dans"))
    from matcher.accounts.roles import OrganisationKind
    from matcher.accounts.services import create_organisation
    provider.organisation = create_organisation(kind=OrganisationKind.PROVIDER,
                                                name=provider.name)
    db.session.commit()
    staff = make_staff(provider)
    own = {"format": SAMPLE["format"],
           "activities": [copy.deepcopy(a) for a in SAMPLE["activities"]
                          if a["provider"] == "sanne-dans"]}
    own["activities"][0]["sessions"] += 1
    summary = run_import(own, by=staff, status=S.SUBMITTED)
    assert summary.updated == 1
    statuses = dict(db.session.execute(select(Activity.key, Activity.status).where(
        Activity.provider_id == provider.id)).all())
    assert statuses[own["activities"][0]["id"]] == S.SUBMITTED
    assert list(statuses.values()).count(S.APPROVED) == len(own["activities"]) - 1


def test_curator_imports_only_for_their_region(make_curator):
    curator = make_curator(region=("Amsterdam",))
    with pytest.raises(ImportRejected) as error:
        run_import(SAMPLE, by=curator)
    places = {issue.place for issue in error.value.issues}
    assert "$.providers[1].serves" in places  # Cultuurpunt Groningen
    assert "$.providers[0].serves" not in places  # Amsterdam


# ------------------------------------------------------------- bulk writes and the log


def log_rows(key: str) -> list[ActivityStatusChange]:
    return list(db.session.scalars(select(ActivityStatusChange).join(Activity).where(
        Activity.key == key).order_by(ActivityStatusChange.id)))


def by_key(key: str) -> Activity:
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_every_new_activity_gets_one_log_row_as_change_status_writes_it():
    run_import(SAMPLE, batch_size=5)
    assert count(ActivityStatusChange) == len(SAMPLE["activities"])
    for document in SAMPLE["activities"]:
        activity = by_key(document["id"])
        [change] = log_rows(document["id"])
        assert (change.from_status, change.to_status, change.by_id) == (None, S.APPROVED, None)
        assert (change.reason, change.note) == (None, "")
        # Approving stores the reviewer's time on the activity, the moment of the log row.
        assert activity.reviewed_at == change.at == activity.created_at == activity.updated_at
        assert activity.reviewed_by_id is None and activity.review_reason is None
        assert (activity.verified_interventions, activity.dropped_interventions,
                activity.review_note) == ([], [], "")
        assert activity.provider.key == document["provider"]


def test_staff_import_logs_the_staff_member_and_leaves_no_reviewer(make_provider, make_staff):
    provider = make_provider(name="Jeugdtheater aan het IJ")
    provider.key = "jeugdtheater-ij"
    db.session.commit()
    staff = make_staff(provider)
    own = {"format": SAMPLE["format"], "providers": [],
           "activities": [a for a in SAMPLE["activities"] if a["provider"] == "jeugdtheater-ij"]}
    run_import(own, by=staff, status=S.SUBMITTED, batch_size=2)
    for document in own["activities"]:
        [change] = log_rows(document["id"])
        assert (change.from_status, change.to_status, change.by_id) == (None, S.SUBMITTED,
                                                                        staff.id)
        activity = by_key(document["id"])
        assert activity.reviewed_at is None and activity.reviewed_by_id is None


def test_a_change_updates_only_that_row_and_only_its_changed_fields(make_curator):
    run_import(SAMPLE)
    first, second = SAMPLE["activities"][0]["id"], SAMPLE["activities"][1]["id"]
    # A curator's verdict and a status set outside the file: an import must keep them.
    activity = by_key(first)
    activity.verified_interventions = ["welbevinden"]
    activity.status = S.SUBMITTED
    db.session.commit()
    before = {a.key: (a.updated_at, a.title, a.description) for a in
              db.session.scalars(select(Activity))}

    changed = copy.deepcopy(SAMPLE)
    changed["activities"][0]["title"] = "Nieuwe titel"
    changed["activities"][1]["price"]["amount"] += 10
    summary = run_import(changed, batch_size=4)
    assert (summary.created, summary.updated, summary.unchanged) == (
        0, 2, len(SAMPLE["activities"]) - 2)

    activity = by_key(first)
    assert activity.title == "Nieuwe titel"
    assert activity.description == before[first][2]
    assert activity.verified_interventions == ["welbevinden"]
    assert activity.updated_at > before[first][0]
    # The changed, submitted activity is approved again by the operator's import, and logged.
    assert activity.status == S.APPROVED
    change = log_rows(first)[-1]
    assert (change.from_status, change.to_status, change.note) == (
        S.SUBMITTED, S.APPROVED, "Gewijzigd door import")
    assert activity.reviewed_at == change.at == activity.updated_at
    # An approved activity that changed stays approved without a log row of its own.
    assert float(by_key(second).price_amount) == SAMPLE["activities"][1]["price"]["amount"] + 10
    assert len(log_rows(second)) == 1
    untouched = {a.key: a.updated_at for a in db.session.scalars(select(Activity))
                 if a.key not in (first, second)}
    assert untouched == {key: marks[0] for key, marks in before.items()
                         if key not in (first, second)}


def test_staff_change_of_an_approved_activity_is_logged_as_back_to_review(make_staff):
    run_import(SAMPLE)
    provider = db.session.scalar(select(Provider).where(Provider.key == "sanne-dans"))
    from matcher.accounts.roles import OrganisationKind
    from matcher.accounts.services import create_organisation
    provider.organisation = create_organisation(kind=OrganisationKind.PROVIDER,
                                                name=provider.name)
    db.session.commit()
    staff = make_staff(provider)
    own = {"format": SAMPLE["format"],
           "activities": [copy.deepcopy(a) for a in SAMPLE["activities"]
                          if a["provider"] == "sanne-dans"]}
    own["activities"][0]["sessions"] += 1
    own["activities"][0]["title"] = "Andere titel"
    run_import(own, by=staff, status=S.SUBMITTED)
    [_created, change] = log_rows(own["activities"][0]["id"])
    assert (change.from_status, change.to_status, change.by_id) == (S.APPROVED, S.SUBMITTED,
                                                                    staff.id)
    assert change.note == "Gewijzigd na goedkeuring: title, sessions"


def test_activities_already_in_the_session_see_the_bulk_update():
    run_import(SAMPLE)
    activity = by_key(SAMPLE["activities"][0]["id"])
    assert activity.title != "Nieuwe titel"
    changed = copy.deepcopy(SAMPLE)
    changed["activities"][0]["title"] = "Nieuwe titel"
    offers = read_offers(as_file(changed), "aanbod.json")
    import_offers(offers=offers, by=None, status=S.APPROVED, approve_providers=True)
    assert activity.title == "Nieuwe titel"
    db.session.rollback()


def test_ids_of_other_providers_are_all_reported_across_batches(make_provider, make_activity):
    other = make_provider(name="Ander Theater")
    taken = [make_activity(other, status=S.APPROVED, title=f"Stuk {n}").key for n in (1, 2)]
    document = copy.deepcopy(SAMPLE)
    document["activities"][1]["id"] = taken[0]
    document["activities"][-1]["id"] = taken[1]
    offers = read_offers(as_file(document), "aanbod.json")
    with pytest.raises(ImportRejected) as error:
        import_offers(offers=offers, by=None, status=S.APPROVED, approve_providers=True,
                      batch_size=3)
    db.session.rollback()
    last = len(document["activities"]) - 1
    assert [i.place for i in error.value.issues] == ["$.activities[1].id",
                                                     f"$.activities[{last}].id"]
    assert all("andere aanbieder" in i.message for i in error.value.issues)
    assert (count(Activity), count(ActivityStatusChange), count(Provider)) == (2, 2, 1)
    assert {a.key for a in db.session.scalars(select(Activity))} == set(taken)


def test_a_database_error_while_writing_leaves_nothing_behind(monkeypatch):
    from providers import services

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "log_status_changes", broken)
    offers = read_offers(as_file(SAMPLE), "aanbod.json")
    with pytest.raises(RuntimeError):
        import_offers(offers=offers, by=None, status=S.APPROVED, approve_providers=True,
                      batch_size=5)
    db.session.rollback()
    assert (count(Activity), count(Provider), count(ActivityStatusChange)) == (0, 0, 0)


def test_bulk_log_shares_the_rules_of_change_status(make_provider, make_activity,
                                                    make_staff):
    from providers import services

    provider = make_provider()
    staff = make_staff(provider)
    activity = make_activity(provider, status=S.SUBMITTED)
    moves = [services.StatusMove(activity.id, S.SUBMITTED, S.APPROVED)]
    # Staff may not approve, in bulk as one by one; nothing is logged.
    with pytest.raises(services.ProviderError, match="niet toegestaan"):
        services.log_status_changes(moves, by=staff)
    with pytest.raises(services.ProviderError, match="niet toegestaan"):
        services.change_status(activity=activity, to=S.APPROVED, by=staff)
    with pytest.raises(services.ProviderError, match="reden"):
        services.log_status_changes(
            [services.StatusMove(activity.id, S.SUBMITTED, S.REJECTED)], by=None)
    ids = select(Activity.id).where(Activity.id == activity.id)
    with pytest.raises(services.ProviderError, match="niet toegestaan"):
        services.log_status_change_for(ids, current=S.SUBMITTED, to=S.APPROVED, by=staff)
    db.session.rollback()
    assert len(log_rows(activity.key)) == 1
    assert services.log_status_changes(moves, by=None) == 1
    change = log_rows(activity.key)[-1]
    assert (change.from_status, change.to_status, change.by_id, change.note) == (
        S.SUBMITTED, S.APPROVED, None, "")
    # The same move for many at once: the same row, by INSERT ... SELECT.
    services.log_status_change_for(ids, current=S.APPROVED, to=S.REJECTED, by=None,
                                   reason="overig", note=" Dubbel ingevoerd ")
    assert len(log_rows(activity.key)) == 3
    change = log_rows(activity.key)[-1]
    assert (change.from_status, change.to_status, change.by_id, change.reason,
            change.note) == (S.APPROVED, S.REJECTED, None, "overig", "Dubbel ingevoerd")


def test_reading_and_importing_leave_the_garbage_collector_as_they_found_it():
    import gc

    assert gc.isenabled()
    run_import(SAMPLE)
    with pytest.raises(ImportRejected):
        read_offers(b"{}", "aanbod.json")
    assert gc.isenabled()
    gc.disable()
    try:
        run_import(SAMPLE)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --------------------------------------------------------------------- spreadsheets


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def test_the_xlsx_template_imports_as_it_is():
    offers = read_offers(spreadsheet.template_xlsx(), "sjabloon.xlsx")
    assert [p.key for p in offers.providers] == ["hofplein"]
    [activity] = offers.activities
    assert activity.audience[0].grades == (5, 6, 7, 8)
    assert activity.competences == ("samenwerken", "zelfvertrouwen")
    workbook = load_workbook(io.BytesIO(spreadsheet.template_xlsx()))
    assert "uitleg" in workbook.sheetnames


def test_csv_template_has_every_column():
    header = spreadsheet.template_csv().splitlines()[0].split(";")
    assert header == [c.name for c in spreadsheet.ACTIVITY_COLUMNS]


def test_csv_import_with_semicolons_and_dutch_amounts():
    run_import(SAMPLE)
    rows = [[c.name for c in spreadsheet.ACTIVITY_COLUMNS],
            ["ij-nieuw", "jeugdtheater-ij", "Nieuw stuk", "Theater over vriendschap.",
             "theater, dans", "voorstelling", "po:5-8; so:4", "10", "30", "1", "60",
             "schooltijd", "op-school", "1.250,50", "groep", "", "samenwerken"]]
    offers = read_offers(csv_bytes(rows), "aanbod.csv")
    [activity] = offers.activities
    assert activity.price_amount == 1250.5
    assert activity.disciplines == ("theater", "dans")
    assert [(a.sector, a.grades) for a in activity.audience] == [("po", (5, 6, 7, 8)),
                                                                 ("so", (4,))]


def test_spreadsheet_errors_name_row_and_column():
    header = [c.name for c in spreadsheet.ACTIVITY_COLUMNS]
    good = ["a-1", "onbekend", "Titel", "Tekst.", "theater", "workshop", "po:5", "10", "30",
            "1", "60", "schooltijd", "op-school", "100", "groep", "", ""]
    bad = list(good)
    bad[0], bad[5], bad[8], bad[13] = "a-2", "dansfeest", "veel", "duur"
    with pytest.raises(ImportRejected) as error:
        read_offers(csv_bytes([header, good, bad]), "aanbod.csv")
    places = {issue.place: issue.message for issue in error.value.issues}
    assert "activiteiten, rij 3, kolom I (group_size.max)" in places
    assert "geen geheel getal" in places["activiteiten, rij 3, kolom I (group_size.max)"]
    assert "activiteiten, rij 3, kolom N (price.amount)" in places

    # Cell errors fixed: now the validator's errors come back with their cells.
    bad[8], bad[13] = "30", "100"
    with pytest.raises(ImportRejected) as error:
        read_offers(csv_bytes([header, good, bad]), "aanbod.csv")
    places = {issue.place: issue.message for issue in error.value.issues}
    assert "activiteiten, rij 3, kolom F (format)" in places
    assert "dansfeest" in places["activiteiten, rij 3, kolom F (format)"]
    assert "activiteiten, rij 2, kolom B (provider)" in places


def test_unknown_and_missing_columns():
    with pytest.raises(ImportRejected) as error:
        read_offers(csv_bytes([["id", "titel"], ["a", "b"]]), "aanbod.csv")
    messages = [str(issue) for issue in error.value.issues]
    assert any("Onbekende kolom 'titel'" in m for m in messages)
    assert any("De kolom 'title' ontbreekt" in m for m in messages)


def test_a_broken_xlsx_and_a_wrong_extension():
    with pytest.raises(ImportRejected, match="1 fout"):
        read_offers(b"geen excel", "aanbod.xlsx")
    with pytest.raises(ImportRejected):
        read_offers(b"{}", "aanbod.txt")


def test_validate_reports_json_paths_for_a_bad_document():
    with pytest.raises(ImportRejected) as error:
        validate({"format": "iets-anders", "activities": [{"id": "X"}]})
    places = [issue.place for issue in error.value.issues]
    assert "$.format" in places and "$.activities[0].id" in places


def _row(key: str) -> Activity:
    db.session.expire_all()
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_a_given_participants_value_is_stored_as_the_providers(make_curator):
    document = copy.deepcopy(SAMPLE)
    document["activities"][0]["participants"] = "team"
    run_import(document)
    row = _row(document["activities"][0]["id"])
    assert row.participants == "team" and row.participants_source.value == "aanbieder"
    # The reading stays what the text says (a holiday theatre week for pupils).
    assert row.participants_read == "leerlingen"
    assert row.effective_participants == "team" and row.participants_origin == "aanbieder"


def test_an_import_without_participants_keeps_the_curators_decision(make_curator):
    from providers import services

    run_import(SAMPLE)
    key = SAMPLE["activities"][0]["id"]
    curator = make_curator()
    services.decide_participants(activity=_row(key), value="leerlingen", by=curator)
    db.session.commit()

    summary = run_import(SAMPLE)
    assert summary.updated == 0
    row = _row(key)
    assert (row.participants, row.participants_source.value) == ("leerlingen", "curator")
    assert row.participants_decided_by_id == curator.id

    changed = copy.deepcopy(SAMPLE)
    changed["activities"][0]["participants"] = "leerlingen-en-ouders"
    assert run_import(changed).updated == 1
    row = _row(key)
    assert (row.participants, row.participants_source.value) == ("leerlingen-en-ouders",
                                                                 "aanbieder")
    assert row.participants_decided_by_id is None and row.participants_decided_at is None


def test_the_text_is_read_again_when_an_import_changes_it():
    run_import(SAMPLE)
    key = SAMPLE["activities"][0]["id"]
    assert _row(key).participants_read == "leerlingen"
    changed = copy.deepcopy(SAMPLE)
    changed["activities"][0].update(
        title="Teamscholing theater in de klas",
        description="Een studiedag voor leerkrachten: u leert spelen met uw groep.")
    assert run_import(changed).updated == 1
    row = _row(key)
    assert row.participants_read == "team" and row.participants is None
    assert row.effective_participants == "team" and row.participants_origin == "tekst"


def _participants_csv(value: str) -> bytes:
    header = [c.name for c in spreadsheet.ACTIVITY_COLUMNS]
    row = ["a-1", "jeugdtheater-ij", "Teamscholing theater in de klas",
           "Een studiedag voor leerkrachten.", "theater", "workshop", "po:5-8", "8", "30", "1",
           "180", "schooltijd", "op-school", "450", "groep", "", "", value]
    return csv_bytes([header, row])


def test_spreadsheet_participants_column():
    run_import(SAMPLE)
    [activity] = read_offers(_participants_csv("Team"), "aanbod.csv").activities
    assert activity.participants == "team"
    [activity] = read_offers(_participants_csv(""), "aanbod.csv").activities
    assert activity.participants is None
    with pytest.raises(ImportRejected) as error:
        read_offers(_participants_csv("docenten"), "aanbod.csv")
    places = {issue.place: issue.message for issue in error.value.issues}
    assert places == {"activiteiten, rij 2, kolom R (participants)": (
        "Onbekende waarde 'docenten' voor wie er meedoet; kies uit leerlingen, team, "
        "leerlingen-en-ouders.")}


def test_the_templates_explain_the_participants_column():
    workbook = load_workbook(io.BytesIO(spreadsheet.template_xlsx()))
    explained = {row[1].value: row[3].value for row in workbook["uitleg"].iter_rows(min_row=2)
                 if row[0].value == "activiteiten"}
    assert "leerlingen-en-ouders" in explained["participants"]
    assert "participants" in spreadsheet.template_csv().splitlines()[0].split(";")
