"""The demo's community: a support group of 60 volunteers working with the municipality and
the operator, with a year of childcare shifts, matches and meetings, bridges to associations
and events, with continuity that thins out over time as it does in practice."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ankomst.accounts.models import Organisation, User
from ankomst.community import services
from ankomst.community.models import (
    AgeBand,
    Association,
    Bridge,
    BridgeCheck,
    EndReason,
    Event,
    EventKind,
    Interest,
    Match,
    MatchKind,
    MatchStatus,
    Meeting,
    Offer,
    OfferKind,
    Participant,
    Partnership,
    Referral,
    ReferralStatus,
    Shift,
    ShiftKind,
    ShiftTemplate,
    Signup,
    SignupStatus,
    Volunteer,
)
from ankomst.people.models import Household, Person, age_on

from .names import NAMES
from .organisations import MUNICIPALITY, OPERATOR, VOLUNTEERS

VOLUNTEER_COUNT = 60
DANISH_GIVEN = {
    "F": [
        "Anne",
        "Mette",
        "Hanne",
        "Lone",
        "Karen",
        "Birthe",
        "Susanne",
        "Camilla",
        "Ida",
        "Maja",
        "Louise",
        "Kirsten",
        "Signe",
        "Marianne",
        "Tove",
        "Julie",
    ],
    "M": [
        "Jens",
        "Peter",
        "Lars",
        "Søren",
        "Niels",
        "Henrik",
        "Mads",
        "Anders",
        "Mikkel",
        "Poul",
        "Thomas",
        "Erik",
        "Jakob",
        "Ole",
        "Kasper",
        "Rasmus",
    ],
}
DANISH_FAMILY = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
]
PLACES = ["Aalborg C", "Nørresundby", "Vejgaard", "Hasseris", "Aalborg Øst", "Svenstrup", "Gistrup"]
# Earlier arrivals who help new ones: nationality and the language they bring.
RESOURCE = [("SY", "ar"), ("AF", "fa"), ("ER", "ti"), ("UA", "uk"), ("SO", "so")]
ASSOCIATIONS = [
    (
        "Aalborg Boldspilklub, ungdom",
        [
            ("Fodbold for piger 10–14", OfferKind.SPORT, 10, 14, "F", "Aalborg Øst", 0),
            ("Fodbold for drenge 10–14", OfferKind.SPORT, 10, 14, "M", "Aalborg Øst", 0),
        ],
    ),
    (
        "Aalborg Bibliotekerne",
        [
            ("Lektiecafé", OfferKind.LIBRARY, 8, 18, "", "Aalborg C", 0),
            ("Sprogcafé på hovedbiblioteket", OfferKind.LANGUAGE_CAFE, 16, 99, "", "Aalborg C", 0),
        ],
    ),
    (
        "Mødrenetværket Vejgaard",
        [("Mødregruppe med børn 0–3 år", OfferKind.PARENTS, 18, 60, "F", "Vejgaard", 0)],
    ),
    (
        "Aalborg Svømmeklub",
        [
            ("Svømning for kvinder", OfferKind.SPORT, 16, 80, "F", "Hasseris", Decimal("75")),
            ("Svømmeskole for børn", OfferKind.SPORT, 5, 12, "", "Hasseris", Decimal("60")),
        ],
    ),
    (
        "Kulturhuset Nordkraft",
        [("Musik og sang for familier", OfferKind.CULTURE, 0, 99, "", "Aalborg C", 0)],
    ),
    (
        "Nørresundby Håndbold",
        [("Håndbold for alle 15–25", OfferKind.SPORT, 15, 25, "", "Nørresundby", Decimal("100"))],
    ),
    ("Værkstedet Gistrup", [("Cykelværksted", OfferKind.OTHER, 14, 99, "", "Gistrup", 0)]),
]
WISHES = [
    "",
    "",
    "Hjælp med breve fra kommunen",
    "Nogen at tale dansk med",
    "Gerne en familie med børn",
    "Hjælp til at finde en fritidsaktivitet til børnene",
    "Hjælp til jobsøgning",
]


def create_community_demo(*, seed: int = 2026) -> dict:
    volunteers_org = Organisation.objects.filter(name=VOLUNTEERS).first()
    municipality = Organisation.objects.filter(name=MUNICIPALITY).first()
    operator = Organisation.objects.filter(name=OPERATOR).first()
    if (
        volunteers_org is None
        or municipality is None
        or Volunteer.objects.filter(organisation=volunteers_org).exists()
    ):
        return {"created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    coordinator = User.objects.filter(username="coordinator").first()
    caseworker = User.objects.filter(username="caseworker").first()
    start = today - relativedelta(years=1)
    for partner in (municipality, operator):
        if partner is not None:
            Partnership.objects.get_or_create(
                volunteer_organisation=volunteers_org, partner=partner, defaults={"since": start}
            )
    volunteers = _volunteers(rng, volunteers_org, today)
    template = ShiftTemplate.objects.create(
        organisation=volunteers_org,
        name="Børnepasning ved danskundervisning",
        children_per_volunteer=4,
        min_volunteers=2,
        child_age_below=6,
    )
    shifts = _childcare(rng, volunteers_org, operator, template, volunteers, coordinator, today)
    referrals, matches = _matches(
        rng, volunteers_org, municipality, volunteers, coordinator, caseworker, today
    )
    bridges = _bridges(rng, volunteers_org, municipality, caseworker, today)
    events = _events(rng, volunteers_org, volunteers, today)
    return {
        "created": True,
        "volunteers": len(volunteers),
        "shifts": shifts,
        "referrals": referrals,
        "matches": matches,
        "bridges": bridges,
        "events": events,
    }


def _volunteers(rng, organisation, today) -> list[Volunteer]:
    login = User.objects.filter(username="volunteer").first()
    rows = []
    for i in range(VOLUNTEER_COUNT):
        resource = i % 8 == 7
        if resource:
            nationality, code = RESOURCE[(i // 8) % len(RESOURCE)]
            sex = rng.choice("FM")
            given = rng.choice(NAMES[nationality]["male" if sex == "M" else "female"])[1]
            family = (
                rng.choice(NAMES[nationality]["family"])[1]
                if NAMES[nationality].get("family")
                else ""
            )
            name = f"{given} {family}".strip()
            languages = {code: "native", "da": rng.choice(["good", "basic"]), "en": "good"}
        else:
            sex = rng.choice("FFFM")  # most volunteers are women
            name = f"{rng.choice(DANISH_GIVEN[sex])} {rng.choice(DANISH_FAMILY)}"
            languages = {"da": "native", "en": rng.choice(["fluent", "good", "good", "basic"])}
            if rng.random() < 0.15:
                languages[rng.choice(["ar", "de", "fr", "uk"])] = rng.choice(["good", "basic"])
        certificate = None
        draw = rng.random()
        if draw < 0.8:
            certificate = today - dt.timedelta(days=rng.randint(20, 700))
        elif draw < 0.9:
            certificate = today - dt.timedelta(days=rng.randint(705, 725))  # runs out soon
        household = rng.choice(["single", "couple", "family", "family"])
        rows.append(
            Volunteer(
                organisation=organisation,
                name=name,
                email=f"frivillig{i + 1}@example.org",
                sex=sex,
                birth_year=today.year - rng.randint(19, 74),
                place=rng.choice(PLACES),
                languages=languages,
                interests=rng.sample(Interest.values, rng.randint(2, 4)),
                availability=rng.choice(
                    ["Hverdage formiddag", "Hverdage eftermiddag", "Aftener", "Weekender"]
                ),
                contact_person=rng.random() < 0.6,
                network_family=household == "family" and rng.random() < 0.6,
                household=household,
                prefers=rng.choice(["", "", "family", "adults"]),
                max_matches=rng.choice([1, 1, 1, 2]),
                earlier_arrival=resource,
                certificate_date=certificate,
                joined_on=today - dt.timedelta(days=rng.randint(30, 900)),
            )
        )
    # The demo volunteer's own record: the login, a valid certificate, both kinds of help.
    first = rows[0]
    first.name, first.user, first.certificate_date = (
        "Victor Frivillig",
        login,
        today - dt.timedelta(days=90),
    )
    first.sex, first.contact_person, first.email = "M", True, "victor@example.org"
    return Volunteer.objects.bulk_create(rows)


def _childcare(rng, organisation, operator, template, volunteers, coordinator, today) -> int:
    """This week's shifts from the class schedule (the service), the year before and the
    weeks after on the same weekly pattern."""
    with_certificate = [v for v in volunteers if v.certificate_date is not None]
    if operator is None or coordinator is None:
        return 0
    monday = today - dt.timedelta(days=today.weekday())
    services.generate_childcare(
        user=coordinator,
        organisation=organisation,
        template=template,
        start=monday,
        end=monday + dt.timedelta(days=6),
    )
    this_week = list(
        Shift.objects.filter(organisation=organisation, session__isnull=False).select_related(
            "session"
        )
    )
    pattern = [(s.session.date.weekday(), s) for s in this_week]
    extra = []
    for weeks in [*range(-52, 0), 1, 2, 3]:
        for weekday, model in pattern:
            day = monday + dt.timedelta(weeks=weeks, days=weekday)
            delta = dt.datetime.combine(day, dt.time()) - dt.datetime.combine(
                model.session.date, dt.time()
            )
            extra.append(
                Shift(
                    organisation=organisation,
                    kind=ShiftKind.CHILDCARE,
                    title=model.title,
                    place=model.place,
                    starts_at=model.starts_at + delta,
                    ends_at=model.ends_at + delta,
                    needed=model.needed,
                    children=max(model.children + rng.randint(-2, 2), 1),
                    with_children=True,
                )
            )
    Shift.objects.bulk_create(extra, batch_size=500)
    now = timezone.now()
    signups = []
    for shift in [*this_week, *extra]:
        if shift.starts_at > now:
            # The weeks ahead fill up less the further they are; next week has a gap.
            share = (
                1.0
                if shift.starts_at < now + dt.timedelta(days=3)
                else rng.choice([0.5, 0.75, 1.0])
            )
            if shift.starts_at < now + dt.timedelta(days=7) and shift.starts_at.weekday() == 3:
                share = 0.5
        else:
            share = rng.choice([1.0, 1.0, 1.0, 0.5])
        taken = max(1, round(shift.needed * share))
        for volunteer in rng.sample(with_certificate, min(taken, len(with_certificate))):
            if volunteer.user_id and shift.starts_at < now:
                continue  # the demo volunteer's own history is kept short and readable
            signups.append(Signup(shift=shift, volunteer=volunteer, status=SignupStatus.CONFIRMED))
    # The demo volunteer: two shifts ahead, one of them full with a waiting list behind.
    ahead = sorted(
        (s for s in extra if s.starts_at > now + dt.timedelta(days=7)), key=lambda s: s.starts_at
    )
    own = next((v for v in volunteers if v.user_id), None)
    if own is not None:
        for shift in [s for s in ahead if sum(1 for x in signups if x.shift is s) < s.needed][:2]:
            signups.append(Signup(shift=shift, volunteer=own, status=SignupStatus.CONFIRMED))
    Signup.objects.bulk_create(signups, batch_size=1000, ignore_conflicts=True)
    return len(this_week) + len(extra)


def _matches(rng, organisation, municipality, volunteers, coordinator, caseworker, today):
    households = list(
        Household.objects.filter(organisation=municipality).prefetch_related(
            "members__languages__language"
        )
    )
    rng.shuffle(households)
    referrals = []
    for household in households[:70]:
        profile = services.household_profile(household, today)
        if profile["adults"] == 0:
            continue
        head = min(household.members.all(), key=lambda p: (p.relation != "head", p.pk))
        created = today - dt.timedelta(days=rng.randint(5, 360))
        kind = (
            MatchKind.NETWORK_FAMILY
            if profile["children_ages"] and rng.random() < 0.4
            else MatchKind.CONTACT_PERSON
        )
        referrals.append(
            Referral(
                organisation=municipality,
                volunteer_organisation=organisation,
                household=household,
                kind=kind,
                consent_on=created,
                consent_by=caseworker,
                contact_name=head.name_latin.split()[0],
                place=rng.choice(PLACES),
                interests=rng.sample(Interest.values, rng.randint(1, 3)),
                wishes=rng.choice(WISHES),
                volunteer_sex=rng.choice(["", "", "", "F"]),
                **profile,
            )
        )
    Referral.objects.bulk_create(referrals)
    # created_at is set on insert; spread it over the year as the consent dates are.
    for r in referrals:
        Referral.objects.filter(pk=r.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(r.consent_on, dt.time(10)))
        )
    free = {v.pk: v.max_matches for v in volunteers}
    matches, meetings = [], []
    reasons = list(EndReason.values)
    for referral in sorted(referrals, key=lambda r: r.consent_on)[:45]:
        fitting = [
            v
            for v in volunteers
            if free[v.pk] > 0
            and (v.contact_person if referral.kind == "contact_person" else v.network_family)
            and (not referral.volunteer_sex or v.sex == referral.volunteer_sex)
            and not v.user_id
        ]
        if not fitting:
            continue
        volunteer = rng.choice(fitting)
        started = referral.consent_on + dt.timedelta(days=rng.randint(7, 40))
        if started >= today:
            continue
        months = (today - started).days / 30
        # Matches thin out: about one in five ends within three months, one in three by six.
        ended = None
        if rng.random() < min(0.6, 0.07 * months):
            ended = min(
                today, started + dt.timedelta(days=rng.randint(30, max(31, (today - started).days)))
            )
        free[volunteer.pk] -= 0 if ended else 1
        match = Match(
            organisation=organisation,
            referral=referral,
            volunteer=volunteer,
            started_on=started,
            status=MatchStatus.ENDED if ended else MatchStatus.ACTIVE,
            ended_on=ended,
            end_reason=rng.choice(reasons) if ended else "",
            confirmed_by=coordinator,
            explanation=[["place", {"place": volunteer.place}]]
            if volunteer.place == referral.place
            else [],
        )
        matches.append(match)
        referral.status = ReferralStatus.WAITING if ended else ReferralStatus.MATCHED
    Match.objects.bulk_create(matches)
    Referral.objects.bulk_update(referrals, ["status"])
    for match in matches:
        day = match.started_on + dt.timedelta(days=rng.randint(3, 10))
        last = match.ended_on or today
        while day <= last:
            meetings.append(
                Meeting(
                    match=match,
                    date=day,
                    hours=Decimal(rng.choice(["1.5", "2.0", "2.5", "3.0"])),
                    note=rng.choice(
                        ["Kaffe og snak", "Gåtur", "Hjælp med post", "Besøg hos familien", ""]
                    ),
                    logged_by=coordinator,
                )
            )
            day += dt.timedelta(days=rng.randint(10, 24))
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    return len(referrals), len(matches)


def _bridges(rng, organisation, municipality, caseworker, today) -> int:
    offers = []
    for name, items in ASSOCIATIONS:
        association = Association.objects.create(
            organisation=organisation, name=name, contact="Foreningskontakt"
        )
        for title, kind, lo, hi, sex, place, cost in items:
            offers.append(
                Offer(
                    association=association,
                    title=title,
                    kind=kind,
                    age_min=lo,
                    age_max=hi,
                    sex=sex,
                    place=place,
                    cost=cost,
                    languages="dansk, engelsk",
                    when=rng.choice(["Tirsdage 16–17.30", "Onsdage 19–21", "Lørdage 10–12"]),
                )
            )
    Offer.objects.bulk_create(offers)
    persons = list(Person.objects.filter(organisation=municipality, date_of_birth__isnull=False))
    rng.shuffle(persons)
    bridges, checks = [], []
    for person in persons:
        if len(bridges) >= 140:
            break
        started = today - dt.timedelta(days=rng.randint(10, 330))
        age = age_on(person.date_of_birth, started)
        fitting = [
            o
            for o in offers
            if o.age_min <= (age or 0) <= o.age_max and (not o.sex or o.sex == person.sex)
        ]
        if not fitting:
            continue
        offer = rng.choice(fitting)
        bridge = Bridge(
            organisation=municipality,
            person=person,
            offer=offer,
            started_on=started,
            consent_on=started,
            created_by=caseworker,
        )
        bridges.append(bridge)
    Bridge.objects.bulk_create(bridges)
    for bridge in bridges:
        still = True
        for month, keep in ((1, 0.9), (3, 0.8), (6, 0.75)):
            due = bridge.started_on + relativedelta(months=month)
            if due > today or not still:
                break
            still = rng.random() < keep
            checks.append(
                BridgeCheck(
                    bridge=bridge,
                    month=month,
                    taking_part=still,
                    checked_on=due,
                    checked_by=caseworker,
                )
            )
    BridgeCheck.objects.bulk_create(checks)
    return len(bridges)


def _events(rng, organisation, volunteers, today) -> int:
    events, participants = [], []
    day = today - relativedelta(years=1)
    count = 0
    while day <= today + dt.timedelta(days=28):
        count += 1
        if count % 4 == 0:
            kind, title, place, start = (
                EventKind.INTRODUCTION,
                "Velkomst for nyankomne",
                "Medborgerhuset, Vejgaard",
                dt.time(17),
            )
        elif count % 4 == 2:
            kind, title, place, start = (
                EventKind.SOCIAL_EVENING,
                "Fællesspisning",
                "Kulturhuset Nordkraft",
                dt.time(18),
            )
        else:
            kind, title, place, start = (
                EventKind.LANGUAGE_CAFE,
                "Sprogcafé",
                "Hovedbiblioteket, Aalborg C",
                dt.time(16),
            )
        events.append(
            Event(
                organisation=organisation,
                kind=kind,
                title=title,
                date=day,
                starts_at=start,
                ends_at=dt.time(start.hour + 2),
                place=place,
                capacity=40,
                helpers=2 if kind != EventKind.LANGUAGE_CAFE else 3,
            )
        )
        day += dt.timedelta(days=14)
    Event.objects.bulk_create(events)
    names = [
        n[1]
        for nat in ("SY", "AF", "ER", "UA", "SO")
        for n in NAMES[nat]["female"][:4] + NAMES[nat]["male"][:4]
    ]
    bands = [AgeBand.CHILD, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.ADULT, AgeBand.OLDER]
    shifts, helpers = [], []
    for event in events:
        for _ in range(rng.randint(8, 28)):
            participants.append(
                Participant(
                    event=event,
                    name=rng.choice(names),
                    sex=rng.choice("FFMM"),
                    age_band=rng.choice(bands),
                    attended=(rng.random() < 0.8) if event.date <= today else None,
                )
            )
        start = timezone.make_aware(
            dt.datetime.combine(event.date, event.starts_at)
        ) - dt.timedelta(minutes=30)
        shift = Shift(
            organisation=organisation,
            kind=ShiftKind.EVENT,
            title=event.title,
            place=event.place,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2, minutes=45),
            needed=event.helpers,
            event=event,
        )
        shifts.append(shift)
    Participant.objects.bulk_create(participants, batch_size=1000)
    Shift.objects.bulk_create(shifts)
    pool = [v for v in volunteers if not v.user_id]
    for shift in shifts:
        for volunteer in rng.sample(
            pool, shift.needed if shift.starts_at < timezone.now() else rng.randint(0, shift.needed)
        ):
            helpers.append(Signup(shift=shift, volunteer=volunteer, status=SignupStatus.CONFIRMED))
    Signup.objects.bulk_create(helpers, ignore_conflicts=True)
    return len(events)
