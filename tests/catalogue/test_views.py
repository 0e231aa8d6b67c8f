"""The catalogue pages: search with facets, activity page, match form, shortlist."""

from __future__ import annotations

from matcher.accounts.roles import OrganisationKind, Role

LINK = 'href="/aanbod/ij-vakantietheater"'
MATCH_S01 = ("/matchen?interventions=zomerschool&sector=po&gemeente=Amsterdam&grades=5&grades=6"
             "&pupils=25&periods=zomervakantie&budget=2000&disciplines=theater"
             "&competences=samenwerken&location=geen-voorkeur&wishes=toneel+in+de+zomer")


def test_search_page_lists_and_filters(client, sample_offers):
    html = client.get("/aanbod").get_data(as_text=True)
    assert f"{len(sample_offers['activities'])} activiteiten" in html
    html = client.get("/aanbod?discipline=dans&gemeente=Amsterdam").get_data(as_text=True)
    assert "Zomerdans" in html or "dans" in html.lower()
    assert "Vakantietheater" not in html


def test_search_page_with_typo(client, sample_offers):
    html = client.get("/aanbod?q=vakantieteater").get_data(as_text=True)
    assert "Vakantietheater" in html


def test_search_page_bad_filter_is_a_dutch_400(client):
    response = client.get("/aanbod?grade=twaalf")
    assert response.status_code == 400
    assert "geen geheel getal" in response.get_data(as_text=True)


def test_activity_page_shows_claimed_and_inferred_interventions(client, sample_offers):
    html = client.get("/aanbod/ij-vakantietheater").get_data(as_text=True)
    assert "Vakantietheater" in html and "Zomer- of lentescholen" in html
    assert client.get("/aanbod/bestaat-niet").status_code == 404


def test_match_form_is_prefilled_for_a_school_user(client, make_user, make_organisation, login):
    school = make_organisation(kind=OrganisationKind.SCHOOL, gemeente="Zwolle", sector="vo")
    login(make_user(role=Role.COORDINATOR, organisation=school))
    html = client.get("/matchen").get_data(as_text=True)
    assert 'value="Zwolle"' in html
    assert '<option selected value="vo">' in html or 'value="vo" selected' in html


def test_match_form_shows_ranked_explained_matches(client, sample_offers):
    html = client.get(MATCH_S01).get_data(as_text=True)
    assert "passende activiteit" in html
    assert html.index("Vakantietheater") < html.index("Zomerdans") if "Zomerdans" in html else True
    assert "kosten voor uw school" in html


def test_match_form_errors_are_dutch_and_keep_input(client):
    response = client.get("/matchen?sector=po&gemeente=Utrecht&pupils=-1&wishes=theater")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Kies minstens één interventie." in html
    assert "Kies minstens één groep of leerjaar." in html
    assert 'value="Utrecht"' in html and "theater</textarea>" in html


def test_match_form_with_several_interventions_proposes_a_plan(client, sample_offers):
    html = client.get(MATCH_S01.replace("interventions=zomerschool",
                                        "interventions=zomerschool&interventions=cultuureducatie")
                      ).get_data(as_text=True)
    assert "Voorstel voor alle gekozen interventies" in html


def test_shortlist_toggle(client, sample_offers, make_user, login):
    login(make_user(role=Role.TEACHER))
    client.post("/aanbod/ij-vakantietheater/favoriet")
    assert LINK in client.get("/favorieten").get_data(as_text=True)
    client.post("/aanbod/ij-vakantietheater/favoriet")
    assert LINK not in client.get("/favorieten").get_data(as_text=True)


def test_shortlists_are_per_user(client, sample_offers, make_user, login):
    first = make_user(role=Role.TEACHER)
    login(first)
    client.post("/aanbod/ij-vakantietheater/favoriet")
    client.post("/uitloggen")
    login(make_user(role=Role.TEACHER))
    assert LINK not in client.get("/favorieten").get_data(as_text=True)
