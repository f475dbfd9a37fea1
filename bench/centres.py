"""Benchmarks for the centres: bed allocation and the national occupancy page.

    python bench/centres.py                 # SQLite (temp file) and PostgreSQL if reachable
    python bench/centres.py --sqlite-only

Targets (issue "Asylum centres"): allocating 500 arrivals into the 1,600-place
demo estate under 1 s; the national occupancy page with 20 operators and
30,000 places under 300 ms. Each backend runs in its own process on a fresh
database; the table prints medians of repeated runs.
"""

from __future__ import annotations

import os
import sys

from common import measure, rows_or_worker

PG_DB = "ankomst_bench_centres"


def worker() -> dict:
    """Runs inside a process whose DATABASE_URL points at an empty database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
    from ankomst.accounts.roles import Role
    from ankomst.centres import allocation
    from ankomst.centres.estate import build_estate
    from ankomst.centres.models import Bed, Catering, Centre, CentreType, Stay
    from ankomst.centres.selectors import room_states
    from ankomst.demo.centres import OPERATOR_CENTRES

    call_command("migrate", verbosity=0)
    results: dict = {"backend": connection.vendor}

    # 1. Allocation: 500 arrivals into the 1,600-place demo estate (empty).
    operator = Organisation.objects.create(
        name="Bench operator", kind=OrganisationKind.CENTRE_OPERATOR
    )
    centres = [
        Centre.objects.create(
            organisation=operator, name=name, centre_type=kind, catering=catering, address=address
        )
        for name, kind, catering, address, _ in OPERATOR_CENTRES
    ]
    for centre, (*_rest, layout) in zip(centres, OPERATOR_CENTRES, strict=True):
        build_estate(centre, layout)
    rng = random.Random(1)
    households, persons = [], 0
    while persons < 500:
        size = min(rng.choice([1, 1, 1, 2, 3, 4, 5, 6]), 500 - persons)
        ages = [rng.randint(19, 55)] + [rng.randint(0, 17) for _ in range(size - 1)]
        households.append(
            allocation.Household(
                len(households),
                tuple(
                    allocation.Arrival(
                        f"{len(households)}-{i}", age, rng.choice("FM"), rng.random() < 0.02
                    )
                    for i, age in enumerate(ages)
                ),
            )
        )
        persons += size
    centre_ids = [c.pk for c in centres]
    results["places"] = Bed.objects.filter(room__building__centre__in=centres).count()
    results["arrivals"] = persons
    results["read_rooms_s"] = measure(lambda: room_states(centre_ids), 5)[0]
    rooms_snapshot = room_states(centre_ids)

    def allocate_only():
        import copy

        allocation.allocate(households, copy.deepcopy(rooms_snapshot))

    results["allocate_s"] = measure(allocate_only, 5)[0]
    results["allocate_total_s"] = results["read_rooms_s"] + results["allocate_s"]
    suggestions = allocation.allocate(households, room_states(centre_ids))
    results["placed"] = sum(len(s.beds) for s in suggestions)

    # 2. National occupancy: 20 operators, 30,000 places, about 75 % occupied.
    from ankomst.centres.estate import BuildingSpec, RoomSpec

    layout = [
        BuildingSpec(
            f"B{b}",
            3,
            (
                RoomSpec("family", 4, 20),
                RoomSpec("dorm_male", 6, 5),
                RoomSpec("dorm_female", 6, 3),
                RoomSpec("single", 1, 12),
            ),
        )
        for b in range(5)
    ]  # 2,100 beds per centre; the first 1,500 are kept
    per_operator = 1500
    from ankomst.people.models import Person

    staff = User.objects.create(username="bench-staff")
    stays = []
    for o in range(20):
        org = Organisation.objects.create(
            name=f"Operator {o:02d}", kind=OrganisationKind.CENTRE_OPERATOR
        )
        centre = Centre.objects.create(
            organisation=org,
            name=f"Centre {o:02d}",
            centre_type=CentreType.CHILDREN if o == 19 else CentreType.RESIDENCE,
            catering=Catering.SELF_CATERING,
        )
        build_estate(centre, layout)
        beds = list(
            Bed.objects.filter(room__building__centre=centre)
            .order_by("id")
            .values_list("id", flat=True)[:per_operator]
        )
        Bed.objects.filter(room__building__centre=centre).exclude(id__in=beds).delete()
        occupied = beds[: int(len(beds) * 0.75)]
        people = Person.objects.bulk_create(
            [
                Person(organisation=org, name_latin=f"P {o}-{i}", name_document="x", sex="M")
                for i in range(len(occupied))
            ],
            batch_size=2000,
        )
        now = timezone.now()
        stays += [
            Stay(
                person=p,
                bed_id=b,
                organisation=org,
                start=now - timezone.timedelta(days=30),
                created_by=staff,
            )
            for p, b in zip(people, occupied, strict=True)
        ]
    Stay.objects.bulk_create(stays, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    agency = Organisation.objects.create(name="Agency", kind=OrganisationKind.NATIONAL_AGENCY)
    viewer = User.objects.create(username="bench-agency")
    Membership.objects.create(user=viewer, organisation=agency, role=Role.MANAGER)
    results["national_places"] = Bed.objects.filter(
        room__building__centre__organisation__name__startswith="Operator"
    ).count()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)

    def page():
        response = client.get("/centres/")
        assert response.status_code == 200 and "Operator 19" in response.content.decode()

    page()  # warm caches and templates
    results["national_page_s"] = measure(page, 7)[0]
    return results


def main() -> int:
    rows = rows_or_worker(__file__, PG_DB, worker)
    if rows is None:
        return 0
    print()
    print("Bed allocation: arrivals into the demo estate (target < 1 s)")
    print(
        f"{'backend':<11}{'places':>8}{'arrivals':>10}{'placed':>8}{'read rooms':>12}{'allocate':>10}{'total':>9}{'vs target':>11}"
    )
    for r in rows:
        print(
            f"{r['backend']:<11}{r['places']:>8}{r['arrivals']:>10}{r['placed']:>8}{r['read_rooms_s']:>11.3f}s"
            f"{r['allocate_s']:>9.3f}s{r['allocate_total_s']:>8.3f}s{r['allocate_total_s'] / 1.0:>10.2f}x"
        )
    print()
    print("National occupancy page, 20 operators (target < 300 ms)")
    print(f"{'backend':<11}{'places':>8}{'median':>10}{'vs target':>11}")
    for r in rows:
        print(
            f"{r['backend']:<11}{r['national_places']:>8}{r['national_page_s'] * 1000:>8.0f}ms"
            f"{r['national_page_s'] / 0.3:>10.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
