"""A person who moved to another operator is not paid twice for the same days.

Records are per organisation, so the person has a record at each operator; the
national asylum case number names them both.
"""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.allowances import services
from ankomst.allowances.models import PaymentLine, PaymentRun, Scheme
from ankomst.centres.models import Bed, Building, Catering, Centre, CentreType, Room, RoomKind, Stay

CASE = "24-000777"


@pytest.fixture
def other_operator(db):
    return Organisation.objects.create(
        name="Jammerbugt Asyl (test)", kind=OrganisationKind.CENTRE_OPERATOR, country="DK"
    )


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _stay(person, user, since: dt.date, until: dt.date | None = None) -> Stay:
    centre = Centre.objects.create(
        organisation=person.organisation,
        name=f"Centre {person.pk}",
        centre_type=CentreType.RESIDENCE,
        catering=Catering.SELF_CATERING,
    )
    room = Room.objects.create(
        building=Building.objects.create(centre=centre, name="A"), number="1", kind=RoomKind.SINGLE
    )
    bed = Bed.objects.create(room=room, label="1")
    return Stay.objects.create(
        person=person,
        bed=bed,
        organisation=person.organisation,
        start=_aware(since),
        end=_aware(until) if until else None,
        created_by=user,
    )


@pytest.fixture
def moved(make_person, make_user, dk_operator, other_operator):
    """Yonas lived at the first operator until 6 March and at the other one since; Dawit only there."""
    first_user = make_user(Role.CASEWORKER, dk_operator)
    other_user = make_user(Role.CASEWORKER, other_operator)
    before = make_person(
        dk_operator, "Yonas Tesfaye", born=dt.date(1999, 1, 1), nationality="ER", case_number=CASE
    )
    after = make_person(
        other_operator,
        "Yonas Tesfaye",
        born=dt.date(1999, 1, 1),
        nationality="ER",
        case_number=CASE,
    )
    dawit = make_person(other_operator, "Dawit Haile", born=dt.date(1997, 5, 1), nationality="ER")
    _stay(before, first_user, dt.date(2024, 1, 10), until=dt.date(2024, 3, 6))
    _stay(after, other_user, dt.date(2024, 3, 6))
    _stay(dawit, other_user, dt.date(2024, 2, 1))
    return {
        "first_user": first_user,
        "other_user": other_user,
        "before": before,
        "after": after,
        "dawit": dawit,
    }


def _prepare(user, organisation, start: dt.date) -> PaymentRun:
    return services.run_prepare(
        user=user,
        organisation=organisation,
        scheme=Scheme.ALLOWANCE,
        period_start=start,
        cutoff=start - dt.timedelta(days=3),
    )


def _paid(run: PaymentRun, person) -> bool:
    return PaymentLine.objects.filter(run=run, person=person).exists()


def test_the_other_operator_pays_only_the_days_the_first_does_not(
    moved, dk_operator, other_operator
):
    first = _prepare(
        moved["first_user"], dk_operator, dt.date(2024, 3, 4)
    )  # cut-off 1 March: still there
    assert _paid(first, moved["before"])

    # the other operator's periods start a week later: 11-24 March overlaps 4-17 March,
    # so it pays 18-24 March, 7 days
    other = _prepare(moved["other_user"], other_operator, dt.date(2024, 3, 11))
    basic = PaymentLine.objects.get(run=other, person=moved["after"], rule="dk.basic_allowance")
    assert basic.units == 7 and basic.amount == basic.rate * 7
    assert "× 7 days" in basic.explanation
    dawit = PaymentLine.objects.get(run=other, person=moved["dawit"], rule="dk.basic_allowance")
    assert dawit.units == 14
    [note] = other.skipped
    assert note["person_id"] == moved["after"].pk and note["code"] == "paid_in_part"
    assert note["params"] == {
        "case": CASE,
        "operator": dk_operator.name,
        "period": "2024-03-04–2024-03-17",
        "days": "2024-03-18–2024-03-24",
    }


def test_the_statement_shows_the_days_paid(moved, dk_operator, other_operator, client_of):
    _prepare(moved["first_user"], dk_operator, dt.date(2024, 3, 4))
    other = _prepare(moved["other_user"], other_operator, dt.date(2024, 3, 11))
    client = client_of(moved["other_user"])
    moved_page = client.get(
        reverse("allowances:statement", args=[other.pk, f"p{moved['after'].pk}"])
    )
    assert "2024-03-18 – 2024-03-24" in moved_page.content.decode()
    dawit_page = client.get(
        reverse("allowances:statement", args=[other.pk, f"p{moved['dawit'].pk}"])
    )
    assert "2024-03-11 – 2024-03-24" in dawit_page.content.decode()


def test_a_period_the_other_run_covers_whole_is_not_paid(
    make_person, make_user, dk_operator, other_operator
):
    users = {}
    for organisation in (dk_operator, other_operator):
        # in a bed at both operators on the cut-off date: the first has not yet registered the move
        users[organisation.pk] = make_user(Role.CASEWORKER, organisation)
        person = make_person(
            organisation, "Yonas Tesfaye", born=dt.date(1999, 1, 1), case_number=CASE
        )
        _stay(person, users[organisation.pk], dt.date(2024, 1, 10))
    _prepare(users[dk_operator.pk], dk_operator, dt.date(2024, 3, 4))
    same = _prepare(users[other_operator.pk], other_operator, dt.date(2024, 3, 4))
    assert not PaymentLine.objects.filter(run=same).exists()
    [note] = same.skipped
    assert note["code"] == "paid_elsewhere" and "covers this whole period" in note["reason"]


def test_days_on_both_sides_of_the_other_run_are_left_to_be_paid_by_hand(
    make_person, make_user, dk_operator, other_operator
):
    first_user, other_user = (
        make_user(Role.CASEWORKER, dk_operator),
        make_user(Role.CASEWORKER, other_operator),
    )
    # at the other operator on 1 March, moved to the first on 3 March
    at_other = make_person(
        other_operator, "Yonas Tesfaye", born=dt.date(1999, 1, 1), case_number=CASE
    )
    at_first = make_person(dk_operator, "Yonas Tesfaye", born=dt.date(1999, 1, 1), case_number=CASE)
    _stay(at_other, other_user, dt.date(2024, 1, 10), until=dt.date(2024, 3, 3))
    _stay(at_first, first_user, dt.date(2024, 3, 3))
    inside = services.run_prepare(
        user=first_user,
        organisation=dk_operator,
        scheme=Scheme.ALLOWANCE,
        period_start=dt.date(2024, 3, 8),
        period_end=dt.date(2024, 3, 14),
        cutoff=dt.date(2024, 3, 5),
    )
    assert _paid(inside, at_first)
    around = _prepare(
        other_user, other_operator, dt.date(2024, 3, 4)
    )  # 4-17 March, cut-off 1 March
    assert not _paid(around, at_other)
    [note] = around.skipped
    assert note["code"] == "paid_elsewhere_gap" and "must be paid by hand" in note["reason"]


def test_a_later_period_that_does_not_overlap_is_paid(moved, dk_operator, other_operator):
    _prepare(moved["first_user"], dk_operator, dt.date(2024, 3, 4))
    later = _prepare(moved["other_user"], other_operator, dt.date(2024, 3, 18))
    assert _paid(later, moved["after"]) and later.skipped == []


def test_a_cancelled_run_does_not_count(moved, dk_operator, other_operator):
    first = _prepare(moved["first_user"], dk_operator, dt.date(2024, 3, 4))
    services.run_cancel(user=moved["first_user"], run=first)
    other = _prepare(moved["other_user"], other_operator, dt.date(2024, 3, 11))
    assert _paid(other, moved["after"])


def test_the_run_page_says_why_in_the_users_language(moved, dk_operator, other_operator, client_of):
    _prepare(moved["first_user"], dk_operator, dt.date(2024, 3, 4))
    other = _prepare(moved["other_user"], other_operator, dt.date(2024, 3, 11))
    client = client_of(moved["other_user"])
    url = reverse("allowances:run_detail", args=[other.pk])
    english = client.get(url).content.decode()
    assert f"asylum case {CASE} is in {dk_operator.name}" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"  # the language the user chose
    try:
        danish = client.get(url).content.decode()
    finally:
        translation.activate("en")
    assert f"asylsag {CASE}" in danish


@pytest.mark.django_db(transaction=True)
def test_two_operators_preparing_at_once_pay_a_person_once(
    make_person, make_user, dk_operator, other_operator
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "advisory locks need PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway"
        )
    users = {}
    for organisation in (dk_operator, other_operator):
        # the same person in a bed of both operators at the cut-off: a check-out not yet registered
        users[organisation.pk] = make_user(Role.CASEWORKER, organisation)
        person = make_person(
            organisation, "Yonas Tesfaye", born=dt.date(1999, 1, 1), case_number=CASE
        )
        _stay(person, users[organisation.pk], dt.date(2024, 1, 10))
    barrier = threading.Barrier(2)
    results: list[object] = []

    def prepare(organisation):
        try:
            barrier.wait()
            results.append(_prepare(users[organisation.pk], organisation, dt.date(2024, 3, 4)))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=prepare, args=(org,)) for org in (dk_operator, other_operator)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    runs = [r for r in results if isinstance(r, PaymentRun)]
    assert len(runs) == 2, results
    assert (
        PaymentLine.objects.filter(
            rule="dk.basic_allowance", person__identifiers__value=CASE
        ).count()
        == 1
    )
    assert sorted(len(run.skipped) for run in PaymentRun.objects.all()) == [0, 1]
