import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.centres import services
from ankomst.centres.models import CasePhase, Stay
from ankomst.centres.selectors import occupancy
from tests.centres.conftest import bed

NOW = timezone.now()


def place(user, persons, centre, room, at=None, **kw):
    return services.check_in(
        user=user,
        placements=[
            services.Placement(p, bed(centre, room, chr(65 + i))) for i, p in enumerate(persons)
        ],
        at=at,
        **kw,
    )


def test_it_checks_a_household_into_one_room(staff, centre, family):
    stays = place(staff, family, centre, "A002")
    assert len(stays) == 3 and {s.bed.room.number for s in stays} == {"A002"}
    assert AuditEvent.objects.filter(action="create", object_type="centres.stay").count() == 3


def test_a_bed_holds_one_person(staff, centre, family, make_person, operator):
    place(staff, family[:1], centre, "A005")  # men's dormitory, bed A
    other = make_person(operator, "Samer Ali")
    with pytest.raises(ValidationError, match="already occupied"):
        services.check_in(
            user=staff, placements=[services.Placement(other, bed(centre, "A005", "A"))]
        )


def test_a_person_holds_one_bed(staff, centre, family):
    place(staff, family[:1], centre, "A005")
    with pytest.raises(ValidationError, match="already has a bed"):
        services.check_in(
            user=staff, placements=[services.Placement(family[0], bed(centre, "A005", "B"))]
        )


def test_the_database_refuses_a_second_open_stay_in_a_bed(staff, centre, family):
    place(staff, family[:1], centre, "A005")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(
            person=family[1],
            bed=bed(centre, "A005", "A"),
            organisation=centre.organisation,
            start=NOW,
            created_by=staff,
        )


def test_breaking_a_rule_needs_a_reason_which_is_audited(staff, centre, make_person, operator):
    man = make_person(operator, "Samer Ali")
    with pytest.raises(ValidationError, match="other sex"):
        services.check_in(user=staff, placements=[services.Placement(man, bed(centre, "A006"))])
    [stay] = services.check_in(
        user=staff,
        placements=[services.Placement(man, bed(centre, "A006"))],
        override_reason="Only free bed tonight; moved tomorrow",
    )
    assert stay.override_reason.startswith("Only free bed")
    event = AuditEvent.objects.get(object_type="centres.stay", action="create")
    assert event.purpose.startswith("Only free bed") and event.changes["override"]


def test_a_transfer_keeps_the_history_as_one_chain(staff, centre, family):
    first = place(staff, family, centre, "A002", at=NOW - dt.timedelta(days=30))
    moved = services.transfer(
        user=staff,
        placements=[
            services.Placement(p, bed(centre, "A102", chr(65 + i))) for i, p in enumerate(family)
        ],
    )
    for old, new in zip(first, moved, strict=True):
        old.refresh_from_db()
        assert old.end == new.start and old.is_transfer_out and new.previous == old
    assert Stay.objects.filter(person=family[0]).count() == 2


def test_a_transfer_to_another_centre_of_the_operator(staff, centre, operator, make_person):
    from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate
    from ankomst.centres.models import Centre

    other = Centre.objects.create(
        organisation=operator, name="Emergency", centre_type="emergency", catering="canteen"
    )
    build_estate(other, [BuildingSpec("H", 1, (RoomSpec("dorm_male", 6, 1),))])
    man = make_person(operator, "Samer Ali")
    services.check_in(
        user=staff,
        placements=[services.Placement(man, bed(other, "H001"))],
        at=NOW - dt.timedelta(days=3),
    )
    [stay] = services.transfer(
        user=staff, placements=[services.Placement(man, bed(centre, "A005"))]
    )
    assert stay.bed.room.building.centre == centre


def test_check_out_with_a_reason(staff, centre, family):
    place(staff, family[:1], centre, "A005", at=NOW - dt.timedelta(days=1))
    stay = services.check_out(user=staff, person=family[0], reason="municipality")
    assert stay.end is not None and stay.end_reason == "municipality"
    with pytest.raises(ValidationError):
        services.check_out(user=staff, person=family[0], reason="municipality")


def test_check_out_needs_a_known_reason(staff, centre, family):
    place(staff, family[:1], centre, "A005", at=NOW - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.check_out(user=staff, person=family[0], reason="because")


def test_another_operators_staff_cannot_book(make_user, muni_b, centre, family):
    outsider = make_user(Role.CENTRE_STAFF, muni_b)
    with pytest.raises(PermissionDenied):
        place(outsider, family, centre, "A002")
    assert not Stay.objects.exists()


def test_a_closed_bed_cannot_be_booked_and_counts_as_closed(staff, centre, family):
    services.beds_close(
        user=staff,
        beds=[bed(centre, "A005", "A")],
        start=timezone.localdate(),
        end=None,
        reason="Water damage",
    )
    with pytest.raises(ValidationError, match="closed"):
        place(staff, family[:1], centre, "A005")
    counts = occupancy([centre])["centres"][centre.pk]
    assert counts.closed == 1 and counts.free == counts.places - 1


def test_occupancy_on_a_past_date(staff, centre, family):
    place(staff, family, centre, "A002", at=NOW - dt.timedelta(days=10))
    services.check_out(
        user=staff, person=family[0], reason="hospital", at=NOW - dt.timedelta(days=2)
    )
    before = occupancy([centre], NOW - dt.timedelta(days=5))["centres"][centre.pk]
    now = occupancy([centre])["centres"][centre.pk]
    earlier = occupancy([centre], NOW - dt.timedelta(days=20))["centres"][centre.pk]
    assert (earlier.occupied, before.occupied, now.occupied) == (0, 3, 2)
    assert now.by_kind["family"]["occupied"] == 2 and now.by_kind["accessible"]["occupied"] == 0


def test_case_phases_are_dated_and_validated(staff, family, muni_a):
    person = family[0]
    today = timezone.localdate()
    services.case_phase_set(
        user=staff, person=person, phase="before_decision", start=today - dt.timedelta(days=40)
    )
    with pytest.raises(ValidationError, match="municipality"):  # none assigned yet
        services.case_phase_set(
            user=staff,
            person=person,
            phase="granted",
            start=today,
            handover_date=today + dt.timedelta(days=30),
        )
    with pytest.raises(ValidationError, match="before"):
        services.case_phase_set(
            user=staff, person=person, phase="after_decision", start=today - dt.timedelta(days=50)
        )
    services.case_phase_set(
        user=staff,
        person=person,
        phase="granted",
        start=today,
        municipality=muni_a,
        handover_date=today + dt.timedelta(days=30),
    )
    assert list(CasePhase.objects.filter(person=person).values_list("phase", flat=True)) == [
        "granted",
        "before_decision",
    ]


def test_the_database_keeps_municipality_to_granted_phases(staff, family, muni_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        CasePhase.objects.create(
            person=family[0],
            organisation=family[0].organisation,
            phase="refused_appeal",
            start=timezone.localdate(),
            municipality=muni_a,
            created_by=staff,
        )
