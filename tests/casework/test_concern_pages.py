"""The concern pages: restricted, audited, overdue first and marked in words."""

import datetime as dt

from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.casework import services
from ankomst.casework.models import Concern


def test_staff_register_a_concern_by_case_number(client_of, staff, operator, resident):
    case = resident.identifiers.get().value
    response = client_of(staff).post(
        "/concerns/new/",
        {
            "organisation": operator.pk,
            "resident": case,
            "category": "violence",
            "severity": "high",
            "description": "Fight in the canteen",
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert concern.person == resident


def test_the_form_explains_an_unknown_resident(client_of, staff, operator):
    body = (
        client_of(staff)
        .post(
            "/concerns/new/",
            {
                "organisation": operator.pk,
                "resident": "Nobody Atall",
                "category": "conflict",
                "severity": "low",
                "description": "x",
            },
        )
        .content.decode()
    )
    assert "No resident of the organisation matches" in body
    assert not Concern.objects.exists()


def test_the_list_puts_overdue_first_and_says_so(client_of, staff, colleague, operator):
    today = timezone.localdate()
    critical = services.concern_create(
        user=staff,
        organisation=operator,
        category="conflict",
        severity="critical",
        description="Threats",
    )
    late = services.concern_create(
        user=staff, organisation=operator, category="conflict", severity="low", description="Noise"
    )
    services.follow_up_add(
        user=staff,
        concern=late,
        description="Talk",
        owner=colleague,
        due_on=today - dt.timedelta(days=1),
    )
    body = client_of(staff).get("/concerns/").content.decode()
    assert body.index(f"#{late.pk}<") < body.index(f"#{critical.pk}<")
    assert "Overdue: 1 follow-up" in body
    assert AuditEvent.objects.filter(
        action="view", object_type="casework.concern", actor=staff
    ).exists()


def test_closing_without_outcome_is_refused_with_a_message(client_of, staff, operator):
    concern = services.concern_create(
        user=staff, organisation=operator, category="conflict", severity="low", description="Noise"
    )
    client = client_of(staff)
    body = client.post(f"/concerns/{concern.pk}/close/", {"close-outcome": ""}).content.decode()
    assert "Describe the outcome before closing the concern." in body
    response = client.post(f"/concerns/{concern.pk}/close/", {"close-outcome": "Resolved"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert not concern.is_open


def test_follow_up_and_police_report_through_the_page(client_of, staff, colleague, operator):
    concern = services.concern_create(
        user=staff,
        organisation=operator,
        category="suspected_crime",
        severity="high",
        description="Theft",
    )
    client = client_of(staff)
    client.post(
        f"/concerns/{concern.pk}/follow-ups/",
        {
            "follow_up-description": "Talk to victim",
            "follow_up-owner": colleague.pk,
            "follow_up-due_on": timezone.localdate().isoformat(),
        },
    )
    client.post(
        f"/concerns/{concern.pk}/police-report/",
        {
            "police-reported_on": timezone.localdate().isoformat(),
            "police-reference": "4100-1",
        },
    )
    assert list(concern.follow_ups.values_list("kind", flat=True).order_by("id")) == [
        "action",
        "police",
    ]


def test_teacher_volunteer_and_other_organisations_cannot_open_a_concern(
    client_of, make_user, staff, operator, bob
):
    concern = services.concern_create(
        user=staff, organisation=operator, category="conflict", severity="low", description="Noise"
    )
    for user in (make_user(Role.TEACHER, operator), make_user(Role.VOLUNTEER, operator)):
        client = client_of(user)
        assert client.get("/concerns/").status_code == 403
        assert client.get(f"/concerns/{concern.pk}/").status_code == 404
    assert client_of(bob).get(f"/concerns/{concern.pk}/").status_code == 404


def test_a_health_concern_view_is_logged_as_sensitive(client_of, staff, operator, resident):
    concern = services.concern_create(
        user=staff,
        organisation=operator,
        category="health",
        severity="medium",
        description="Not eating",
        person=resident,
    )
    client_of(staff).get(f"/concerns/{concern.pk}/")
    event = AuditEvent.objects.filter(action="view_sensitive", object_id=str(concern.pk)).get()
    assert event.person_id == resident.pk
