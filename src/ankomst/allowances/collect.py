"""From the database to the engine's plain inputs, in a handful of bulk queries.

Who is paid: every resident with an open stay at the end of the cut-off day at a
centre of the operator. Residents are grouped by household (a person without one
is their own household); the catering is that of the centre where the head stays
(or the first member, if the head is not a resident); the partner is the
head/spouse pair when both are residents; "unaccompanied minor" comes from the
ages of the whole household. Everything is read *as of the cut-off date*: phases
that start later, contracts signed later and absences after it do not count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Min, Subquery
from django.utils import timezone, translation

from ankomst.centres.models import CasePhase, Phase, Stay
from ankomst.people.models import (
    ADULT_AGE,
    IdentifierKind,
    Person,
    PersonIdentifier,
    Relation,
    age_on,
)

from . import activity_status
from .engine import Catering, HouseholdInput, PersonStatus
from .models import PaymentLine, RunStatus, Scheme, skip_reason


@dataclass
class Resident:
    person_id: int
    household_id: int | None
    relation: str
    date_of_birth: dt.date | None
    catering: str
    age: int | None = None  # on the cut-off date


@dataclass
class Collected:
    """The engine inputs of a run, and how each engine id maps back to the database."""

    households: list[HouseholdInput] = field(default_factory=list)
    minors: list[PersonStatus] = field(default_factory=list)
    # engine household id ("h12", "p34") -> Household pk or None
    household_pk: dict[str, int | None] = field(default_factory=dict)
    # minor's person id -> engine household key of their household
    minor_household: dict[str, str] = field(default_factory=dict)
    # {"person_id", "code" (models.SKIP_REASONS), "params", "reason" (English, for the log)}
    skipped: list[dict] = field(default_factory=list)
    residents: int = 0
    # Residents another operator's run pays for the first or last days of the period: the
    # days left, (first, last), and their households, computed for those days only.
    remainders: dict[tuple[dt.date, dt.date], list[HouseholdInput]] = field(default_factory=dict)


def cutoff_moment(cutoff: dt.date) -> dt.datetime:
    """The end of the cut-off day: who is in a bed then is paid for the period."""
    next_day = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)


def household_key(household_id: int | None, person_id: int) -> str:
    return f"h{household_id}" if household_id is not None else f"p{person_id}"


def _skip(out: Collected, person_id: int, code: str, **params) -> None:
    with translation.override("en"):
        reason = skip_reason(code, params)
    out.skipped.append({"person_id": person_id, "code": code, "params": params, "reason": reason})


def paid_elsewhere(
    organisation, resident_ids, *, scheme: str, period_start: dt.date, period_end: dt.date
) -> dict[int, dict[str, str]]:
    """Residents whose asylum case is already in another operator's live run of the scheme for
    an overlapping period, with that run's operator, period and the case number.

    A person who moves between operators gets a new record at the new operator (records are
    per organisation), so the national asylum case number is what names the same person.
    """
    ours = PersonIdentifier.objects.filter(
        person_id__in=Subquery(resident_ids), kind=IdentifierKind.ASYLUM_CASE
    )
    rows = (
        PaymentLine.objects.filter(
            run__scheme=scheme,
            run__period_start__lte=period_end,
            run__period_end__gte=period_start,
            person__identifiers__kind=IdentifierKind.ASYLUM_CASE,
            person__identifiers__normalised__in=Subquery(ours.values("normalised")),
        )
        .exclude(run__status=RunStatus.CANCELLED)
        .exclude(run__organisation=organisation)
        .values_list(
            "person__identifiers__normalised",
            "run__organisation__name",
            "run__period_start",
            "run__period_end",
        )
        .order_by("run__period_start")
        .distinct()
    )
    found: dict[str, dict] = {}
    covered: dict[str, set[dt.date]] = defaultdict(set)
    for case, operator, start, end in rows:
        found.setdefault(case, {"operator": operator, "period": f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"})
        covered[case].update(_days(start, end))
    if not found:
        return {}
    ours_days = set(_days(period_start, period_end))
    for case, info in found.items():
        left = sorted(ours_days - covered[case])
        info["uncovered"] = bool(left)
        # one unbroken stretch at the start or the end of the period is paid here
        if left and (left[-1] - left[0]).days + 1 == len(left):
            info["remainder"] = (left[0], left[-1])
    return {
        person_id: {**found[case], "case": value}
        for person_id, case, value in ours.filter(normalised__in=list(found)).values_list(
            "person_id", "normalised", "value"
        )
    }


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def collect(
    organisation,
    *,
    country: str,
    cutoff: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    scheme: str | None = None,
) -> Collected:
    """The run's inputs. With ``scheme``, residents already in another operator's run of that
    scheme for an overlapping period are left out, or, for the allowance, computed only for
    the days at the start or end of the period that the other run does not cover; either
    way they are listed in ``skipped``."""
    moment = cutoff_moment(cutoff)
    stays = Stay.objects.filter(organisation=organisation, start__lte=moment).exclude(
        end__lte=moment
    )
    resident_ids = stays.values("person_id")
    # One row per resident (a person holds one bed at any moment: a constraint of centres).
    residents = [
        Resident(person_id, household_id, relation, _date(born), catering)
        for person_id, household_id, relation, born, catering in _raw_rows(
            stays.values_list(
                "person_id",
                "person__household_id",
                "person__relation",
                "person__date_of_birth",
                "bed__room__building__centre__catering",
            ).order_by("person_id")
        )
    ]
    out = Collected(residents=len(residents))

    # The whole household's ages decide "unaccompanied minor", not only the members in a bed:
    # Household.is_unaccompanied_minor's rule (every member with a known date of birth is a
    # minor), which is whether the oldest of them is, in one aggregate query.
    oldest = _raw_rows(
        Person.objects.filter(
            household_id__in=Subquery(
                Person.objects.filter(
                    pk__in=Subquery(resident_ids), household__isnull=False
                ).values("household_id")
            )
        )
        .exclude(date_of_birth=None)
        .values("household_id")
        .annotate(oldest=Min("date_of_birth"))
        .values_list("household_id", "oldest")
        .order_by()
    )
    unaccompanied = {h: age_on(_date(born), cutoff) < ADULT_AGE for h, born in oldest}

    decision, food_money, with_phase, handovers = _phase_dates(resident_ids, cutoff)
    contracts = activity_status.contract_signed_on(resident_ids, cutoff)
    absences = activity_status.unexcused_absence_days(
        resident_ids, cutoff, period_start, period_end
    )

    elsewhere = (
        paid_elsewhere(
            organisation,
            resident_ids,
            scheme=scheme,
            period_start=period_start,
            period_end=period_end,
        )
        if scheme
        else {}
    )
    groups: dict[str, list[Resident]] = defaultdict(list)
    remainder_groups: dict[tuple[dt.date, dt.date], dict[str, list[Resident]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for r in residents:
        if r.date_of_birth is None:
            _skip(out, r.person_id, "no_birth_date")
            continue
        if r.date_of_birth > cutoff:
            _skip(out, r.person_id, "born_after_cutoff")
            continue
        r.age = age_on(r.date_of_birth, cutoff)
        key = household_key(r.household_id, r.person_id)
        handover = handovers.get(r.person_id)
        if handover is not None and handover <= period_end:
            # The municipality is responsible from the handover date: the centre pays the
            # days before it only, and nothing once it has passed.
            if handover <= period_start:
                _skip(out, r.person_id, "handed_over", date=f"{handover:%Y-%m-%d}")
                continue
            stretch = (period_start, handover - dt.timedelta(days=1))
            _skip(
                out,
                r.person_id,
                "paid_until_handover",
                date=f"{handover:%Y-%m-%d}",
                days=f"{stretch[0]:%Y-%m-%d}–{stretch[1]:%Y-%m-%d}",
            )
            remainder_groups[stretch][key].append(r)
            continue
        other = elsewhere.get(r.person_id)
        if other is not None:
            # what is paid per period (pocket money) is not split; the allowance is paid per day
            stretch = other.get("remainder") if scheme == Scheme.ALLOWANCE else None
            params = {k: other[k] for k in ("case", "operator", "period")}
            if stretch is None:
                _skip(
                    out,
                    r.person_id,
                    "paid_elsewhere_gap" if other["uncovered"] else "paid_elsewhere",
                    **params,
                )
            else:
                _skip(
                    out,
                    r.person_id,
                    "paid_in_part",
                    days=f"{stretch[0]:%Y-%m-%d}–{stretch[1]:%Y-%m-%d}",
                    **params,
                )
                remainder_groups[stretch][key].append(r)
            continue
        groups[key].append(r)

    def household_input(
        key: str, members: list[Resident], absence_days: dict[int, int]
    ) -> HouseholdInput:
        household_id = members[0].household_id
        out.household_pk[key] = household_id
        is_unaccompanied = (
            unaccompanied.get(household_id, False)
            if household_id is not None
            else members[0].age < ADULT_AGE
        )
        head = spouse = None
        for m in members:
            if m.relation == Relation.HEAD and head is None:
                head = m
            elif m.relation == Relation.SPOUSE and spouse is None:
                spouse = m
        partners = {}
        if head is not None and spouse is not None:
            partners = {
                head.person_id: str(spouse.person_id),
                spouse.person_id: str(head.person_id),
            }
        has_parents = head is not None or spouse is not None
        head = head or members[0]
        statuses = []
        for m in members:
            pid = m.person_id
            status = PersonStatus(
                person_id=str(pid),
                date_of_birth=m.date_of_birth,
                decision_date=decision.get(pid),
                food_money_since=food_money.get(pid),
                contract_signed_on=contracts.get(pid),
                partner_id=partners.get(pid),
                unaccompanied_minor=is_unaccompanied and m.age < ADULT_AGE,
                lives_with_parents=has_parents and m.relation == Relation.CHILD,
                unexcused_absence_days=absence_days.get(pid, 0),
                has_case_phase=pid in with_phase,
            )
            statuses.append(status)
            if status.unaccompanied_minor:
                out.minors.append(status)
                out.minor_household[status.person_id] = key
        return HouseholdInput(
            household_id=key,
            country=country,
            catering=Catering(head.catering),
            members=tuple(statuses),
        )

    out.households = [
        household_input(key, members, absences) for key, members in sorted(groups.items())
    ]
    for (first, last), stretch_groups in sorted(remainder_groups.items()):
        # absence counted over a window as long as the days paid, like any period
        ids = Person.objects.filter(
            pk__in=[r.person_id for ms in stretch_groups.values() for r in ms]
        )
        stretch_absences = activity_status.unexcused_absence_days(
            ids.values("pk"), cutoff, first, last
        )
        out.remainders[(first, last)] = [
            household_input(key, members, stretch_absences)
            for key, members in sorted(stretch_groups.items())
        ]
    return out


# Phases that mean the case is processed in Denmark: the decision itself, and a residence
# permit granted (a granted case was processed here, even when the decision step was not
# registered on its own).
PROCESSED_IN_DENMARK = (Phase.AFTER_DECISION, Phase.GRANTED)


def _phase_dates(
    resident_ids, cutoff: dt.date
) -> tuple[dict[int, dt.date], dict[int, dt.date], set[int], dict[int, dt.date]]:
    """Per person: the decision date, since when the food-money scheme applies, who
    has a phase of their own by the cut-off date (a child without one follows the
    parents' phase in the engine), and, per person whose phase on the cut-off day is
    "granted", the day the municipality takes over (integrationsloven: the end of the first
    full month after the assignment, or earlier by agreement), as recorded on that phase.

    Only phases that had started by the cut-off date count; the phase current on that
    day decides the food-money scheme (finally refused, not cooperating on departure).
    """
    decision: dict[int, dt.date] = {}
    current: dict[int, tuple] = {}
    rows = _raw_rows(
        CasePhase.objects.filter(person_id__in=Subquery(resident_ids), start__lte=cutoff)
        .values_list("person_id", "phase", "start", "cooperating_on_departure", "handover_date")
        .order_by("person_id", "start", "id")
    )
    for row in rows:
        person_id, phase, start = row[0], row[1], row[2]
        if phase in PROCESSED_IN_DENMARK and person_id not in decision:
            decision[person_id] = start
        current[person_id] = row
    food_money = {}
    handovers = {}
    for person_id, phase, start, cooperating, handover in current.values():
        if phase == Phase.FINALLY_REFUSED and not cooperating:
            food_money[person_id] = _date(start)
        elif phase == Phase.GRANTED and handover is not None:
            handovers[person_id] = _date(handover)
    return {p: _date(d) for p, d in decision.items()}, food_money, set(current), handovers


def _raw_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` query as the database driver returns them.

    A run reads tens of thousands of dates, and Django's per-value converters were much
    of the time collect took; the few columns that need it are converted by the caller
    (``_date``; booleans are used as truthy values, which SQLite's 0 and 1 are).
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value) -> dt.date | None:
    """A date column: a ``date`` from PostgreSQL, ISO text from SQLite."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
