"""Malformed ids, dates and payloads are a 400 or 404 in the user's language, and change nothing."""

import pytest

from ankomst.centres.models import Stay
from ankomst.people.models import Person


@pytest.fixture
def resident(make_person, operator):
    return make_person(operator, "Samer Ali")


@pytest.mark.parametrize("value", ["abc", "²", "٣", "-1", "99999999999999999999999", "1.5"])
def test_a_bad_person_id_on_the_check_in_page_is_a_400(client_of, staff, centre, value):
    response = client_of(staff).get(f"/centres/{centre.pk}/check-in/", {"person": value})
    assert response.status_code == 400
    assert "is not a valid number" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999999"])
def test_a_bad_centre_id_on_the_placement_page_is_a_400(client_of, staff, centre, resident, value):
    response = client_of(staff).get(
        f"/centres/{centre.pk}/check-in/", {"person": resident.pk, "centre": value}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999999", ""])
def test_a_bad_bed_id_is_a_form_error_and_nobody_is_checked_in(
    client_of, staff, centre, resident, value
):
    response = client_of(staff).post(
        f"/centres/{centre.pk}/check-in/?person={resident.pk}",
        {"person": resident.pk, f"bed_{resident.pk}": value},
    )
    assert response.status_code == 200
    assert "Choose a bed for Samer Ali." in response.content.decode()
    assert not Stay.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2024-02-30", "x"])
def test_an_implausible_date_on_the_overview_shows_the_form_error(client_of, staff, centre, date):
    response = client_of(staff).get("/centres/", {"date": date})
    assert response.status_code == 200


def test_the_import_payload_posted_to_the_arrivals_confirm_step_is_refused(
    client_of, staff, centre
):
    from tests.centres.test_import_and_arrivals import BEDS, HEADER

    client = client_of(staff)
    text = "\n".join(
        [
            HEADER + BEDS,
            "S1,head,سامر,Samer Ali,1999-01-01,no,M,SY,24-3,no,Residence North,A,A005,A,",
        ]
    )
    payload = client.post("/centres/import/", {"text": text}).context["payload"]
    assert payload
    response = client.post(f"/centres/{centre.pk}/arrivals/confirm/", {"payload": payload})
    assert response.status_code == 400
    assert "could not be read back" in response.content.decode()
    assert not Person.objects.exists()


def test_the_arrivals_payload_posted_to_the_import_confirm_step_is_refused(
    client_of, staff, centre
):
    from tests.centres.test_import_and_arrivals import _arrivals

    client = client_of(staff)
    review = client.post(f"/centres/{centre.pk}/arrivals/", {"text": _arrivals(1, 1)})
    assert review.context["payload"]
    response = client.post("/centres/import/confirm/", {"payload": review.context["payload"]})
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_closure_in_9999_is_refused(client_of, staff, centre):
    from ankomst.centres.models import Closure, Room

    room = Room.objects.filter(building__centre=centre).first()
    response = client_of(staff).post(
        f"/centres/rooms/{room.pk}/close/",
        {"start": "9999-01-01", "end": "9999-12-31", "reason": "Damp"},
    )
    assert response.status_code == 200
    assert "too far ahead" in response.content.decode()
    assert not Closure.objects.exists()


def test_a_closure_in_1800_is_refused(client_of, staff, centre):
    from ankomst.centres.models import Closure, Room

    room = Room.objects.filter(building__centre=centre).first()
    response = client_of(staff).post(
        f"/centres/rooms/{room.pk}/close/", {"start": "1800-01-01", "reason": "Damp"}
    )
    assert "is not plausible" in response.content.decode()
    assert not Closure.objects.exists()


def test_the_room_close_form_is_a_page_of_its_own(client_of, staff, centre):
    from ankomst.centres.models import Room

    room = Room.objects.filter(building__centre=centre).first()
    response = client_of(staff).get(f"/centres/rooms/{room.pk}/close/")
    assert response.status_code == 200 and "Reason" in response.content.decode()


@pytest.mark.parametrize("start", ["1800-01-01", "0001-01-01", "9999-12-31"])
def test_a_case_phase_dated_implausibly_is_refused(client_of, staff, resident, start):
    from ankomst.centres.models import CasePhase

    response = client_of(staff).post(
        f"/centres/person/{resident.pk}/phase/",
        {"phase": "registered", "start": start},
        follow=True,
    )
    assert response.status_code == 200
    assert not CasePhase.objects.exists()
