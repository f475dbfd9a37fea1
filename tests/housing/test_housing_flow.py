"""The housing department's day: waiting households, a run, decisions, an offer, the move-in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst import runs
from ankomst.housing import services, tasks
from ankomst.housing.models import (
    HousingKind,
    HousingNeed,
    NeedStatus,
    OfferStatus,
    PlacementRun,
    ProposalStatus,
    UnitStatus,
)
from ankomst.reception.models import HomeKind, TaskStatus
from ankomst.runs import RunStatus

pytestmark = pytest.mark.django_db


def _run(user, org, **kw) -> PlacementRun:
    run = services.start_run(user=user, organisation=org, time_limit=20, **kw)
    assert tasks.solve_run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run


def test_every_arrival_without_a_home_waits_with_a_budget_from_its_income(
    make_arrival, muni_a, make_unit
):
    single = make_arrival(adults=1)
    family = make_arrival(adults=2, child_ages=(8, 3))
    assert services.open_needs(muni_a.pk) == 2
    assert services.open_needs(muni_a.pk) == 0  # once only
    budgets = {n.arrival_id: n.rent_budget for n in HousingNeed.objects.all()}
    # single: 12,300 × 0.35; family: (2 × 8,600 + 2 × 1,600) × 0.35 (the assumed income model)
    assert budgets[single.pk] == Decimal("4305")
    assert budgets[family.pk] == Decimal("7140")


def test_a_run_proposes_an_offer_is_accepted_and_the_move_in_closes_the_housing_task(
    housing_officer, muni_a, make_arrival, make_unit
):
    arrival = make_arrival(adults=2, child_ages=(8,))
    unit = make_unit(rent="5600")
    make_unit(area="north", rent="9900")  # above the budget: never proposed
    run = _run(housing_officer, muni_a)
    assert run.households == 1 and run.units == 2
    proposal = run.proposals.get()
    assert proposal.unit == unit and proposal.status == ProposalStatus.PROPOSED
    services.decide(
        user=housing_officer, proposal=proposal, action="accept", version=proposal.version
    )
    offer = services.make_offer(user=housing_officer, proposal=proposal)
    assert offer.reply_by == timezone.localdate() + dt.timedelta(days=services.REPLY_DAYS)
    offer = services.reply_offer(
        user=housing_officer, offer=offer, accepted=True, version=offer.version
    )
    tenancy = services.move_in(
        user=housing_officer, offer=offer, moved_in_on=timezone.localdate(), version=offer.version
    )
    unit.refresh_from_db()
    arrival.refresh_from_db()
    need = HousingNeed.objects.get(arrival=arrival)
    assert unit.status == UnitStatus.LET
    assert need.status == NeedStatus.HOUSED
    assert tenancy.monthly_payment == Decimal("5600") and not tenancy.temporary
    assert arrival.first_home == HomeKind.PERMANENT
    assert arrival.permanent_home_from == timezone.localdate()
    task = arrival.tasks.get(code="housing_ready")
    assert task.status == TaskStatus.DONE and task.done_by == housing_officer
    # the household and the unit are out of the next run
    assert _run(housing_officer, muni_a).households == 0


def test_temporary_housing_caps_the_payment_and_keeps_the_household_waiting_for_a_home(
    housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival(adults=1)
    temporary = make_unit(kind=HousingKind.TEMPORARY, rooms=1, persons=2, rent="4000")
    run = _run(housing_officer, muni_a)
    proposal = run.proposals.get()
    assert proposal.unit == temporary
    services.decide(user=housing_officer, proposal=proposal, action="accept", version=1)
    offer = services.make_offer(user=housing_officer, proposal=proposal)
    offer = services.reply_offer(user=housing_officer, offer=offer, accepted=True, version=1)
    start = timezone.localdate() - dt.timedelta(days=3)
    offer.offered_on = start
    offer.save(update_fields=["offered_on"])
    tenancy = services.move_in(user=housing_officer, offer=offer, moved_in_on=start, version=2)
    assert tenancy.temporary
    assert tenancy.monthly_payment == Decimal("2546")  # the 2024 cap of a single, not the rent
    need = tenancy.need
    need.refresh_from_db()
    assert need.status == NeedStatus.TEMPORARY
    assert services.temporary_days(tenancy) == 3
    # the next run looks for a permanent home only
    temporary_two = make_unit(kind=HousingKind.TEMPORARY, rooms=1, persons=2, rent="3000")
    home = make_unit(rooms=2, persons=3, rent="4200")
    run = _run(housing_officer, muni_a)
    assert run.proposals.get().unit == home
    assert temporary_two.pk != home.pk


def test_a_re_run_keeps_what_was_accepted_and_solves_the_rest(
    housing_officer, muni_a, make_arrival, make_unit
):
    first, second = make_arrival(adults=2, child_ages=(5,)), make_arrival(adults=2, child_ages=(9,))
    for _ in range(3):
        make_unit()
    run = _run(housing_officer, muni_a)
    kept = run.proposals.get(need__arrival=first)
    services.decide(user=housing_officer, proposal=kept, action="accept", version=1)
    rejected = run.proposals.get(need__arrival=second)
    with pytest.raises(ValidationError):
        services.decide(user=housing_officer, proposal=rejected, action="reject", version=1)
    services.decide(
        user=housing_officer,
        proposal=rejected,
        action="reject",
        version=1,
        reason="Too far from school",
    )
    again = _run(housing_officer, muni_a)
    assert again.kept == 1
    same = again.proposals.get(need__arrival=first)
    assert same.kept and same.status == ProposalStatus.ACCEPTED and same.unit_id == kept.unit_id
    assert again.proposals.get(need__arrival=second).status == ProposalStatus.PROPOSED


def test_an_override_needs_a_reason_and_a_free_unit_that_fits(
    housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival(adults=2, child_ages=(4, 7))
    make_unit(rent="5000")
    small = make_unit(rooms=1, persons=2)
    other = make_unit(area="north", rent="6900")
    proposal = _run(housing_officer, muni_a).proposals.get()
    with pytest.raises(ValidationError):
        services.decide(
            user=housing_officer, proposal=proposal, action="override", version=1, unit=other
        )
    with pytest.raises(ValidationError):
        services.decide(
            user=housing_officer,
            proposal=proposal,
            action="override",
            version=1,
            unit=small,
            reason="x",
        )
    decided = services.decide(
        user=housing_officer,
        proposal=proposal,
        action="override",
        version=1,
        unit=other,
        reason="The family has relatives in Nordby",
    )
    assert (
        decided.overridden and decided.unit == other and decided.status == ProposalStatus.ACCEPTED
    )
    with pytest.raises(ValidationError):  # a stale form
        services.decide(user=housing_officer, proposal=proposal, action="accept", version=1)


def test_one_run_at_a_time_and_a_queued_run_can_be_cancelled(housing_officer, muni_a, areas):
    run = services.start_run(user=housing_officer, organisation=muni_a)
    with pytest.raises(ValidationError) as exc:
        services.start_run(user=housing_officer, organisation=muni_a)
    assert exc.value.code == "busy"
    services.cancel_run(user=housing_officer, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert tasks.solve_run(run.pk) == "skipped"  # the worker finds it cancelled
    services.start_run(user=housing_officer, organisation=muni_a)  # and a new one may start


def test_a_cancel_while_solving_stops_the_run_at_its_next_step(
    housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival()
    make_unit()
    run = services.start_run(user=housing_officer, organisation=muni_a)
    PlacementRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    runs.PROGRESS_SECONDS, before = 0.0, runs.PROGRESS_SECONDS
    try:
        assert tasks.solve_run(run.pk) == RunStatus.CANCELLED
    finally:
        runs.PROGRESS_SECONDS = before
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and not run.proposals.exists()


def test_a_run_whose_worker_went_silent_is_queued_again_once_then_failed(
    housing_officer, muni_a, areas, settings
):
    run = services.start_run(user=housing_officer, organisation=muni_a)
    old = timezone.now() - dt.timedelta(seconds=settings.PLACEMENT_STALE_SECONDS + 5)
    PlacementRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=old, attempts=1
    )
    assert runs.recover_stale_runs() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    PlacementRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=old, attempts=2
    )
    runs.recover_stale_runs()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.failure == "worker_lost"
    fresh = PlacementRun.objects.create(
        organisation=muni_a,
        created_by=housing_officer,
        status=RunStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    assert runs.recover_stale_runs() == 0  # a live worker is left alone
    fresh.refresh_from_db()
    assert fresh.status == RunStatus.RUNNING


def test_a_declined_offer_puts_the_household_back_on_the_list(
    housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival()
    make_unit()
    proposal = _run(housing_officer, muni_a).proposals.get()
    services.decide(user=housing_officer, proposal=proposal, action="accept", version=1)
    offer = services.make_offer(user=housing_officer, proposal=proposal)
    with pytest.raises(ValidationError):  # a refusal needs the household's reason
        services.reply_offer(user=housing_officer, offer=offer, accepted=False, version=1)
    services.reply_offer(
        user=housing_officer, offer=offer, accepted=False, version=1, reason="Too far from family"
    )
    offer.refresh_from_db()
    proposal.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED and proposal.status == ProposalStatus.REJECTED
    assert _run(housing_officer, muni_a).households == 1


def test_another_municipality_cannot_act_on_the_stock_or_the_runs(
    housing_officer, muni_a, bob, make_arrival, make_unit
):
    make_arrival()
    unit = make_unit()
    run = _run(housing_officer, muni_a)
    proposal = run.proposals.get()
    for call in (
        lambda: services.update_unit(user=bob, unit=unit, data={"rent": Decimal(1)}, version=1),
        lambda: services.decide(user=bob, proposal=proposal, action="accept", version=1),
        lambda: services.cancel_run(user=bob, run=run),
        lambda: services.start_run(user=bob, organisation=muni_a),
    ):
        with pytest.raises(Exception) as exc:
            call()
        assert type(exc.value).__name__ == "PermissionDenied"
    unit.refresh_from_db()
    assert unit.rent == Decimal("5200")


def test_an_old_proposal_cannot_house_a_household_twice(
    housing_officer, muni_a, make_arrival, make_unit
):
    make_arrival()
    make_unit()
    make_unit(area="north", rent="4800")
    first = _run(housing_officer, muni_a)
    second = _run(housing_officer, muni_a)
    proposal = first.proposals.get()
    services.decide(user=housing_officer, proposal=proposal, action="accept", version=1)
    offer = services.make_offer(user=housing_officer, proposal=proposal)
    offer = services.reply_offer(user=housing_officer, offer=offer, accepted=True, version=1)
    services.move_in(
        user=housing_officer, offer=offer, moved_in_on=timezone.localdate(), version=offer.version
    )
    stale = second.proposals.get()
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.decide(user=housing_officer, proposal=stale, action="accept", version=1)


def test_a_queued_run_whose_task_is_gone_gets_a_new_one(
    housing_officer, muni_a, areas, settings, django_capture_on_commit_callbacks
):
    run = services.start_run(user=housing_officer, organisation=muni_a)
    assert run.task_id == ""  # the test's transaction never commits: no task was queued
    old = timezone.now() - dt.timedelta(seconds=settings.PLACEMENT_STALE_SECONDS + 5)
    PlacementRun.objects.filter(pk=run.pk).update(created_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.recover_stale_runs() == 1
    run.refresh_from_db()
    assert run.task_id and run.status == RunStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.recover_stale_runs() == 0  # its task waits now: left alone
