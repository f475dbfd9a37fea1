"""The agency's weekly batch: households granted a permit and waiting are proposed a
municipality by a run in the task queue, overridden with a reason, and confirmed; the
confirmation gives every member's case the municipality and the municipality the arrival."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ankomst import runs
from ankomst.accounts.models import OrganisationKind
from ankomst.accounts.roles import Role
from ankomst.audit.models import AuditEvent
from ankomst.centres import services as centres
from ankomst.centres.models import CasePhase
from ankomst.distribution import selectors, services, tasks
from ankomst.distribution.models import DistributionRun, LineStatus
from ankomst.reception.models import Arrival
from ankomst.runs import RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def quota_year(officer, agency):
    return services.announce_year(
        user=officer,
        organisation=agency,
        year=timezone.localdate().year,
        table="dk-2024",
        national_number=2000,
        reunified_nationally=None,
        announced_on=timezone.localdate() - dt.timedelta(days=30),
    )


def _run(officer, quota_year, time_limit: int = 20) -> DistributionRun:
    run = services.start_run(user=officer, quota_year=quota_year, time_limit=time_limit)
    assert tasks.solve_run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run


def test_a_granted_household_without_municipality_waits_for_the_agency(grant):
    household = grant(2, 2)
    waiting = selectors.waiting()
    assert [w.household for w in waiting] == [household]
    assert len(waiting[0].members) == 4 and waiting[0].adults(timezone.localdate()) == 2
    assert not Arrival.objects.exists()  # no municipality: no arrival yet


def test_a_handover_date_without_a_municipality_is_refused(make_person, operator, staff):
    person = make_person(operator)
    with pytest.raises(ValidationError, match="needs the receiving municipality"):
        centres.case_phase_set(
            user=staff,
            person=person,
            phase="granted",
            start=timezone.localdate(),
            handover_date=timezone.localdate() + dt.timedelta(days=30),
        )
    assert not CasePhase.objects.filter(person=person).exists()


def test_a_person_alone_gets_a_household_when_granted(make_person, operator, staff):
    person = make_person(operator)
    centres.case_phase_set(user=staff, person=person, phase="granted", start=timezone.localdate())
    person.refresh_from_db()
    assert person.household is not None and person.household.reference == f"P{person.pk}"


def test_the_run_proposes_a_municipality_for_every_household_within_the_quotas(
    officer, quota_year, grant
):
    households = [grant(2, 3), grant(1, 0), grant(1, 0, nationality="ER"), grant(2, 1)]
    run = _run(officer, quota_year)
    assert run.households == 4 and run.persons == 10
    assert run.gap is not None and run.gap <= 1e-3
    lines = list(run.lines.all())
    assert {line.household_id for line in lines} == {h.pk for h in households}
    codes = set(quota_year.quotas.values_list("code", flat=True))
    for line in lines:
        assert line.code in codes and line.code == line.engine_code
        assert line.reason and line.reason["code"].startswith("assigned.")
        assert line.status == LineStatus.PROPOSED
    # nothing is decided before the confirmation
    assert not CasePhase.objects.exclude(municipality_code="").exists()


def test_a_family_tie_sends_the_household_there(officer, agency, quota_year, grant):
    household = grant(2, 0)
    services.record_facts(
        user=officer,
        agency=agency,
        household=household,
        education="secondary",
        treatment=False,
        family_tie="151",  # Ballerup: a quota of 2, and not the best score
        family_tie_note="Brother lives there",
        version=None,
    )
    run = _run(officer, quota_year)
    line = run.lines.get()
    assert line.code == "151" and line.reason["code"] == "assigned.family_tie"
    assert line.education == "secondary"


def test_confirmation_gives_the_cases_the_municipality_and_announces_the_arrival(
    officer, quota_year, grant, aalborg
):
    household = grant(2, 2)
    run = _run(officer, quota_year)
    line = run.lines.get()
    services.override_line(
        user=officer, line=line, code="851", reason="Network in Aalborg", version=line.version
    )
    run.refresh_from_db()
    done = services.confirm_run(user=officer, run=run, version=run.version)
    assert (done.households, done.persons, done.skipped) == (1, 4, 0)
    phases = CasePhase.objects.filter(person__household=household, municipality_code="851")
    assert phases.count() == 4 and all(p.municipality == aalborg for p in phases)
    arrival = Arrival.objects.get(source_household=household)
    assert arrival.organisation == aalborg and arrival.decision_date == timezone.localdate()
    assert arrival.rule_handover_date > timezone.localdate()
    # the quota page counts them; the household waits no more
    assert selectors.assigned(quota_year)["851"] == 4
    assert selectors.waiting() == []
    assert AuditEvent.objects.filter(
        object_type="people.household", object_id=str(household.pk), summary__contains="851"
    ).exists()


def test_a_municipality_not_on_ankomst_is_recorded_by_its_code(officer, quota_year, grant):
    household = grant(1, 0)
    run = _run(officer, quota_year)
    line = run.lines.get()
    services.override_line(
        user=officer, line=line, code="751", reason="Work offer", version=line.version
    )
    run.refresh_from_db()
    services.confirm_run(user=officer, run=run, version=run.version)
    phase = CasePhase.objects.get(person__household=household, municipality_code="751")
    assert phase.municipality is None and phase.receiving == "Aarhus"
    assert phase.handover_date is not None
    assert not Arrival.objects.exists()
    assert selectors.assigned(quota_year)["751"] == 1


def test_an_override_needs_a_reason_and_a_known_municipality(officer, quota_year, grant):
    grant(1, 0)
    run = _run(officer, quota_year)
    line = run.lines.get()
    with pytest.raises(ValidationError, match="Say why"):
        services.override_line(user=officer, line=line, code="851", reason=" ", version=1)
    with pytest.raises(ValidationError, match="quota table"):
        services.override_line(user=officer, line=line, code="999", reason="x", version=1)
    line.refresh_from_db()
    assert line.code == line.engine_code and line.version == 1


def test_a_stale_confirmation_is_refused(officer, quota_year, grant):
    grant(1, 0)
    run = _run(officer, quota_year)
    line = run.lines.get()
    services.override_line(user=officer, line=line, code="", reason="Later", version=1)
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.confirm_run(user=officer, run=run, version=1)
    assert not CasePhase.objects.exclude(municipality_code="").exists()


def test_a_household_whose_case_changed_since_the_run_is_left_out(
    officer, quota_year, grant, staff
):
    first, second = grant(1, 0), grant(1, 0)
    run = _run(officer, quota_year)
    person = first.members.get()
    centres.case_phase_set(
        user=staff, person=person, phase="finally_refused", start=timezone.localdate()
    )
    done = services.confirm_run(user=officer, run=run, version=run.version)
    assert (done.households, done.skipped) == (1, 1)
    assert run.lines.get(household=first).status == LineStatus.SKIPPED
    assert CasePhase.objects.filter(person__household=second).exclude(municipality_code="").exists()


def test_no_municipality_gets_more_than_its_quota(officer, quota_year, grant):
    grant(2, 0)
    run = _run(officer, quota_year)
    line = run.lines.get()
    services.override_line(
        user=officer, line=line, code="825", reason="Agreed by phone", version=line.version
    )
    quota_year.quotas.filter(code="825").update(rule_quota=1, exchanged=0)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="Læsø"):
        services.confirm_run(user=officer, run=run, version=run.version)
    assert not CasePhase.objects.exclude(municipality_code="").exists()


def test_one_run_at_a_time_and_a_cancelled_run_stores_nothing(officer, quota_year, grant):
    grant(1, 0)
    run = services.start_run(user=officer, quota_year=quota_year)
    with pytest.raises(ValidationError, match="already under way"):
        services.start_run(user=officer, quota_year=quota_year)
    services.cancel_run(user=officer, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert tasks.solve_run(run.pk) == "skipped"
    assert not run.lines.exists()


def test_a_run_cancelled_while_solving_stops(officer, quota_year, grant):
    grant(1, 0)
    run = services.start_run(user=officer, quota_year=quota_year)
    DistributionRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    runs.PROGRESS_SECONDS, before = 0.0, runs.PROGRESS_SECONDS
    try:
        assert tasks.solve_run(run.pk) == RunStatus.CANCELLED
    finally:
        runs.PROGRESS_SECONDS = before
    assert not run.lines.exists()


def test_a_stale_run_is_recovered(officer, quota_year, grant, settings):
    grant(1, 0)
    run = services.start_run(user=officer, quota_year=quota_year)
    old = timezone.now() - dt.timedelta(seconds=settings.PLACEMENT_STALE_SECONDS + 5)
    DistributionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=old, attempts=2
    )
    assert runs.recover_stale_runs() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.failure == "worker_lost"


def test_nothing_waits_no_run(officer, quota_year):
    with pytest.raises(ValidationError, match="No household is waiting"):
        services.start_run(user=officer, quota_year=quota_year)


def test_the_agency_manager_sees_but_cannot_decide(make_user, agency, quota_year, grant, officer):
    manager = make_user(Role.MANAGER, agency)
    grant(1, 0)
    with pytest.raises(PermissionDenied):
        services.start_run(user=manager, quota_year=quota_year)
    assert not DistributionRun.objects.exists()
    assert AuditEvent.objects.filter(action="denied").exists()


def test_another_organisation_cannot_see_the_batch(client_of, alice, officer, quota_year, grant):
    grant(1, 0)
    run = _run(officer, quota_year)
    client = client_of(alice)
    assert client.get(reverse("distribution:batch")).status_code == 403
    assert client.get(reverse("distribution:run_detail", args=[run.pk])).status_code == 404
    line = run.lines.get()
    assert client.get(reverse("distribution:line_detail", args=[line.pk])).status_code == 404
    household = line.household
    assert client.get(reverse("distribution:facts", args=[household.pk])).status_code in (403, 404)


def test_the_pages_in_danish(client_of, officer, quota_year, grant, aalborg):
    household = grant(2, 1)
    client = client_of(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(reverse("distribution:batch")).content.decode()
    assert household.reference in page and "Foreslå kommuner" in page
    facts = reverse("distribution:facts", args=[household.pk])
    bad = client.post(facts, {"education": "phd", "family_tie": "999"})
    assert bad.status_code == 400
    ok = client.post(
        facts,
        {"education": "tertiary", "family_tie": "851", "family_tie_note": "Onkel i Aalborg"},
    )
    assert ok.status_code == 302
    started = client.post(reverse("distribution:run_start"), {"time_limit": "20"})
    run = DistributionRun.objects.get()
    assert started.status_code == 302 and started.url == reverse(
        "distribution:run_detail", args=[run.pk]
    )
    tasks.solve_run(run.pk)
    page = client.get(reverse("distribution:run_detail", args=[run.pk])).content.decode()
    assert "Aalborg" in page and "Bekræft" in page
    line = run.lines.get()
    detail = client.get(reverse("distribution:line_detail", args=[line.pk])).content.decode()
    assert "familie" in detail and "assigned." not in detail and "binding." not in detail
    run.refresh_from_db()
    confirmed = client.post(
        reverse("distribution:run_confirm", args=[run.pk]), {"version": run.version}
    )
    assert confirmed.status_code == 302
    assert Arrival.objects.filter(source_household=household, organisation=aalborg).exists()


def test_bad_values_change_nothing(client_of, officer, quota_year, grant):
    grant(1, 0)
    client = client_of(officer)
    for value in ("", "abc", "4", "601", "-1", "9" * 30):
        response = client.post(reverse("distribution:run_start"), {"time_limit": value})
        assert response.status_code == 302
    assert not DistributionRun.objects.exists()
    run = _run(officer, quota_year)
    line = run.lines.get()
    url = reverse("distribution:line_override", args=[line.pk])
    for data in ({}, {"version": "x"}, {"version": "1", "code": "999", "reason": "r"}):
        assert client.post(url, data).status_code == 400
    line.refresh_from_db()
    assert line.version == 1
    assert client.post(reverse("distribution:run_confirm", args=[run.pk]), {}).status_code == 302
    assert not CasePhase.objects.exclude(municipality_code="").exists()


def test_a_municipality_organisation_kind_is_needed_for_the_arrival(
    officer, quota_year, grant, muni_b
):
    # an organisation carrying the code but not a municipality gets no arrival
    muni_b.kind = OrganisationKind.CENTRE_OPERATOR
    muni_b.municipality_code = "851"
    muni_b.save()
    grant(1, 0)
    run = _run(officer, quota_year)
    line = run.lines.get()
    services.override_line(user=officer, line=line, code="851", reason="r", version=1)
    run.refresh_from_db()
    services.confirm_run(user=officer, run=run, version=run.version)
    assert not Arrival.objects.exists()
    assert CasePhase.objects.filter(municipality_code="851", municipality__isnull=True).exists()
