"""Concerns and follow-ups: restricted reading, owners of the same organisation, overdue first."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.casework import selectors, services
from ankomst.casework.models import Concern, FollowUp


def _concern(user, organisation, category="conflict", severity="medium", person=None):
    return services.concern_create(
        user=user,
        organisation=organisation,
        category=category,
        severity=severity,
        description="Shouting in the kitchen",
        person=person,
    )


def test_it_registers_a_concern_and_audits_without_the_text(staff, operator, resident):
    _concern(staff, operator, person=resident)
    event = AuditEvent.objects.get(action="create", object_type="casework.concern")
    assert event.person_id == resident.pk
    assert event.changes["description"] == ["***", "***"]


def test_health_concerns_are_audited_as_art_9(staff, operator, resident):
    concern = _concern(staff, operator, category="self_harm", person=resident)
    selectors.concern_get(staff, concern.pk)
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(concern.pk)).exists()
    assert AuditEvent.objects.get(action="create").summary.startswith("Art. 9")


def test_a_concern_needs_a_resident_of_the_same_organisation(staff, operator, person_a):
    with pytest.raises(ValidationError):
        _concern(staff, operator, person=person_a)


@pytest.mark.parametrize(
    "role",
    [
        Role.TEACHER,
        Role.VOLUNTEER,
        Role.FINANCE_OFFICER,
        Role.ADMINISTRATOR,
        Role.VOLUNTEER_COORDINATOR,
    ],
)
def test_roles_without_the_permission_see_no_concern(make_user, operator, staff, role):
    concern = _concern(staff, operator)
    user = make_user(role, operator)
    assert not selectors.concerns_visible_to(user).exists()
    with pytest.raises(Http404):
        selectors.concern_get(user, concern.pk)


def test_a_manager_reads_but_does_not_write(make_user, operator, staff):
    manager = make_user(Role.MANAGER, operator)
    concern = _concern(staff, operator)
    assert selectors.concern_get(manager, concern.pk) == concern
    with pytest.raises(PermissionDenied):
        services.concern_close(user=manager, concern=concern, outcome="Resolved")


def test_a_manager_does_not_see_health_concerns(make_user, operator, staff):
    manager = make_user(Role.MANAGER, operator)
    _concern(staff, operator, category="health")
    assert not selectors.concerns_visible_to(manager).exists()


def test_another_organisation_gets_404(bob, staff, operator):
    concern = _concern(staff, operator)
    with pytest.raises(Http404):
        selectors.concern_get(bob, concern.pk)


def test_a_follow_up_owner_works_in_the_organisation(staff, colleague, alice, operator):
    concern = _concern(staff, operator)
    due = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.follow_up_add(
            user=staff, concern=concern, description="Talk to both", owner=alice, due_on=due
        )
    follow_up = services.follow_up_add(
        user=staff, concern=concern, description="Talk to both", owner=colleague, due_on=due
    )
    services.follow_up_done(user=colleague, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_a_police_report_needs_date_and_reference(staff, operator):
    concern = _concern(staff, operator, category="suspected_crime", severity="high")
    with pytest.raises(ValidationError):
        services.police_report_add(
            user=staff, concern=concern, reported_on=timezone.localdate(), reference=" "
        )
    report = services.police_report_add(
        user=staff,
        concern=concern,
        reported_on=timezone.localdate(),
        reference="4100-12345-00001-26",
    )
    assert report.kind == "police" and report.done_at is not None
    with pytest.raises(IntegrityError):
        FollowUp.objects.create(
            concern=concern,
            kind="police",
            description="x",
            owner=staff,
            created_by=staff,
            due_on=timezone.localdate(),
        )


def test_closing_needs_an_outcome(staff, operator):
    concern = _concern(staff, operator)
    with pytest.raises(ValidationError):
        services.concern_close(user=staff, concern=concern, outcome="  ")
    services.concern_close(
        user=staff, concern=concern, outcome="Mediated; both moved to other rooms"
    )
    concern.refresh_from_db()
    assert concern.closed_at is not None and concern.closed_by == staff
    with pytest.raises(ValidationError):
        services.follow_up_add(
            user=staff,
            concern=concern,
            description="More",
            owner=staff,
            due_on=timezone.localdate(),
        )


def test_the_database_refuses_a_closed_concern_without_outcome(staff, operator):
    concern = _concern(staff, operator)
    with pytest.raises(IntegrityError):
        Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now())


def test_overdue_follow_ups_come_first_then_severity(staff, colleague, operator):
    today = timezone.localdate()
    critical = _concern(staff, operator, severity="critical")
    low_overdue = _concern(staff, operator, severity="low")
    medium = _concern(staff, operator, severity="medium")
    done_late = _concern(staff, operator, severity="high")
    services.follow_up_add(
        user=staff,
        concern=low_overdue,
        description="Call",
        owner=colleague,
        due_on=today - dt.timedelta(days=2),
    )
    services.follow_up_add(
        user=staff,
        concern=critical,
        description="Meet",
        owner=colleague,
        due_on=today + dt.timedelta(days=1),
    )
    old = services.follow_up_add(
        user=staff,
        concern=done_late,
        description="Done late",
        owner=colleague,
        due_on=today - dt.timedelta(days=5),
    )
    services.follow_up_done(user=colleague, follow_up=old)
    rows = selectors.concern_list(staff, today=today)
    assert rows == [low_overdue, critical, done_late, medium]
    assert [c.overdue for c in rows] == [1, 0, 0, 0]
