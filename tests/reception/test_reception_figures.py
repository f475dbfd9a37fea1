"""The goals' figures on constructed data, with the small-group rule."""

import datetime as dt

import pytest

from ankomst.people.models import Household, Person, Sex
from ankomst.reception import figures
from ankomst.reception.models import (
    Arrival,
    ChildOffer,
    ChildStart,
    HomeKind,
    HouseholdType,
    IntegrationPlan,
    Origin,
    PlanStatus,
)

D = dt.date
TODAY = D(2026, 12, 2)


@pytest.fixture
def make_arrival(muni_a, alice):
    counter = iter(range(1, 1000))

    def make(
        handover, ages, *, household_type=HouseholdType.SINGLE, first_home="", permanent_from=None
    ):
        household = Household.objects.create(organisation=muni_a, reference=f"H{next(counter)}")
        people = [
            Person.objects.create(
                organisation=muni_a,
                household=household,
                name_latin=f"P {household} {i}",
                name_document="x",
                sex=Sex.FEMALE,
                date_of_birth=handover.replace(year=handover.year - age) - dt.timedelta(days=1),
            )
            for i, age in enumerate(ages)
        ]
        arrival = Arrival.objects.create(
            organisation=muni_a,
            household=household,
            household_type=household_type,
            origin=Origin.MANUAL,
            decision_date=handover - dt.timedelta(days=45),
            rule_handover_date=handover,
            handover_date=handover,
            persons=len(ages),
            first_home=first_home,
            permanent_home_from=permanent_from,
            created_by=alice,
        )
        return arrival, people

    return make


def status(arrival, person, kind, start, alice):
    plan, _ = IntegrationPlan.objects.get_or_create(
        person=person, defaults={"organisation": arrival.organisation, "arrival": arrival}
    )
    PlanStatus.objects.create(plan=plan, status=kind, start=start, created_by=alice)


def test_adults_in_education_or_work_by_months_since_arrival(make_arrival, alice):
    # Six single adults handed over on 1 March 2025; by 6 months, 3 are in work or education.
    for i in range(6):
        arrival, (adult,) = make_arrival(D(2025, 3, 3), [30])
        status(arrival, adult, "language_school", D(2025, 3, 10), alice)
        if i < 3:
            status(arrival, adult, "ordinary_job" if i else "education", D(2025, 7, 1), alice)
        if i == 3:
            status(arrival, adult, "internship", D(2025, 6, 1), alice)  # on the way, not there
    fig = figures.goals(alice, today=TODAY)
    assert fig.cohorts == ["2025 H1"]
    marks = fig.adults_by_months["2025 H1"]
    assert (marks[3].numerator, marks[3].denominator) == (0, 6)
    assert marks[6].value == 50.0
    assert marks[18].denominator == 6
    # 24 months after 3 March 2025 is still to come on 2 December 2026: not counted.
    assert marks[24].denominator == 0 and marks[24].value is None


def test_a_group_under_five_persons_is_not_shown(make_arrival, alice):
    for _i in range(4):
        arrival, (adult,) = make_arrival(D(2025, 9, 1), [40])
        status(arrival, adult, "ordinary_job", D(2025, 10, 1), alice)
    fig = figures.goals(alice, today=TODAY)
    share = fig.adults_by_months["2025 H2"][6]
    assert (share.numerator, share.denominator) == (4, 4)
    assert share.value is None


def test_children_started_within_30_days(make_arrival, alice):
    for i in range(5):
        arrival, (parent, child) = make_arrival(
            D(2026, 2, 2), [35, 7], household_type=HouseholdType.FAMILY
        )
        if i < 4:
            ChildStart.objects.create(
                organisation=arrival.organisation,
                person=child,
                arrival=arrival,
                offer=ChildOffer.SCHOOL,
                started_on=D(2026, 2, 20) if i < 2 else D(2026, 4, 1),
            )
    fig = figures.goals(alice, today=TODAY)
    share = fig.children_within_30["2026 H1"]
    assert (share.numerator, share.denominator) == (2, 5)
    assert share.value == 40.0


def test_families_in_a_permanent_home_and_temporary_stays(make_arrival, alice):
    for i in range(3):
        make_arrival(
            D(2026, 1, 5),
            [30, 30, 4],
            household_type=HouseholdType.FAMILY,
            first_home=HomeKind.PERMANENT if i < 2 else HomeKind.TEMPORARY,
            permanent_from=D(2026, 1, 5) if i < 2 else None,
        )
    for days in (30, 60, 90, 120, 150):
        make_arrival(
            D(2026, 1, 5),
            [25],
            first_home=HomeKind.TEMPORARY,
            permanent_from=D(2026, 1, 5) + dt.timedelta(days=days),
        )
    fig = figures.goals(alice, today=TODAY)
    families = fig.families_permanent["2026 H1"]
    assert (families.numerator, families.denominator) == (6, 9)
    # Six households started in temporary housing; five of them have moved on, median 90 days.
    assert fig.temporary_days["2026 H1"] == (6, 90)


def test_the_trend_counts_adults_within_their_integration_period(make_arrival, alice):
    for _i in range(5):
        arrival, (adult,) = make_arrival(D(2023, 1, 10), [30])
        status(arrival, adult, "ordinary_job", D(2024, 1, 1), alice)
    fig = figures.goals(alice, today=TODAY)
    by_month = dict(fig.trend)
    assert by_month[D(2025, 12, 31)].value == 100.0
    # The integration period of a handover on 10 January 2023 ended on 10 January 2026.
    assert by_month[D(2026, 1, 31)].denominator == 0


def test_the_charts_draw_the_figures_the_page_just_showed(
    make_arrival, alice, bob, client_of, monkeypatch
):
    computed = []
    real = figures.goals
    monkeypatch.setattr(
        figures,
        "goals",
        lambda user, today=None, **kw: computed.append(user) or real(user, today, **kw),
    )
    client = client_of(alice)
    assert client.get("/reception/goals/").status_code == 200
    for name in ("cohorts", "trend", "children"):
        assert client.get(f"/reception/goals/{name}.svg").status_code == 200
    assert computed == [alice]
    # Another municipality's caseworker never draws them: the figures are kept per organisations.
    assert client_of(bob).get("/reception/goals/trend.svg").status_code == 200
    assert computed == [alice, bob]


def test_a_child_born_after_the_handover_is_not_counted_as_not_started(make_arrival, alice):
    for _i in range(5):
        arrival, (_parent, child) = make_arrival(
            D(2025, 2, 3), [35, 7], household_type=HouseholdType.FAMILY
        )
        ChildStart.objects.create(
            organisation=arrival.organisation,
            person=child,
            arrival=arrival,
            offer=ChildOffer.SCHOOL,
            started_on=D(2025, 2, 20),
        )
    make_arrival(D(2025, 2, 3), [30, -1], household_type=HouseholdType.FAMILY)  # born 2026
    share = figures.goals(alice, today=TODAY).children_within_30["2025 H1"]
    assert (share.numerator, share.denominator) == (5, 5)
