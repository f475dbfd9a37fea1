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


def test_the_manager_reads_the_goals_and_no_arrival(
    arrival, make_user, muni_a, operator, client_of
):
    manager = make_user(Role.MANAGER, muni_a)
    client = client_of(manager)
    home = client.get(reverse("home")).content.decode()
    assert reverse("reception:goals") in home
    page = client.get(reverse("reception:goals"))
    assert page.status_code == 200
    # No tab leads to a page the manager may not open.
    assert f'href="{reverse("reception:arrivals")}"' not in page.content.decode()
    assert client.get(reverse("reception:goals_csv")).status_code == 200
    assert client.get(reverse("reception:goals_chart", args=["trend"])).status_code == 200
    # The arrivals name the refugees: not the manager's to read, nor to change.
    assert client.get(reverse("reception:arrivals")).status_code == 403
    assert client.get(reverse("reception:arrival_detail", args=[arrival.pk])).status_code in (
        403,
        404,
    )
    task = Task.objects.filter(arrival=arrival, status=TaskStatus.OPEN).first()
    response = client.post(
        reverse("reception:task_done", args=[task.pk]), {"version": task.version}
    )
    assert response.status_code in (403, 404)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN
    assert client.get(reverse("reception:arrival_create")).status_code == 403


def test_goals_are_a_municipality_s(make_user, operator, client_of):
    # Centre staff read their operator's figures, which hold no reception goals.
    client = client_of(make_user(Role.CENTRE_STAFF, operator))
    assert reverse("reception:goals") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("reception:goals")).status_code == 403
    assert client.get(reverse("reception:goals_csv")).status_code == 403


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


IMPORT_HEADER = (
    "household,relation,name_document,name_latin,date_of_birth,estimated,sex,nationality,"
    "asylum_case,needs_accessible,decision_date,handover_date\n"
)


def test_arrivals_are_imported_after_a_dry_run(alice, client_of, muni_a):
    text = IMPORT_HEADER + (
        "A,head,ዮናስ ተስፋይ,Yonas Tesfay,1994-03-01,no,M,ER,24-700001,no,2026-10-05,\n"
        "B,head,Hodan Cali,Hodan Ali,1990-01-01,no,F,SO,24-700002,no,2026-10-05,2026-11-16\n"
        "B,child,Cabdi Cali,Abdi Ali,2019-05-01,no,M,SO,24-700003,no,2026-10-05,2026-11-16\n"
    )
    client = client_of(alice)
    page = client.post(reverse("reception:arrival_import"), {"text": text})
    assert page.status_code == 200 and not Arrival.objects.exists()
    payload = page.context["payload"]
    assert payload
    client.post(reverse("reception:arrival_import_confirm"), {"payload": payload})
    arrivals = {a.household.members.count(): a for a in Arrival.objects.all()}
    assert arrivals[1].handover_date == dt.date(2026, 11, 30)
    assert arrivals[2].handover_date == dt.date(2026, 11, 16)
    # The boy is 7: school, not day care.
    assert Task.objects.filter(arrival=arrivals[2], code="school").count() == 1
    assert Task.objects.filter(arrival=arrivals[2], code="daycare").count() == 0
    assert Task.objects.filter(arrival=arrivals[2], code="dental").count() == 1


@pytest.mark.parametrize(
    "rows",
    [
        "A,head,X,Yonas Tesfay,1994-03-01,no,M,ER,24-700001,no,,\n",
        "A,head,X,Yonas Tesfay,1994-03-01,no,M,ER,24-700001,no,9999-12-31,\n",
        "A,head,X,Yonas Tesfay,1994-03-01,no,M,ER,24-700001,no,2026-10-05,2026-01-01\n",
        "A,head,X,Yonas Tesfay,1994-03-01,no,M,ER,24-700001,no,2026-10-05,\n"
        "A,spouse,X,Hana Tesfay,1995-03-01,no,F,ER,24-700002,no,2026-10-06,\n",
        "A,head,X,Yonas Tesfay,1800-03-01,no,M,ER,24-700001,no,2026-10-05,\n",
    ],
)
def test_a_bad_import_says_which_line_and_imports_nothing(alice, client_of, muni_a, rows):
    client = client_of(alice)
    page = client.post(reverse("reception:arrival_import"), {"text": IMPORT_HEADER + rows})
    assert page.status_code == 200
    assert not page.context["payload"]
    assert "Line " in page.content.decode()
    response = client.post(reverse("reception:arrival_import_confirm"), {"payload": "forged"})
    assert response.status_code == 400
    assert not Arrival.objects.exists()
