import datetime as dt

from django.utils import timezone

from ankomst.centres import imports
from ankomst.centres.models import Stay
from ankomst.people.models import Household, Person

HEADER = "household,relation,name_document,name_latin,date_of_birth,estimated,sex,nationality,asylum_case,needs_accessible"
BEDS = ",centre,building,room,bed,since"


def test_a_dry_run_reports_every_bad_row_and_imports_nothing(client_of, staff, centre, operator):
    text = "\n".join(
        [
            HEADER + BEDS,
            "F1,head,خالد,Khaled Haddad,1985-02-03,no,M,SY,24-1,no,Residence North,A,A002,A,2026-01-05",
            "F1,spouse,ريم,Reem Haddad,1988-13-01,no,F,SY,24-2,no,Residence North,A,A002,B,2026-01-05",
            "F1,child,عمر,Omar Haddad,2018-01-01,no,Q,SY,24-3,no,Residence North,A,A002,A,2026-01-05",
            "F2,cousin,,Ali Rahimi,1999-01-01,maybe,M,XX,24-1,no,Nowhere,A,A999,A,tomorrow",
        ]
    )
    response = client_of(staff).post("/centres/import/", {"text": text})
    body = response.content.decode()
    assert response.status_code == 200
    report = imports.parse(text, organisation=operator, with_beds=True)
    lines = {line for line, _ in report.errors}
    assert lines == {3, 4, 5}
    messages = " ".join(p for _, p in report.errors)
    for expected in [
        "1988-13-01",
        "sex must be F, M or X",
        "bed also given on line 2",
        "relation must be one of",
        "XX is not an ISO 3166",
        "also on line 2",
        "no bed Nowhere",
        "estimated must be yes or no",
        "exactly one head",
    ]:
        assert expected in messages, expected
    assert "Import now" not in body
    assert Person.objects.count() == 0


def test_a_missing_column_is_named(operator):
    report = imports.parse(
        "household,name_latin\nF1,Khaled", organisation=operator, with_beds=False
    )
    assert not report.ok and report.errors[0][0] == 1 and "relation" in report.errors[0][1]


def test_a_valid_file_imports_persons_households_and_beds(client_of, staff, centre):
    text = "\n".join(
        [
            HEADER + BEDS,
            "F1,head,خالد,Khaled Haddad,1985-02-03,no,M,SY,24-1,no,Residence North,A,A002,A,2026-01-05",
            "F1,spouse,ريم,Reem Haddad,1988-11-01,no,F,SY,24-2,no,Residence North,A,A002,B,2026-01-05",
            "S1,head,,Samer Ali,1999-01-01,yes,M,SY,24-3,no,Residence North,A,A005,A,2026-02-01",
        ]
    )
    client = client_of(staff)
    review = client.post("/centres/import/", {"text": text})
    payload = review.context["payload"]
    assert payload
    done = client.post("/centres/import/confirm/", {"payload": payload})
    assert done.status_code == 302
    assert Person.objects.count() == 3 and Household.objects.count() == 2
    khaled = Person.objects.get(name_latin="Khaled Haddad")
    assert khaled.stays.get().bed.room.number == "A002"
    assert timezone.localtime(khaled.stays.get().start).date() == dt.date(2026, 1, 5)


def test_a_tampered_payload_is_refused(client_of, staff, centre):
    response = client_of(staff).post("/centres/import/confirm/", {"payload": "forged"})
    assert response.status_code == 400
    assert "could not be read back" in response.content.decode()


def _arrivals(n_families: int, n_singles: int) -> str:
    rows = [HEADER]
    case = 0
    for f in range(n_families):
        for relation, age, sex in (
            ("head", 40, "M"),
            ("spouse", 36, "F"),
            ("child", 10, "F"),
            ("child", 6, "M"),
        ):
            case += 1
            rows.append(
                f"F{f},{relation},,Family{f} {relation}{case},{2026 - age}-03-01,no,{sex},AF,25-{case},no"
            )
    for s in range(n_singles):
        case += 1
        rows.append(f"S{s},head,,Single {s},{1995 + s % 5}-05-05,no,M,ER,25-{case},no")
    return "\n".join(rows)


def test_a_bus_of_fifty_arrivals_is_reviewed_then_saved_together(client_of, staff, centre):
    from ankomst.centres.estate import BuildingSpec, RoomSpec, build_estate

    build_estate(
        centre, [BuildingSpec("B", 1, (RoomSpec("family", 4, 10), RoomSpec("dorm_male", 5, 2)))]
    )
    text = _arrivals(n_families=10, n_singles=10)  # 50 persons
    client = client_of(staff)
    review = client.post(f"/centres/{centre.pk}/arrivals/", {"text": text})
    assert review.status_code == 200
    assert review.context["all_placed"]
    assert Person.objects.count() == 0  # nothing saved by the review
    done = client.post(
        f"/centres/{centre.pk}/arrivals/confirm/", {"payload": review.context["payload"]}
    )
    assert done.status_code == 302
    assert Person.objects.count() == 50
    assert Stay.objects.filter(end__isnull=True).count() == 50
    for household in Household.objects.prefetch_related("members__stays__bed__room"):
        rooms = {m.stays.get().bed.room_id for m in household.members.all()}
        assert len(rooms) == 1, household  # every family together


def test_an_arrival_that_does_not_fit_cannot_be_saved(client_of, staff, centre):
    text = _arrivals(n_families=10, n_singles=40)  # 80 persons in a 40-bed centre
    review = client_of(staff).post(f"/centres/{centre.pk}/arrivals/", {"text": text})
    assert not review.context["all_placed"] and review.context["payload"] == ""
    assert "no bed" in review.content.decode()
    assert Person.objects.count() == 0


def test_a_bed_taken_between_review_and_save_refuses_the_whole_bus(
    client_of, staff, centre, make_person, operator
):
    from ankomst.centres import services
    from tests.centres.conftest import bed

    text = _arrivals(n_families=1, n_singles=2)
    client = client_of(staff)
    review = client.post(f"/centres/{centre.pk}/arrivals/", {"text": text})
    reviewed_beds = set(review.context["review"][0]["members"][0][1:])
    taken = next(iter(reviewed_beds))
    services.check_in(
        user=staff,
        placements=[services.Placement(make_person(operator, "Early Bird"), taken)],
        override_reason="walk-in",
    )
    done = client.post(
        f"/centres/{centre.pk}/arrivals/confirm/", {"payload": review.context["payload"]}
    )
    assert done.status_code == 302
    assert Person.objects.count() == 1  # only the walk-in
    assert bed(centre, taken.room.number, taken.label).stays.count() == 1
