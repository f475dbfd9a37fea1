"""Reads of the housing department, each scoped to the municipalities the user holds the
permission in; a record outside them is refused (audited) as if it did not exist."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from functools import cache
from importlib import resources

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.limits import MAX_ID

from . import services
from .models import (
    OPEN_OFFER,
    Area,
    HousingNeed,
    HousingUnit,
    NeedStatus,
    Offer,
    OfferStatus,
    PlacementRun,
    Proposal,
    ProposalStatus,
    Tenancy,
    UnitStatus,
)

UNIT_FILTERS = ("available", "let", "withdrawn", "all")
NEED_FILTERS = ("waiting", "temporary", "offered", "housed", "all")
PROPOSAL_FILTERS = ("open", "accepted", "rejected", "unplaced", "all")
OFFER_FILTERS = ("open", "accepted", "ended", "all")


def municipalities(user, perm: Perm = Perm.VIEW_HOUSING) -> list[Organisation]:
    """The organisations whose housing the user may open (municipalities, in practice)."""
    return list(Organisation.objects.filter(pk__in=user.organisation_ids(perm)).order_by("name"))


def in_a_municipality(user) -> bool:
    """Whether the navigation shows Housing: a centre operator's caseworker has no housing
    department, though the role would let them open its (empty) pages."""
    return Organisation.objects.filter(
        pk__in=user.organisation_ids(Perm.VIEW_HOUSING), kind=OrganisationKind.MUNICIPALITY
    ).exists()


def municipality(user, request, perm: Perm = Perm.VIEW_HOUSING) -> Organisation:
    """The municipality a page is about: ``?org=`` among the user's, else their first."""
    mine = municipalities(user, perm)
    if not mine:
        raise refuse(user, request=request, perm=perm)
    wanted = (request.GET.get("org") or request.POST.get("org") or "").strip()
    for org in mine:
        if str(org.pk) == wanted:
            return org
    return mine[0]


def _in_range(pk: int) -> int:
    return pk if 0 < pk <= MAX_ID else 0


def _get(user, model, pk: int, perm: Perm, request, qs=None):
    qs = model.objects.all() if qs is None else qs
    record = qs.filter(pk=_in_range(pk), organisation_id__in=user.organisation_ids(perm)).first()
    if record is None:
        raise refuse(user, request=request, model=model, pk=pk, not_found=True)
    return record


# --- stock -------------------------------------------------------------------------------


def areas(organisation_id: int) -> QuerySet[Area]:
    return Area.objects.filter(organisation_id=organisation_id).annotate(
        unit_count=Count("units", distinct=True),
        free_count=Count("units", filter=Q(units__status=UnitStatus.AVAILABLE), distinct=True),
    )


def area_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> Area:
    return _get(user, Area, pk, perm, request)


def units(organisation_id: int, *, show: str = "available", query: str = "", area: int = 0):
    qs = HousingUnit.objects.filter(organisation_id=organisation_id).select_related("area")
    if show in ("available", "let", "withdrawn"):
        qs = qs.filter(status=show)
    if area:
        qs = qs.filter(area_id=area)
    if query:
        qs = qs.filter(Q(reference__icontains=query) | Q(address__icontains=query))
    return qs.annotate(
        open_offer=Exists(Offer.objects.filter(unit=OuterRef("pk"), status__in=OPEN_OFFER))
    ).order_by("area__name", "reference")


def unit_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> HousingUnit:
    return _get(user, HousingUnit, pk, perm, request, HousingUnit.objects.select_related("area"))


def stock_figures(organisation_id: int) -> dict:
    rows = (
        HousingUnit.objects.filter(organisation_id=organisation_id)
        .values("kind", "status")
        .annotate(n=Count("id"))
    )
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        by_kind[row["kind"]][row["status"]] += row["n"]
    return by_kind


# --- waiting households ------------------------------------------------------------------


def needs(organisation_id: int, *, show: str = "waiting", query: str = "") -> QuerySet[HousingNeed]:
    open_offer = Offer.objects.filter(need=OuterRef("pk"), status__in=OPEN_OFFER)
    qs = (
        HousingNeed.objects.filter(organisation_id=organisation_id)
        .select_related("arrival__household")
        .annotate(has_offer=Exists(open_offer), rules=Count("area_rules"))
    )
    if show == "waiting":
        qs = qs.filter(status=NeedStatus.WAITING, has_offer=False)
    elif show == "temporary":
        qs = qs.filter(status=NeedStatus.TEMPORARY)
    elif show == "offered":
        qs = qs.filter(has_offer=True)
    elif show == "housed":
        qs = qs.filter(status=NeedStatus.HOUSED)
    if query:
        qs = qs.filter(arrival__household__reference__icontains=query)
    return qs.order_by("move_in_by", "id")


def need_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> HousingNeed:
    return _get(
        user,
        HousingNeed,
        pk,
        perm,
        request,
        HousingNeed.objects.select_related("arrival__household", "organisation"),
    )


def waiting_count(organisation_id: int) -> int:
    return needs(organisation_id, show="waiting").count()


# --- runs and proposals ------------------------------------------------------------------


def runs(organisation_id: int) -> QuerySet[PlacementRun]:
    return PlacementRun.objects.filter(organisation_id=organisation_id).select_related("created_by")


def active_run(organisation_id: int) -> PlacementRun | None:
    return runs(organisation_id).filter(status__in=["queued", "running"]).first()


def run_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> PlacementRun:
    return _get(user, PlacementRun, pk, perm, request)


def proposals(run: PlacementRun, *, show: str = "open") -> QuerySet[Proposal]:
    qs = run.proposals.select_related(
        "need__arrival__household", "unit__area", "best_unit__area", "engine_unit"
    ).annotate(
        has_offer=Exists(Offer.objects.filter(proposal=OuterRef("pk"), status__in=OPEN_OFFER))
    )
    if show == "open":
        qs = qs.filter(status=ProposalStatus.PROPOSED, unit__isnull=False)
    elif show == "accepted":
        qs = qs.filter(status=ProposalStatus.ACCEPTED)
    elif show == "rejected":
        qs = qs.filter(status=ProposalStatus.REJECTED)
    elif show == "unplaced":
        qs = qs.filter(engine_unit__isnull=True)
    return qs.order_by("unit__area__name", "id")


def proposal_counts(run: PlacementRun) -> dict[str, int]:
    return run.proposals.aggregate(
        open=Count("id", filter=Q(status=ProposalStatus.PROPOSED, unit__isnull=False)),
        accepted=Count("id", filter=Q(status=ProposalStatus.ACCEPTED)),
        rejected=Count("id", filter=Q(status=ProposalStatus.REJECTED)),
        unplaced=Count("id", filter=Q(engine_unit__isnull=True)),
        all=Count("id"),
    )


def proposal_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> Proposal:
    return _get(
        user,
        Proposal,
        pk,
        perm,
        request,
        Proposal.objects.select_related(
            "run", "need__arrival__household", "unit__area", "best_unit__area", "engine_unit__area"
        ),
    )


def override_choices(proposal: Proposal) -> list[HousingUnit]:
    """Free units the household fits other than the one proposed, for an override: the
    caseworker picks; the service checks."""
    persons = proposal.need.arrival.persons
    qs = (
        HousingUnit.objects.filter(
            organisation_id=proposal.organisation_id, status=UnitStatus.AVAILABLE
        )
        .exclude(pk=proposal.unit_id)
        .select_related("area")
    )
    qs = qs.exclude(offers__status__in=OPEN_OFFER)
    if persons > 1:
        qs = qs.exclude(kind="shared_room").filter(max_persons__gte=persons)
    return list(qs.order_by("area__name", "rent")[:300])


# --- offers and tenancies ----------------------------------------------------------------


def offers(organisation_id: int, *, show: str = "open") -> QuerySet[Offer]:
    qs = Offer.objects.filter(organisation_id=organisation_id).select_related(
        "need__arrival__household", "unit__area"
    )
    if show == "open":
        qs = qs.filter(status=OfferStatus.OPEN)
    elif show == "accepted":
        qs = qs.filter(status=OfferStatus.ACCEPTED)
    elif show == "ended":
        qs = qs.exclude(status__in=OPEN_OFFER)
    return qs.order_by("reply_by", "id") if show in ("open", "accepted") else qs


def offer_get(user, pk: int, *, perm: Perm = Perm.VIEW_HOUSING, request=None) -> Offer:
    return _get(
        user,
        Offer,
        pk,
        perm,
        request,
        Offer.objects.select_related("need__arrival__household", "unit__area"),
    )


def tenancies(organisation_id: int, *, temporary_only: bool = False) -> QuerySet[Tenancy]:
    qs = Tenancy.objects.filter(organisation_id=organisation_id).select_related(
        "need__arrival__household", "unit__area"
    )
    if temporary_only:
        qs = qs.filter(temporary=True)
    return qs


def temporary_stays(organisation_id: int, on: dt.date | None = None) -> dict:
    """Every temporary stay and its length: the ones going on and those ended."""
    on = on or timezone.localdate()
    stays = list(tenancies(organisation_id, temporary_only=True))
    current = [t for t in stays if t.moved_out_on is None]
    days = [services.temporary_days(t, on) for t in stays]
    now = [services.temporary_days(t, on) for t in current]
    return {
        "stays": stays,
        "current": len(current),
        "ended": len(stays) - len(current),
        "average_days": round(sum(days) / len(days)) if days else 0,
        "longest_current": max(now) if now else 0,
    }


def history(organisation_id: int, year: int) -> list[dict]:
    """Households moved in this year, by area, for the overview."""
    rows = (
        Tenancy.objects.filter(organisation_id=organisation_id, moved_in_on__year=year)
        .values("unit__area__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [{"area": r["unit__area__name"], "households": r["n"]} for r in rows]


# --- the map -----------------------------------------------------------------------------


@cache
def _shapes(name: str) -> dict:
    return json.loads(resources.files("ankomst.housing").joinpath(f"data/{name}").read_text())


def shapes() -> dict:
    """The areas' polygons shipped for the demo municipality (keyed by area code)."""
    return {f["properties"]["id"]: f for f in _shapes("aalborg-areas.geojson")["features"]}


def map_counts(organisation_id: int, run: PlacementRun | None = None) -> dict[int, dict]:
    """Per area: households placed this year (moved in or offered), proposed and accepted in
    the run, and the countrymen recorded."""
    year = timezone.localdate().year
    out: dict[int, dict] = defaultdict(lambda: {"placed": 0, "proposed": 0, "accepted": 0})
    for row in (
        Tenancy.objects.filter(organisation_id=organisation_id, moved_in_on__year=year)
        .values("unit__area_id")
        .annotate(n=Count("id"))
    ):
        out[row["unit__area_id"]]["placed"] += row["n"]
    for row in (
        Offer.objects.filter(organisation_id=organisation_id, status__in=OPEN_OFFER)
        .values("unit__area_id")
        .annotate(n=Count("id"))
    ):
        out[row["unit__area_id"]]["placed"] += row["n"]
    if run is not None:
        for row in (
            run.proposals.filter(unit__isnull=False)
            .values("unit__area_id", "status")
            .annotate(n=Count("id"))
        ):
            key = "accepted" if row["status"] == ProposalStatus.ACCEPTED else "proposed"
            if row["status"] != ProposalStatus.REJECTED:
                out[row["unit__area_id"]][key] += row["n"]
    return out


def map_points(organisation_id: int, run: PlacementRun | None = None, limit: int = 3000) -> list:
    """Units with coordinates that a run proposes or someone lives in."""
    points = []
    if run is not None:
        for unit_id, lat, lon, status in (
            run.proposals.filter(unit__latitude__isnull=False)
            .exclude(status=ProposalStatus.REJECTED)
            .values_list("unit_id", "unit__latitude", "unit__longitude", "status")[:limit]
        ):
            points.append(
                (
                    unit_id,
                    float(lat),
                    float(lon),
                    "accepted" if status == "accepted" else "proposed",
                )
            )
    for unit_id, lat, lon in Tenancy.objects.filter(
        organisation_id=organisation_id,
        moved_out_on__isnull=True,
        unit__latitude__isnull=False,
    ).values_list("unit_id", "unit__latitude", "unit__longitude")[:limit]:
        points.append((unit_id, float(lat), float(lon), "housed"))
    return points


def countrymen_total(area: Area) -> int:
    return sum(int(v) for v in (area.countrymen or {}).values())
