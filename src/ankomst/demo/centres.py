"""The demo estate and a year of believable history: arrivals, transfers, departures, phases."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from ankomst.accounts.models import Organisation, Unit, UnitKind, User
from ankomst.centres import allocation
from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
from ankomst.centres.models import (
    CasePhase,
    Catering,
    Centre,
    CentreType,
    CheckOutReason,
    Phase,
    RoomKind,
    Stay,
)
from ankomst.centres.selectors import room_states
from ankomst.people.models import Household, Person

F, M, W, S = RoomKind.FAMILY, RoomKind.DORM_MALE, RoomKind.DORM_FEMALE, RoomKind.SINGLE

# name, type, catering, address, layout — 480 + 420 + 700 = 1,600 places at the operator.
OPERATOR_CENTRES = [
    (
        "Opholdscenter Ranum",
        CentreType.RESIDENCE,
        Catering.SELF_CATERING,
        "Skolevej 1, 9681 Ranum",
        [
            BuildingSpec(
                name,
                2,
                (
                    RoomSpec(F, 2, 4),
                    RoomSpec(F, 3, 4),
                    RoomSpec(F, 4, 1, accessible=True),
                    RoomSpec(F, 4, 2),
                    RoomSpec(F, 6, 2),
                    RoomSpec(M, 4, 2),
                    RoomSpec(W, 4, 1),
                    RoomSpec(S, 1, 4),
                ),
            )
            for name in ("A", "B", "C", "D")
        ],
    ),
    (
        "Opholdscenter Holstebro",
        CentreType.RESIDENCE,
        Catering.SELF_CATERING,
        "Gl. Struervej 10, 7500 Holstebro",
        [
            BuildingSpec(
                name,
                2,
                (
                    RoomSpec(F, 2, 5),
                    RoomSpec(F, 3, 4),
                    RoomSpec(F, 4, 1, accessible=True),
                    RoomSpec(F, 4, 3),
                    RoomSpec(F, 6, 3),
                    RoomSpec(M, 4, 2),
                    RoomSpec(W, 4, 1),
                    RoomSpec(S, 1, 2),
                ),
            )
            for name in ("Nord", "Syd", "Vest")
        ],
    ),
    (
        "Beredskabscenter Holstebro (tidl. sygehus)",
        CentreType.EMERGENCY,
        Catering.CANTEEN,
        "Lægårdvej 12, 7500 Holstebro",
        [
            BuildingSpec(
                name,
                5,
                (
                    RoomSpec(F, 2, 5),
                    RoomSpec(F, 3, 4),
                    RoomSpec(F, 4, 2, accessible=True),
                    RoomSpec(F, 4, 3),
                    RoomSpec(F, 6, 2),
                    RoomSpec(W, 6, 1),
                    RoomSpec(M, 6, 1),
                    RoomSpec(S, 1, 4),
                ),
                lift=True,
            )
            for name in ("Hovedbygning", "Sengebygning")
        ],
    ),
]
CHILDREN_CENTRE = (
    "Børnecenter Tullebølle",
    CentreType.CHILDREN,
    Catering.CANTEEN,
    "Tullebølle, 5953 Tranekær",
    [BuildingSpec("Hus 1", 2, (RoomSpec(M, 4, 7), RoomSpec(W, 4, 2), RoomSpec(F, 4, 1)))],
)


def _centre(org: Organisation, name, centre_type, catering, address, layout) -> Centre:
    unit, _ = Unit.objects.get_or_create(
        organisation=org, name=name, defaults={"kind": UnitKind.CENTRE}
    )
    centre = Centre.objects.create(
        organisation=org,
        unit=unit,
        name=name,
        centre_type=centre_type,
        catering=catering,
        address=address,
    )
    unit.places = build_estate(centre, layout)
    unit.save(update_fields=["places"])
    return centre


def create_estate(operator: Organisation, children_operator: Organisation) -> list[Centre]:
    centres = [_centre(operator, *spec) for spec in OPERATOR_CENTRES]
    centres.append(_centre(children_operator, *CHILDREN_CENTRE))
    return centres


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.choice([0, 15, 30, 45])))
    )


def place_residents(
    rng: random.Random,
    organisations: list[Organisation],
    centres: list[Centre],
    staff: User,
    municipality: Organisation,
    today: dt.date,
) -> dict:
    """Give every demo resident a year of history and most of them a bed today.

    Households arrive over the last 12 months. About one in eight has left again
    (residence permit and moved to the municipality, departure, absconded, ...);
    about one in six was first in the emergency centre and then transferred to
    a residence centre. The allocation routine picks the beds, as staff would.
    Beds of those who left stay out of the pool, so no history overlaps another.
    """
    households = list(
        Household.objects.filter(organisation__in=organisations)
        .prefetch_related("members")
        .order_by("id")
    )
    emergency = next(c for c in centres if c.centre_type == CentreType.EMERGENCY)
    rooms = room_states([c.pk for c in centres], timezone.now())
    stays: list[Stay] = []
    phases: list[CasePhase] = []
    counts = defaultdict(int)
    for household in households:
        members = list(household.members.all())
        arrival_day = today - dt.timedelta(days=int(rng.triangular(1, 365, 120)))
        rule_household = allocation.Household(
            household.pk,
            tuple(
                allocation.Arrival(p.pk, p.age(today), p.sex, p.needs_accessible_housing)
                for p in members
            ),
        )
        ukrainian = members[0].nationality.code == "UA"
        # Ukrainians mostly in the emergency centre; everyone else in a residence centre if it fits.
        preferred = (
            [emergency.pk]
            if ukrainian and rng.random() < 0.8
            else [c.pk for c in centres if c.centre_type != CentreType.EMERGENCY]
        )
        suggestion = None
        for centre_id in [*preferred, None]:
            suggestion = allocation.allocate([rule_household], rooms, centre_id=centre_id)[0]
            if suggestion.placed:
                break
        if not suggestion.placed:
            counts["waiting"] += len(members)
            continue
        org_id = members[0].organisation_id
        departed = rng.random() < 0.12 and arrival_day < today - dt.timedelta(days=40)
        transferred = (
            not departed
            and not ukrainian
            and rng.random() < 0.18
            and arrival_day < today - dt.timedelta(days=20)
        )
        first_weeks = None
        if transferred:
            # The first weeks in the emergency centre. Its beds are taken out of the pool, so no
            # later resident gets them and the histories never overlap.
            first_weeks = allocation.allocate([rule_household], rooms, centre_id=emergency.pk)[0]
            if not first_weeks.placed:
                first_weeks = None
        arrived = _moment(arrival_day, rng)
        moved = _moment(arrival_day + dt.timedelta(days=rng.randint(7, 18)), rng)
        for person in members:
            bed_id = suggestion.beds[person.pk]
            start = arrived
            if first_weeks is not None:
                stays.append(
                    Stay(
                        person=person,
                        bed_id=first_weeks.beds[person.pk],
                        organisation_id=org_id,
                        start=arrived,
                        end=moved,
                        is_transfer_out=True,
                        created_by=staff,
                    )
                )
                start = moved
                counts["transfers"] += 1
            end = None
            reason = ""
            if departed:
                end = _moment(
                    today - dt.timedelta(days=rng.randint(1, (today - arrival_day).days - 30)), rng
                )
                reason = rng.choices(
                    [
                        CheckOutReason.MUNICIPALITY,
                        CheckOutReason.DEPARTURE,
                        CheckOutReason.ABSCONDED,
                        CheckOutReason.PRIVATE,
                        CheckOutReason.OTHER_OPERATOR,
                    ],
                    weights=[55, 15, 10, 12, 8],
                )[0]
                if end <= start:
                    end = start + dt.timedelta(days=30)
                counts["departed"] += 1
            else:
                counts["residents"] += 1
            stays.append(
                Stay(
                    person=person,
                    bed_id=bed_id,
                    organisation_id=org_id,
                    start=start,
                    end=end,
                    end_reason=reason,
                    created_by=staff,
                )
            )
            phases.extend(
                _phases(rng, person, org_id, arrival_day, today, reason, municipality, staff)
            )
    Stay.objects.bulk_create(stays, batch_size=1000)
    _link_transfers()
    CasePhase.objects.bulk_create(phases, batch_size=1000)
    return dict(counts)


def _link_transfers() -> None:
    """Point each stay that continues a transfer at the stay it continues."""
    previous = {}
    for stay in Stay.objects.order_by("person_id", "start"):
        before = previous.get(stay.person_id)
        if before is not None and before.is_transfer_out and before.end == stay.start:
            stay.previous = before
            stay.save(update_fields=["previous"])
        previous[stay.person_id] = stay


def _phases(
    rng,
    person: Person,
    org_id,
    arrival: dt.date,
    today: dt.date,
    reason: str,
    municipality: Organisation,
    staff: User,
) -> list[CasePhase]:
    def phase(kind, day, **extra):
        return CasePhase(
            person=person, organisation_id=org_id, phase=kind, start=day, created_by=staff, **extra
        )

    rows = [phase(Phase.REGISTERED, arrival)]
    day = arrival + dt.timedelta(days=rng.randint(2, 10))
    if day >= today:
        return rows
    rows.append(phase(Phase.BEFORE_DECISION, day))
    day += dt.timedelta(days=rng.randint(20, 90))
    if day >= today:
        return rows
    rows.append(phase(Phase.AFTER_DECISION, day))
    day += dt.timedelta(days=rng.randint(40, 200))
    if day >= today:
        return rows
    if reason == CheckOutReason.MUNICIPALITY or (not reason and rng.random() < 0.55):
        rows.append(
            phase(
                Phase.GRANTED,
                day,
                municipality=municipality,
                municipality_code=municipality.municipality_code,
                municipality_name=municipality.name,
                handover_date=day + dt.timedelta(days=rng.randint(30, 60)),
            )
        )
    else:
        rows.append(phase(Phase.REFUSED_APPEAL, day))
        day += dt.timedelta(days=rng.randint(30, 120))
        if day < today:
            rows.append(
                phase(Phase.FINALLY_REFUSED, day, cooperating_on_departure=rng.random() < 0.7)
            )
    return rows
