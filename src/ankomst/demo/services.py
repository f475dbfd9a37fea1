"""Realistic synthetic data for the demo, the browser tests and the benchmarks.

Deterministic for a seed, and idempotent: a second run finds the demo
organisations and creates nothing again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ankomst.accounts.models import Membership, Organisation, OrganisationKind, Unit, UnitKind, User
from ankomst.accounts.roles import Role
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import (
    Household,
    IdentifierKind,
    Language,
    LanguageLevel,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonLanguage,
    Relation,
    Sex,
)
from ankomst.people.names import search_text
from ankomst.people.validators import normalise_identifier

from .activities import create_activities_demo
from .centres import create_estate, place_residents
from .community import create_community_demo
from .distribution import create_distribution_demo
from .housing import create_housing_demo
from .names import NAMES
from .organisations import (
    AGENCY,
    CHILDREN_OPERATOR,
    MUNICIPALITY,
    OPERATOR,
    OTHER_MUNICIPALITY,
    VOLUNTEERS,
)
from .payments import ensure_demo_payment_run
from .reception import announce_granted, create_reception_demo

DEMO_PASSWORD = "ankomst-demo"


DEPARTMENTS = [
    (UnitKind.CITIZEN_SERVICE, "Borgerservice"),
    (UnitKind.HOUSING, "Boliganvisningen"),
    (UnitKind.JOB_CENTRE, "Jobcenter Aalborg"),
    (UnitKind.DAYCARE_SCHOOLS, "Dagtilbud og skoler"),
    (UnitKind.FAMILY_SECTION, "Familieafdelingen"),
]

# username, role, organisation name, unit name, full name
DEMO_USERS = [
    ("admin", Role.ADMINISTRATOR, OPERATOR, None, "Anne Administrator"),
    ("admin", Role.ADMINISTRATOR, MUNICIPALITY, None, "Anne Administrator"),
    ("caseworker", Role.CASEWORKER, MUNICIPALITY, "Borgerservice", "Karin Sagsbehandler"),
    ("staff", Role.CENTRE_STAFF, OPERATOR, "Opholdscenter Ranum", "Søren Centermedarbejder"),
    (
        "staff",
        Role.CENTRE_STAFF,
        CHILDREN_OPERATOR,
        "Børnecenter Tullebølle",
        "Søren Centermedarbejder",
    ),
    ("teacher", Role.TEACHER, OPERATOR, "Opholdscenter Holstebro", "Lærke Underviser"),
    # The payment journeys: the operator's caseworker prepares (and corrects) the runs, the
    # finance officer approves, locks and exports them, at both operators: the children's
    # centre's operator pays its unaccompanied minors pocket money.
    ("payments", Role.CASEWORKER, OPERATOR, None, "Pia Udbetaling"),
    ("payments", Role.CASEWORKER, CHILDREN_OPERATOR, None, "Pia Udbetaling"),
    ("finance", Role.FINANCE_OFFICER, OPERATOR, None, "Frank Økonomi"),
    ("finance", Role.FINANCE_OFFICER, CHILDREN_OPERATOR, None, "Frank Økonomi"),
    ("coordinator", Role.VOLUNTEER_COORDINATOR, VOLUNTEERS, None, "Vibeke Koordinator"),
    ("volunteer", Role.VOLUNTEER, VOLUNTEERS, None, "Victor Frivillig"),
    ("manager", Role.MANAGER, OPERATOR, None, "Mette Leder"),
    ("manager", Role.MANAGER, MUNICIPALITY, None, "Mette Leder"),
    ("agency", Role.MANAGER, AGENCY, None, "Niels Styrelse"),
    # The agency's distribution office sets the national number and the municipal quotas.
    ("fordeling", Role.CASEWORKER, AGENCY, None, "Frida Fordeling"),
    ("randers", Role.CASEWORKER, OTHER_MUNICIPALITY, None, "Rasmus Randers"),
    # One caseworker per department of the municipality (the citizen service's is "caseworker").
    ("bolig", Role.CASEWORKER, MUNICIPALITY, "Boliganvisningen", "Birgitte Bolig"),
    ("jobcenter", Role.CASEWORKER, MUNICIPALITY, "Jobcenter Aalborg", "Jens Jobcenter"),
    ("skole", Role.CASEWORKER, MUNICIPALITY, "Dagtilbud og skoler", "Sofie Skole"),
    ("familie", Role.CASEWORKER, MUNICIPALITY, "Familieafdelingen", "Freja Familie"),
]

# Shares of nationalities and of household types per nationality, after the
# pages the product was conceived from (Ukrainians in the emergency centre,
# Syrian and Afghan families, young Eritrean men, unaccompanied Afghan boys).
NATIONALITY_SHARES = {"UA": 25, "SY": 20, "AF": 18, "ER": 15, "SO": 12, "IR": 10}
HOUSEHOLD_TYPES = {
    "UA": {"single_parent": 45, "elderly": 15, "single_adult": 20, "family": 10, "couple": 10},
    "SY": {"family": 55, "single_adult": 25, "single_parent": 10, "couple": 10},
    "AF": {"family": 35, "single_adult": 30, "minor": 25, "single_parent": 10},
    "ER": {"single_adult": 55, "family": 15, "single_parent": 15, "minor": 15},
    "IR": {"single_adult": 40, "couple": 30, "family": 30},
    "SO": {"family": 35, "single_parent": 30, "single_adult": 25, "minor": 10},
}
ESTIMATED_BIRTH_DATES = {"AF", "ER", "SO"}


@dataclass
class DemoResult:
    created: bool
    persons: int = 0
    households: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    stays: dict = field(default_factory=dict)


@dataclass
class _Member:
    sex: str
    age: int
    relation: str
    given: tuple[str, str]


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, languages: dict[str, Language]):
        self.rng = rng
        self.today = today
        self.languages = languages
        self.case_seq = 0
        self.cpr_serial: dict[str, int] = {}

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def given(self, nationality: str, sex: str) -> tuple[str, str]:
        names = NAMES[nationality]["male" if sex == Sex.MALE else "female"]
        return self.rng.choice(names)

    def household_members(self, nationality: str, kind: str) -> list[_Member]:
        r = self.rng
        members: list[_Member] = []

        def adult(sex, lo, hi, relation):
            members.append(_Member(sex, r.randint(lo, hi), relation, self.given(nationality, sex)))

        def children(n, mother_age):
            for _ in range(n):
                sex = r.choice([Sex.MALE, Sex.FEMALE])
                age = r.randint(0, min(17, max(0, mother_age - 18)))
                members.append(_Member(sex, age, Relation.CHILD, self.given(nationality, sex)))

        if kind == "family":
            adult(Sex.MALE, 26, 52, Relation.HEAD)
            adult(Sex.FEMALE, max(19, members[0].age - 8), members[0].age, Relation.SPOUSE)
            children(
                r.choices([1, 2, 3, 4, 5, 6], weights=[22, 30, 24, 14, 7, 3])[0], members[1].age
            )
            if r.random() < 0.06:
                adult(r.choice([Sex.MALE, Sex.FEMALE]), 62, 80, Relation.OTHER_RELATIVE)
        elif kind == "single_parent":
            adult(Sex.FEMALE, 22, 45, Relation.HEAD)
            children(r.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0], members[0].age)
            if nationality == "UA" and r.random() < 0.25:
                adult(Sex.FEMALE, 58, 79, Relation.OTHER_RELATIVE)
        elif kind == "couple":
            adult(Sex.MALE, 22, 70, Relation.HEAD)
            adult(Sex.FEMALE, max(19, members[0].age - 6), members[0].age + 2, Relation.SPOUSE)
        elif kind == "elderly":
            adult(r.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE]), 60, 86, Relation.HEAD)
        elif kind == "minor":
            sex = Sex.MALE if r.random() < 0.9 else Sex.FEMALE
            members.append(
                _Member(sex, r.randint(14, 17), Relation.HEAD, self.given(nationality, sex))
            )
            if r.random() < 0.12:  # siblings who came together
                members.append(
                    _Member(
                        Sex.MALE,
                        r.randint(12, members[0].age),
                        Relation.OTHER_RELATIVE,
                        self.given(nationality, Sex.MALE),
                    )
                )
        else:  # single adult
            female_share = 0.45 if nationality == "UA" else 0.15
            adult(Sex.FEMALE if r.random() < female_share else Sex.MALE, 18, 45, Relation.HEAD)
        return members

    def birth_date(self, age: int, estimated: bool) -> dt.date:
        year = self.today.year - age - 1
        if estimated:
            return dt.date(year if age > 0 else self.today.year - 1, 1, 1)
        start = dt.date(year, self.today.month, self.today.day) + dt.timedelta(days=1)
        return start + dt.timedelta(days=self.rng.randint(0, 364))

    def cpr(self, born: dt.date, sex: str) -> str:
        # The 7th digit encodes the century; the last digit is odd for men.
        seventh = 0 if born.year < 2000 else 4
        key = f"{born:%d%m%y}{seventh}"
        serial = self.cpr_serial.get(key, self.rng.randint(0, 40))
        self.cpr_serial[key] = serial + 1
        last = (1 if sex == Sex.MALE else 0) + 2 * self.rng.randint(0, 4)
        return f"{born:%d%m%y}-{seventh}{serial % 100:02d}{last}"

    def case_number(self) -> str:
        self.case_seq += 1
        return (
            f"{self.today.year % 100 - self.rng.randint(0, 2):02d}-{100000 + self.case_seq * 7:06d}"
        )


@transaction.atomic
def create_demo(*, seed: int = 2026, persons_at_operator: int = 1250) -> DemoResult:
    if Organisation.objects.filter(name=OPERATOR).exists():
        return DemoResult(created=False, logins=_ensure_users())
    rng = random.Random(seed)
    today = timezone.localdate()
    orgs = {
        AGENCY: Organisation.objects.create(name=AGENCY, kind=OrganisationKind.NATIONAL_AGENCY),
        OPERATOR: Organisation.objects.create(name=OPERATOR, kind=OrganisationKind.CENTRE_OPERATOR),
        MUNICIPALITY: Organisation.objects.create(
            name=MUNICIPALITY, kind=OrganisationKind.MUNICIPALITY, municipality_code="851"
        ),
        OTHER_MUNICIPALITY: Organisation.objects.create(
            name=OTHER_MUNICIPALITY, kind=OrganisationKind.MUNICIPALITY, municipality_code="730"
        ),
        VOLUNTEERS: Organisation.objects.create(
            name=VOLUNTEERS, kind=OrganisationKind.VOLUNTEER_ORGANISATION
        ),
        CHILDREN_OPERATOR: Organisation.objects.create(
            name=CHILDREN_OPERATOR, kind=OrganisationKind.CENTRE_OPERATOR
        ),
    }
    centres = create_estate(orgs[OPERATOR], orgs[CHILDREN_OPERATOR])
    for org_name in (MUNICIPALITY, OTHER_MUNICIPALITY):
        Unit.objects.bulk_create(
            [Unit(organisation=orgs[org_name], kind=kind, name=name) for kind, name in DEPARTMENTS]
        )
    languages = {lang.code: lang for lang in Language.objects.all()}
    builder = _Builder(rng, today, languages)
    total = 0
    households = 0
    for org_name, target, with_cpr in (
        (OPERATOR, persons_at_operator, False),
        # Two years of refugees received by the municipality (see reception.py).
        (MUNICIPALITY, 640, True),
        (OTHER_MUNICIPALITY, 30, True),
    ):
        made, n_households = _populate(
            builder,
            orgs[org_name],
            target,
            with_cpr,
            minors_to=orgs[CHILDREN_OPERATOR] if org_name == OPERATOR else None,
        )
        total += made
        households += n_households
    logins = _ensure_users()
    staff = User.objects.get(username="staff")
    stays = place_residents(
        rng, [orgs[OPERATOR], orgs[CHILDREN_OPERATOR]], centres, staff, orgs[MUNICIPALITY], today
    )
    create_activities_demo()
    ensure_demo_payment_run()
    received = list(Household.objects.filter(organisation=orgs[MUNICIPALITY]))
    announce_granted(orgs[MUNICIPALITY])
    create_reception_demo(orgs[MUNICIPALITY], received, seed=seed)
    create_community_demo(seed=seed)
    create_housing_demo(orgs[MUNICIPALITY], seed=seed)
    create_distribution_demo(orgs[AGENCY], User.objects.get(username="fordeling"), today, staff)
    return DemoResult(
        created=True, persons=total, households=households, logins=logins, stays=stays
    )


def _populate(
    b: _Builder,
    organisation: Organisation,
    target: int,
    with_cpr: bool,
    minors_to: Organisation | None = None,
) -> tuple[int, int]:
    """Households of ``organisation``; unaccompanied minors go to ``minors_to`` (a children's centre)."""
    r = b.rng
    plans: list[tuple[str, list[_Member], tuple[str, str] | None]] = []
    count = 0
    while count < target:
        nationality = b.pick(NATIONALITY_SHARES)
        kind = b.pick(HOUSEHOLD_TYPES[nationality])
        if with_cpr and kind == "minor":
            kind = "single_adult"
        members = b.household_members(nationality, kind)
        family = r.choice(NAMES[nationality]["family"]) if NAMES[nationality]["family"] else None
        plans.append((nationality, members, family))
        count += len(members)

    def owner(members: list[_Member]) -> Organisation:
        minors_only = all(m.age < ADULT_AGE for m in members)
        return minors_to if minors_to is not None and minors_only else organisation

    households = Household.objects.bulk_create(
        [
            Household(organisation=owner(members), reference=f"H-{i + 1:05d}")
            for i, (_n, members, _f) in enumerate(plans)
        ]
    )
    persons: list[Person] = []
    extras: list[tuple[int, str, bool, list[str]]] = []  # index, nationality, adult, aliases
    for household, (nationality, members, family) in zip(households, plans, strict=True):
        head = members[0]
        father = head if head.sex == Sex.MALE else None
        for m in members:
            if NAMES[nationality]["patronymic"]:
                # Eritrean and Somali names: given name, father's name, grandfather's name.
                if m.relation == Relation.CHILD and father is not None:
                    parent = father.given
                    surname = (parent[0], parent[1])
                else:
                    parent = b.given(nationality, Sex.MALE)
                    grand = b.given(nationality, Sex.MALE)
                    surname = (f"{parent[0]} {grand[0]}", f"{parent[1]} {grand[1]}")
            else:
                surname = family
            doc = f"{m.given[0]} {surname[0]}"
            latin = f"{m.given[1]} {surname[1]}"
            estimated = nationality in ESTIMATED_BIRTH_DATES and r.random() < 0.3
            born = b.birth_date(m.age, estimated)
            aliases = []
            if m.given[1] in ("Muhammad", "Mohammad", "Mohamed") and r.random() < 0.3:
                aliases.append(f"Mohammed {surname[1]}")
            person = Person(
                organisation=household.organisation,
                household=household,
                relation=m.relation,
                name_document=doc,
                name_latin=latin,
                date_of_birth=born,
                date_of_birth_estimated=estimated,
                sex=m.sex,
                nationality=nationality,
                phone=f"+45 {r.randint(20, 61)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}"
                if m.age >= 16 and r.random() < 0.75
                else "",
                needs_accessible_housing=m.age > 70 or r.random() < 0.02,
            )
            person.search_names, person.search_keys = search_text(latin, doc, *aliases)
            persons.append(person)
            extras.append((len(persons) - 1, nationality, m.age >= ADULT_AGE, aliases))
    Person.objects.bulk_create(persons, batch_size=500)

    identifiers: list[PersonIdentifier] = []
    spoken: list[PersonLanguage] = []
    alias_rows: list[PersonAlias] = []
    for index, nationality, adult, aliases in extras:
        person = persons[index]

        numbers = [(IdentifierKind.ASYLUM_CASE, b.case_number())]
        if with_cpr:
            numbers.append((IdentifierKind.CPR, b.cpr(person.date_of_birth, person.sex)))
            if r.random() < 0.3:
                numbers.append(
                    (
                        IdentifierKind.UNHCR,
                        f"{r.randint(100, 999)}-{r.randint(10, 24)}C{r.randint(10000, 99999)}",
                    )
                )
        identifiers.extend(
            PersonIdentifier(
                person=person,
                organisation=person.organisation,
                kind=kind,
                value=value,
                normalised=normalise_identifier(value),
            )
            for kind, value in numbers
        )
        info = NAMES[nationality]
        for code in info["languages"][: 1 if not adult else 2]:
            spoken.append(
                PersonLanguage(
                    person=person, language=b.languages[code], level=LanguageLevel.NATIVE
                )
            )
        if adult and r.random() < 0.5:
            second = r.choice(info["second"])
            if second not in info["languages"]:
                spoken.append(
                    PersonLanguage(
                        person=person,
                        language=b.languages[second],
                        level=r.choice(
                            [LanguageLevel.BASIC, LanguageLevel.GOOD, LanguageLevel.FLUENT]
                        ),
                    )
                )
        alias_rows.extend(PersonAlias(person=person, name=a) for a in aliases)
    PersonIdentifier.objects.bulk_create(identifiers, batch_size=1000)
    PersonLanguage.objects.bulk_create(spoken, batch_size=1000)
    PersonAlias.objects.bulk_create(alias_rows)
    return len(persons), len(households)


def _ensure_users() -> list[tuple[str, str, str]]:
    """One demo user per role; creates only what is missing."""
    orgs = {o.name: o for o in Organisation.objects.filter(name__in={row[2] for row in DEMO_USERS})}
    logins: list[tuple[str, str, str]] = []
    for username, role, org_name, unit_name, full_name in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        organisation = orgs[org_name]
        unit = (
            Unit.objects.filter(organisation=organisation, name=unit_name).first()
            if unit_name
            else None
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, defaults={"unit": unit}
        )
        logins.append((username, str(Role(role).label), org_name))
    return logins
