from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.people.models import SensitiveData


def test_it_asks_for_a_purpose_before_showing(client_of, alice, person_a):
    SensitiveData.objects.create(person=person_a, health_notes="Diabetes type 1")
    client = client_of(alice)
    first = client.get(f"/people/{person_a.pk}/sensitive/")
    assert "Diabetes" not in first.content.decode()
    shown = client.get(
        f"/people/{person_a.pk}/sensitive/", {"purpose": "Planning a doctor's visit"}
    )
    assert "Diabetes" in shown.content.decode()
    event = AuditEvent.objects.get(action="view_sensitive")
    assert event.purpose == "Planning a doctor's visit"


def test_the_record_page_never_shows_health_data(client_of, alice, person_a):
    SensitiveData.objects.create(person=person_a, health_notes="Diabetes type 1")
    assert "Diabetes" not in client_of(alice).get(f"/people/{person_a.pk}/").content.decode()


def test_an_administrator_without_the_permission_is_refused(client_of, admin_a, person_a):
    SensitiveData.objects.create(person=person_a, health_notes="Diabetes type 1")
    response = client_of(admin_a).get(f"/people/{person_a.pk}/sensitive/", {"purpose": "curious"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=admin_a, action="denied").exists()


def test_changes_are_logged_without_their_content(client_of, alice, person_a):
    response = client_of(alice).post(
        f"/people/{person_a.pk}/sensitive/",
        {
            "purpose": "Health check at arrival",
            "health_notes": "Asthma",
            "religion": "",
            "ethnicity": "",
        },
    )
    assert response.status_code == 302
    assert SensitiveData.objects.get(person=person_a).health_notes == "Asthma"
    event = AuditEvent.objects.get(action="change")
    assert event.changes["health_notes"] == ["***", "***"]
    assert "Asthma" not in str(event.changes)


def test_a_teacher_cannot_change_them(client_of, make_user, muni_a, person_a):
    teacher = make_user(Role.TEACHER, muni_a)
    response = client_of(teacher).post(
        f"/people/{person_a.pk}/sensitive/",
        {"purpose": "x", "health_notes": "changed", "religion": "", "ethnicity": ""},
    )
    assert response.status_code == 404  # a teacher does not even open person records
    assert not SensitiveData.objects.filter(health_notes="changed").exists()


def test_a_finance_officer_cannot_change_them(client_of, make_user, muni_a, person_a):
    finance = make_user(Role.FINANCE_OFFICER, muni_a)
    response = client_of(finance).post(
        f"/people/{person_a.pk}/sensitive/",
        {"purpose": "x", "health_notes": "changed", "religion": "", "ethnicity": ""},
    )
    assert response.status_code == 403
    assert not SensitiveData.objects.filter(health_notes="changed").exists()
