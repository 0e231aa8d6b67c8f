"""The provider-side 500s of issue 12, one test each: now a 400 in Dutch, or a 404."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from matcher import limits
from matcher.db import db
from providers.models import Activity
from providers.models import ActivityStatus as S
from tests.fuzz import crafted
from tests.providers.test_views import FORM


@pytest.fixture
def own(make_provider, make_staff, login):
    provider = make_provider(name="Theater Eigen")
    return provider, login(make_staff(provider))


@pytest.mark.parametrize("grade", ["NaN", "1e-400", "vijf", "9" * 30, "-3", "²"])
def test_a_grade_that_is_no_choice_is_refused_on_the_activity_form(own, grade):
    _provider, client = own
    response = client.post("/aanbieder/activiteiten/nieuw",
                           data={**FORM, "grades_po": [grade]})
    assert response.status_code == 400
    assert "niet toegestaan" in response.get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "says"), [
    ("group_max", "9" * 20, f"hoogstens {limits.dutch_number(limits.GROUP_SIZE.high)} leerlingen"),
    ("sessions", "1000", f"Hoogstens {limits.SESSIONS.high} bijeenkomsten"),
    ("price_amount", "NaN", "Prijs in euro: vul een bedrag in euro in van 0 tot en met"),
    ("price_amount", "99999999999", "hoogstens 10.000.000 euro"),
])
def test_numbers_beyond_their_bound_name_the_bound(own, field, value, says):
    _provider, client = own
    response = client.post("/aanbieder/activiteiten/nieuw", data={**FORM, field: value})
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)


def test_bulk_approval_ignores_ids_beyond_an_integer_column(make_provider, make_activity,
                                                             make_curator, login):
    activity = make_activity(make_provider(), status=S.SUBMITTED)
    client = login(make_curator())
    response = client.post("/curator/goedkeuren",
                           data={"activity_ids": ["9" * 20, "-1", "²", str(activity.id)]})
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.status == S.APPROVED


def test_an_id_beyond_an_integer_column_in_a_url_is_a_404(own):
    _provider, client = own
    assert client.get(f"/aanbieder/activiteiten/{'9' * 20}").status_code == 404


@pytest.mark.parametrize(("content", "name"), [
    (crafted.json_nested_objects(), "genest.json"), (crafted.random_bytes(), "bytes.csv"),
    (crafted.json_deep(), "diep.json"), (crafted.csv_range(), "reeks.csv")])
def test_the_import_page_refuses_hostile_files_with_a_list(own, content, name):
    _provider, client = own
    response = client.post("/aanbieder/importeren", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), name)})
    assert response.status_code == 400
    assert "Fouten in het bestand" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 0
