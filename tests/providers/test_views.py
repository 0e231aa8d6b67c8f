"""Provider and curator pages: forms, suggestions, import/export, and scoping per route."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from matcher.accounts.models import User
from matcher.db import db
from matcher.engine import infer_interventions
from providers import spreadsheet
from providers.convert import fields_to_engine
from providers.models import Activity, ActivityDate, ActivityStatus, Provider
from tests.accounts.conftest import link_in, mails_to
from tests.conftest import TEST_PASSWORD
from tests.providers.test_importer import SAMPLE

S = ActivityStatus

FORM = {
    "title": "Zomertheaterweek", "format": "lessenreeks",
    "description": "Vijf ochtenden in de zomervakantie theater maken en samen een voorstelling "
                   "spelen voor ouders: een echte zomerschool.",
    "disciplines": ["theater"], "grades_po": ["5", "6"], "group_min": "10", "group_max": "30",
    "sessions": "5", "minutes_per_session": "90", "periods": ["zomervakantie"],
    "location": "op-locatie", "price_amount": "1250", "price_per": "groep",
    "competences": ["samenwerken"], "action": "save",
}


@pytest.fixture
def own(make_provider, make_staff, login):
    """A signed-in provider-staff member of their own provider."""
    provider = make_provider(name="Theater Eigen")
    staff = make_staff(provider)
    client = login(staff)
    return provider, staff, client


def test_sign_up_then_log_in(client):
    response = client.post("/aanbieders/aanmelden", data={
        "name": "Muziekschool Oost", "kind": "muziekschool", "gemeente": "Amsterdam",
        "whole_country": "y", "email": "info@oost.example.nl", "contact_name": "Olga Oost",
        "user_name": "Olga Oost", "user_email": "olga@oost.example.nl",
        "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    provider = db.session.scalar(select(Provider).where(Provider.name == "Muziekschool Oost"))
    assert provider.serves == ["*"] and not provider.approved
    # Before the link in the mail is followed, the right password does not log in.
    html = client.post("/inloggen", data={"email": "olga@oost.example.nl",
                                          "password": TEST_PASSWORD}).get_data(as_text=True)
    assert "Bevestig eerst uw e-mailadres" in html
    link = link_in(mails_to("olga@oost.example.nl")[-1])
    response = client.get(urlsplit(link).path)  # the link confirms and logs in
    assert response.status_code == 302
    page = client.get("/aanbieder").get_data(as_text=True)
    assert "Wacht op beoordeling" in page


def test_sign_up_errors_are_listed(client):
    response = client.post("/aanbieders/aanmelden", data={"name": "", "password": "kort"})
    assert response.status_code == 400
    assert "Controleer het formulier" in response.get_data(as_text=True)


def test_create_submit_and_get_approved(own, make_curator, client, login):
    provider, _staff, _client = own
    response = client.post("/aanbieder/activiteiten/nieuw",
                           data={**FORM, "confirmed_suggestions": ["zomerschool"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalar(select(Activity).where(Activity.provider_id == provider.id))
    assert activity.status == S.DRAFT
    assert activity.interventions == ["zomerschool"]
    assert activity.audience == [{"sector": "po", "grades": [5, 6]}]
    response = client.post(f"/aanbieder/activiteiten/{activity.id}/indienen")
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.status == S.SUBMITTED

    client.post("/uitloggen")
    curator = make_curator()
    login(curator)
    queue = client.get("/curator").get_data(as_text=True)
    assert "Zomertheaterweek" in queue
    review = client.get(f"/curator/activiteiten/{activity.id}").get_data(as_text=True)
    assert "Geclaimd door aanbieder" in review and "Zomer- of lentescholen" in review
    response = client.post(f"/curator/activiteiten/{activity.id}",
                           data={"decision": "goedkeuren", "verdict_zomerschool": "bevestigd"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(activity)
    assert activity.status == S.APPROVED
    assert activity.verified_interventions == ["zomerschool"]


def test_rejection_needs_a_reason_and_the_provider_reads_it(own, make_activity, make_curator,
                                                            client, login):
    provider, staff, _client = own
    activity = make_activity(provider, status=S.SUBMITTED)
    client.post("/uitloggen")
    curator = make_curator()
    login(curator)
    response = client.post(f"/curator/activiteiten/{activity.id}", data={"decision": "afwijzen"})
    assert response.status_code == 400
    assert "Kies een reden" in response.get_data(as_text=True)
    response = client.post(f"/curator/activiteiten/{activity.id}", data={
        "decision": "afwijzen", "reason": "prijs", "note": "Prijs per leerling graag."})
    assert response.status_code == 302
    client.post("/uitloggen")
    client.post("/inloggen", data={"email": staff.email, "password": TEST_PASSWORD})
    page = client.get(f"/aanbieder/activiteiten/{activity.id}").get_data(as_text=True)
    assert "Prijs per leerling graag." in page


def test_suggestion_button_rerenders_with_suggestions(own, client):
    response = client.post("/aanbieder/activiteiten/nieuw", data={**FORM, "action": "suggest"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="zomerschool"' in page and "zeker" in page
    assert db.session.scalar(select(Activity)) is None


def test_suggestion_json_for_the_script(own, client):
    response = client.post("/aanbieder/suggesties", data={
        "title": "Vakantieschool", "description": "Een week zomerschool in de zomervakantie.",
        "periods": ["zomervakantie"], "sessions": "5", "interventions": ["welbevinden"]})
    keys = [s["key"] for s in response.get_json()["suggestions"]]
    assert "zomerschool" in keys and "welbevinden" not in keys


def test_the_script_is_not_offered_a_link_the_engine_would_discount(own, client):
    """The text says zomerschool, but one afternoon in school time is no zomerschool: the
    raw reading of the text would suggest it, the judged links do not."""
    data = {"title": "Vakantieschool", "description": "Een week zomerschool in de zomervakantie.",
            "periods": ["schooltijd"], "sessions": "1"}
    response = client.post("/aanbieder/suggesties", data=data)
    assert "zomerschool" not in [s["key"] for s in response.get_json()["suggestions"]]
    raw = infer_interventions(fields_to_engine({**data, "sessions": 1}, provider_key="p"))
    assert "zomerschool" in [i.key for i in raw]


def test_editing_an_approved_activity_needs_review_again(own, make_activity, client):
    provider, _staff, _client = own
    activity = make_activity(provider, status=S.APPROVED)
    form = client.get(f"/aanbieder/activiteiten/{activity.id}/bewerken")
    assert form.status_code == 200 and "Zomertheaterweek" in form.get_data(as_text=True)
    response = client.post(f"/aanbieder/activiteiten/{activity.id}/bewerken",
                           data={**FORM, "interventions": ["zomerschool"],
                                 "grades_po": ["5", "6", "7", "8"], "price_amount": "1300"},
                           follow_redirects=True)
    assert "opnieuw" in response.get_data(as_text=True) or "curator" in \
        response.get_data(as_text=True)
    db.session.refresh(activity)
    assert activity.status == S.SUBMITTED


def test_duplicate_archive_and_dates(own, make_activity, client):
    provider, _staff, _client = own
    activity = make_activity(provider)
    response = client.post(f"/aanbieder/activiteiten/{activity.id}/dupliceren")
    assert response.status_code == 302
    assert len(db.session.scalars(select(Activity)).all()) == 2
    when = (datetime.now(UTC) + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/aanbieder/activiteiten/{activity.id}/data",
                           data={"starts_at": when, "capacity": "25"})
    assert response.status_code == 302
    date = db.session.scalar(select(ActivityDate))
    assert date.capacity == 25
    client.post(f"/aanbieder/activiteiten/{activity.id}/data/{date.id}/verwijderen")
    assert db.session.scalar(select(ActivityDate)) is None
    client.post(f"/aanbieder/activiteiten/{activity.id}/archiveren")
    db.session.refresh(activity)
    assert activity.status == S.ARCHIVED


def test_bulk_approve(make_provider, make_activity, make_curator, login):
    provider = make_provider()
    first = make_activity(provider, status=S.SUBMITTED)
    second = make_activity(provider, status=S.SUBMITTED, title="Tweede")
    client = login(make_curator())
    response = client.post("/curator/goedkeuren", data={"activity_ids": [first.id, second.id]})
    assert response.status_code == 302
    assert {a.status for a in db.session.scalars(select(Activity))} == {S.APPROVED}


def test_curator_approves_a_provider(make_provider, make_curator, login):
    provider = make_provider(approved=False)
    client = login(make_curator())
    assert provider.name in client.get("/curator").get_data(as_text=True)
    response = client.post(f"/curator/aanbieders/{provider.id}",
                           data={"decision": "afwijzen"})
    assert response.status_code == 400
    client.post(f"/curator/aanbieders/{provider.id}", data={"decision": "goedkeuren"})
    db.session.refresh(provider)
    assert provider.approved


# ------------------------------------------------------------------------- scoping


STAFF_ROUTES = [
    ("GET", "/aanbieder/activiteiten/{id}"),
    ("GET", "/aanbieder/activiteiten/{id}/bewerken"),
    ("POST", "/aanbieder/activiteiten/{id}/bewerken"),
    ("POST", "/aanbieder/activiteiten/{id}/indienen"),
    ("POST", "/aanbieder/activiteiten/{id}/terugzetten"),
    ("POST", "/aanbieder/activiteiten/{id}/archiveren"),
    ("POST", "/aanbieder/activiteiten/{id}/dupliceren"),
    ("POST", "/aanbieder/activiteiten/{id}/data"),
    ("POST", "/aanbieder/activiteiten/{id}/data/{date}/verwijderen"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_staff_of_another_provider_get_404(own, make_provider, make_activity, method, path):
    _provider, _staff, client = own
    other = make_activity(make_provider(name="Ander Theater"))
    date = ActivityDate(activity_id=other.id, capacity=5,
                        starts_at=datetime.now(UTC) + timedelta(days=3))
    db.session.add(date)
    db.session.commit()
    before = (other.status, other.title)
    response = client.open(path.format(id=other.id, date=date.id), method=method, data=FORM)
    assert response.status_code == 404
    db.session.refresh(other)
    assert (other.status, other.title) == before
    assert db.session.get(ActivityDate, date.id) is not None


CURATOR_ROUTES = [
    ("GET", "/aanbieder/activiteiten/{id}"),
    ("GET", "/curator/activiteiten/{id}"),
    ("POST", "/curator/activiteiten/{id}"),
    ("POST", "/aanbieder/activiteiten/{id}/archiveren"),
    ("GET", "/curator/aanbieders/{provider}"),
    ("POST", "/curator/aanbieders/{provider}"),
]


@pytest.mark.parametrize(("method", "path"), CURATOR_ROUTES)
def test_curator_outside_the_region_gets_404(make_provider, make_activity, make_curator, login,
                                             method, path):
    far = make_provider(gemeente="Groningen")
    activity = make_activity(far, status=S.SUBMITTED)
    client = login(make_curator(region=("Amsterdam",)))
    response = client.open(path.format(id=activity.id, provider=far.id), method=method,
                           data={"decision": "goedkeuren"})
    assert response.status_code == 404
    db.session.refresh(activity)
    assert activity.status == S.SUBMITTED


def test_bulk_approve_skips_activities_outside_the_region(make_provider, make_activity,
                                                         make_curator, login):
    far = make_activity(make_provider(gemeente="Groningen"), status=S.SUBMITTED)
    client = login(make_curator(region=("Amsterdam",)))
    assert far.title not in client.get("/curator").get_data(as_text=True)
    client.post("/curator/goedkeuren", data={"activity_ids": [far.id]})
    db.session.refresh(far)
    assert far.status == S.SUBMITTED


def test_national_providers_are_in_every_curators_queue(make_provider, make_activity,
                                                       make_curator, login):
    activity = make_activity(make_provider(gemeente="Utrecht", serves=["*"]),
                             status=S.SUBMITTED, title="Landelijk aanbod")
    client = login(make_curator(region=("Groningen",)))
    assert "Landelijk aanbod" in client.get("/curator").get_data(as_text=True)
    assert client.get(f"/curator/activiteiten/{activity.id}").status_code == 200


# ----------------------------------------------------------------- import and export


def upload(client, content: bytes, name: str):
    return client.post("/aanbieder/importeren",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def own_sample(provider: Provider) -> dict:
    activities = [dict(a, provider=provider.key) for a in SAMPLE["activities"][:3]]
    return {"format": SAMPLE["format"], "activities": activities}


def test_staff_upload_becomes_submitted(own, client):
    provider, _staff, _client = own
    response = upload(client, json.dumps(own_sample(provider)).encode(), "aanbod.json")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert {a.status for a in db.session.scalars(select(Activity))} == {S.SUBMITTED}


def test_curator_upload_is_approved(make_curator, login):
    client = login(make_curator(region=("Amsterdam", "Zaanstad")))
    document = {"format": SAMPLE["format"], "providers": SAMPLE["providers"][:1],
                "activities": [a for a in SAMPLE["activities"]
                               if a["provider"] == SAMPLE["providers"][0]["id"]]}
    response = upload(client, json.dumps(document).encode(), "aanbod.json")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert {a.status for a in db.session.scalars(select(Activity))} == {S.APPROVED}


def test_invalid_upload_lists_every_error_and_imports_nothing(own, client):
    provider, _staff, _client = own
    document = own_sample(provider)
    document["activities"][2]["sessions"] = 0
    document["activities"][0]["periods"] = ["nooit"]
    response = upload(client, json.dumps(document).encode(), "aanbod.json")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "$.activities[2].sessions" in page and "$.activities[0].periods[0]" in page
    assert db.session.scalar(select(Activity)) is None


def test_upload_of_the_wrong_kind_is_refused(own, client):
    response = upload(client, b"MZ", "virus.exe")
    assert response.status_code == 400
    assert ".json, .csv of .xlsx" in response.get_data(as_text=True)


def test_large_upload_runs_in_the_background_with_progress(own, client, app, monkeypatch):
    provider, _staff, _client = own
    monkeypatch.setitem(app.config, "PROVIDERS_SYNC_IMPORT_LIMIT", 2)
    response = upload(client, json.dumps(own_sample(provider)).encode(), "aanbod.json")
    assert response.status_code == 302
    status_url = response.headers["Location"]
    assert client.get(status_url).status_code == 200
    for _ in range(100):
        job = client.get(status_url + "?formaat=json").get_json()
        if job["state"] != "bezig":
            break
        time.sleep(0.05)
    assert job["state"] == "klaar", job
    assert job["done"] == job["total"] == 3
    db.session.expire_all()
    assert len(db.session.scalars(select(Activity)).all()) == 3


def test_someone_elses_job_is_not_found(own, client):
    assert client.get("/aanbieder/importeren/onbekend").status_code == 404


def test_export_holds_only_the_own_offer(own, make_provider, make_activity, client):
    provider, _staff, _client = own
    make_activity(provider, title="Van mij")
    make_activity(make_provider(name="Ander Theater"), status=S.APPROVED, title="Van een ander")
    response = client.get("/aanbieder/exporteren")
    document = json.loads(response.get_data(as_text=True))
    assert [p["id"] for p in document["providers"]] == [provider.key]
    assert [a["title"] for a in document["activities"]] == ["Van mij"]


def test_templates_download(own, client):
    xlsx = client.get("/aanbieder/sjabloon.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv_file = client.get("/aanbieder/sjabloon.csv")
    assert csv_file.get_data(as_text=True) == spreadsheet.template_csv()
    assert client.get("/aanbieder/sjabloon.pdf").status_code == 404


def test_staff_without_a_provider_see_an_explanation(make_user, login):
    from matcher.accounts.roles import Role

    user: User = make_user(role=Role.PROVIDER_STAFF)
    client = login(user)
    assert "nog niet als cultuuraanbieder" in client.get("/aanbieder").get_data(as_text=True)
    assert client.get("/aanbieder/activiteiten/nieuw").status_code == 404


TEAM_FORM = {
    **FORM, "title": "Teamscholing zingen in de klas", "format": "workshop",
    "description": "Een studiedag voor leerkrachten: u leert hoe u elke dag met uw groep zingt.",
    "periods": ["schooltijd"], "location": "op-school", "competences": [],
}


def test_the_form_asks_for_whom_and_shows_what_the_text_says(own, client):
    provider, _staff, _client = own
    page = client.get("/aanbieder/activiteiten/nieuw").get_data(as_text=True)
    assert "Voor wie" in page and "Het team: scholing voor leerkrachten" in page
    assert "Niet opgegeven — dan leest Cultuurmatch het uit de tekst" in page
    response = client.post("/aanbieder/activiteiten/nieuw",
                           data={**TEAM_FORM, "action": "suggest"})
    assert "Uit uw tekst leest Cultuurmatch nu: Het team: scholing voor leerkrachten" in \
        response.get_data(as_text=True)

    assert client.post("/aanbieder/activiteiten/nieuw", data=TEAM_FORM).status_code == 302
    activity = db.session.scalar(select(Activity).where(Activity.provider_id == provider.id))
    assert activity.participants is None and activity.participants_source is None
    assert activity.participants_read == "team"
    page = client.get(f"/aanbieder/activiteiten/{activity.id}").get_data(as_text=True)
    assert "Het team: scholing voor leerkrachten" in page
    assert "Gelezen uit de tekst: die noemt" in page
    assert "(uit de tekst)" in client.get("/aanbieder").get_data(as_text=True)

    client.post(f"/aanbieder/activiteiten/{activity.id}/bewerken",
                data={**TEAM_FORM, "participants": "leerlingen-en-ouders"})
    db.session.refresh(activity)
    assert activity.participants == "leerlingen-en-ouders"
    assert activity.participants_source.value == "aanbieder"
    page = client.get(f"/aanbieder/activiteiten/{activity.id}").get_data(as_text=True)
    assert "Leerlingen samen met hun ouders" in page and "Opgegeven door de aanbieder" in page
    edit = client.get(f"/aanbieder/activiteiten/{activity.id}/bewerken").get_data(as_text=True)
    assert 'checked id="participants-2"' in edit

    client.post(f"/aanbieder/activiteiten/{activity.id}/bewerken",
                data={**TEAM_FORM, "participants": ""})
    db.session.refresh(activity)
    assert activity.participants is None and activity.participants_source is None


def test_an_unknown_participants_value_is_refused(own, client):
    response = client.post("/aanbieder/activiteiten/nieuw",
                           data={**TEAM_FORM, "participants": "directie"})
    assert response.status_code == 400
    assert db.session.scalar(select(Activity)) is None


def test_curator_confirms_or_chooses_who_takes_part_in_one_click(make_provider, make_activity,
                                                                make_curator, login):
    activity = make_activity(make_provider(), status=S.SUBMITTED,
                             title=TEAM_FORM["title"], description=TEAM_FORM["description"])
    curator = make_curator()
    client = login(curator)
    review = client.get(f"/curator/activiteiten/{activity.id}").get_data(as_text=True)
    assert "Uit de tekst gelezen" in review and "Gelezen uit de tekst: die noemt" in review
    assert "Bevestigen: Het team: scholing voor leerkrachten" in review
    assert "Wijzigen in: Leerlingen samen met hun ouders" in review

    response = client.post(f"/curator/activiteiten/{activity.id}/voor-wie",
                           data={"participants": "team"})
    assert response.status_code == 302
    db.session.refresh(activity)
    assert (activity.participants, activity.participants_source.value) == ("team", "curator")
    assert activity.participants_decided_by_id == curator.id
    assert activity.participants_decided_at is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vastgelegd" in page and "Bevestigd door de curator" in page and curator.name in page

    client.post(f"/curator/activiteiten/{activity.id}/voor-wie",
                data={"participants": "leerlingen"})
    db.session.refresh(activity)
    assert (activity.participants, activity.participants_source.value) == ("leerlingen",
                                                                           "curator")
    assert activity.participants_read == "team"  # the reading stays what the text says
    response = client.post(f"/curator/activiteiten/{activity.id}/voor-wie",
                           data={"participants": "ouders"}, follow_redirects=True)
    assert "Kies leerlingen, het team of leerlingen samen met hun ouders." in \
        response.get_data(as_text=True)
    db.session.refresh(activity)
    assert activity.participants == "leerlingen"


def test_curator_outside_the_region_cannot_decide(make_provider, make_activity, make_curator,
                                                  login):
    activity = make_activity(make_provider(gemeente="Groningen"), status=S.SUBMITTED)
    client = login(make_curator(region=("Amsterdam",)))
    response = client.post(f"/curator/activiteiten/{activity.id}/voor-wie",
                           data={"participants": "team"})
    assert response.status_code == 404
    db.session.refresh(activity)
    assert activity.participants is None
