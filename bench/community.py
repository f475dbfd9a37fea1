"""Benchmarks for the community: matching the waiting list, generating childcare shifts, and
the open-shifts overview.

    python bench/community.py                 # SQLite (temp file) and PostgreSQL if reachable
    python bench/community.py --sqlite-only

Targets (issue "Community"): matching 3,000 waiting households against 5,000 volunteers in
under 2 s; generating a term's childcare shifts for 40 classes in under 1 s; the open-shifts
overview with 10,000 future shifts under 200 ms on the server.

Matching runs on four families of instances, three seeds each, built independently of the
demo: "even" (languages, interests and places spread evenly), "concentrated" (most households
speak one of two languages that few volunteers speak; most live in two districts), "tight"
(few volunteers per household, many wishes for a woman, volunteers who take one household)
and "alike" (volunteers nearly interchangeable: many ties). Each is solved by the engine, by
the exact dense assignment over every pair (SciPy's ``linear_sum_assignment``, the reference
for the gap) and by first come, first served (each household in order of waiting takes its
best free volunteer). The table reports the worst time and the worst gap per family.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time

from common import ROOT, measure, rows_or_worker

sys.path.insert(0, str(ROOT / "src"))

PG_DB = "ankomst_bench_community"
HOUSEHOLDS, VOLUNTEERS = 3000, 5000
SEEDS = (1, 2, 3)
CLASSES, WEEKS, PARENTS_PER_CLASS = 40, 15, 20
FUTURE_SHIFTS = 10_000

LANGS = ["ar", "fa", "prs", "ps", "ti", "so", "uk", "ru", "ku", "en", "fr"]
INTERESTS = [
    "sport",
    "cooking",
    "music",
    "crafts",
    "nature",
    "children",
    "reading",
    "technology",
    "culture",
    "gardening",
    "language",
    "jobs",
]
LEVELS = ["native", "fluent", "good", "basic"]


def instance(family: str, seed: int):
    from ankomst.community.matching import Household, Volunteer

    rng = random.Random(seed)
    places = [f"district {i}" for i in range(12)]
    households, volunteers = [], []
    for i in range(HOUSEHOLDS):
        if family == "concentrated":
            own = rng.choices(["ar", "ti", *LANGS], weights=[45, 35, *[2] * len(LANGS)])[0]
            place = rng.choices(places, weights=[40, 30, *[3] * 10])[0]
        else:
            own, place = rng.choice(LANGS), rng.choice(places)
        languages = {own: "native"}
        if rng.random() < 0.6:
            languages["da"] = rng.choice(["basic", "basic", "good"])
        wish = "F" if (family == "tight" and rng.random() < 0.5) or rng.random() < 0.1 else ""
        households.append(
            Household(
                key=i,
                kind=rng.choice(["contact_person", "contact_person", "network_family"]),
                languages=languages,
                interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 3))),
                place=place,
                children=rng.choice([0, 0, 1, 2, 3, 4]),
                volunteer_sex=wish,
            )
        )
    for j in range(VOLUNTEERS if family != "tight" else HOUSEHOLDS // 2):
        if family == "alike":
            languages = {"da": "native", "en": "good"}
            interests = frozenset(["cooking", "nature"])
            place = places[j % 2]
        else:
            languages = {"da": "native"}
            if rng.random() < (0.05 if family == "concentrated" else 0.25):
                languages[rng.choice(LANGS)] = rng.choice(LEVELS)
            interests = frozenset(rng.sample(INTERESTS, rng.randint(1, 4)))
            place = rng.choice(places)
        kinds = rng.choice(
            [("contact_person",), ("network_family",), ("contact_person", "network_family")]
        )
        volunteers.append(
            Volunteer(
                key=100_000 + j,
                kinds=frozenset(kinds),
                sex=rng.choice("FFM"),
                free=1 if family == "tight" else rng.choice([1, 1, 1, 2]),
                languages=languages,
                interests=interests,
                place=place,
                family=rng.random() < 0.4,
                earlier_arrival=rng.random() < 0.08,
                prefers=rng.choice(["", "", "family", "adults"]),
            )
        )
    return households, volunteers


def first_come_first_served(households, volunteers) -> float:
    """Each household in order of waiting takes its best volunteer with a free place."""
    import numpy as np

    from ankomst.community.matching import SPREAD, _slots, _Tables

    owner, rank = _slots(volunteers)
    used = np.zeros(len(volunteers), dtype=np.int64)
    free = np.bincount(owner, minlength=len(volunteers))
    tables = _Tables(households, volunteers)
    total = 0.0
    for start in range(0, len(households), 512):
        scores = tables.scores(slice(start, min(start + 512, len(households))))
        for row in scores:
            row = np.where(used < free, row - SPREAD * used, -np.inf)
            best = int(np.argmax(row))
            if np.isfinite(row[best]):
                used[best] += 1
                total += float(row[best])
    return total


def matching_rows() -> list[dict]:
    from ankomst.community.matching import propose, propose_exact

    rows = []
    for family in ("even", "concentrated", "tight", "alike"):
        worst = {"time": 0.0, "gap": 0.0, "fcfs": 1.0, "exact_time": 0.0, "unmatched": 0}
        for seed in SEEDS:
            households, volunteers = instance(family, seed)
            started = time.perf_counter()
            proposal = propose(households, volunteers)
            took = time.perf_counter() - started
            started = time.perf_counter()
            exact = propose_exact(households, volunteers)
            exact_took = time.perf_counter() - started
            greedy = first_come_first_served(households, volunteers)
            gap = (exact.total - proposal.total) / exact.total if exact.total else 0.0
            worst["time"] = max(worst["time"], took)
            worst["exact_time"] = max(worst["exact_time"], exact_took)
            worst["gap"] = max(worst["gap"], gap)
            worst["fcfs"] = min(worst["fcfs"], greedy / exact.total if exact.total else 1.0)
            worst["unmatched"] = max(worst["unmatched"], len(proposal.unmatched))
        rows.append({"family": family, **worst, "volunteers": len(volunteers)})
    return rows


def worker() -> dict:
    """Build a term of 40 classes and 10,000 future shifts; time the generation."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
    from ankomst.accounts.roles import Role
    from ankomst.activities.models import Activity, ActivityKind, Enrolment, Session
    from ankomst.community import services
    from ankomst.community.models import Partnership, Shift, ShiftTemplate, Signup, Volunteer
    from ankomst.people.models import Household, Person

    rng = random.Random(7)
    today = timezone.localdate()
    operator = Organisation.objects.create(
        name="Bench operator", kind=OrganisationKind.CENTRE_OPERATOR
    )
    group = Organisation.objects.create(
        name="Bench group", kind=OrganisationKind.VOLUNTEER_ORGANISATION
    )
    Partnership.objects.create(volunteer_organisation=group, partner=operator, since=today)
    coordinator = User.objects.create(username="bench-coordinator")
    Membership.objects.create(user=coordinator, organisation=group, role=Role.VOLUNTEER_COORDINATOR)
    volunteer_user = User.objects.create(username="bench-volunteer")
    Membership.objects.create(user=volunteer_user, organisation=group, role=Role.VOLUNTEER)
    teacher = User.objects.create(username="bench-teacher")
    households = Household.objects.bulk_create(
        [
            Household(organisation=operator, reference=f"H{i}")
            for i in range(CLASSES * PARENTS_PER_CLASS)
        ]
    )
    parents, children = [], []
    for h in households:
        parents.append(
            Person(
                organisation=operator,
                household=h,
                name_latin="Parent",
                name_document="P",
                date_of_birth=today - dt.timedelta(days=rng.randint(20, 45) * 365),
                sex="F",
            )
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            children.append(
                Person(
                    organisation=operator,
                    household=h,
                    name_latin="Child",
                    name_document="C",
                    date_of_birth=today - dt.timedelta(days=rng.randint(0, 12 * 365)),
                    relation="child",
                    sex=rng.choice("FM"),
                )
            )
    Person.objects.bulk_create(parents + children, batch_size=2000)
    activities = Activity.objects.bulk_create(
        [
            Activity(
                organisation=operator,
                kind=ActivityKind.DANISH,
                name=f"Danish {i}",
                place=f"Room {i % 8}",
            )
            for i in range(CLASSES)
        ]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(activity=activities[i // PARENTS_PER_CLASS], person=p, enrolled_on=today)
            for i, p in enumerate(parents)
        ],
        batch_size=2000,
    )
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    sessions = [
        Session(
            activity=a,
            date=monday + dt.timedelta(weeks=w, days=day),
            starts_at=dt.time(9),
            ends_at=dt.time(12),
            place=a.place,
            teacher=teacher,
        )
        for a in activities
        for w in range(WEEKS)
        for day in (i % 5 for i in (a.pk, a.pk + 2))
    ]
    Session.objects.bulk_create(sessions, batch_size=2000)
    template = ShiftTemplate.objects.create(organisation=group, name="Childcare")
    end = monday + dt.timedelta(weeks=WEEKS)

    started = time.perf_counter()
    done = services.generate_childcare(
        user=coordinator, organisation=group, template=template, start=monday, end=end
    )
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    services.generate_childcare(
        user=coordinator, organisation=group, template=template, start=monday, end=end
    )
    regenerate_s = time.perf_counter() - started

    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                organisation=group,
                name=f"V{i}",
                sex="F",
                birth_year=1980,
                place="X",
                joined_on=today,
                certificate_date=today,
            )
            for i in range(300)
        ]
    )
    Volunteer.objects.filter(pk=volunteers[0].pk).update(user=volunteer_user)
    now = timezone.now()
    extra = FUTURE_SHIFTS - Shift.objects.filter(organisation=group).count()
    Shift.objects.bulk_create(
        [
            Shift(
                organisation=group,
                kind="other",
                title=f"Shift {i}",
                place=f"Place {i % 30}",
                starts_at=now + dt.timedelta(hours=6 + i),
                ends_at=now + dt.timedelta(hours=8 + i),
                needed=rng.randint(1, 3),
            )
            for i in range(extra)
        ],
        batch_size=2000,
    )
    shifts = list(Shift.objects.filter(organisation=group).values_list("pk", "needed"))
    Signup.objects.bulk_create(
        [
            Signup(shift_id=pk, volunteer=v, status="confirmed")
            for pk, needed in shifts
            for v in rng.sample(volunteers, rng.randint(0, needed))
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return {
        "generate_s": generate_s,
        "regenerate_s": regenerate_s,
        "sessions": len(sessions),
        "created": done["created"],
        "future_shifts": len(shifts),
    }


def timer() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import django

    django.setup()
    from django.test import Client

    from ankomst.accounts.models import User

    results = {}
    for who in ("coordinator", "volunteer"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=f"bench-{who}"))

        def page(client=client):
            response = client.get("/community/shifts/")
            assert response.status_code == 200, response.status_code

        page()
        results[f"shifts_{who}_s"], results[f"shifts_{who}_worst_s"] = measure(page, 7)
        client.get("/community/childcare/")
        results[f"childcare_{who}_s"] = (
            measure(lambda c=client: c.get("/community/childcare/"), 5)[0]
            if who == "coordinator"
            else 0
        )
    return results


def main() -> int:
    rows = rows_or_worker(__file__, PG_DB, worker, timer)
    if rows is None:
        return 0
    print()
    print(
        f"Matching {HOUSEHOLDS:,} waiting households to {VOLUNTEERS:,} volunteers "
        f"(target < 2 s); worst of {len(SEEDS)} seeds per family"
    )
    print(
        f"{'family':<14}{'volunteers':>11}{'engine s':>10}{'exact s':>9}{'gap %':>8}"
        f"{'FCFS / opt':>12}{'unmatched':>11}"
    )
    for r in matching_rows():
        print(
            f"{r['family']:<14}{r['volunteers']:>11,}{r['time']:>10.2f}{r['exact_time']:>9.2f}"
            f"{100 * r['gap']:>8.3f}{100 * r['fcfs']:>11.1f}%{r['unmatched']:>11,}"
        )
    print()
    print(
        f"Childcare shifts for {CLASSES} classes over {WEEKS} weeks (target < 1 s), and the "
        f"open-shifts overview with {FUTURE_SHIFTS:,} future shifts (target < 200 ms)"
    )
    print(
        f"{'backend':<12}{'sessions':>9}{'created':>9}{'generate s':>12}{'again s':>9}"
        f"{'open shifts ms (coord / vol, worst)':>38}{'coverage ms':>13}"
    )
    for r in rows:
        print(
            f"{r['backend']:<12}{r['sessions']:>9,}{r['created']:>9,}{r['generate_s']:>12.2f}"
            f"{r['regenerate_s']:>9.2f}"
            f"{1000 * r['shifts_coordinator_s']:>14.0f} / {1000 * r['shifts_volunteer_s']:.0f}"
            f" ({1000 * max(r['shifts_coordinator_worst_s'], r['shifts_volunteer_worst_s']):.0f})"
            f"{'':>9}{1000 * r['childcare_coordinator_s']:>13.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
