"""The national agency's quotas of this year in the demo, with one agreed exchange, and the
week's households granted a permit and waiting for the agency to assign a municipality."""

from __future__ import annotations

import datetime as dt
import random

from ankomst.accounts.models import Organisation, User
from ankomst.centres.models import CasePhase, Phase, Stay
from ankomst.distribution import services
from ankomst.distribution.models import Education, HouseholdFacts

WAITING_HOUSEHOLDS = 16


def create_distribution_demo(agency: Organisation, user, today: dt.date, staff: User) -> None:
    year = services.announce_year(
        user=user,
        organisation=agency,
        year=today.year,
        table="dk-2024",
        national_number=2000,
        reunified_nationally=None,
        announced_on=dt.date(today.year, 4, 30),
    )
    # Region Nordjylland: Aalborg takes over five persons of Hjørring's quota
    services.add_exchange(
        user=user,
        quota_year=year,
        giver="860",
        receiver="851",
        persons=5,
        reason="Aftalt i KKR Nordjylland 5. september",
        version=year.version,
    )
    grant_waiting(today, staff, user)


def grant_waiting(today: dt.date, staff: User, officer: User, seed: int = 2026) -> int:
    """Households living in the centres whose case is after the decision get their permit
    this week, without a municipality yet: the agency's batch. Some have facts recorded."""
    rng = random.Random(seed)
    living: dict[int, list] = {}
    for stay in Stay.objects.filter(
        end__isnull=True, person__household__isnull=False
    ).select_related("person"):
        living.setdefault(stay.person.household_id, []).append(stay.person)
    latest: dict[int, str] = {}
    for pk, phase in CasePhase.objects.order_by("person_id", "start", "id").values_list(
        "person_id", "phase"
    ):
        latest[pk] = phase
    ready = sorted(
        household
        for household, members in living.items()
        if all(latest.get(p.pk) == Phase.AFTER_DECISION for p in members) and len(members) <= 8
    )
    chosen = rng.sample(ready, min(WAITING_HOUSEHOLDS, len(ready)))
    phases = []
    for household in chosen:
        start = today - dt.timedelta(days=rng.randint(0, 6))
        phases += [
            CasePhase(
                person=p,
                organisation_id=p.organisation_id,
                phase=Phase.GRANTED,
                start=start,
                created_by=staff,
            )
            for p in living[household]
        ]
    CasePhase.objects.bulk_create(phases)
    levels = [Education.PRIMARY, Education.SECONDARY, Education.TERTIARY, Education.NONE]
    facts = [
        HouseholdFacts(
            household_id=household,
            education=rng.choice(levels),
            treatment=k == 1,
            family_tie="851" if k == 2 else "",
            family_tie_note="Søster og svoger bor i Aalborg" if k == 2 else "",
            updated_by=officer,
        )
        for k, household in enumerate(chosen[: len(chosen) // 2])
    ]
    HouseholdFacts.objects.bulk_create(facts)
    return len(chosen)
