"""The curator's queue of doubtful links, the engine's notes on claims, and the explanation of
an empty match."""

from __future__ import annotations

import io
import json
import re

import pytest

from matcher.accounts.roles import Role
from matcher.db import db
from providers import links, services
from providers.models import Activity, ActivityStatus
from tests.providers.conftest import activity_fields

S = ActivityStatus
QUEUE = "/curator/koppelingen"
# One afternoon in school time is no zomerschool: the claim does not count.
WRONG_CLAIM = {"interventions": ["zomerschool"], "periods": ["schooltijd"]}
# Nobody claims it, but a weekly choir after school is extra time.
CHOIR = {"title": "Kinderkoor na schooltijd", "interventions": [], "periods": ["naschools"],
         "description": "Elke week zingen we samen na schooltijd.", "sessions": 10,
         "disciplines": ["muziek"], "format": "naschools-programma"}
MATCH = "/matchen?sector=po&gemeente=Amsterdam&grades=5&pupils=25&interventions="
WRONG_REASON = "Een zomer- of lenteschool vindt plaats in de zomer-, mei- of voorjaarsvakantie"


@pytest.fixture(autouse=True)
def _fresh_catalogue(app):
    app.extensions["catalogue_cache"].clear()


@pytest.fixture
def amsterdam(make_provider):
    return make_provider(name="Theater Amsterdam")


def add_activities(provider, count: int, **changes) -> list[Activity]:
    """`count` approved activities, titled apart, in one commit."""
    title = changes.pop("title", "Theatermiddag")
    made = [services.create_activity(provider=provider, by=None, status=S.APPROVED,
                                     fields=activity_fields(title=f"{title} {n}", **changes))
            for n in range(1, count + 1)]
    db.session.commit()
    return made


def rows(html: str) -> int:
    return html.count('name="verdict" value="bevestigd"')


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/curator/activiteiten/\d+">([^<]+)</a></td>', html)


def test_the_queue_lists_claims_then_suggestions_with_their_reasons(amsterdam, make_curator,
                                                                     login):
    wrong, = add_activities(amsterdam, 1, **WRONG_CLAIM)
    add_activities(amsterdam, 1, **CHOIR)
    html = login(make_curator()).get(QUEUE).get_data(as_text=True)
    assert "2 koppelingen om te beoordelen" in html
    assert titles(html) == ["Theatermiddag 1", "Kinderkoor na schooltijd 1"]
    claim, suggestion = html.split("Claim die niet klopt")[1].split("Voorgestelde koppeling")
    assert "Zomer- of lentescholen" in claim and WRONG_REASON in claim
    assert "Theater Amsterdam" in claim
    assert "Uitbreiding onderwijstijd" in suggestion
    assert "Niet geclaimd, maar de tekst noemt" in suggestion
    assert f'href="/curator/activiteiten/{wrong.id}"' in html
    assert "Koppeling bevestigen" in html and "Koppeling laten vallen" in html


def test_the_queue_is_linked_from_the_navigation_and_the_dashboard(make_curator, login):
    client = login(make_curator())
    for page in ("/overzicht", "/curator"):
        assert f'href="{QUEUE}"' in client.get(page).get_data(as_text=True)


def test_an_empty_queue_says_so_in_dutch(amsterdam, make_curator, login):
    add_activities(amsterdam, 1)  # a zomerschool in the summer holiday: the claim holds
    html = login(make_curator()).get(QUEUE).get_data(as_text=True)
    assert "Geen twijfelachtige koppelingen: Cultuurmatch telt elke claim" in html
    html = login(make_curator()).get(f"{QUEUE}?kind=claim&intervention=welbevinden")
    assert "Geen twijfelachtige koppelingen met dit filter" in html.get_data(as_text=True)


def test_paging_50_a_page_and_the_filters(amsterdam, make_curator, login):
    add_activities(amsterdam, 60, **WRONG_CLAIM)
    add_activities(amsterdam, 15, **CHOIR)
    client = login(make_curator())
    first = client.get(QUEUE).get_data(as_text=True)
    assert rows(first) == 50 and "75 koppelingen" in first and "Pagina 1 van 2" in first
    second = client.get(f"{QUEUE}?page=2").get_data(as_text=True)
    assert rows(second) == 25 and "Pagina 2 van 2" in second
    assert not set(titles(first)) & set(titles(second))
    # A page past the end shows the last one.
    assert titles(client.get(f"{QUEUE}?page=9").get_data(as_text=True)) == titles(second)

    suggestions = client.get(f"{QUEUE}?kind=suggestion").get_data(as_text=True)
    assert rows(suggestions) == 15 and "Claim die niet klopt</td>" not in suggestions
    claims = client.get(f"{QUEUE}?kind=claim&intervention=zomerschool&page=2")
    html = claims.get_data(as_text=True)
    assert rows(html) == 10 and "Voorgestelde koppeling</td>" not in html
    # The paging links keep the filters.
    assert "kind=claim" in html and "intervention=zomerschool" in html and "page=1" in html
    assert rows(client.get(f"{QUEUE}?intervention=welbevinden").get_data(as_text=True)) == 0
    assert client.get(f"{QUEUE}?kind=alles").status_code == 400


def test_a_curator_sees_the_region_and_an_administrator_everything(make_provider, make_curator,
                                                                    make_user, login, client):
    add_activities(make_provider(name="Theater Amsterdam"), 1, title="Hier", **WRONG_CLAIM)
    add_activities(make_provider(name="Theater Utrecht", gemeente="Utrecht"), 1, title="Daar",
                   **WRONG_CLAIM)
    assert titles(login(make_curator()).get(QUEUE).get_data(as_text=True)) == ["Hier 1"]
    client.post("/uitloggen")
    assert titles(login(make_user(role=Role.ADMINISTRATOR)).get(QUEUE).get_data(
        as_text=True)) == ["Hier 1", "Daar 1"]  # by activity key


def test_confirming_a_claim_in_one_click_removes_the_row_and_changes_the_match(
        amsterdam, make_curator, login):
    wrong, = add_activities(amsterdam, 1, **WRONG_CLAIM)
    add_activities(amsterdam, 1, **CHOIR)
    client = login(make_curator())
    before = client.get(MATCH + "zomerschool").get_data(as_text=True)
    assert "0 passende activiteiten" in before

    response = client.post(f"{QUEUE}/{wrong.id}/zomerschool?kind=claim&page=1",
                           data={"verdict": "bevestigd"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{QUEUE}?kind=claim&page=1")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Koppeling bevestigd: &#39;Theatermiddag 1&#39; vult Zomer- of lentescholen." in html
    assert titles(html) == [] and "met dit filter" in html
    db.session.refresh(wrong)
    assert wrong.verified_interventions == ["zomerschool"]
    after = client.get(MATCH + "zomerschool").get_data(as_text=True)
    assert "1 passende activiteit" in after and "Theatermiddag 1" in after


def test_dropping_a_suggestion_removes_it_from_the_match_and_a_reimport_keeps_it(
        amsterdam, make_curator, login):
    choir, = add_activities(amsterdam, 1, **CHOIR)
    client = login(make_curator())
    assert "Kinderkoor" in client.get(MATCH + "uitbreiding-onderwijstijd").get_data(
        as_text=True)
    response = client.post(f"{QUEUE}/{choir.id}/uitbreiding-onderwijstijd",
                           data={"verdict": "geschrapt"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Koppeling laten vallen" in html and "telt niet meer voor" in html
    assert titles(html) == []
    db.session.refresh(choir)
    assert choir.dropped_interventions == ["uitbreiding-onderwijstijd"]
    assert "Kinderkoor" not in client.get(MATCH + "uitbreiding-onderwijstijd").get_data(
        as_text=True)

    # The offer comes in again, changed: the curator's decision stays, the row stays away.
    document = client.get("/aanbieder/exporteren").get_json()
    document["activities"][0]["description"] += " Iedereen mag meedoen."
    upload = {"file": (io.BytesIO(json.dumps(document).encode()), "aanbod.json")}
    assert client.post("/aanbieder/importeren", data=upload,
                       content_type="multipart/form-data").status_code == 302
    db.session.expire_all()
    choir = db.session.get(Activity, choir.id)
    assert choir.description.endswith("Iedereen mag meedoen.")
    assert choir.dropped_interventions == ["uitbreiding-onderwijstijd"]
    assert titles(client.get(QUEUE).get_data(as_text=True)) == []


def test_a_decision_keeps_the_verdicts_on_the_other_links(amsterdam):
    activity, = add_activities(amsterdam, 1, **WRONG_CLAIM)
    services.decide_link(activity=activity, key="cultuureducatie", verify=True)
    services.decide_link(activity=activity, key="zomerschool", verify=False)
    assert (activity.verified_interventions, activity.dropped_interventions) == (
        ["cultuureducatie"], ["zomerschool"])
    services.decide_link(activity=activity, key="zomerschool", verify=True)
    assert (activity.verified_interventions, activity.dropped_interventions) == (
        ["cultuureducatie", "zomerschool"], [])
    with pytest.raises(services.ProviderError):
        services.decide_link(activity=activity, key="bestaat-niet", verify=True)


def test_deciding_needs_a_verdict_and_a_known_link(amsterdam, make_curator, login):
    activity, = add_activities(amsterdam, 1, **WRONG_CLAIM)
    client = login(make_curator())
    response = client.post(f"{QUEUE}/{activity.id}/zomerschool?kind=claim", data={})
    assert response.headers["Location"].endswith(f"{QUEUE}?kind=claim&page=1")
    assert "Bevestig de koppeling" in client.get(QUEUE).get_data(as_text=True)
    assert client.post(f"{QUEUE}/{activity.id}/bestaat-niet",
                       data={"verdict": "bevestigd"}).status_code == 404
    db.session.refresh(activity)
    assert activity.verified_interventions == [] and activity.dropped_interventions == []


def test_a_curator_outside_the_region_cannot_decide(make_provider, make_curator, login):
    activity, = add_activities(make_provider(name="Theater Utrecht", gemeente="Utrecht"), 1,
                               **WRONG_CLAIM)
    client = login(make_curator())
    assert client.post(f"{QUEUE}/{activity.id}/zomerschool",
                       data={"verdict": "bevestigd"}).status_code == 404


# ------------------------------------------------------------- notes on the pages


WEAK = {"title": "Theatermiddag", "interventions": ["uitbreiding-onderwijstijd"],
        "periods": ["naschools"], "sessions": 1, "format": "workshop",
        "description": "Een middag na schooltijd theater maken."}


def test_the_provider_reads_which_claims_do_not_count_and_which_count_weakly(
        make_provider, make_staff, make_activity, login):
    provider = make_provider(name="Theater Eigen")
    wrong = make_activity(provider, **WRONG_CLAIM)
    weak = make_activity(provider, **WEAK)
    fine = make_activity(provider)
    client = login(make_staff(provider))
    html = client.get(f"/aanbieder/activiteiten/{wrong.id}").get_data(as_text=True)
    assert f"Uw koppeling met zomerschool telt niet mee: {WRONG_REASON}" in html
    html = client.get(f"/aanbieder/activiteiten/{weak.id}").get_data(as_text=True)
    assert ("Uw koppeling met uitbreiding onderwijstijd telt zwak mee: Eén losse bijeenkomst "
            "buiten schooltijd is weinig extra onderwijstijd.") in html
    html = client.get(f"/aanbieder/activiteiten/{fine.id}").get_data(as_text=True)
    assert "telt niet mee" not in html and "telt zwak mee" not in html


def test_the_review_page_shows_the_same_beside_the_claimed_links(make_provider, make_activity,
                                                                  make_curator, login):
    provider = make_provider()
    wrong = make_activity(provider, status=S.SUBMITTED, **WRONG_CLAIM)
    weak = make_activity(provider, status=S.SUBMITTED, **WEAK)
    client = login(make_curator())
    html = client.get(f"/curator/activiteiten/{wrong.id}").get_data(as_text=True)
    assert f"De koppeling met zomerschool telt niet mee: {WRONG_REASON}" in html
    html = client.get(f"/curator/activiteiten/{weak.id}").get_data(as_text=True)
    assert "De koppeling met uitbreiding onderwijstijd telt zwak mee: Eén losse" in html


def test_a_curators_verdict_silences_the_note(amsterdam):
    activity, = add_activities(amsterdam, 1, **WRONG_CLAIM)
    assert list(links.activity_notes(activity)) == ["zomerschool"]
    services.decide_link(activity=activity, key="zomerschool", verify=True)
    db.session.commit()
    assert links.activity_notes(activity) == {}


def test_the_review_page_suggests_only_judged_links(make_provider, make_activity, make_curator,
                                                    login):
    # The text says zomerschool, but it takes place in school time: no suggestion of it.
    activity = make_activity(make_provider(), status=S.SUBMITTED, interventions=[],
                             periods=["schooltijd"])
    html = login(make_curator()).get(f"/curator/activiteiten/{activity.id}").get_data(
        as_text=True)
    assert 'name="verdict_zomerschool"' not in html


def test_suggestions_are_the_judged_links_of_kind_inferred():
    summer = services.suggest_interventions(fields=activity_fields(interventions=[]))
    assert "zomerschool" in [s.key for s in summer]
    school_time = services.suggest_interventions(
        fields=activity_fields(interventions=[], periods=["schooltijd"]))
    assert "zomerschool" not in [s.key for s in school_time]
    # A claimed link is no suggestion.
    claimed = services.suggest_interventions(fields=activity_fields())
    assert "zomerschool" not in [s.key for s in claimed]
    # Who takes part, when the form gives it, is judged too: parents and children together
    # in the text, but the provider says pupils, so the parents do not take part themselves.
    together = "Vijf ochtenden in de zomervakantie theater maken met ouders en kinderen samen."
    read = services.suggest_interventions(
        fields=activity_fields(interventions=[], description=together))
    assert "ouderbetrokkenheid" in [s.key for s in read]
    pupils = services.suggest_interventions(fields=activity_fields(
        interventions=[], description=together, participants="leerlingen"))
    assert "ouderbetrokkenheid" not in [s.key for s in pupils]


# ----------------------------------------------------------- an empty match explained


def test_an_empty_match_names_the_claims_that_do_not_count(amsterdam, client):
    add_activities(amsterdam, 2, **WRONG_CLAIM)
    html = client.get(MATCH + "zomerschool").get_data(as_text=True)
    assert ("Geen activiteit kan zomerschool vullen. 2 activiteiten noemen zomerschool wel, "
            "maar dat telt niet:") in html
    assert html.count(WRONG_REASON) == 2
    assert "Theatermiddag 1" in html and "Theatermiddag 2" in html
    assert "Probeer een ander budget" not in html


def test_an_empty_match_without_such_claims_keeps_the_usual_advice(amsterdam, client):
    add_activities(amsterdam, 1, **WRONG_CLAIM)
    html = client.get(MATCH + "welbevinden").get_data(as_text=True)
    assert "Probeer een ander budget" in html and "telt niet" not in html
    # Outside the provider's gemeente no activity obeys the hard rules: nothing to explain.
    html = client.get(MATCH.replace("Amsterdam", "Utrecht") + "zomerschool").get_data(
        as_text=True)
    assert "Probeer een ander budget" in html and "Geen activiteit kan zomerschool" not in html
