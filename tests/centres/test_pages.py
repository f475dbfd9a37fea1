import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.centres import services
from tests.centres.conftest import bed


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.ADMINISTRATOR, 200),
        (Role.CASEWORKER, 200),
        (Role.CENTRE_STAFF, 200),
        (Role.FINANCE_OFFICER, 200),
        (Role.MANAGER, 200),
        (Role.TEACHER, 403),
        (Role.VOLUNTEER, 403),
        (Role.VOLUNTEER_COORDINATOR, 403),
    ],
)
def test_who_sees_the_overview(client_of, make_user, operator, centre, role, status):
    assert client_of(make_user(role, operator)).get("/centres/").status_code == status


def test_another_operators_centre_is_a_404(client_of, make_user, centre):
    other = Organisation.objects.create(
        name="Other operator", kind=OrganisationKind.CENTRE_OPERATOR
    )
    outsider = make_user(Role.CENTRE_STAFF, other)
    client = client_of(outsider)
    assert client.get(f"/centres/{centre.pk}/").status_code == 404
    assert client.get(f"/centres/{centre.pk}/check-in/").status_code == 404
    assert "Residence North" not in client.get("/centres/").content.decode()


def test_a_manager_cannot_check_in(client_of, make_user, operator, centre):
    manager = make_user(Role.MANAGER, operator)
    assert client_of(manager).get(f"/centres/{centre.pk}/check-in/").status_code == 404


def test_the_national_overview_is_only_for_the_agency(
    client_of, make_user, operator, centre, staff, make_person
):
    services.check_in(
        user=staff,
        placements=[services.Placement(make_person(operator, "Samer Ali"), bed(centre, "A005"))],
    )
    agency = Organisation.objects.create(name="Agency", kind=OrganisationKind.NATIONAL_AGENCY)
    national = client_of(make_user(Role.MANAGER, agency)).get("/centres/").content.decode()
    assert "All operators" in national and "Operator" in national
    assert "Samer" not in national  # figures only
    assert "All operators" not in client_of(staff).get("/centres/").content.decode()


def test_the_centre_page_shows_residents_to_staff_and_audits_it(
    client_of, staff, centre, operator, make_person
):
    from ankomst.audit.models import AuditEvent

    services.check_in(
        user=staff,
        placements=[services.Placement(make_person(operator, "Samer Ali"), bed(centre, "A005"))],
    )
    body = client_of(staff).get(f"/centres/{centre.pk}/").content.decode()
    assert "Samer Ali" in body
    assert AuditEvent.objects.filter(object_type="centres.centre", action="view").exists()


def test_the_csv_export_has_a_row_per_centre(client_of, staff, centre):
    response = client_of(staff).get("/centres/occupancy.csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("operator,centre,type,places")
    assert lines[1].split(",")[1:4] == ["Residence North", "residence", "40"]


def test_a_past_date_shows_past_occupancy(client_of, staff, centre, operator, make_person):
    person = make_person(operator, "Samer Ali")
    services.check_in(
        user=staff,
        placements=[services.Placement(person, bed(centre, "A005"))],
        at=timezone.now() - dt.timedelta(days=3),
    )
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    long_ago = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    client = client_of(staff)
    assert (
        "1 of 40 places occupied"
        in client.get(f"/centres/{centre.pk}/", {"date": yesterday}).content.decode()
    )
    assert (
        "0 of 40 places occupied"
        in client.get(f"/centres/{centre.pk}/", {"date": long_ago}).content.decode()
    )


def test_the_person_page_shows_the_stay_history(client_of, staff, centre, operator, make_person):
    person = make_person(operator, "Samer Ali")
    services.check_in(
        user=staff,
        placements=[services.Placement(person, bed(centre, "A005"))],
        at=timezone.now() - dt.timedelta(days=3),
    )
    services.transfer(user=staff, placements=[services.Placement(person, bed(centre, "A105"))])
    body = client_of(staff).get(f"/people/{person.pk}/").content.decode()
    assert "A105" in body and "A005" in body and "Transferred" in body


def test_phases_list_longest_waiting_first(client_of, staff, operator, make_person):
    today = timezone.localdate()
    old = make_person(operator, "Waited Long")
    new = make_person(operator, "Just Arrived")
    services.case_phase_set(
        user=staff, person=old, phase="before_decision", start=today - dt.timedelta(days=200)
    )
    services.case_phase_set(
        user=staff, person=new, phase="before_decision", start=today - dt.timedelta(days=2)
    )
    body = client_of(staff).get("/centres/phases/").content.decode()
    assert body.index("Waited Long") < body.index("Just Arrived")


def test_the_occupancy_chart_draws_in_danish(client_of, make_user, operator, centre):
    client = client_of(make_user(Role.CASEWORKER, operator))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get("/centres/").content.decode()
    assert "<svg" in page
    # geometry in the interface's number format ("12,5") would draw nothing
    assert not re.search(r'(?:x|y|width|height)="-?\d+,\d', page)
