from collections import Counter

import pytest

from ankomst.accounts.models import Organisation, Unit, User
from ankomst.accounts.roles import Role
from ankomst.demo.services import DEMO_PASSWORD, create_demo
from ankomst.people.models import Household, Person


def test_it_builds_the_estate_and_the_population(db):
    result = create_demo()
    assert result.created
    centres = Unit.objects.filter(kind="centre")
    assert centres.count() == 3
    assert sum(c.places for c in centres) == 1600
    assert 1300 <= Person.objects.count() <= 1500
    nationalities = Counter(Person.objects.values_list("nationality", flat=True))
    assert {"UA", "SY", "ER", "AF", "IR", "SO"} <= set(nationalities)
    unaccompanied = [h for h in Household.objects.prefetch_related("members") if h.is_unaccompanied_minor()]
    assert 5 <= len(unaccompanied) <= 100
    # Every person has a name in both forms and an asylum case number.
    assert not Person.objects.filter(name_latin="").exists()
    assert Person.objects.filter(identifiers__kind="asylum_case").distinct().count() == Person.objects.count()


def test_it_creates_one_user_per_role_whose_password_works(db):
    create_demo()
    roles = set()
    for user in User.objects.prefetch_related("memberships"):
        roles |= {m.role for m in user.memberships.all()}
    assert roles == set(Role.values)
    assert User.objects.get(username="caseworker").check_password(DEMO_PASSWORD)


def test_running_it_twice_creates_nothing_twice(db):
    create_demo()
    counts = (Organisation.objects.count(), Person.objects.count(), User.objects.count(),
              Household.objects.count())
    second = create_demo()
    assert not second.created
    assert counts == (Organisation.objects.count(), Person.objects.count(), User.objects.count(),
                      Household.objects.count())


def test_it_is_deterministic(db):
    create_demo(seed=7, persons_at_operator=200)
    first = list(Person.objects.order_by("id").values_list("name_latin", "date_of_birth", "nationality"))
    Person.objects.all().delete()
    Household.objects.all().delete()
    Unit.objects.all().delete()
    Organisation.objects.all().delete()
    create_demo(seed=7, persons_at_operator=200)
    second = list(Person.objects.order_by("id").values_list("name_latin", "date_of_birth", "nationality"))
    assert first == second
