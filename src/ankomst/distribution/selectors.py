"""Reads for the national agency's quota pages. Quotas are public figures; what each
municipality has received is counted from the granted case phases, never listed by person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.centres.models import CasePhase, Phase

from .models import MunicipalQuota, QuotaYear


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
        CasePhase.objects.filter(
            phase=Phase.GRANTED,
            start__year=quota_year.year,
            municipality__municipality_code__gt="",
        )
        .values("municipality__municipality_code")
        .annotate(persons=Count("person", distinct=True))
    )
    return {r["municipality__municipality_code"]: r["persons"] for r in rows}


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


def lines(quota_year: QuotaYear) -> tuple[list[Line], list[RegionLine]]:
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
