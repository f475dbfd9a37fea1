"""Bad ids and dates in the activity pages are a 400 or 404, implausible dates a form error."""

import datetime as dt

import pytest

from ankomst.activities.models import Enrolment, ResidenceContract, Session


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1800-01-01", "2024-13-01"])
def test_an_implausible_week_is_a_400_with_a_message(client_of, staff, week):
    response = client_of(staff).get("/activities/", {"week": week})
    assert response.status_code == 400
    body = response.content.decode()
    assert "plausible" in body or "too far ahead" in body or "is not a date" in body


def test_a_plausible_week_is_shown(client_of, staff):
    assert client_of(staff).get("/activities/", {"week": "2026-01-05"}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "²", "", "99999999999999999999999"])
def test_enrolling_a_bad_person_id_is_a_400_and_enrols_nobody(client_of, staff, danish, value):
    response = client_of(staff).post(f"/activities/{danish.pk}/enrol/", {"person": value})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_enrolling_a_resident_of_another_organisation_is_a_404(client_of, staff, danish, person_a):
    response = client_of(staff).post(f"/activities/{danish.pk}/enrol/", {"person": person_a.pk})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-3"])
def test_a_bad_learner_id_on_the_class_list_is_a_400(client_of, teacher, session, value):
    response = client_of(teacher).post(
        f"/activities/sessions/{session.pk}/mark/", {"person": value, "status": "present"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("date", ["1800-01-01", "0001-01-01", "9999-12-31"])
def test_a_session_dated_implausibly_is_refused(client_of, staff, danish, teacher, date):
    response = client_of(staff).post(
        f"/activities/{danish.pk}/sessions/new/",
        {"date": date, "starts_at": "09:00", "ends_at": "11:00", "teacher": teacher.pk},
    )
    assert response.status_code == 200
    assert not Session.objects.filter(date__year__in=[1, 1800, 9999]).exists()
    body = response.content.decode()
    assert "plausible" in body or "too far ahead" in body


def test_a_contract_signed_in_1800_is_refused(client_of, staff, make_person, operator):
    person = make_person(operator, "Adult Resident", born=dt.date(1990, 1, 1))
    response = client_of(staff).post(
        f"/activities/contracts/{person.pk}/",
        {"status": "signed", "signed_on": "1800-01-01", "hours_per_week": "10", "covers": "Danish"},
    )
    assert response.status_code == 200
    assert "is not plausible" in response.content.decode()
    assert not ResidenceContract.objects.exists()


def test_the_contract_page_and_the_dashboard_agree_on_the_reception_exemption(
    client_of, staff, operator, make_person
):
    """An adult in a reception centre in the first three months is not activated, on both pages."""
    from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
    from ankomst.centres.models import Catering, Centre, CentreType
    from tests.activities.test_contracts import resident

    reception = Centre.objects.create(
        organisation=operator,
        name="Reception South",
        centre_type=CentreType.RECEPTION,
        catering=Catering.CANTEEN,
    )
    build_estate(reception, [BuildingSpec("R", 1, (RoomSpec("dorm_male", 4, 1),))])
    person = resident(staff, reception, make_person(operator, "New Arrival"), 20, room="R001")
    client = client_of(staff)
    dashboard = client.get("/activities/contracts/").content.decode()
    page = client.get(f"/activities/contracts/{person.pk}/").content.decode()
    exemption = "Adult in a reception centre during the first three months."
    assert exemption in dashboard
    assert exemption in page
