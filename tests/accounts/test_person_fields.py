"""Each role sees only the person fields its job needs (the table in accounts/fields.py).

The expectations are written out here, role by role, rather than read from the table,
so that a change of the table that shows a role more than its job needs fails a test.
"""

import datetime as dt

import pytest

from ankomst.accounts.fields import ROLE_PERSON_FIELDS, PersonField
from ankomst.accounts.roles import Perm, Role, role_grants
from ankomst.audit.models import Action, AuditEvent
from ankomst.people.models import Household, Language, PersonAlias, PersonLanguage, Sex

F = PersonField

# What the person page shows for each field: a text only that field puts on the page.
MARKERS = {
    F.NAME: ["أمينة يوسف"],
    F.ALIASES: ["Aminah Youssef"],
    F.DATE_OF_BIRTH: ["1988", "Date of birth"],
    F.SEX: ["Sex", "Female"],
    F.NATIONALITY: ["Eritrea"],
    F.LANGUAGES: ["Tigrinya", "ትግርኛ"],
    F.PHONE: ["+4520304050"],
    F.IDENTIFIERS: ["24-424242", "Identifiers"],
    F.HOUSEHOLD: ["HH-777"],
    F.HOUSEHOLD_SIZE: ["3 persons in the household"],
    F.HOUSING_NEEDS: ["Needs accessible housing"],
    F.ORGANISATION: ["Municipality A"],
    F.STAYS: ["Bed and stays"],
}

WHOLE = set(PersonField)
# None: the role opens no person record at all.
EXPECTED = {
    Role.ADMINISTRATOR: WHOLE,
    Role.CASEWORKER: WHOLE,
    Role.CENTRE_STAFF: WHOLE,
    Role.FINANCE_OFFICER: {
        F.NAME,
        F.DATE_OF_BIRTH,
        F.IDENTIFIERS,
        F.HOUSEHOLD,
        F.HOUSEHOLD_SIZE,
        F.ORGANISATION,
    },
    Role.VOLUNTEER_COORDINATOR: {F.NAME, F.LANGUAGES, F.HOUSEHOLD_SIZE},
    Role.TEACHER: None,
    Role.MANAGER: None,
    Role.VOLUNTEER: None,
}


@pytest.fixture
def amina(make_person, muni_a):
    household = Household.objects.create(organisation=muni_a, reference="HH-777")
    person = make_person(
        muni_a,
        "Amina Yusuf",
        name_document="أمينة يوسف",
        born=dt.date(1988, 3, 14),
        sex=Sex.FEMALE,
        household=household,
        case_number="24-424242",
        nationality="ER",
        phone="+4520304050",
    )
    make_person(muni_a, "Yonas Yusuf", household=household, relation="child")
    make_person(muni_a, "Selam Yusuf", household=household, relation="child")
    PersonAlias.objects.create(person=person, name="Aminah Youssef")
    tigrinya, _ = Language.objects.get_or_create(
        code="ti", defaults={"name": "Tigrinya", "native_name": "ትግርኛ"}
    )
    PersonLanguage.objects.create(person=person, language=tigrinya, level="native")
    person.refresh_search(["Aminah Youssef"])
    return person


def shown_fields(html: str) -> set[PersonField]:
    return {field for field, texts in MARKERS.items() if any(t in html for t in texts)}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_the_person_page_shows_exactly_the_roles_fields(client_of, make_user, muni_a, amina, role):
    user = make_user(role, muni_a)
    response = client_of(user).get(f"/people/{amina.pk}/")
    expected = EXPECTED[role]
    if expected is None:
        assert response.status_code == 404
        assert AuditEvent.objects.filter(
            actor=user, action=Action.DENIED, object_type="people.person", object_id=str(amina.pk)
        ).exists()
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina Yusuf" in html
    assert shown_fields(html) == expected
    viewed = AuditEvent.objects.get(actor=user, action=Action.VIEW, person_id=amina.pk)
    assert all(field.value in viewed.summary for field in expected)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_search_results_show_only_the_roles_fields(client_of, make_user, muni_a, amina, role):
    user = make_user(role, muni_a)
    response = client_of(user).get("/people/", {"q": "amina"})
    expected = EXPECTED[role]
    if expected is None:
        assert response.status_code == 403
        assert AuditEvent.objects.filter(actor=user, action=Action.DENIED).exists()
        return
    html = response.content.decode()
    assert "1 person found" in html and "Amina Yusuf" in html
    columns = {
        F.DATE_OF_BIRTH: "1988",
        F.NATIONALITY: "Eritrea",
        F.LANGUAGES: "Tigrinya",
        F.HOUSEHOLD: "HH-777",
    }
    for field, text in columns.items():
        assert (text in html) == (field in expected), field
    if F.HOUSEHOLD_SIZE in expected and F.HOUSEHOLD not in expected:
        assert "3 persons" in html
    for never in ("24-424242", "+4520304050", "Aminah Youssef"):
        assert never not in html


@pytest.mark.parametrize(
    "role, found",
    [(Role.CASEWORKER, 1), (Role.FINANCE_OFFICER, 1), (Role.VOLUNTEER_COORDINATOR, 0)],
    ids=str,
)
def test_only_roles_that_see_case_numbers_find_by_them(
    client_of, make_user, muni_a, amina, role, found
):
    """Otherwise a search would tell a volunteer coordinator whose case number it is."""
    user = make_user(role, muni_a)
    html = client_of(user).get("/people/", {"q": "24-424242"}).content.decode()
    if found == 0:
        assert "No one found" in html
    else:
        assert (f"{found} person found" if found == 1 else f"{found} persons found") in html


def test_the_household_page_needs_the_household_field(client_of, make_user, muni_a, amina):
    coordinator = make_user(Role.VOLUNTEER_COORDINATOR, muni_a)
    response = client_of(coordinator).get(f"/people/households/{amina.household_id}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=coordinator, action=Action.DENIED, object_type="people.household"
    ).exists()
    finance = make_user(Role.FINANCE_OFFICER, muni_a)
    html = client_of(finance).get(f"/people/households/{amina.household_id}/").content.decode()
    assert "Yonas Yusuf" in html and "1988" in html
    assert "Female" not in html  # sex is not what payments need


def test_a_user_with_two_roles_sees_the_union(client_of, make_user, muni_a, amina):
    from ankomst.accounts.models import Membership

    user = make_user(Role.VOLUNTEER_COORDINATOR, muni_a)
    Membership.objects.create(user=user, organisation=muni_a, role=Role.FINANCE_OFFICER)
    html = client_of(user).get(f"/people/{amina.pk}/").content.decode()
    assert shown_fields(html) == EXPECTED[Role.FINANCE_OFFICER] | {F.LANGUAGES}


def test_fields_follow_the_organisation_of_the_record(
    client_of, make_user, muni_a, muni_b, make_person, amina
):
    """Caseworker in A, volunteer coordinator in B: a record of B shows only B's fields."""
    from ankomst.accounts.models import Membership

    user = make_user(Role.CASEWORKER, muni_a)
    Membership.objects.create(user=user, organisation=muni_b, role=Role.VOLUNTEER_COORDINATOR)
    other = make_person(muni_b, "Amina Tesfaye", case_number="24-515151", phone="+4599887766")
    client = client_of(user)
    assert "+4599887766" not in client.get(f"/people/{other.pk}/").content.decode()
    assert "+4520304050" in client.get(f"/people/{amina.pk}/").content.decode()
    results = client.get("/people/", {"q": "amina"}).content.decode()
    assert "2 persons found" in results
    assert "24-515151" not in results


def test_every_role_is_in_the_table():
    assert set(ROLE_PERSON_FIELDS) == set(Role)


def test_searching_and_opening_records_goes_with_seeing_more_than_a_name():
    """The permission to open records (roles.py) and the field table agree."""
    for role in Role:
        beyond_name = ROLE_PERSON_FIELDS[role] - {F.NAME}
        assert role_grants(role, Perm.VIEW_PERSON) == bool(beyond_name), role


def test_no_role_sees_art9_data_through_the_record():
    names = {field.value for field in PersonField}
    assert names.isdisjoint({"health", "health_notes", "religion", "ethnicity"})
