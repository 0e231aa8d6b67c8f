"""What a form created can be corrected or removed: funding streams and groups.

A funding stream that bookings are charged to is closed, never deleted; a group that
records refer to stays. Numbers are held to their bounds on the way in, so a stored value
never breaks a later page.
"""

from __future__ import annotations

from datetime import date, timedelta

from matcher.db import db
from matcher.schools import services
from matcher.schools.models import BookingStatus, FundingStream, SchoolGroup
from tests.schools.conftest import SOON

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


def _book(world):
    school = world.school
    return services.book(organisation=school.organisation, by=school.coordinator, nonce="n1",
                         stream=school.stream, on_date=SOON, seats=5,
                         intervention="zomerschool", activity=world.activity).booking


def test_a_stream_is_edited_through_its_form(world, login):
    client = login(world.school.leader)
    stream = world.school.stream
    page = client.get(f"/school/budget/{stream.id}/bewerken")
    assert page.status_code == 200 and "NPO" in page.get_data(as_text=True)
    response = client.post(f"/school/budget/{stream.id}/bewerken", data={
        "kind": "cmk", "name": "CmK 2027", "amount": "1.250,50", "deadline": NEXT_YEAR})
    assert response.status_code == 302
    db.session.refresh(stream)
    assert (stream.name, str(stream.amount), stream.kind.value) == ("CmK 2027", "1250.50", "cmk")


def test_a_huge_budget_is_told_the_maximum_and_not_stored(world, login):
    client = login(world.school.coordinator)
    response = client.post("/school/budget", data={
        "kind": "npo", "name": "Te veel", "amount": "99999999999999999999999999",
        "deadline": NEXT_YEAR})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "hoogstens 10.000.000 euro" in page
    assert "niet negatief" not in page
    assert db.session.query(FundingStream).filter_by(name="Te veel").count() == 0
    assert client.get("/school/budget").status_code == 200
    assert client.get("/school/").status_code == 200


def test_a_streams_amount_cannot_drop_below_what_is_committed(world, login):
    booking = _book(world)
    services.change_booking_status(booking=booking, to=BookingStatus.CONFIRMED,
                                   by=world.provider_user)
    services.change_booking_status(booking=booking, to=BookingStatus.APPROVED,
                                   by=world.school.leader)
    db.session.commit()
    client = login(world.school.leader)
    stream = world.school.stream
    response = client.post(f"/school/budget/{stream.id}/bewerken", data={
        "kind": "npo", "name": "NPO", "amount": "1", "deadline": NEXT_YEAR})
    assert response.status_code == 400
    assert "kan niet lager zijn" in response.get_data(as_text=True)


def test_a_stream_without_bookings_is_deleted(world, login):
    client = login(world.school.coordinator)
    stream_id = world.school.stream.id
    response = client.post(f"/school/budget/{stream_id}/verwijderen")
    assert response.status_code == 302
    assert db.session.get(FundingStream, stream_id) is None


def test_a_stream_with_bookings_is_closed_not_deleted(world, login):
    _book(world)
    db.session.commit()
    client = login(world.school.coordinator)
    stream = world.school.stream
    response = client.post(f"/school/budget/{stream.id}/verwijderen", follow_redirects=True)
    assert "is gesloten" in response.get_data(as_text=True)
    db.session.refresh(stream)
    assert stream.closed
    page = client.get("/school/budget").get_data(as_text=True)
    assert "gesloten" in page  # still shown, with what was spent
    booking_form = client.get(f"/school/boeken?activiteit={world.activity.key}")
    assert "NPO (vóór" not in booking_form.get_data(as_text=True)  # not offered any more


def test_a_closed_stream_takes_no_new_bookings(world):
    world.school.stream.closed_at = world.school.stream.created_at
    db.session.commit()
    try:
        _book(world)
    except services.SchoolError as error:
        assert "gesloten" in str(error)
    else:
        raise AssertionError("a closed stream took a booking")


def test_another_schools_stream_and_group_answer_404(world, login):
    client = login(world.other.coordinator)
    stream, group = world.school.stream, world.school.group
    for path in (f"/school/budget/{stream.id}/bewerken", f"/school/groepen/{group.id}/bewerken"):
        assert client.get(path).status_code == 404, path
    for path in (f"/school/budget/{stream.id}/verwijderen",
                 f"/school/groepen/{group.id}/verwijderen"):
        assert client.post(path).status_code == 404, path
    assert db.session.get(FundingStream, stream.id) is not None


def test_a_teacher_cannot_change_streams_or_groups(world, login):
    client = login(world.school.teacher)
    assert client.post(f"/school/budget/{world.school.stream.id}/verwijderen").status_code == 403
    assert client.post(f"/school/groepen/{world.school.group.id}/verwijderen").status_code == 403


def test_a_group_is_edited_and_its_pupils_bounded(world, login):
    client = login(world.school.coordinator)
    group = world.school.group
    response = client.post(f"/school/groepen/{group.id}/bewerken",
                           data={"name": "5B", "grades": ["5", "6"], "pupils": "1000000"})
    assert response.status_code == 400
    assert "hoogstens 60 leerlingen" in response.get_data(as_text=True)
    response = client.post(f"/school/groepen/{group.id}/bewerken",
                           data={"name": "5B", "grades": ["5", "6"], "pupils": "27"})
    assert response.status_code == 302
    db.session.refresh(group)
    assert (group.name, group.grades, group.pupils) == ("5B", "5,6", 27)


def test_an_unused_group_is_removed_a_used_one_stays(world, login):
    client = login(world.school.leader)
    spare = services.create_group(organisation=world.school.organisation, name="8C",
                                  school_year="2026-2027", grades=[8], pupils=20)
    used = world.school.group
    services.create_request(organisation=world.school.organisation, by=world.school.coordinator,
                            title="Zomerschool", interventions=["zomerschool"], groups=[used],
                            pupils=25, grades=[], periods=[], budget=None)
    db.session.commit()
    spare_id, used_id = spare.id, used.id
    assert client.post(f"/school/groepen/{spare_id}/verwijderen").status_code == 302
    assert db.session.get(SchoolGroup, spare_id) is None
    response = client.post(f"/school/groepen/{used_id}/verwijderen", follow_redirects=True)
    assert "kan niet worden verwijderd" in response.get_data(as_text=True)
    assert db.session.get(SchoolGroup, used_id) is not None
