"""The reception's pages as the municipality's caseworker and manager use them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.reception.models import Arrival, ChildStart, Task, TaskStatus


@pytest.fixture
def arrival(family, grant, muni_a):
    _household, members = family
    grant(members[0], muni_a, timezone.localdate() - dt.timedelta(days=90))
    return Arrival.objects.get()


def test_every_page_renders_for_the_caseworker(arrival, alice, client_of):
    client = client_of(alice)
    adult = arrival.household.members.order_by("date_of_birth").first()
    child = arrival.household.members.order_by("-date_of_birth").first()
    task = Task.objects.filter(arrival=arrival).first()
    for url in (
        reverse("reception:arrivals"),
        reverse("reception:arrivals") + "?show=all",
        reverse("reception:arrival_create"),
        reverse("reception:arrival_detail", args=[arrival.pk]),
        reverse("reception:arrival_handover", args=[arrival.pk]),
        reverse("reception:arrival_package", args=[arrival.pk]),
        reverse("reception:queue"),
        reverse("reception:queue") + "?department=job_centre&show=overdue",
        reverse("reception:task_hand_off", args=[task.pk]),
        reverse("reception:checklist"),
        reverse("reception:plan", args=[adult.pk]),
        reverse("reception:children"),
        reverse("reception:child", args=[child.pk]),
        reverse("reception:goals"),
        reverse("reception:goals_chart", args=["cohorts"]),
        reverse("reception:goals_chart", args=["trend"]),
        reverse("reception:goals_chart", args=["children"]),
        reverse("reception:goals_csv"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_children_not_started_list_names_the_children(arrival, alice, client_of):
    page = client_of(alice).get(reverse("reception:children")).content.decode()
    assert "Sara Karimi" in page and "Omid Karimi" in page
    sara = arrival.household.members.get(name_latin="Sara Karimi")
    client_of(alice).post(
        reverse("reception:child", args=[sara.pk]),
        {
            "offer": "reception_class",
            "place": "Vestbjerg Skole",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    start = ChildStart.objects.get(person=sara)
    assert start.reception_class_until is not None
    page = client_of(alice).get(reverse("reception:children")).content.decode()
    assert "Sara Karimi" not in page and "Omid Karimi" in page


def test_a_plan_status_and_the_goal(arrival, alice, client_of):
    adult = arrival.household.members.order_by("date_of_birth").first()
    client = client_of(alice)
    response = client.post(
        reverse("reception:plan_status", args=[adult.pk]),
        {"status": "ordinary_job", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    page = client.get(reverse("reception:plan", args=[adult.pk])).content.decode()
    assert "Ordinary job" in page and "reached" in page


def test_the_manager_reads_but_cannot_change(arrival, make_user, muni_a, client_of):
    manager = make_user(Role.MANAGER, muni_a)
    client = client_of(manager)
    assert client.get(reverse("reception:goals")).status_code == 200
    task = Task.objects.filter(arrival=arrival, status=TaskStatus.OPEN).first()
    response = client.post(
        reverse("reception:task_done", args=[task.pk]), {"version": task.version}
    )
    assert response.status_code in (302, 403)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN
    assert client.get(reverse("reception:arrival_create")).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "?show=%00",
        "?show=x&page=abc",
        "?page=99999999999999999999",
        "?q=" + "x" * 5000,
        "?department=abc&show=done",
    ],
)
def test_bad_query_values_are_no_server_error(arrival, alice, client_of, query):
    client = client_of(alice)
    for name in ("reception:arrivals", "reception:queue", "reception:children"):
        assert client.get(reverse(name) + query).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"version": "abc"},
        {"version": "99999999999999999999"},
        {"version": "1", "done_on": "9999-12-31"},
        {"version": "1", "done_on": "0001-01-01"},
        {"version": "1", "note": "x\x00y"},
    ],
)
def test_bad_task_forms_change_nothing(arrival, alice, client_of, data):
    task = Task.objects.filter(arrival=arrival, status=TaskStatus.OPEN).first()
    response = client_of(alice).post(reverse("reception:task_done", args=[task.pk]), data)
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


@pytest.mark.parametrize(
    "data",
    [
        {"handover_date": "9999-12-31", "agreed_by": ""},
        {"handover_date": "0001-01-01", "agreed_by": "x"},
        {"handover_date": "abc"},
        {"handover_date": "2020-01-01", "agreed_by": "x" * 300},
    ],
)
def test_bad_handover_dates_change_nothing(arrival, alice, client_of, data):
    before = arrival.handover_date
    response = client_of(alice).post(reverse("reception:arrival_handover", args=[arrival.pk]), data)
    assert response.status_code == 200
    assert Arrival.objects.get(pk=arrival.pk).handover_date == before


def test_the_operator_confirms_the_departure_on_the_handover_date(
    family, grant, muni_a, staff, centre, client_of
):
    from ankomst.centres.models import Bed, CheckOutReason, Stay

    household, members = family
    beds = list(Bed.objects.filter(room__building__centre=centre, room__kind="family")[:4])
    moment = timezone.now() - dt.timedelta(days=200)
    for person, bed in zip(members, beds, strict=True):
        Stay.objects.create(
            person=person, bed=bed, organisation=centre.organisation, start=moment, created_by=staff
        )
    grant(members[0], muni_a, timezone.localdate() - dt.timedelta(days=90))
    client = client_of(staff)
    page = client.get(reverse("reception:departures")).content.decode()
    assert "Ahmad Karimi" in page and muni_a.name in page
    client.post(reverse("reception:departure_confirm", args=[members[0].pk]))
    stay = Stay.objects.get(person=members[0])
    assert stay.end is not None and stay.end_reason == CheckOutReason.MUNICIPALITY
    assert timezone.localtime(stay.end).date() == Arrival.objects.get().handover_date
