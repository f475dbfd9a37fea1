"""A caseworker of municipality A never reaches a resident of municipality B."""

import pytest

from ankomst.audit.models import AuditEvent


@pytest.mark.parametrize("path", ["/people/{pk}/", "/people/{pk}/edit/", "/people/{pk}/sensitive/"])
def test_it_answers_404_for_another_municipalitys_person(client_of, alice, person_b, path):
    response = client_of(alice).get(path.format(pk=person_b.pk))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=alice, action="denied", object_id=str(person_b.pk)
    ).exists()


def test_it_answers_404_for_another_municipalitys_household(client_of, alice, make_person, muni_b):
    from ankomst.people.models import Household

    household = Household.objects.create(organisation=muni_b, reference="H-1")
    make_person(muni_b, household=household)
    assert client_of(alice).get(f"/people/households/{household.pk}/").status_code == 404
    assert client_of(alice).get(f"/people/households/{household.pk}/edit/").status_code == 404


def test_it_cannot_be_tricked_by_posting_an_edit(client_of, alice, person_b):
    response = client_of(alice).post(f"/people/{person_b.pk}/edit/", {"name_latin": "Changed"})
    assert response.status_code == 404
    person_b.refresh_from_db()
    assert person_b.name_latin == "Muhammad Darwish"


def test_it_hides_other_municipalities_in_search_pages(client_of, alice, person_a, person_b):
    body = client_of(alice).get("/people/", {"q": "muhammad"}).content.decode()
    assert "Al-Hassan" in body
    assert "Darwish" not in body


def test_it_shows_the_own_persons(client_of, alice, person_a):
    assert client_of(alice).get(f"/people/{person_a.pk}/").status_code == 200


def test_it_gives_a_user_in_two_organisations_both(
    client_of, make_user, muni_a, muni_b, person_a, person_b
):
    from ankomst.accounts.roles import Role

    both = make_user(Role.CASEWORKER, muni_a, muni_b)
    client = client_of(both)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    assert client.get(f"/people/{person_b.pk}/").status_code == 200
