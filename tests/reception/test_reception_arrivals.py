"""A granted phase announces the household in its municipality, with its checklist."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ankomst.accounts.roles import Role
from ankomst.audit.models import Action, AuditEvent
from ankomst.people.models import SensitiveData
from ankomst.reception import services
from ankomst.reception.models import Arrival, HouseholdType, Task

D = dt.date


def test_a_granted_phase_announces_the_household_with_the_rule_handover(family, grant, muni_a):
    household, members = family
    phase = grant(members[0], muni_a, D(2026, 1, 15))
    arrival = Arrival.objects.get(organisation=muni_a)
    assert arrival.source_household == household
    assert arrival.handover_date == arrival.rule_handover_date == D(2026, 3, 2)
    assert arrival.household_type == HouseholdType.FAMILY
    assert arrival.persons == 4
    # The municipality has its own records of the household; the operator keeps its own.
    assert arrival.household.organisation == muni_a
    assert sorted(p.name_latin for p in arrival.household.members.all()) == sorted(
        p.name_latin for p in members
    )
    # The operator sees when the resident leaves.
    phase.refresh_from_db()
    assert phase.handover_date == D(2026, 3, 2)


def test_a_second_members_phase_finds_the_same_arrival(family, grant, muni_a):
    _household, members = family
    grant(members[0], muni_a, D(2026, 1, 15))
    grant(members[1], muni_a, D(2026, 1, 15))
    assert Arrival.objects.filter(organisation=muni_a).count() == 1


def test_the_checklist_follows_the_household(family, grant, muni_a):
    _household, members = family
    arrival = grant(members[0], muni_a, D(2026, 1, 15)) and Arrival.objects.get()
    tasks = Task.objects.filter(arrival=arrival)
    codes = sorted(tasks.values_list("code", flat=True))
    # Per adult: bank account, MitID, integration contract, first offer, language school.
    assert codes.count("integration_contract") == 2
    assert codes.count("school") == 1  # the girl of 8
    assert codes.count("daycare") == 1  # the boy of 3
    assert codes.count("dental") == 2
    assert "guardian" not in codes
    contract = tasks.filter(code="integration_contract").first()
    # Integration contract within 1 month of the handover (2 March → 2 April).
    assert contract.due_on == D(2026, 4, 2)
    # Farsi speakers without Danish or English get an interpreter booked before the arrival.
    assert arrival.interpreter_language == "und" or tasks.filter(code="interpreter").exists()


def test_an_earlier_handover_needs_an_agreement_and_moves_the_tasks(family, grant, muni_a, alice):
    _household, members = family
    grant(members[0], muni_a, D(2026, 1, 15))
    arrival = Arrival.objects.get()
    with pytest.raises(ValidationError):
        services.move_handover(
            user=alice, arrival=arrival, handover_date=D(2026, 2, 16), agreed_by=""
        )
    with pytest.raises(ValidationError):
        services.move_handover(
            user=alice, arrival=arrival, handover_date=D(2026, 3, 20), agreed_by="Centre head"
        )
    before = dict(Task.objects.values_list("pk", "due_on"))
    services.move_handover(
        user=alice, arrival=arrival, handover_date=D(2026, 2, 16), agreed_by="Hanne, Center Ranum"
    )
    arrival.refresh_from_db()
    assert arrival.handover_date == D(2026, 2, 16)
    assert arrival.agreed_by == "Hanne, Center Ranum"
    after = dict(Task.objects.values_list("pk", "due_on"))
    assert all(
        (before[pk] - after[pk]).days == 14
        for pk in before
        if Task.objects.get(pk=pk).months_from_handover == 0
    )
    assert AuditEvent.objects.filter(
        object_type="reception.arrival", summary="Handover date moved"
    ).exists()


def test_another_municipality_sees_nothing(family, grant, muni_a, bob, client_of):
    _household, members = family
    grant(members[0], muni_a, D(2026, 1, 15))
    arrival = Arrival.objects.get()
    client = client_of(bob)
    assert client.get(reverse("reception:arrival_detail", args=[arrival.pk])).status_code == 404
    assert client.get(reverse("reception:arrival_package", args=[arrival.pk])).status_code == 404
    page = client.get(reverse("reception:arrivals"), {"show": "all"})
    assert arrival.household.reference not in page.content.decode()
    assert AuditEvent.objects.filter(actor=bob, action=Action.DENIED).exists()


def test_the_package_is_audited_in_both_organisations(
    family, grant, muni_a, operator, alice, client_of, make_user
):
    _household, members = family
    SensitiveData.objects.create(person=members[0], health_notes="Needs insulin daily")
    grant(members[0], muni_a, D(2026, 1, 15))
    arrival = Arrival.objects.get()
    page = client_of(alice).get(reverse("reception:arrival_package", args=[arrival.pk]))
    assert page.status_code == 200
    assert "Needs insulin daily" in page.content.decode()
    reads = AuditEvent.objects.filter(summary__startswith="Hand-over package read")
    assert set(reads.values_list("organisation_id", flat=True)) == {muni_a.pk, operator.pk}
    # Without the Art. 9 permission the health needs are not shown.
    manager = make_user(Role.MANAGER, muni_a)
    page = client_of(manager).get(reverse("reception:arrival_package", args=[arrival.pk]))
    assert "Needs insulin daily" not in page.content.decode()


def test_a_hand_entered_arrival_for_the_municipalitys_own_household(muni_a, alice, make_person):
    from ankomst.people.models import Household

    household = Household.objects.create(organisation=muni_a, reference="M-1")
    make_person(
        muni_a, "Yonas Tesfay", name_document="ዮናስ ተስፋይ", household=household, nationality="ER"
    )
    arrival = services.create_arrival(
        user=alice, household=household, decision_date=D(2026, 10, 5), handover_date=None
    )
    assert arrival.household_type == HouseholdType.SINGLE
    assert arrival.handover_date == D(2026, 11, 30)
    with pytest.raises(ValidationError):
        services.create_arrival(
            user=alice, household=household, decision_date=D(2026, 10, 5), handover_date=None
        )


def test_the_demo_gives_the_municipality_two_years_of_reception(db):
    from ankomst.demo.services import MUNICIPALITY, create_demo
    from ankomst.reception import figures
    from ankomst.reception.models import ArrivalStatus, ChildStart, PlanStatus, TaskStatus

    create_demo(seed=3, persons_at_operator=300)
    arrivals = Arrival.objects.filter(organisation__name=MUNICIPALITY)
    assert arrivals.filter(status=ArrivalStatus.RECEIVED).count() >= 150
    assert arrivals.filter(status=ArrivalStatus.ANNOUNCED).exists()
    tasks = Task.objects.filter(arrival__in=arrivals)
    assert tasks.filter(status=TaskStatus.DONE).count() > tasks.count() / 2
    assert tasks.filter(status=TaskStatus.OPEN, due_on__lt=dt.date.today()).exists()
    assert PlanStatus.objects.filter(status="ordinary_job").exists()
    assert ChildStart.objects.filter(started_on__isnull=False).exists()
    from ankomst.accounts.models import User

    jobcenter = User.objects.get(username="jobcenter")
    fig = figures.goals(jobcenter)
    shown = [s.value for c in fig.cohorts for s in fig.adults_by_months[c].values()]
    assert any(v is not None and v > 0 for v in shown)


def test_the_centre_records_a_grant_without_typing_the_handover_date(family, muni_a, staff):
    from ankomst.centres.services import case_phase_set

    _household, members = family
    phase = case_phase_set(
        user=staff, person=members[0], phase="granted", start=D(2026, 1, 15), municipality=muni_a
    )
    assert phase.handover_date == D(2026, 3, 2)
    assert Arrival.objects.get(organisation=muni_a).handover_date == D(2026, 3, 2)


def test_the_centre_cannot_record_a_handover_later_than_the_rule(family, muni_a, staff):
    from ankomst.centres.models import CasePhase
    from ankomst.centres.services import case_phase_set

    _household, members = family
    with pytest.raises(ValidationError) as refused:
        case_phase_set(
            user=staff,
            person=members[0],
            phase="granted",
            start=D(2026, 1, 15),
            municipality=muni_a,
            handover_date=D(2026, 3, 3),
        )
    assert "at the latest" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):  # a handover without a municipality
        case_phase_set(
            user=staff,
            person=members[0],
            phase="granted",
            start=D(2026, 1, 15),
            handover_date=D(2026, 2, 2),
        )
    assert not CasePhase.objects.exists() and not Arrival.objects.exists()


def test_tasks_are_written_once_and_their_checks_still_hold(family, grant, muni_a):
    from django.db import IntegrityError, transaction

    from ankomst.records import insert_new

    _household, members = family
    grant(members[0], muni_a, D(2026, 1, 15))
    arrival = Arrival.objects.get(organisation=muni_a)
    before = Task.objects.filter(arrival=arrival).count()
    assert before > 0
    assert services.generate_tasks(arrival) == before  # offered again, all skipped
    assert Task.objects.filter(arrival=arrival).count() == before
    row = dict(
        organisation_id=muni_a.pk,
        arrival_id=arrival.pk,
        person_id=None,
        code="extra",
        title="Extra",
        department="housing",
        days_from_handover=0,
        due_on=D(2026, 3, 2),
        done_on=D(2026, 3, 1),  # an open task cannot be done: the check constraint refuses it
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(Task, [row])
    insert_new(Task, [dict(row, done_on=None)])
    extra = Task.objects.get(arrival=arrival, code="extra")
    assert extra.status == "open" and extra.version == 1 and extra.created_at is not None
