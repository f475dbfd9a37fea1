"""Reads for the national agency's quota pages. Quotas are public figures; what each
municipality has received is counted from the granted case phases, never listed by person."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.centres.models import CasePhase, Phase
from ankomst.limits import MAX_ID
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Household, LanguageLevel, Person, age_on
from ankomst.runs import ACTIVE_RUN

from .models import DistributionLine, DistributionRun, HouseholdFacts, MunicipalQuota, QuotaYear


def agencies(user, perm: Perm = Perm.VIEW_QUOTAS) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            pk__in=user.organisation_ids(perm), kind=OrganisationKind.NATIONAL_AGENCY
        ).order_by("name")
    )


def in_an_agency(user) -> bool:
    """Whether the navigation shows Distribution."""
    return bool(agencies(user))


def agency(user, request: HttpRequest, perm: Perm = Perm.VIEW_QUOTAS) -> Organisation:
    """The agency a page is about: ``?org=`` among the user's, else their first."""
    mine = agencies(user, perm)
    if not mine:
        raise refuse(user, request=request, perm=perm)
    wanted = (request.GET.get("org") or "").strip()
    return next((org for org in mine if str(org.pk) == wanted), mine[0])


def years(organisation: Organisation) -> QuerySet[QuotaYear]:
    return QuotaYear.objects.filter(organisation=organisation)


def year_get(user, pk: int, perm: Perm = Perm.VIEW_QUOTAS) -> QuotaYear:
    found = (
        QuotaYear.objects.filter(pk=pk, organisation__in=agencies(user, perm))
        .select_related("organisation", "created_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def assigned(quota_year: QuotaYear) -> dict[str, int]:
    """Persons granted a permit and assigned to each municipality (by its code) this year."""
    rows = (
        CasePhase.objects.filter(phase=Phase.GRANTED, start__year=quota_year.year)
        .annotate(
            code=Coalesce(NullIf("municipality_code", Value("")), "municipality__municipality_code")
        )
        .filter(code__gt="")
        .values("code")
        .annotate(persons=Count("person", distinct=True))
    )
    return {r["code"]: r["persons"] for r in rows}


@dataclass
class Line:
    """One municipality's row of the page: its quota, what it has received, what is left."""

    row: MunicipalQuota
    assigned: int

    @property
    def remaining(self) -> int:
        return max(self.row.quota - self.assigned, 0)


@dataclass
class RegionLine:
    code: str
    name: str
    municipalities: int
    quota: int
    assigned: int

    @property
    def remaining(self) -> int:
        return max(self.quota - self.assigned, 0)


def quota_lines(quota_year: QuotaYear) -> tuple[list[Line], list[RegionLine]]:
    received = assigned(quota_year)
    municipal = [Line(row, received.get(row.code, 0)) for row in quota_year.quotas.all()]
    regions: dict[str, RegionLine] = {}
    for line in municipal:
        r = line.row
        region = regions.setdefault(r.region_code, RegionLine(r.region_code, r.region, 0, 0, 0))
        region.municipalities += 1
        region.quota += r.quota
        region.assigned += line.assigned
    return municipal, sorted(regions.values(), key=lambda r: r.code)


# --- the weekly batch ---------------------------------------------------------------------


def waiting_phases() -> QuerySet[CasePhase]:
    """The current phases of persons granted a permit and waiting for a municipality."""
    latest = (
        CasePhase.objects.filter(person=OuterRef("person")).order_by("-start", "-id").values("pk")
    )
    return (
        CasePhase.objects.filter(
            phase=Phase.GRANTED, municipality__isnull=True, municipality_code=""
        )
        .annotate(latest=Subquery(latest[:1]))
        .filter(pk=F("latest"))
    )


@dataclass
class Waiting:
    """A household (or a person alone) granted a permit and waiting for a municipality."""

    household: Household | None
    members: list[Person]
    since: dt.date
    operator: Organisation
    facts: HouseholdFacts | None = None

    @property
    def key(self) -> str:
        return f"h{self.household.pk}" if self.household else f"p{self.members[0].pk}"

    @property
    def reference(self) -> str:
        return self.household.reference if self.household else f"P{self.members[0].pk}"

    def ages(self, on: dt.date) -> list[int | None]:
        return [age_on(p.date_of_birth, on) for p in self.members]

    def adults(self, on: dt.date) -> int:
        # an unknown age counts as an adult's: the quota and the housing are the larger
        return sum(1 for a in self.ages(on) if a is None or a >= ADULT_AGE)

    def nationality(self) -> str:
        codes = [str(p.nationality) for p in self.members if p.nationality]
        return Counter(codes).most_common(1)[0][0] if codes else ""

    def language(self) -> str:
        codes = [
            pl.language.code
            for p in self.members
            for pl in p.languages.all()
            if pl.level == LanguageLevel.NATIVE
        ]
        return Counter(codes).most_common(1)[0][0] if codes else ""


def waiting(limit: int | None = None) -> list[Waiting]:
    """Every household waiting for the agency's assignment, oldest decision first. The
    agency decides for the whole country: no organisation scope beyond its permission."""
    phases = (
        waiting_phases()
        .select_related("person__household", "person__organisation")
        .prefetch_related("person__languages__language")
        .order_by("start", "person__household_id", "person_id")
    )
    groups: dict[str, Waiting] = {}
    for phase in phases:
        person = phase.person
        key = f"h{person.household_id}" if person.household_id else f"p{person.pk}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = Waiting(person.household, [], phase.start, person.organisation)
        group.members.append(person)
        group.since = max(group.since, phase.start)
    found = list(groups.values())
    if limit is not None:
        found = found[:limit]
    facts = HouseholdFacts.objects.in_bulk(
        [w.household.pk for w in found if w.household], field_name="household_id"
    )
    for w in found:
        w.facts = facts.get(w.household.pk) if w.household else None
    return found


def runs(organisation: Organisation) -> QuerySet[DistributionRun]:
    return DistributionRun.objects.filter(organisation=organisation).select_related(
        "quota_year", "created_by", "confirmed_by"
    )


def active_run(organisation: Organisation) -> DistributionRun | None:
    return runs(organisation).filter(status__in=ACTIVE_RUN).first()


def run_get(user, pk: int, perm: Perm = Perm.VIEW_QUOTAS) -> DistributionRun:
    found = (
        DistributionRun.objects.filter(pk=pk, organisation__in=agencies(user, perm))
        .select_related("organisation", "quota_year", "created_by", "confirmed_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def line_get(user, pk: int, perm: Perm = Perm.VIEW_QUOTAS) -> DistributionLine:
    found = (
        DistributionLine.objects.filter(pk=pk, run__organisation__in=agencies(user, perm))
        .select_related("run__organisation", "run__quota_year", "household", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def household_waiting(pk: int) -> Waiting:
    """One waiting household, for the agency's facts page (404 when it is not waiting)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    phases = list(
        waiting_phases()
        .filter(person__household_id=pk)
        .select_related("person__household", "person__organisation")
    )
    if not phases:
        raise Http404
    household = phases[0].person.household
    return Waiting(
        household,
        [p.person for p in phases],
        max(p.start for p in phases),
        phases[0].person.organisation,
        HouseholdFacts.objects.filter(household=household).first(),
    )


def run_lines(run: DistributionRun, show: str = "all") -> QuerySet[DistributionLine]:
    found = run.lines.select_related("household", "decided_by")
    if show == "overridden":
        found = found.exclude(code=F("engine_code"))
    elif show == "unassigned":
        found = found.filter(code="")
    return found


LINE_FILTERS = ("all", "overridden", "unassigned")


def quota_names(quota_year: QuotaYear) -> dict[str, str]:
    return dict(quota_year.quotas.values_list("code", "name"))


def line_counts(run: DistributionRun) -> dict[str, int]:
    rows = run.lines.values_list("code", "engine_code", "status", "persons")
    counts = {"households": 0, "persons": 0, "assigned": 0, "unassigned": 0, "overridden": 0}
    counts.update({"confirmed": 0, "skipped": 0})
    for code, engine_code, status, persons in rows:
        counts["households"] += 1
        counts["persons"] += persons
        counts["assigned" if code else "unassigned"] += 1
        counts["overridden"] += code != engine_code
        counts["confirmed"] += status == "confirmed"
        counts["skipped"] += status == "skipped"
    return counts


@dataclass
class Intake:
    code: str
    name: str
    households: int
    persons: int
    left: int  # what is left of the quota before this batch


def intake(run: DistributionRun, names) -> list[Intake]:
    """Per municipality: what this batch gives it, against what is left of its quota."""
    rows = (
        run.lines.exclude(code="")
        .values("code")
        .annotate(households=Count("id"), persons=Sum("persons"))
        .order_by("-persons", "code")
    )
    received = assigned(run.quota_year)
    quota = {q.code: q.quota for q in run.quota_year.quotas.all()}
    # once confirmed, what this batch gave is part of what was received: take it out
    given = dict(
        run.lines.filter(status="confirmed")
        .values("code")
        .annotate(persons=Sum("persons"))
        .values_list("code", "persons")
    )
    return [
        Intake(
            r["code"],
            names(r["code"]),
            r["households"],
            r["persons"],
            max(quota.get(r["code"], 0) - received.get(r["code"], 0) + given.get(r["code"], 0), 0),
        )
        for r in rows
    ]
