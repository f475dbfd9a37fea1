from collections import Counter

from ankomst.accounts.models import Organisation, Unit, User
from ankomst.accounts.roles import Role
from ankomst.centres.models import CasePhase, Centre, Stay
from ankomst.demo.services import DEMO_PASSWORD, create_demo
from ankomst.people.models import Household, Person


def test_it_builds_the_estate_and_the_population(demo):
    assert demo.created
    operator = Organisation.objects.get(name="Asylafdelingen Vesthimmerland (demo)")
    centres = Unit.objects.filter(kind="centre", organisation=operator)
    assert centres.count() == 3
    assert sum(c.places for c in centres) == 1600
    # Unaccompanied minors live at a children's centre of another operator.
    assert Centre.objects.filter(centre_type="children").exclude(organisation=operator).count() == 1
    # 1,250 at the operator, about 640 received by the municipality over two years, and the
    # municipality's copies of the households it is about to receive.
    assert 2200 <= Person.objects.count() <= 2800
    nationalities = Counter(Person.objects.values_list("nationality", flat=True))
    assert {"UA", "SY", "ER", "AF", "IR", "SO"} <= set(nationalities)
    unaccompanied = [
        h for h in Household.objects.prefetch_related("members") if h.is_unaccompanied_minor()
    ]
    assert 5 <= len(unaccompanied) <= 100
    # Every person has a name in both forms and an asylum case number.
    assert not Person.objects.filter(name_latin="").exists()
    assert (
        Person.objects.filter(identifiers__kind="asylum_case").distinct().count()
        == Person.objects.count()
    )


def test_it_creates_one_user_per_role_whose_password_works(demo):
    roles = set()
    for user in User.objects.prefetch_related("memberships"):
        roles |= {m.role for m in user.memberships.all()}
    assert roles == set(Role.values)
    assert User.objects.get(username="caseworker").check_password(DEMO_PASSWORD)


def test_running_it_twice_creates_nothing_twice(demo):
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Household.objects.count(),
    )
    second = create_demo()
    assert not second.created
    assert counts == (
        Organisation.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Household.objects.count(),
    )


def test_it_is_deterministic(db):
    from django.db import transaction

    def run():
        with transaction.atomic():
            create_demo(seed=7, persons_at_operator=60)
            rows = list(
                Person.objects.order_by("id").values_list(
                    "name_latin", "date_of_birth", "nationality"
                )
            )
            stays = list(Stay.objects.order_by("id").values_list("bed__room__number", "start"))
            transaction.set_rollback(True)
        return rows, stays

    first = run()
    assert Person.objects.count() == 0
    assert first == run()


def test_it_gives_residents_beds_and_a_year_of_history(demo):
    open_stays = Stay.objects.filter(end__isnull=True)
    assert open_stays.count() == demo.stays["residents"]
    assert 900 <= open_stays.count() <= 1400
    assert Stay.objects.filter(is_transfer_out=True).exists()
    assert Stay.objects.exclude(end_reason="").exists()
    assert (
        Stay.objects.filter(previous__isnull=False).count()
        == Stay.objects.filter(is_transfer_out=True).count()
    )
    # Nobody holds two beds and no bed holds two persons now.
    assert open_stays.values("person").distinct().count() == open_stays.count()
    assert open_stays.values("bed").distinct().count() == open_stays.count()
    # Unaccompanied minors only at the children's centre.
    for stay in open_stays.select_related("person__household", "bed__room__building__centre"):
        if stay.person.household.is_unaccompanied_minor():
            assert stay.bed.room.building.centre.centre_type == "children"
    assert CasePhase.objects.filter(phase="granted").exists()
