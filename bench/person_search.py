"""Name search at 100,000 persons: how fast, and how well does it match spellings?

    python bench/person_search.py [--persons 100000]

Builds a throwaway database per backend (SQLite file, PostgreSQL database
``ankomst_bench_search``), fills it with synthetic residents, and prints the
median time of typical searches and, on PostgreSQL, whether the plan uses
the full-text index (migrations people/0004 and 0005). Then it adds the names of
the transliteration table (tests/people/data/transliterations.csv: pairs of
spellings of one name and of names that must stay apart) and prints the
precision and recall of the real search function over it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time

from common import ROOT, on_every_backend

PG_DB = "ankomst_bench_search"
TABLE = ROOT / "tests" / "people" / "data" / "transliterations.csv"
QUERIES = [
    "Mohammed",
    "MOHAMMAD al hasan",
    "tesfay",
    "olena shevchenko",
    "24-004711",
    "Hassan",
    "Achmed",
    "Layla Alkhatib",
    "Abdirahman",
    " ".join(["Mohammed"] * 5000),
]


def label(query: str) -> str:
    words = query.split()
    return f"{len(words):,} words" if len(words) > 8 else query


def worker(n: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    os.environ.setdefault("ANKOMST_TESTING", "true")
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
    from ankomst.accounts.roles import Role
    from ankomst.demo.names import NAMES
    from ankomst.people.models import Person, PersonIdentifier
    from ankomst.people.names import search_text
    from ankomst.people.selectors import person_search

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    orgs = [
        Organisation.objects.create(name=f"Org {i}", kind=OrganisationKind.MUNICIPALITY)
        for i in range(10)
    ]
    user = User.objects.create(username="bench")
    Membership.objects.create(user=user, organisation=orgs[0], role=Role.CASEWORKER)
    started = time.perf_counter()
    batch, identifiers = [], []
    nationalities = list(NAMES)
    for i in range(n):
        nat = rng.choice(nationalities)
        info = NAMES[nat]
        given = rng.choice(info["male"] + info["female"])
        family = rng.choice(info["family"] or info["male"])
        doc, latin = f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"
        person = Person(
            organisation=orgs[i % 10], name_document=doc, name_latin=latin, sex="M", nationality=nat
        )
        person.search_names, person.search_keys = search_text(latin, doc)
        batch.append(person)
        if len(batch) == 5000:
            saved = Person.objects.bulk_create(batch)
            identifiers += [
                PersonIdentifier(
                    person=p,
                    organisation=p.organisation,
                    kind="asylum_case",
                    value=f"24-{p.pk:06d}",
                    normalised=f"24{p.pk:06d}",
                )
                for p in saved
            ]
            batch = []
    saved = Person.objects.bulk_create(batch)
    identifiers += [
        PersonIdentifier(
            person=p,
            organisation=p.organisation,
            kind="asylum_case",
            value=f"24-{p.pk:06d}",
            normalised=f"24{p.pk:06d}",
        )
        for p in saved
    ]
    PersonIdentifier.objects.bulk_create(identifiers, batch_size=5000)
    fill = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = {
        "backend": connection.vendor,
        "persons": Person.objects.count(),
        "fill_s": fill,
        "queries": [],
    }
    for query in QUERIES:
        qs = person_search(user, query)

        def run(qs=qs):
            return len(list(qs.all()[:25])), qs.count()

        try:
            run()
        except Exception as exc:  # the bound of a query is part of what is measured
            result["queries"].append({"query": label(query), "error": type(exc).__name__})
            continue
        times = []
        for _ in range(7):
            t = time.perf_counter()
            shown, total = run()
            times.append(time.perf_counter() - t)
        uses_index = None
        if connection.vendor == "postgresql":
            plan = qs.explain()
            uses_index = "person_search_fts" in plan
        result["queries"].append(
            {
                "query": label(query),
                "found": total,
                "median_ms": statistics.median(times) * 1000,
                "index": uses_index,
            }
        )
    result["quality"] = quality(user, orgs[0], Person, person_search)
    return result


def quality(user, organisation, Person, person_search) -> dict:
    """Precision and recall of person_search over the transliteration table.

    Each row's name is a resident of the user's organisation (among the synthetic
    ones); the row counts as found when searching its query lists that resident.
    """
    with TABLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    persons = {
        name: Person.objects.create(
            organisation=organisation, name_latin=name, name_document=name, sex="X"
        ).pk
        for name in sorted({row["name"] for row in rows})
    }
    tp = fp = fn = 0
    started = time.perf_counter()
    for row in rows:
        found = persons[row["name"]] in set(
            person_search(user, row["query"]).values_list("pk", flat=True)
        )
        same = row["same"] == "1"
        tp += found and same
        fp += found and not same
        fn += same and not found
    return {
        "pairs": sum(row["same"] == "1" for row in rows),
        "non_pairs": sum(row["same"] == "0" for row in rows),
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "mean_ms": (time.perf_counter() - started) / len(rows) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.persons)))
        return 0
    rows = [r for _backend, r in on_every_backend(__file__, PG_DB, "--persons", str(args.persons))]
    print("\nPerson search (one organisation's view: 10 % of the persons)")
    print(
        f"{'backend':<11}{'persons':>9}  {'query':<20}{'found':>7}{'median':>10}  full-text index"
    )
    for r in rows:
        for q in r["queries"]:
            if "error" in q:
                print(f"{r['backend']:<11}{r['persons']:>9}  {q['query']:<20}  error: {q['error']}")
                continue
            index = "" if q["index"] is None else ("yes" if q["index"] else "no")
            print(
                f"{r['backend']:<11}{r['persons']:>9}  {q['query']:<20}{q['found']:>7}{q['median_ms']:>8.1f}ms  {index}"
            )
    print(f"\nSpellings ({TABLE.relative_to(ROOT)}), searched among the persons above")
    print(f"{'backend':<11}{'pairs':>6}{'non-pairs':>10}{'precision':>11}{'recall':>8}{'mean':>10}")
    for r in rows:
        q = r["quality"]
        print(
            f"{r['backend']:<11}{q['pairs']:>6}{q['non_pairs']:>10}{q['precision']:>11.3f}"
            f"{q['recall']:>8.3f}{q['mean_ms']:>8.1f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
