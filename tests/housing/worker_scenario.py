"""A municipality with a thousand waiting households, for the test that kills a real worker.

Run in a separate process against its own database (the worker is a separate process too):
``python -c "from tests.housing.worker_scenario import main; main()"`` prints the run's id.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

HOUSEHOLDS, UNITS = 1200, 2000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankomst.settings")
    import django

    django.setup()
    from django.utils import timezone

    from ankomst.accounts.models import Membership, Organisation, OrganisationKind, User
    from ankomst.accounts.roles import Role
    from ankomst.housing import services
    from ankomst.housing.models import Area, HousingUnit
    from ankomst.people.models import Household, Person
    from ankomst.placement.generate import housing_instance
    from ankomst.reception.models import Arrival

    data = housing_instance(HOUSEHOLDS, UNITS, seed=7)
    org = Organisation.objects.create(name="Worker test", kind=OrganisationKind.MUNICIPALITY)
    user = User.objects.create(username="worker-test")
    Membership.objects.create(user=user, organisation=org, role=Role.CASEWORKER)
    areas = {
        a["id"]: Area.objects.create(
            organisation=org,
            code=a["id"],
            name=a["name"],
            kind=a["kind"],
            population=a["population"],
            ceiling=a["ceiling"],
            countrymen=a["countrymen"],
        )
        for a in data["areas"]
    }
    HousingUnit.objects.bulk_create(
        [
            HousingUnit(
                organisation=org,
                reference=u["id"],
                address=u["id"],
                area=areas[u["area"]],
                kind=u["kind"],
                rooms=u["rooms"],
                max_persons=u["max_persons"],
                rent=Decimal(str(u["rent"])),
                accessible=u.get("accessible", False),
                floor=u.get("floor", 0),
                disadvantaged=u.get("disadvantaged", False),
                school_km=Decimal(str(u["distances_km"]["school"])),
                daycare_km=Decimal(str(u["distances_km"]["daycare"])),
                transport_km=Decimal(str(u["distances_km"]["transport"])),
                shops_km=Decimal(str(u["distances_km"]["shops"])),
                landlord_kind="association",
            )
            for u in data["units"]
        ]
    )
    today = timezone.localdate()
    households = Household.objects.bulk_create(
        [Household(organisation=org, reference=h["id"]) for h in data["households"]]
    )
    persons = []
    for household, h in zip(households, data["households"], strict=True):
        sex = {"male": "M", "female": "F"}.get(h.get("sex", ""), "M")
        for a in range(h["adults"]):
            age = h.get("age", 35)
            persons.append(
                Person(
                    organisation=org,
                    household=household,
                    name_latin=f"{h['id']} adult {a}",
                    name_document=f"{h['id']} adult {a}",
                    date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=40),
                    sex=sex if a == 0 else "F",
                    nationality=h["nationality"] if len(h["nationality"]) == 2 else "",
                )
            )
        for c, age in enumerate(h["child_ages"]):
            persons.append(
                Person(
                    organisation=org,
                    household=household,
                    name_latin=f"{h['id']} child {c}",
                    name_document=f"{h['id']} child {c}",
                    date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=40),
                    sex="F",
                    nationality=h["nationality"] if len(h["nationality"]) == 2 else "",
                )
            )
    Person.objects.bulk_create(persons, batch_size=1000)
    handover = today + dt.timedelta(days=10)
    Arrival.objects.bulk_create(
        [
            Arrival(
                organisation=org,
                household=household,
                household_type="family" if h["child_ages"] else "single",
                origin="import",
                decision_date=today - dt.timedelta(days=30),
                rule_handover_date=handover,
                handover_date=handover,
                persons=h["persons"],
                created_by=user,
            )
            for household, h in zip(households, data["households"], strict=True)
        ],
        batch_size=1000,
    )
    run = services.start_run(user=user, organisation=org, time_limit=60)
    print(run.pk)
