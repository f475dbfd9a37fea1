"""Benchmarks for the municipal reception: arrivals, department queues and the goals page.

    python bench/reception.py                 # SQLite (temp file) and PostgreSQL if reachable
    python bench/reception.py --sqlite-only

Targets (issue "Municipal reception"): creating 500 arrivals with their checklists under
2 s; a department queue of 5,000 open tasks rendered on the server under 200 ms; the goals
page over 5 years and 10,000 arrivals under 500 ms on PostgreSQL.

The households are drawn from a distribution of household sizes and ages that is not the
demo's (sizes 1 to 9, a third single adults, some unaccompanied minors, elderly members);
the five years of history are then filled by the same code that builds the demo's two
years. Each backend runs in its own process on a fresh database, and the goals page is timed
in a second process that did not build the history; times are medians, the worst of the
repeats is printed beside them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from common import measure, rows_or_worker

PG_DB = "ankomst_bench_reception"

CREATE_ARRIVALS = 500
QUEUE_TASKS = 5000
GOALS_ARRIVALS = 10_000
GOALS_YEARS = 5


def make_households(org, count: int, rng, today: dt.date) -> list:
    """``count`` households of the municipality with members of believable, mixed ages."""
    from ankomst.people.models import Household, Person, Relation

    households = Household.objects.bulk_create(
        [Household(organisation=org, reference=f"B-{i:05d}") for i in range(count)],
        batch_size=2000,
    )
    persons = []
    for h in households:
        kind = rng.random()
        if kind < 0.33:  # a single adult
            ages = [rng.randint(18, 64)]
        elif kind < 0.38:  # an unaccompanied minor
            ages = [rng.randint(13, 17)]
        elif kind < 0.55:  # a couple, sometimes with an elderly parent
            ages = [rng.randint(20, 60), rng.randint(20, 60)]
            if rng.random() < 0.15:
                ages.append(rng.randint(65, 85))
        else:  # a family with 1 to 7 children
            ages = [rng.randint(22, 50), rng.randint(20, 48)][: rng.choice([1, 2, 2, 2])]
            ages += [rng.randint(0, 17) for _ in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 7]))]
        for n, age in enumerate(ages):
            born = today - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
            adult = age >= 18
            persons.append(
                Person(
                    organisation=org,
                    household=h,
                    relation=Relation.HEAD
                    if n == 0
                    else Relation.SPOUSE
                    if adult
                    else Relation.CHILD,
                    name_latin=f"Person {h.reference}-{n}",
                    name_document=f"Person {h.reference}-{n}",
                    date_of_birth=born,
                    sex=rng.choice("FM"),
                )
            )
    Person.objects.bulk_create(persons, batch_size=2000)
    return households


def worker() -> dict:
    """Runs inside a process whose DATABASE_URL points at an empty database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from ankomst.accounts.models import (
        Membership,
        Organisation,
        OrganisationKind,
        Unit,
        UnitKind,
        User,
    )
    from ankomst.accounts.roles import Role
    from ankomst.demo import reception as demo_reception
    from ankomst.reception import services
    from ankomst.reception.models import Arrival, Origin, Task, TaskStatus

    call_command("migrate", verbosity=0)
    results: dict = {"backend": connection.vendor}
    rng = random.Random(11)
    today = timezone.localdate()

    def member(org, username: str, role: str, unit=None) -> User:
        user = User.objects.create(username=username)
        Membership.objects.create(user=user, organisation=org, role=role, unit=unit)
        return user

    # 1. 500 arrivals with their checklists: as a batch (the import's and the demo's path),
    #    and one at a time through the service a caseworker's form calls.
    town = Organisation.objects.create(name="Bench town", kind=OrganisationKind.MUNICIPALITY)
    caseworker = member(town, "bench-caseworker", Role.CASEWORKER)
    households = make_households(town, CREATE_ARRIVALS + 50, rng, today)
    services.ensure_checklist(town)
    batch = [
        services.NewArrival(h, today - dt.timedelta(days=rng.randint(0, 40)))
        for h in households[:CREATE_ARRIVALS]
    ]
    started = time.perf_counter()
    with transaction.atomic():
        services._create_arrivals(
            user=caseworker, municipality=town, origin=Origin.IMPORT, new=batch
        )
    results["create_s"] = time.perf_counter() - started
    results["created"] = Arrival.objects.filter(organisation=town).count()
    results["created_tasks"] = Task.objects.filter(organisation=town).count()
    started = time.perf_counter()
    for household in households[CREATE_ARRIVALS:]:
        services.create_arrival(
            user=caseworker, household=household, decision_date=today, handover_date=None
        )
    results["create_one_ms"] = (time.perf_counter() - started) * 1000 / 50

    # 2. One department's queue with 5,000 open tasks.
    department = UnitKind.CITIZEN_SERVICE
    open_now = Task.objects.filter(
        organisation=town, department=department, status=TaskStatus.OPEN
    ).count()
    arrivals = list(Arrival.objects.filter(organisation=town))
    extra = []
    for i in range(max(0, QUEUE_TASKS - open_now)):
        arrival = arrivals[i % len(arrivals)]
        due = arrival.handover_date + dt.timedelta(days=rng.randint(-30, 60))
        extra.append(
            Task(
                organisation=town,
                arrival=arrival,
                code=f"bench-{i}",
                title=f"Follow-up call {i}",
                department=department,
                days_from_handover=(due - arrival.handover_date).days,
                due_on=due,
            )
        )
    Task.objects.bulk_create(extra, batch_size=2000)
    results["queue_open"] = Task.objects.filter(
        organisation=town, department=department, status=TaskStatus.OPEN
    ).count()
    unit, _ = Unit.objects.get_or_create(
        organisation=town, kind=department, defaults={"name": "Borgerservice"}
    )
    clerk = member(town, "bench-clerk", Role.CASEWORKER, unit)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(clerk)

    def queue_page(show: str):
        def get():
            response = client.get(f"/reception/queue/?department={department}&show={show}")
            assert response.status_code == 200, response.status_code

        return get

    for show in ("due", "overdue"):
        queue_page(show)()  # warm templates
        results[f"queue_{show}_s"], results[f"queue_{show}_worst_s"] = measure(queue_page(show), 9)

    # 3. The goals page of a municipality with 10,000 arrivals over 5 years.
    city = Organisation.objects.create(name="Bench city", kind=OrganisationKind.MUNICIPALITY)
    User.objects.create(username="caseworker")  # the demo code's author of the history
    member(city, "bench-manager", Role.MANAGER)
    started = time.perf_counter()
    households = make_households(city, GOALS_ARRIVALS, rng, today)
    demo_reception.HISTORY_DAYS = 365 * GOALS_YEARS
    built = demo_reception.create_reception_demo(city, households, seed=5)
    results["goals_build_s"] = time.perf_counter() - started
    results["goals_arrivals"] = built["arrivals"]
    results["goals_plans"] = built["plans"]
    results["goals_children"] = built["children"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return results


def timer() -> dict:
    """The goals page, timed in a fresh process on the database ``worker`` built: a server's
    process does not hold ten thousand households' objects, the builder's does (and pays
    for them in every garbage collection)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import django

    django.setup()
    from django.test import Client

    from ankomst.accounts.models import User
    from ankomst.reception.charts import CHARTS

    results: dict = {}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench-manager"))

    def goals_page():
        response = client.get("/reception/goals/")
        assert response.status_code == 200, response.status_code

    def goals_with_charts():
        goals_page()
        for name in CHARTS:
            response = client.get(f"/reception/goals/{name}.svg")
            assert response.status_code == 200, response.status_code

    goals_page()
    results["goals_s"], results["goals_worst_s"] = measure(goals_page, 5)
    results["goals_charts_s"], results["goals_charts_worst_s"] = measure(goals_with_charts, 3)
    return results


def main() -> int:
    rows = rows_or_worker(__file__, PG_DB, worker, timer)
    if rows is None:
        return 0
    print()
    print(f"Creating {CREATE_ARRIVALS} arrivals with their checklists (target < 2 s)")
    print(
        f"{'backend':<11}{'arrivals':>9}{'tasks':>8}{'batch':>9}{'vs target':>11}{'one by one':>12}"
    )
    for r in rows:
        print(
            f"{r['backend']:<11}{CREATE_ARRIVALS:>9}{r['created_tasks']:>8}{r['create_s']:>8.2f}s"
            f"{r['create_s'] / 2.0:>10.2f}x{r['create_one_ms']:>8.0f}ms/1"
        )
    print()
    print("A department queue, first page, server time (target < 200 ms)")
    print(f"{'backend':<11}{'open':>6}{'filter':>9}{'median':>9}{'worst':>8}{'vs target':>11}")
    for r in rows:
        for show in ("due", "overdue"):
            print(
                f"{r['backend']:<11}{r['queue_open']:>6}{show:>9}"
                f"{r[f'queue_{show}_s'] * 1000:>7.0f}ms{r[f'queue_{show}_worst_s'] * 1000:>6.0f}ms"
                f"{r[f'queue_{show}_s'] / 0.2:>10.2f}x"
            )
    print()
    print(f"The goals page, {GOALS_YEARS} years of arrivals (target < 500 ms on PostgreSQL)")
    print(
        f"{'backend':<11}{'arrivals':>9}{'plans':>7}{'children':>9}{'page':>8}{'worst':>8}"
        f"{'+charts':>11}{'vs target':>11}"
    )
    for r in rows:
        print(
            f"{r['backend']:<11}{r['goals_arrivals']:>9}{r['goals_plans']:>7}"
            f"{r['goals_children']:>9}{r['goals_s'] * 1000:>6.0f}ms{r['goals_worst_s'] * 1000:>6.0f}ms"
            f"{r['goals_charts_s'] * 1000:>9.0f}ms{r['goals_s'] / 0.5:>10.2f}x"
        )
    print(f"(building the {GOALS_YEARS} years of history took {rows[-1]['goals_build_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
