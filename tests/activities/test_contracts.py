"""Residence contracts (§ 42 c) and the dashboard of adults still without one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst.activities import selectors, services
from ankomst.activities.models import ResidenceContract
from ankomst.audit.models import AuditEvent
from ankomst.people.models import Person


def _registered(person, days_ago):
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    person.refresh_from_db()
    return person


def resident(staff, centre, person, applied_days_ago, room="A007", phase="before_decision"):
    """A person living at ``centre`` whose asylum case began ``applied_days_ago`` days ago."""
    from ankomst.centres import services as centre_services
    from tests.centres.conftest import bed

    centre_services.case_phase_set(
        user=staff,
        person=person,
        phase=phase,
        start=timezone.localdate() - dt.timedelta(days=applied_days_ago),
    )
    centre_services.check_in(
        user=staff,
        placements=[centre_services.Placement(person, bed(centre, room))],
        override_reason="test",
    )
    return person


def test_the_application_date_is_the_start_of_the_case(staff, make_person, operator, today):
    person = _registered(make_person(operator), 12)
    assert selectors.asylum_application_date(person) == today - dt.timedelta(
        days=12
    )  # no case phase yet
    from ankomst.centres import services as centre_services

    centre_services.case_phase_set(
        user=staff, person=person, phase="registered", start=today - dt.timedelta(days=40)
    )
    centre_services.case_phase_set(
        user=staff, person=person, phase="before_decision", start=today - dt.timedelta(days=30)
    )
    assert selectors.asylum_application_date(person) == today - dt.timedelta(days=40)


def test_the_dashboard_lists_adult_residents_without_contract_breaches_first(
    staff, centre, make_person, operator, today
):
    late = resident(staff, centre, make_person(operator, "Late Adult"), 20, room="A007")
    in_time = resident(staff, centre, make_person(operator, "New Adult"), 3, room="A008")
    resident(
        staff,
        centre,
        make_person(operator, "A Child", born=today.replace(year=today.year - 10)),
        30,
        room="A107",
    )
    signed = resident(staff, centre, make_person(operator, "Signed Adult"), 30, room="A108")
    resident(
        staff,
        centre,
        make_person(operator, "Refused Adult"),
        300,
        room="A005",
        phase="finally_refused",
    )
    make_person(operator, "Not Living Here")
    services.contract_save(
        user=staff,
        person=signed,
        status="signed",
        signed_on=today,
        hours_per_week=Decimal("20"),
        covers="Danish, cleaning",
        sanctions="Reduced allowance",
    )
    rows = selectors.adults_without_contract(staff, today)
    assert [r.person for r in rows] == [late, in_time]
    assert rows[0].due.breach and rows[0].due.days_since_application == 20
    assert not rows[1].due.breach
    assert rows[0].activation[0] is True


def test_municipalities_are_not_on_the_dashboard(alice, person_a):
    assert selectors.adults_without_contract(alice) == []


def test_a_signed_contract_needs_date_hours_and_content(staff, make_person, operator):
    with pytest.raises(ValidationError) as exc:
        services.contract_save(user=staff, person=make_person(operator), status="signed")
    assert {"signed_on", "hours_per_week", "covers"} <= set(exc.value.message_dict)


def test_not_required_needs_a_reason(staff, make_person, operator):
    person = make_person(operator)
    with pytest.raises(ValidationError):
        services.contract_save(user=staff, person=person, status="not_required")
    contract = services.contract_save(
        user=staff,
        person=person,
        status="not_required",
        not_required_reason="Finally refused, in a departure centre",
    )
    assert contract.organisation == operator


def test_changing_a_contract_keeps_one_row_and_is_audited(staff, make_person, operator, today):
    person = make_person(operator)
    services.contract_save(
        user=staff,
        person=person,
        status="signed",
        signed_on=today,
        hours_per_week=Decimal("15"),
        covers="Danish",
    )
    services.contract_save(
        user=staff,
        person=person,
        status="broken",
        signed_on=today,
        hours_per_week=Decimal("15"),
        covers="Danish",
    )
    assert ResidenceContract.objects.get().status == "broken"
    assert (
        AuditEvent.objects.filter(
            person_id=person.pk, object_type="activities.residencecontract"
        ).count()
        == 2
    )
