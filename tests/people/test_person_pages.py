import datetime as dt

from ankomst.audit.models import AuditEvent
from ankomst.people.models import Household, Language, Person


def form(**overrides):
    data = {
        "name_document": "زينب حداد",
        "name_latin": "Zainab Haddad",
        "date_of_birth": "1992-03-04",
        "sex": "F",
        "nationality": "SY",
        "phone": "",
        "household": "",
        "relation": "",
        "aliases": "",
        "ids-TOTAL_FORMS": "2",
        "ids-INITIAL_FORMS": "0",
        "ids-MIN_NUM_FORMS": "0",
        "ids-MAX_NUM_FORMS": "4",
        "ids-0-kind": "asylum_case",
        "ids-0-value": "24-555001",
        "ids-1-kind": "",
        "ids-1-value": "",
        "langs-TOTAL_FORMS": "1",
        "langs-INITIAL_FORMS": "0",
        "langs-MIN_NUM_FORMS": "0",
        "langs-MAX_NUM_FORMS": "8",
        "langs-0-language": "",
        "langs-0-level": "",
    }
    data.update(overrides)
    return data


def test_it_registers_a_person_with_identifiers_and_languages(client_of, alice, muni_a):
    arabic = Language.objects.get(code="ar")
    response = client_of(alice).post(
        "/people/new/",
        form(
            organisation=muni_a.pk,
            aliases="Zeinab Hadad\nUmm Yusuf",
            **{"langs-0-language": arabic.pk, "langs-0-level": "native"},
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.organisation == muni_a
    assert [i.value for i in person.identifiers.all()] == ["24-555001"]
    assert person.languages.get().language == arabic
    assert sorted(a.name for a in person.aliases.all()) == ["Umm Yusuf", "Zeinab Hadad"]
    assert " yusuf " in person.search_names
    assert AuditEvent.objects.filter(action="create", person_id=person.pk).exists()


def test_it_shows_clear_errors_and_saves_nothing(client_of, alice, muni_a):
    response = client_of(alice).post(
        "/people/new/",
        form(
            organisation=muni_a.pk,
            name_latin="",
            date_of_birth="31-02-2020",
            phone="call me",
            **{"ids-1-kind": "cpr", "ids-1-value": "320190-1234"},
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "has-error" in body
    assert "CPR" in body
    assert Person.objects.count() == 0


def test_it_refuses_a_cpr_that_contradicts_the_birth_date(client_of, alice, muni_a):
    response = client_of(alice).post(
        "/people/new/",
        form(organisation=muni_a.pk, **{"ids-1-kind": "cpr", "ids-1-value": "010190-1234"}),
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_it_accepts_a_cpr_that_matches(client_of, alice, muni_a):
    response = client_of(alice).post(
        "/people/new/",
        form(organisation=muni_a.pk, **{"ids-1-kind": "cpr", "ids-1-value": "0403921234"}),
    )
    assert response.status_code == 302
    assert Person.objects.get().identifiers.get(kind="cpr").value == "040392-1234"


def test_it_refuses_a_case_number_already_used_in_the_organisation(
    client_of, alice, muni_a, person_a
):
    response = client_of(alice).post(
        "/people/new/", form(organisation=muni_a.pk, **{"ids-0-value": "24 123456"})
    )
    assert response.status_code == 200
    assert (
        "already registered" in response.content.decode()
        or "allerede registreret" in response.content.decode()
    )
    assert Person.objects.count() == 1


def test_it_refuses_an_organisation_the_user_is_not_in(client_of, alice, muni_b):
    response = client_of(alice).post("/people/new/", form(organisation=muni_b.pk))
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_it_refuses_a_household_of_another_organisation(client_of, alice, muni_a, muni_b):
    foreign = Household.objects.create(organisation=muni_b, reference="H-9")
    response = client_of(alice).post(
        "/people/new/", form(organisation=muni_a.pk, household=foreign.pk, relation="child")
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_it_edits_and_keeps_what_was_not_changed(client_of, alice, person_a):
    person_a.aliases.create(name="Abu Ali")
    data = form(
        name_latin="Muhammad Al-Hasan",
        name_document=person_a.name_document,
        date_of_birth="1990-05-17",
        sex="M",
        aliases="Abu Ali",
        **{"ids-0-value": "24-123456"},
    )
    response = client_of(alice).post(f"/people/{person_a.pk}/edit/", data)
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.name_latin == "Muhammad Al-Hasan"
    assert [a.name for a in person_a.aliases.all()] == ["Abu Ali"]
    event = AuditEvent.objects.get(action="change")
    assert event.changes["name_latin"] == ["Muhammad Al-Hassan", "Muhammad Al-Hasan"]


def test_the_record_page_shows_rtl_names_with_direction(client_of, alice, person_a):
    body = client_of(alice).get(f"/people/{person_a.pk}/").content.decode()
    assert 'dir="auto"' in body and "محمد الحسن" in body


def test_household_derives_unaccompanied_minor_from_ages(make_person, muni_a):
    today = dt.date.today()
    minors = Household.objects.create(organisation=muni_a, reference="H-1")
    make_person(muni_a, "Ahmad Rahimi", born=today.replace(year=today.year - 16), household=minors)
    make_person(
        muni_a,
        "Ali Rahimi",
        born=today.replace(year=today.year - 13),
        household=minors,
        relation="other_relative",
    )
    family = Household.objects.create(organisation=muni_a, reference="H-2")
    make_person(muni_a, "Reza Karimi", born=dt.date(1985, 1, 1), household=family)
    child = make_person(
        muni_a,
        "Sara Karimi",
        born=today.replace(year=today.year - 5),
        household=family,
        relation="child",
    )
    assert minors.is_unaccompanied_minor()
    assert not family.is_unaccompanied_minor()
    assert not child.is_unaccompanied_minor
    assert Person.objects.get(name_latin="Ali Rahimi").is_unaccompanied_minor


def test_it_turns_18_on_the_birthday(make_person, muni_a):
    today = dt.date.today()
    person = make_person(muni_a, born=today.replace(year=today.year - 18))
    assert person.age() == 18 and not person.is_minor


def test_household_pages(client_of, alice, muni_a):
    client = client_of(alice)
    response = client.post(
        "/people/households/new/",
        {"organisation": muni_a.pk, "reference": "", "notes": "Arrived by bus"},
    )
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.reference == "H-00001"
    assert client.get(f"/people/households/{household.pk}/").status_code == 200
    again = client.post(
        f"/people/households/{household.pk}/edit/", {"reference": "H-00001", "notes": "Moved"}
    )
    assert again.status_code == 302
    household.refresh_from_db()
    assert household.notes == "Moved"
