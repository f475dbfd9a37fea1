"""A person's values are plausible and fit their columns, whatever the entry path."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ankomst.people import services
from ankomst.people.models import Person, PersonAlias


def form_data(organisation, **changes):
    data = {
        "organisation": organisation.pk,
        "name_document": "سامر علي",
        "name_latin": "Samer Ali",
        "date_of_birth": "1990-05-17",
        "sex": "M",
        "nationality": "SY",
        "ids-TOTAL_FORMS": "0",
        "ids-INITIAL_FORMS": "0",
        "langs-TOTAL_FORMS": "0",
        "langs-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "born, message",
    [
        ("1800-01-01", "is not plausible"),
        ("0001-01-01", "is not plausible"),
        ("2030-01-01", "cannot be in the future"),
        ("9999-12-31", "cannot be in the future"),
    ],
)
def test_an_implausible_birth_date_is_a_form_error(client_of, admin_a, muni_a, born, message):
    response = client_of(admin_a).post("/people/new/", form_data(muni_a, date_of_birth=born))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_an_alias_longer_than_its_column_is_a_form_error(client_of, admin_a, muni_a):
    response = client_of(admin_a).post("/people/new/", form_data(muni_a, aliases="A" * 201))
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not PersonAlias.objects.exists() and not Person.objects.exists()


def test_a_nul_byte_in_a_name_is_a_form_error(client_of, admin_a, muni_a):
    response = client_of(admin_a).post("/people/new/", form_data(muni_a, name_latin="Samer\x00"))
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_the_service_refuses_what_the_form_refuses(admin_a, muni_a):
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            user=admin_a,
            organisation=muni_a,
            fields={
                "name_document": "x" * 250,
                "name_latin": "Samer Ali",
                "date_of_birth": dt.date(1800, 1, 1),
                "sex": "M",
            },
            aliases=["A" * 201, "B\x00"],
            identifiers=[services.IdentifierInput("asylum_case", "2" * 60)],
        )
    errors = caught.value.message_dict
    assert {"name_document", "date_of_birth", "aliases", "identifiers"} <= set(errors)
    assert not Person.objects.exists()
