"""The small world every URL is visited in: one operator with everything, and an outsider.

Built once per module (see ``conftest.py``). Nothing here is a test; it names the records that
the route table's path parameters point at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ankomst.accounts.models import Membership, Organisation, OrganisationKind, Unit, UnitKind, User
from ankomst.accounts.roles import Role
from ankomst.activities.models import Activity, ActivityKind, Enrolment, Session
from ankomst.allowances import services as allowance_services
from ankomst.allowances.models import OperatorAccount, PaymentLine, PaymentRun, Scheme
from ankomst.casework import services as casework_services
from ankomst.casework.models import Concern
from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
from ankomst.centres.models import (
    Bed,
    CasePhase,
    Catering,
    Centre,
    CentreType,
    Room,
    RoomKind,
    Stay,
)
from ankomst.community import services as community_services
from ankomst.community.models import (
    Association,
    Bridge,
    Offer,
    Partnership,
    Shift,
    ShiftTemplate,
    Volunteer,
)
from ankomst.people.models import Household, Person, PersonIdentifier, Relation, Sex

ANONYMOUS = "anonymous"
# A caseworker of another operator, asking for the records of this one.
OUTSIDER = "outsider"
VISITORS = [*(role.value for role in Role), ANONYMOUS, OUTSIDER]

PERIOD_START = dt.date(2024, 3, 4)
CUTOFF = dt.date(2024, 3, 1)


@dataclass
class World:
    operator: Organisation
    other: Organisation
    users: dict[str, User | None]
    centre: Centre
    room: Room
    bed: Bed
    household: Household
    adult: Person
    child: Person
    minor: Person
    activity: Activity
    session: Session
    enrolment: Enrolment
    concern: Concern
    run: PaymentRun
    line: PaymentLine
    statement_key: str
    extra: dict = field(default_factory=dict)


def _user(username: str, role: str, organisation: Organisation) -> User:
    user = User(username=username)
    # No password to check: the visits sign in with force_login, and a password change with a
    # bad old password is refused without an Argon2 round.
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def _person(organisation, name, born, *, household=None, relation="", sex=Sex.MALE, case=""):
    person = Person.objects.create(
        organisation=organisation,
        name_latin=name,
        name_document=name,
        date_of_birth=born,
        sex=sex,
        household=household,
        relation=relation,
        nationality="SY",
    )
    PersonIdentifier(person=person, kind="asylum_case", value=case).save()
    return person


def _stay(person, bed, since, user):
    start = timezone.make_aware(dt.datetime.combine(since, dt.time(12)))
    return Stay.objects.create(
        person=person, bed=bed, organisation=person.organisation, start=start, created_by=user
    )


def _community(operator, users, household, adult) -> dict:
    """A volunteer organisation working with the operator; the world's coordinator and
    volunteer hold their roles there too, with a volunteer record, a referral of the
    operator's household, a match, a shift with a sign-up, an offer, a bridge and an event."""
    group = Organisation.objects.create(
        name="Support group (every URL)", kind=OrganisationKind.VOLUNTEER_ORGANISATION
    )
    Partnership.objects.create(volunteer_organisation=group, partner=operator, since=CUTOFF)
    coordinator = users[Role.VOLUNTEER_COORDINATOR]
    for role in (Role.VOLUNTEER_COORDINATOR, Role.VOLUNTEER):
        Membership.objects.create(user=users[role], organisation=group, role=role)
    today = timezone.localdate()
    volunteer = Volunteer.objects.create(
        organisation=group,
        user=users[Role.VOLUNTEER],
        name="Vera Volunteer",
        sex="F",
        birth_year=1980,
        place="Vejgaard",
        languages={"da": "native", "ar": "good"},
        contact_person=True,
        max_matches=2,
        certificate_date=today - dt.timedelta(days=30),
        joined_on=today - dt.timedelta(days=60),
    )
    referral = community_services.referral_create(
        user=users[Role.CASEWORKER],
        household=household,
        volunteer_organisation=group,
        kind="contact_person",
        consent_on=today,
        contact_name="Samer",
        place="Vejgaard",
        interests=["sport"],
    )
    match = community_services.match_confirm(
        user=coordinator, referral=referral, volunteer=volunteer
    )
    start = timezone.now() + dt.timedelta(days=5)
    shift = Shift.objects.create(
        organisation=group,
        kind="childcare",
        title="Danish 1",
        place="Room 2",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        needed=2,
        children=4,
        with_children=True,
    )
    signup = community_services.sign_up(user=users[Role.VOLUNTEER], shift=shift)
    association = Association.objects.create(organisation=group, name="Sports club")
    offer = Offer.objects.create(
        association=association, title="Football", kind="sport", place="Park", age_min=0, age_max=99
    )
    bridge = Bridge.objects.create(
        organisation=operator,
        person=adult,
        offer=offer,
        started_on=today - dt.timedelta(days=40),
        consent_on=today - dt.timedelta(days=40),
        created_by=users[Role.CASEWORKER],
    )
    event = community_services.event_create(
        user=coordinator,
        organisation=group,
        kind="language_cafe",
        title="Language café",
        date=today,
        starts_at=dt.time(16),
        ends_at=dt.time(18),
        place="Library",
        capacity=30,
        helpers=1,
    )
    ShiftTemplate.objects.create(organisation=group, name="Childcare")
    return {
        "group": group,
        "volunteer": volunteer,
        "referral": referral,
        "match": match,
        "shift": shift,
        "signup": signup,
        "offer": offer,
        "bridge": bridge,
        "event": event,
    }


def _housing(operator, users, arrival) -> dict:
    """The housing department's records: an area, two units, the household's need, a finished
    run with its proposal accepted and offered, and a fixed-area rule."""
    from ankomst.housing import services as housing_services
    from ankomst.housing import tasks as housing_tasks
    from ankomst.housing.models import Area, HousingUnit

    caseworker = users[Role.CASEWORKER]
    head = arrival.household.members.order_by("date_of_birth").first()
    area = Area.objects.create(
        organisation=operator,
        code="centrum",
        name="Centrum",
        kind="district",
        population=9000,
        countrymen={str(head.nationality) or "XXX": 5},  # nobody placed alone
    )
    units = [
        HousingUnit.objects.create(
            organisation=operator,
            reference=f"U-{n}",
            address=f"Testvej {n}",
            area=area,
            kind="permanent",
            rooms=4,
            max_persons=6,
            rent=Decimal("3900"),
            school_km=Decimal("1"),
            daycare_km=Decimal("1"),
            transport_km=Decimal("1"),
            shops_km=Decimal("1"),
            landlord_kind="association",
            latitude=Decimal("57.04"),
            longitude=Decimal("9.92"),
        )
        for n in (1, 2)
    ]
    housing_services.open_needs(operator.pk)
    need = arrival.housing_need
    rule = housing_services.add_area_rule(
        user=caseworker, need=need, area=area, kind="fixed", reason="Family nearby"
    )
    run = housing_services.start_run(user=caseworker, organisation=operator)
    housing_tasks.solve_run(run.pk)
    proposal = run.proposals.get()
    housing_services.decide(
        user=caseworker, proposal=proposal, action="accept", version=proposal.version
    )
    offer = housing_services.make_offer(user=caseworker, proposal=proposal)
    return {
        "housing_area": area,
        "housing_unit": units[0],
        "housing_need": need,
        "housing_rule": rule,
        "housing_run": run,
        "housing_proposal": proposal,
        "housing_offer": offer,
    }


def _distribution(operator, users) -> dict:
    """A national agency whose distribution office is the operator's caseworker too (one
    user, two memberships), with the demo's quotas and agreed exchange, a household of the
    operator granted a permit and waiting, and a finished run proposing its municipality."""
    from ankomst.demo.distribution import create_distribution_demo
    from ankomst.distribution import services as distribution_services
    from ankomst.distribution import tasks as distribution_tasks
    from ankomst.distribution.models import QuotaYear

    agency = Organisation.objects.create(
        name="Agency (every URL)", kind=OrganisationKind.NATIONAL_AGENCY, country="DK"
    )
    caseworker = users[Role.CASEWORKER]
    Membership.objects.create(user=caseworker, organisation=agency, role=Role.CASEWORKER)
    caseworker = User.objects.get(pk=caseworker.pk)  # its memberships read anew
    create_distribution_demo(agency, caseworker, timezone.localdate(), users[Role.CENTRE_STAFF])
    year = QuotaYear.objects.get(organisation=agency)
    waiting = Household.objects.create(organisation=operator, reference="W-1")
    person = Person.objects.create(
        organisation=operator,
        household=waiting,
        relation=Relation.HEAD,
        name_latin="Waiting Granted",
        name_document="Waiting Granted",
        date_of_birth=dt.date(1988, 3, 1),
        sex=Sex.FEMALE,
        nationality="ER",
    )
    CasePhase.objects.create(
        person=person,
        organisation=operator,
        phase="granted",
        start=timezone.localdate(),
        created_by=users[Role.CENTRE_STAFF],
    )
    run = distribution_services.start_run(user=caseworker, quota_year=year, time_limit=10)
    distribution_tasks.solve_run(run.pk)
    run.refresh_from_db()
    return {
        "quota_year": year,
        "distribution_run": run,
        "distribution_line": run.lines.get(household=waiting),
        "waiting_household": waiting,
    }


def build_world() -> World:
    operator = Organisation.objects.create(
        name="Operator (every URL)", kind=OrganisationKind.CENTRE_OPERATOR, country="DK"
    )
    Unit.objects.create(organisation=operator, kind=UnitKind.CENTRE, name="Centre One", places=40)
    other = Organisation.objects.create(
        name="Other operator (every URL)", kind=OrganisationKind.CENTRE_OPERATOR, country="DK"
    )
    users: dict[str, User | None] = {
        role.value: _user(f"url-{role.value}", role.value, operator) for role in Role
    }
    users[ANONYMOUS] = None
    users[OUTSIDER] = _user("url-outsider", Role.CASEWORKER, other)
    caseworker = users[Role.CASEWORKER]

    centre = Centre.objects.create(
        organisation=operator,
        name="Residence North",
        centre_type=CentreType.RESIDENCE,
        catering=Catering.SELF_CATERING,
    )
    build_estate(
        centre,
        [
            BuildingSpec(
                "A",
                1,
                (
                    RoomSpec(RoomKind.FAMILY, 4, 1),
                    RoomSpec(RoomKind.DORM_MALE, 3, 1),
                    RoomSpec(RoomKind.SINGLE, 1, 2),
                ),
            )
        ],
    )
    # The outsider's own centre, so that its lists are not trivially empty.
    other_centre = Centre.objects.create(
        organisation=other,
        name="Other centre",
        centre_type=CentreType.RECEPTION,
        catering=Catering.CANTEEN,
    )
    build_estate(other_centre, [BuildingSpec("X", 1, (RoomSpec(RoomKind.SINGLE, 1, 1),))])

    beds = list(Bed.objects.filter(room__building__centre=centre).order_by("room__number", "label"))
    since = dt.date(2024, 1, 10)
    household = Household.objects.create(organisation=operator, reference="F-1")
    adult = _person(
        operator,
        "Ahmad Karimi",
        dt.date(1985, 2, 1),
        household=household,
        relation=Relation.HEAD,
        case="24-100001",
    )
    child = _person(
        operator,
        "Sara Karimi",
        dt.date(2015, 4, 1),
        household=household,
        relation=Relation.CHILD,
        sex=Sex.FEMALE,
        case="24-100002",
    )
    minors = Household.objects.create(organisation=operator, reference="UM-1")
    minor = _person(
        operator,
        "Ali Rahimi",
        dt.date(2010, 6, 1),
        household=minors,
        relation=Relation.HEAD,
        case="24-100003",
    )
    for person, bed in zip((adult, child, minor), beds, strict=False):
        _stay(person, bed, since, caseworker)
        CasePhase.objects.create(
            person=person,
            organisation=operator,
            phase="before_decision",
            start=since,
            created_by=caseworker,
        )
    room = beds[-1].room

    activity = Activity.objects.create(
        organisation=operator,
        kind=ActivityKind.DANISH,
        name="Danish module 1",
        place="Classroom 2",
        teacher=users[Role.TEACHER],
    )
    today = timezone.localdate()
    session = Session.objects.create(
        activity=activity,
        date=today,
        starts_at=dt.time(9),
        ends_at=dt.time(11, 30),
        place="Classroom 2",
        teacher=users[Role.TEACHER],
    )
    enrolment = Enrolment.objects.create(
        activity=activity, person=adult, enrolled_on=today - dt.timedelta(days=30)
    )

    concern = casework_services.concern_create(
        user=users[Role.CENTRE_STAFF],
        organisation=operator,
        category="conflict",
        severity="low",
        description="Noise at night",
        person=adult,
    )

    OperatorAccount.objects.create(organisation=operator, iban="DK5000400440116243")
    run = allowance_services.run_prepare(
        user=caseworker,
        organisation=operator,
        scheme=Scheme.ALLOWANCE,
        period_start=PERIOD_START,
        cutoff=CUTOFF,
    )
    line = run.lines.order_by("pk").first()
    allowance_services.pocket_money_entry_add(
        user=caseworker,
        person=minor,
        amount=Decimal("100.00"),
        reason="opening balance",
        on=PERIOD_START,
    )
    # The reception's records (in a municipality's hands in real life; here the operator's, so
    # that every role of the table and the outsider meet them).
    from ankomst.casework.models import FollowUp
    from ankomst.reception import services as reception_services
    from ankomst.reception.models import Arrival, ChecklistItem, HandOff, Origin, Task

    arrival = Arrival.objects.create(
        organisation=operator,
        household=household,
        household_type="family",
        origin=Origin.MANUAL,
        decision_date=dt.date(2024, 1, 15),
        rule_handover_date=dt.date(2024, 2, 29),
        handover_date=dt.date(2024, 2, 29),
        persons=household.members.count(),
        created_by=caseworker,
    )
    reception_services.generate_tasks(arrival)
    task = Task.objects.filter(arrival=arrival).order_by("pk").first()
    handoff = HandOff.objects.create(
        task=task,
        organisation=operator,
        from_department=task.department,
        to_department="housing" if task.department != "housing" else "job_centre",
        note="Address needed",
        by=caseworker,
        at=timezone.now(),
    )
    follow_up = FollowUp.objects.create(
        concern=concern,
        kind="action",
        description="Talk to both",
        owner=caseworker,
        due_on=timezone.localdate(),
        created_by=caseworker,
    )
    community = _community(operator, users, household, adult)
    extra = {
        **community,
        **_housing(operator, users, arrival),
        **_distribution(operator, users),
        "arrival": arrival,
        "task": task,
        "handoff": handoff,
        "checklist_item": ChecklistItem.objects.filter(organisation=operator).first(),
        "follow_up": follow_up,
        "user": users[Role.TEACHER],
        "membership": users[Role.TEACHER].memberships.first(),
    }
    return World(
        extra=extra,
        operator=operator,
        other=other,
        users=users,
        centre=centre,
        room=room,
        bed=beds[-1],
        household=household,
        adult=adult,
        child=child,
        minor=minor,
        activity=activity,
        session=session,
        enrolment=enrolment,
        concern=concern,
        run=run,
        line=line,
        statement_key=line.household_key,
    )
