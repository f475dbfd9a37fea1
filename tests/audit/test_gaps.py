"""Pages that show personal data and wrote no audit event before: each now does."""

import pytest

from ankomst.accounts.roles import Role
from ankomst.audit.models import Action, AuditEvent
from ankomst.casework import services as casework
from ankomst.people.models import Household


def _views(**filters):
    return AuditEvent.objects.filter(action__in=[Action.VIEW, Action.VIEW_SENSITIVE], **filters)


@pytest.fixture
def health_concern(staff, operator, make_person):
    resident = make_person(operator, "Resident One")
    return casework.concern_create(
        user=staff,
        organisation=operator,
        category="health",
        severity="medium",
        description="Not eating",
        person=resident,
    )


def test_the_household_edit_form(client_of, alice, muni_a):
    household = Household.objects.create(organisation=muni_a, reference="H-1", notes="Needs a cot")
    assert client_of(alice).get(f"/people/households/{household.pk}/edit/").status_code == 200
    event = _views(object_type="people.household", object_id=str(household.pk)).get()
    assert event.organisation_id == muni_a.pk


def test_the_health_concern_edit_form_is_a_sensitive_view(client_of, staff, health_concern):
    assert client_of(staff).get(f"/concerns/{health_concern.pk}/edit/").status_code == 200
    event = _views(object_id=str(health_concern.pk)).get()
    assert event.action == Action.VIEW_SENSITIVE
    assert event.person_id == health_concern.person_id


def test_a_new_concern_about_a_named_person(client_of, staff, operator, make_person):
    resident = make_person(operator, "Resident Two")
    assert client_of(staff).get("/concerns/new/", {"person": resident.pk}).status_code == 200
    assert _views(person_id=resident.pk).exists()


def test_an_invalid_post_re_rendering_a_concern(client_of, staff, health_concern):
    response = client_of(staff).post(f"/concerns/{health_concern.pk}/close/", {"outcome": ""})
    assert response.status_code == 400
    assert _views(object_id=str(health_concern.pk), action=Action.VIEW_SENSITIVE).exists()


def test_the_line_correction_page(client_of, caseworker, run):
    line = run.lines.filter(person__isnull=False).first()
    url = f"/payments/runs/{run.pk}/lines/{line.pk}/correct/"
    assert client_of(caseworker).get(url).status_code == 200
    event = _views(person_id=line.person_id).get()
    assert event.organisation_id == run.organisation_id


def test_the_line_correction_page_refused_is_audited(client_of, finance, run):
    line = run.lines.filter(person__isnull=False).first()
    url = f"/payments/runs/{run.pk}/lines/{line.pk}/correct/"
    assert client_of(finance).get(url).status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=finance).exists()


def test_the_minors_list(client_of, caseworker, dk_operator):
    assert client_of(caseworker).get("/payments/minors/").status_code == 200
    assert _views(actor=caseworker, organisation_id=dk_operator.pk).exists()


def test_check_in_search_results(client_of, make_user, operator, centre, make_person):
    staff = make_user(Role.CENTRE_STAFF, operator)
    make_person(operator, "Yonas Tesfaye")
    client_of(staff).get(f"/centres/{centre.pk}/check-in/", {"q": "Yonas"})
    event = AuditEvent.objects.get(action=Action.SEARCH)
    assert "Yonas" in event.summary and "1 found" in event.summary
    assert event.organisation_id == operator.pk
