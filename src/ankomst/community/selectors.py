"""Reads of the community app, each scoped to the organisations the user holds a right in.

A coordinator reads their volunteer organisation's volunteers, shifts, matches, events and
the referrals sent to it; a volunteer their own record, sign-ups and matches and the
organisation's open shifts and events; a caseworker the referrals and bridges of their own
organisation and the offers of the volunteer organisations it works with.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from ankomst.accounts.models import Organisation, OrganisationKind, User
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.people.models import Household, Person, age_on

from . import matching, rules
from .models import (
    Association,
    Bridge,
    Event,
    Match,
    MatchStatus,
    Offer,
    Participant,
    Partnership,
    Referral,
    ReferralStatus,
    Shift,
    Signup,
    SignupStatus,
    Volunteer,
    age_band,
)
from .services import FOLLOW_UP_MONTHS, HOLDS_A_PLACE, check_due

# Figures of fewer people than this are not shown: a small group could be recognised.
SMALLEST_GROUP = 5
COVERAGE_WEEKS = 4


def community_organisations(user, perm: Perm = Perm.VIEW_COMMUNITY) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=user.organisation_ids(perm), kind=OrganisationKind.VOLUNTEER_ORGANISATION
    )


def volunteer_list(user, *, query: str = "", show: str = "active") -> QuerySet[Volunteer]:
    qs = Volunteer.objects.filter(organisation_id__in=user.organisation_ids(Perm.VIEW_COMMUNITY))
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "inactive":
        qs = qs.filter(active=False)
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(place__icontains=query) | Q(skills__icontains=query)
        )
    return (
        qs.select_related("organisation")
        .annotate(open_matches=Count("matches", filter=~Q(matches__status=MatchStatus.ENDED)))
        .order_by("name", "id")
    )


def volunteer_get(user, pk: int, *, request: HttpRequest | None = None) -> Volunteer:
    volunteer = (
        Volunteer.objects.filter(
            pk=pk, organisation_id__in=user.organisation_ids(Perm.VIEW_COMMUNITY)
        )
        .select_related("organisation", "user")
        .first()
    )
    if volunteer is None:
        raise refuse(user, request=request, model=Volunteer, pk=pk, not_found=True)
    return volunteer


def me(user) -> Volunteer | None:
    """The signed-in user's own volunteer record, where they hold the volunteer's right."""
    orgs = user.organisation_ids(Perm.TAKE_SHIFTS)
    return (
        Volunteer.objects.filter(user_id=user.pk, organisation_id__in=orgs, active=True)
        .select_related("organisation")
        .first()
    )


def login_choices(organisation_ids, *, keep=None):
    """Users with the volunteer role in the organisations who have no volunteer record yet."""
    qs = User.objects.filter(
        memberships__organisation_id__in=organisation_ids,
        memberships__role="volunteer",
        memberships__active=True,
    )
    taken = Volunteer.objects.exclude(user__isnull=True).exclude(pk=getattr(keep, "pk", None))
    return qs.exclude(pk__in=taken.values("user_id")).distinct().order_by("username")


# --- Referrals and matching ----------------------------------------------------------------


def _referral_scope(user) -> Q:
    return Q(volunteer_organisation_id__in=user.organisation_ids(Perm.VIEW_COMMUNITY)) | Q(
        organisation_id__in=user.organisation_ids(Perm.REFER_COMMUNITY)
    )


def referral_list(user, *, status: str = ReferralStatus.WAITING) -> QuerySet[Referral]:
    qs = Referral.objects.filter(_referral_scope(user)).select_related(
        "organisation", "volunteer_organisation"
    )
    if status in ReferralStatus.values:
        qs = qs.filter(status=status)
    return qs


def referral_get(user, pk: int, *, request: HttpRequest | None = None) -> Referral:
    referral = (
        Referral.objects.filter(_referral_scope(user), pk=pk)
        .select_related("organisation", "volunteer_organisation", "consent_by")
        .first()
    )
    if referral is None:
        raise refuse(user, request=request, model=Referral, pk=pk, not_found=True)
    return referral


def partner_volunteer_organisations(user) -> QuerySet[Organisation]:
    """The volunteer organisations that the user's organisations may refer households to."""
    return Organisation.objects.filter(
        pk__in=Partnership.objects.filter(
            partner_id__in=user.organisation_ids(Perm.REFER_COMMUNITY)
        ).values("volunteer_organisation_id")
    )


def as_household(r: Referral) -> matching.Household:
    return matching.Household(
        key=r.pk,
        kind=r.kind,
        languages=dict(r.languages or {}),
        interests=frozenset(r.interests or []),
        place=r.place,
        children=len(r.children_ages or []),
        volunteer_sex=r.volunteer_sex,
    )


def as_volunteer(v: Volunteer, open_matches: int) -> matching.Volunteer:
    kinds = frozenset(
        k
        for k, on in (("contact_person", v.contact_person), ("network_family", v.network_family))
        if on
    )
    return matching.Volunteer(
        key=v.pk,
        kinds=kinds,
        sex=v.sex,
        free=max(v.max_matches - open_matches, 0),
        languages=dict(v.languages or {}),
        interests=frozenset(v.interests or []),
        place=v.place,
        family=v.household == "family",
        earlier_arrival=v.earlier_arrival,
        prefers=v.prefers,
    )


@dataclass
class Suggestions:
    proposal: matching.Proposal
    referrals: dict[int, Referral]
    volunteers: dict[int, Volunteer]


def suggestions(user, organisation: Organisation) -> Suggestions:
    """The assignment of the whole waiting list to the volunteers' free places."""
    referrals = list(
        Referral.objects.filter(volunteer_organisation=organisation, status=ReferralStatus.WAITING)
    )
    volunteers = list(
        Volunteer.objects.filter(organisation=organisation, active=True).annotate(
            open_matches=Count("matches", filter=~Q(matches__status=MatchStatus.ENDED))
        )
    )
    proposal = matching.propose(
        [as_household(r) for r in referrals],
        [as_volunteer(v, v.open_matches) for v in volunteers],
    )
    return Suggestions(proposal, {r.pk: r for r in referrals}, {v.pk: v for v in volunteers})


def match_list(user, *, status: str = "open") -> QuerySet[Match]:
    orgs = user.organisation_ids(Perm.VIEW_COMMUNITY)
    qs = Match.objects.filter(organisation_id__in=orgs).select_related("volunteer", "referral")
    if status == "open":
        qs = qs.exclude(status=MatchStatus.ENDED)
    elif status in MatchStatus.values:
        qs = qs.filter(status=status)
    return qs


def match_get(user, pk: int, *, request: HttpRequest | None = None) -> Match:
    scope = Q(organisation_id__in=user.organisation_ids(Perm.VIEW_COMMUNITY)) | Q(
        volunteer__user_id=user.pk, organisation_id__in=user.organisation_ids(Perm.TAKE_SHIFTS)
    )
    match = Match.objects.filter(scope, pk=pk).select_related("volunteer", "referral").first()
    if match is None:
        raise refuse(user, request=request, model=Match, pk=pk, not_found=True)
    return match


# --- Offers and bridges --------------------------------------------------------------------


def catalogue_organisation_ids(user) -> set[int]:
    """Volunteer organisations whose offers the user may read: their own and their partners'."""
    own = set(user.organisation_ids(Perm.VIEW_COMMUNITY)) | set(
        user.organisation_ids(Perm.TAKE_SHIFTS)
    )
    partners = set(
        Partnership.objects.filter(
            partner_id__in=user.organisation_ids(Perm.REFER_COMMUNITY)
        ).values_list("volunteer_organisation_id", flat=True)
    )
    return own | partners


def offer_list(user, *, kind: str = "", query: str = "") -> QuerySet[Offer]:
    qs = Offer.objects.filter(
        association__organisation_id__in=catalogue_organisation_ids(user), active=True
    ).select_related("association__organisation")
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(place__icontains=query)
            | Q(association__name__icontains=query)
        )
    return qs


def offer_get(user, pk: int, *, request: HttpRequest | None = None) -> Offer:
    offer = (
        Offer.objects.filter(
            pk=pk, association__organisation_id__in=catalogue_organisation_ids(user)
        )
        .select_related("association__organisation")
        .first()
    )
    if offer is None:
        raise refuse(
            user,
            request=request,
            model=Offer,
            pk=pk,
            organisation_field="association__organisation_id",
            not_found=True,
        )
    return offer


def associations_managed(user) -> QuerySet[Association]:
    return Association.objects.filter(
        organisation_id__in=user.organisation_ids(Perm.MANAGE_COMMUNITY)
    )


def persons_to_bridge(user) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation_id__in=user.organisation_ids(Perm.REFER_COMMUNITY))
        .select_related("household")
        .order_by("name_latin", "date_of_birth", "id")
    )


def households_to_refer(user) -> QuerySet:
    return (
        Household.objects.filter(organisation_id__in=user.organisation_ids(Perm.REFER_COMMUNITY))
        .prefetch_related("members")
        .order_by("reference")
    )


def bridge_list(user) -> QuerySet[Bridge]:
    return (
        Bridge.objects.filter(organisation_id__in=user.organisation_ids(Perm.REFER_COMMUNITY))
        .select_related("person", "offer", "offer__association")
        .prefetch_related("checks")
    )


@dataclass
class DueCheck:
    bridge: Bridge
    month: int
    due: dt.date


def follow_ups_due(user, today: dt.date) -> list[DueCheck]:
    out = []
    for bridge in bridge_list(user):
        done = {c.month for c in bridge.checks.all()}
        stopped = any(not c.taking_part for c in bridge.checks.all())
        if stopped:
            continue
        for month in FOLLOW_UP_MONTHS:
            due = check_due(bridge, month)
            if month not in done and due <= today:
                out.append(DueCheck(bridge, month, due))
                break
    return sorted(out, key=lambda d: d.due)


def bridge_get(user, pk: int, *, request: HttpRequest | None = None) -> Bridge:
    bridge = bridge_list(user).filter(pk=pk).first()
    if bridge is None:
        raise refuse(user, request=request, model=Bridge, pk=pk, not_found=True)
    return bridge


# --- Shifts --------------------------------------------------------------------------------


def shift_organisation_ids(user) -> set[int]:
    return set(user.organisation_ids(Perm.VIEW_COMMUNITY)) | set(
        user.organisation_ids(Perm.TAKE_SHIFTS)
    )


def open_shifts(
    user, *, now: dt.datetime | None = None, kind: str = "", place: str = ""
) -> QuerySet[Shift]:
    """Future shifts with a free place or a place to take over, across every place, by time."""
    now = now or timezone.now()
    qs = (
        Shift.objects.filter(
            organisation_id__in=shift_organisation_ids(user), starts_at__gt=now, cancelled=False
        )
        .annotate(
            taken=Count("signups", filter=Q(signups__status__in=HOLDS_A_PLACE)),
            cover=Count(
                "signups",
                filter=Q(signups__cover_wanted=True, signups__status=SignupStatus.CONFIRMED),
            ),
        )
        .annotate(free=F("needed") - F("taken"))
        .filter(Q(free__gt=0) | Q(cover__gt=0))
        .order_by("starts_at", "id")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if place:
        qs = qs.filter(place=place)
    return qs


def shift_places(user) -> list[str]:
    return list(
        Shift.objects.filter(
            organisation_id__in=shift_organisation_ids(user), starts_at__gt=timezone.now()
        )
        .order_by("place")
        .values_list("place", flat=True)
        .distinct()[:200]
    )


def shift_get(user, pk: int, *, request: HttpRequest | None = None) -> Shift:
    shift = Shift.objects.filter(pk=pk, organisation_id__in=shift_organisation_ids(user)).first()
    if shift is None:
        raise refuse(user, request=request, model=Shift, pk=pk, not_found=True)
    return shift


def signup_get(user, pk: int, *, request: HttpRequest | None = None) -> Signup:
    signup = (
        Signup.objects.filter(pk=pk, shift__organisation_id__in=shift_organisation_ids(user))
        .select_related("shift", "volunteer")
        .first()
    )
    if signup is None:
        raise refuse(
            user,
            request=request,
            model=Signup,
            pk=pk,
            organisation_field="shift__organisation_id",
            not_found=True,
        )
    return signup


def my_signups(volunteer: Volunteer, *, since: dt.datetime | None = None) -> QuerySet[Signup]:
    since = since or timezone.now() - dt.timedelta(hours=12)
    return (
        Signup.objects.filter(volunteer=volunteer, shift__ends_at__gte=since)
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("shift")
        .order_by("shift__starts_at")
    )


@dataclass
class ClassCoverage:
    title: str
    place: str
    shifts: int = 0
    needed: int = 0
    taken: int = 0
    first_gap: dt.datetime | None = None
    first_gap_missing: int = 0
    urgent: bool = False

    @property
    def missing(self) -> int:
        return max(self.needed - self.taken, 0)


def _childcare_ahead(organisation_ids, now: dt.datetime, weeks: int) -> QuerySet[Shift]:
    """The childcare shifts of the coming ``weeks``, each with its places ``taken``."""
    return Shift.objects.filter(
        organisation_id__in=organisation_ids,
        kind="childcare",
        cancelled=False,
        starts_at__gt=now,
        starts_at__lt=now + dt.timedelta(weeks=weeks),
    ).annotate(taken=Count("signups", filter=Q(signups__status__in=HOLDS_A_PLACE)))


def coverage(
    user, *, now: dt.datetime | None = None, weeks: int = COVERAGE_WEEKS
) -> list[ClassCoverage]:
    """Childcare per class over the coming weeks; a gap within a week stands out."""
    now = now or timezone.now()
    week = now + dt.timedelta(days=7)
    shifts = _childcare_ahead(user.organisation_ids(Perm.VIEW_COMMUNITY), now, weeks).order_by(
        "starts_at"
    )
    rows: dict[tuple[str, str], ClassCoverage] = {}
    for s in shifts:
        row = rows.setdefault((s.title, s.place), ClassCoverage(s.title, s.place))
        row.shifts += 1
        row.needed += s.needed
        row.taken += min(s.taken, s.needed)
        if s.taken < s.needed and row.first_gap is None:
            row.first_gap = s.starts_at
            row.first_gap_missing = s.needed - s.taken
            row.urgent = s.starts_at < week
    return sorted(
        rows.values(),
        key=lambda r: (not r.urgent, r.first_gap or now + dt.timedelta(days=999), r.title),
    )


def event_list(user, *, upcoming: bool = True) -> QuerySet[Event]:
    orgs = shift_organisation_ids(user)
    qs = Event.objects.filter(organisation_id__in=orgs).annotate(
        signed_up=Count("participants", distinct=True)
    )
    today = timezone.localdate()
    return (
        qs.filter(date__gte=today).order_by("date", "starts_at")
        if upcoming
        else qs.filter(date__lt=today).order_by("-date")
    )


def event_get(user, pk: int, *, request: HttpRequest | None = None) -> Event:
    event = Event.objects.filter(pk=pk, organisation_id__in=shift_organisation_ids(user)).first()
    if event is None:
        raise refuse(user, request=request, model=Event, pk=pk, not_found=True)
    return event


# --- Hours and figures ---------------------------------------------------------------------


def hours(
    user, *, start: dt.date, end: dt.date
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Hours given per volunteer and per place: confirmed shifts that ended, and meetings."""
    orgs = user.organisation_ids(Perm.VIEW_COMMUNITY)
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    per_volunteer: Counter = Counter()
    per_place: Counter = Counter()
    for name, place, starts, ends in Signup.objects.filter(
        shift__organisation_id__in=orgs,
        status=SignupStatus.CONFIRMED,
        shift__cancelled=False,
        shift__starts_at__gte=lo,
        shift__ends_at__lte=min(hi, timezone.now()),
    ).values_list("volunteer__name", "shift__place", "shift__starts_at", "shift__ends_at"):
        h = (ends - starts).total_seconds() / 3600
        per_volunteer[name] += h
        per_place[place] += h
    for name, total in (
        Match.objects.filter(
            organisation_id__in=orgs, meetings__date__gte=start, meetings__date__lte=end
        )
        .values_list("volunteer__name")
        .annotate(total=Sum("meetings__hours"))
    ):
        per_volunteer[name] += float(total or 0)
    return (
        sorted(
            ((k, round(v, 1)) for k, v in per_volunteer.items()), key=lambda kv: (-kv[1], kv[0])
        ),
        sorted(((k, round(v, 1)) for k, v in per_place.items()), key=lambda kv: (-kv[1], kv[0])),
    )


def shown(n: int) -> int | None:
    """A count of people as it may be shown: None (“fewer than 5”) for a small group."""
    return n if n >= SMALLEST_GROUP else None


@dataclass
class Share:
    label: str
    total: int | None
    yes: int | None

    @property
    def percent(self) -> int | None:
        if self.total is None or self.yes is None or not self.total:
            return None
        return round(100 * self.yes / self.total)


def _share(label: str, total: int, yes: int) -> Share:
    if total < SMALLEST_GROUP:
        return Share(label, None, None)
    return Share(label, total, yes)


@dataclass
class CommunityFigures:
    volunteers_active: int | None
    earlier_arrivals: int | None
    waiting: int | None
    waiting_median_days: int | None
    waiting_longest_days: int | None
    matches_open: int | None
    alive: list[Share] = field(default_factory=list)
    participation: dict[int, list[Share]] = field(default_factory=dict)
    coverage_needed: int = 0
    coverage_taken: int = 0
    events_by_group: list[Share] = field(default_factory=list)

    @property
    def coverage_percent(self) -> int | None:
        return (
            round(100 * self.coverage_taken / self.coverage_needed)
            if self.coverage_needed
            else None
        )


def figures_organisation_ids(user) -> set[int]:
    """Volunteer organisations whose figures the user reads: their own (as coordinator) and
    those that work with an organisation where the user reads figures (a manager)."""
    own = set(community_organisations(user).values_list("pk", flat=True))
    partners = set(
        Partnership.objects.filter(
            partner_id__in=user.organisation_ids(Perm.VIEW_FIGURES)
        ).values_list("volunteer_organisation_id", flat=True)
    )
    own |= set(
        Organisation.objects.filter(
            pk__in=user.organisation_ids(Perm.VIEW_FIGURES),
            kind=OrganisationKind.VOLUNTEER_ORGANISATION,
        ).values_list("pk", flat=True)
    )
    return own | partners


def figures(organisation_ids: set[int], today: dt.date) -> CommunityFigures:
    volunteers = Volunteer.objects.filter(organisation_id__in=organisation_ids, active=True)
    waiting = list(
        Referral.objects.filter(
            volunteer_organisation_id__in=organisation_ids, status=ReferralStatus.WAITING
        ).values_list("created_at", flat=True)
    )
    days = sorted((today - timezone.localtime(c).date()).days for c in waiting)
    matches = list(
        Match.objects.filter(organisation_id__in=organisation_ids).values_list(
            "started_on", "ended_on", "status"
        )
    )
    alive = []
    for months in (3, 6):
        old_enough = [(s, e) for s, e, _ in matches if s + relativedelta(months=months) <= today]
        lasted = sum(1 for s, e in old_enough if e is None or e >= s + relativedelta(months=months))
        alive.append(_share(str(months), len(old_enough), lasted))
    participation: dict[int, list[Share]] = {}
    bridges = list(
        Bridge.objects.filter(offer__association__organisation_id__in=organisation_ids)
        .select_related("person")
        .prefetch_related("checks")
    )
    for month in FOLLOW_UP_MONTHS:
        groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
        for b in bridges:
            check = next((c for c in b.checks.all() if c.month == month), None)
            if check is None:
                continue
            band = age_band(age_on(b.person.date_of_birth, b.started_on)) or "?"
            groups[(b.person.sex, band)].append(check.taking_part)
        participation[month] = [
            _share(f"{sex}|{band}", len(v), sum(v)) for (sex, band), v in sorted(groups.items())
        ]
    now = timezone.now()
    upcoming = _childcare_ahead(organisation_ids, now, COVERAGE_WEEKS).values_list(
        "needed", "taken"
    )
    needed = sum(n for n, _ in upcoming)
    taken = sum(min(n, t) for n, t in upcoming)
    groups = Counter(
        Participant.objects.filter(
            event__organisation_id__in=organisation_ids,
            event__date__gte=today - dt.timedelta(days=365),
            event__date__lte=today,
            attended=True,
        ).values_list("sex", "age_band")
    )
    events_by_group = [
        Share(f"{sex}|{band}", shown(n), None) for (sex, band), n in sorted(groups.items())
    ]
    return CommunityFigures(
        volunteers_active=shown(volunteers.count()),
        earlier_arrivals=shown(volunteers.filter(earlier_arrival=True).count()),
        waiting=shown(len(days)),
        waiting_median_days=days[len(days) // 2] if len(days) >= SMALLEST_GROUP else None,
        waiting_longest_days=days[-1] if len(days) >= SMALLEST_GROUP else None,
        matches_open=shown(sum(1 for *_, st in matches if st != MatchStatus.ENDED)),
        alive=alive,
        participation=participation,
        coverage_needed=needed,
        coverage_taken=taken,
        events_by_group=events_by_group,
    )


def certificate_warnings(user, today: dt.date) -> list[Volunteer]:
    """Active volunteers whose certificate runs out soon or has run out (coordinator's list)."""
    out = []
    for v in Volunteer.objects.filter(
        organisation_id__in=user.organisation_ids(Perm.VIEW_COMMUNITY),
        active=True,
        certificate_date__isnull=False,
    ).select_related("organisation"):
        until = rules.valid_until(v)
        if until is not None and until <= today + dt.timedelta(
            days=rules.rule_for(v.organisation.country).warn_days
        ):
            out.append(v)
    return out
