"""The menukaart data file, its idempotent loading, and the public pages."""

from __future__ import annotations

from sqlalchemy import func, select

from matcher.db import db
from matcher.menukaart.models import Intervention, InterventionFigures
from matcher.menukaart.services import sync_menukaart
from matcher.reference.menukaart import load_menukaart


def test_data_file_has_all_doelgebieden_and_unique_keys():
    menukaart = load_menukaart()
    assert [d.letter for d in menukaart.doelgebieden] == list("ABCDEF")
    keys = [i.key for i in menukaart.interventions] + [n.key for n in menukaart.not_effective]
    assert len(keys) == len(set(keys))
    assert {"zomerschool", "uitbreiding-onderwijstijd", "welbevinden", "metacognitie",
            "cultuureducatie"} <= menukaart.keys
    assert "zittenblijven" in menukaart.not_effective_keys
    assert not menukaart.keys & menukaart.not_effective_keys


def test_figures_follow_the_reference():
    zomerschool = load_menukaart().get("zomerschool")
    assert zomerschool.figures["2021"].impact == 2 and zomerschool.figures["2022"].impact == 3
    assert load_menukaart().get("vve").figures["2022"] is None


def test_sync_is_idempotent(app):
    before = db.session.scalar(select(func.count()).select_from(Intervention))
    figures_before = db.session.scalar(select(func.count()).select_from(InterventionFigures))
    sync_menukaart()
    sync_menukaart()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Intervention)) == before == 30
    assert db.session.scalar(
        select(func.count()).select_from(InterventionFigures)) == figures_before


def test_sync_repairs_a_changed_row(app):
    db.session.get(Intervention, "zomerschool").name = "verkeerd"
    sync_menukaart()
    assert db.session.get(Intervention, "zomerschool").name == "Zomer- of lentescholen"
    db.session.rollback()


def test_menukaart_page(client):
    html = client.get("/menukaart/").get_data(as_text=True)
    for letter in "ABCDEF":
        assert f'id="doelgebied-{letter}"' in html
    assert "Zomer- of lentescholen" in html and "Cultuureducatie" in html
    assert "Niet op de menukaart" in html and "Zittenblijven" in html
    assert "Alleen te kiezen ter ondersteuning" in html


def test_intervention_detail_and_not_effective_detail(client):
    html = client.get("/menukaart/zomerschool").get_data(as_text=True)
    assert "impact 2 maanden" in html and "impact 3 maanden" in html
    html = client.get("/menukaart/leerstijlen").get_data(as_text=True)
    assert "Niet op de menukaart" in html
    assert client.get("/menukaart/bestaat-niet").status_code == 404
