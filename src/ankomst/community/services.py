"""Writes of the community app: volunteers, referrals and matches, offers and bridges,
childcare shifts and their sign-ups, events.

Each service checks the permission in the organisation that owns the record, writes in one
transaction and audits what it changed. Places on a shift are handed out under a row lock
of the shift, so that the last free place goes to exactly one volunteer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ankomst.accounts.models import Membership
from ankomst.accounts.permissions import refuse, require_perm
from ankomst.accounts.roles import Perm, Role
from ankomst.activities.models import ActivityKind, Enrolment, Session
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.ages import ADULT_AGE
from ankomst.people.models import Household, LanguageLevel, Person, age_on
from ankomst.records import update_record

from . import notify, rules
from .models import (
    Association,
    Bridge,
    BridgeCheck,
    EndReason,
    Event,
    Match,
    MatchStatus,
    Meeting,
    Offer,
    Participant,
    Partnership,
    Referral,
    ReferralStatus,
    Shift,
    ShiftKind,
    ShiftTemplate,
    Signup,
    SignupStatus,
    Volunteer,
)

# The classes whose parents' children are looked after: the language teaching.
LANGUAGE_CLASSES = (ActivityKind.DANISH, ActivityKind.ENGLISH)
HOLDS_A_PLACE = (SignupStatus.CONFIRMED, SignupStatus.OFFERED)
FOLLOW_UP_MONTHS = (1, 3, 6)


# --- Volunteers ----------------------------------------------------------------------------


def _check_login(volunteer: Volunteer) -> None:
    if volunteer.user_id is None:
        return
    holds = Membership.objects.filter(
        user_id=volunteer.user_id,
        organisation_id=volunteer.organisation_id,
        role=Role.VOLUNTEER,
        active=True,
    ).exists()
    if not holds:
        raise ValidationError(
            {"login": _("The login must hold the volunteer role in the organisation.")},
            code="login_not_volunteer",
        )


def _check_plausible(volunteer: Volunteer) -> None:
    today = timezone.localdate()
    errors = {}
    if volunteer.birth_year and not today.year - 100 <= volunteer.birth_year <= today.year - 15:
        errors["birth_year"] = _("A volunteer is between 15 and 100 years old.")
    if volunteer.certificate_date and volunteer.certificate_date > today:
        errors["certificate_date"] = _("A certificate is recorded once it is issued.")
    if volunteer.joined_on and volunteer.joined_on > today + dt.timedelta(days=90):
        errors["joined_on"] = _("More than three months ahead is not plausible here.")
    if errors:
        raise ValidationError(errors, code="implausible")


@transaction.atomic
def volunteer_create(
    *, user, organisation, request: HttpRequest | None = None, **fields
) -> Volunteer:
    """``login``: the volunteer's own user account, if they have one."""
    require_perm(user, Perm.MANAGE_COMMUNITY, organisation.pk, request=request)
    fields["user"] = fields.pop("login", None)
    volunteer = Volunteer(organisation=organisation, **fields)
    _check_plausible(volunteer)
    _check_login(volunteer)
    volunteer.full_clean()
    volunteer.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=volunteer,
        summary="Volunteer registered",
        changes={k: [None, str(v)] for k, v in fields.items() if v not in (None, "", [], {})},
        request=request,
    )
    return volunteer


@transaction.atomic
def volunteer_update(*, user, volunteer: Volunteer, request: HttpRequest | None = None, **fields):
    require_perm(
        user, Perm.MANAGE_COMMUNITY, volunteer.organisation_id, request=request, record=volunteer
    )
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if "login" in fields:
        fields["user"] = fields.pop("login")
    changes = update_record(locked, fields, check=lambda v: (_check_plausible(v), _check_login(v)))
    if changes:
        audit_record(user=user, action=Action.CHANGE, obj=locked, changes=changes, request=request)
    return locked


def send_certificate_reminders(today: dt.date) -> int:
    """E-mail each volunteer whose child-protection certificate runs out within the warning
    days of their country, and their coordinators; once per certificate. Run daily (cron)."""
    due = [
        v
        for v in Volunteer.objects.filter(active=True, certificate_date__isnull=False)
        .select_related("organisation")
        .exclude(certificate_reminded_for=F("certificate_date"))
        if rules.expires_soon(v, today)
    ]
    with transaction.atomic():
        for volunteer in due:
            notify.certificate_runs_out(volunteer, rules.valid_until(volunteer))
        Volunteer.objects.filter(pk__in=[v.pk for v in due]).update(
            certificate_reminded_for=F("certificate_date")
        )
    return len(due)


# --- Referrals and matches -----------------------------------------------------------------


def household_profile(household: Household, on: dt.date) -> dict:
    """What a referral shares of a household: adults, children's ages, the languages spoken."""
    members = list(household.members.prefetch_related("languages__language"))
    adults, children, languages = 0, [], {}
    # LanguageLevel lists the levels best first.
    rank = {level: -i for i, level in enumerate(LanguageLevel.values)}
    for member in members:
        age = age_on(member.date_of_birth, on)
        if age is not None and age < ADULT_AGE:
            children.append(age)
            continue
        adults += 1
        for spoken in member.languages.all():
            code = spoken.language.code
            if code not in languages or rank.get(spoken.level, -99) > rank.get(
                languages[code], -99
            ):
                languages[code] = spoken.level
    return {"adults": adults, "children_ages": sorted(children), "languages": languages}


@transaction.atomic
def referral_create(
    *,
    user,
    household: Household,
    volunteer_organisation,
    kind: str,
    consent_on: dt.date,
    contact_name: str,
    place: str,
    interests: list[str],
    wishes: str = "",
    volunteer_sex: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    require_perm(
        user, Perm.REFER_COMMUNITY, household.organisation_id, request=request, record=household
    )
    if not Partnership.objects.filter(
        partner_id=household.organisation_id, volunteer_organisation=volunteer_organisation
    ).exists():
        raise ValidationError(
            {"volunteer_organisation": _("Your organisation does not work with this one.")},
            code="no_partnership",
        )
    today = timezone.localdate()
    if consent_on > today:
        raise ValidationError(
            {"consent_on": _("Consent cannot be recorded for a day still to come.")},
            code="consent_in_future",
        )
    profile = household_profile(household, today)
    if profile["adults"] == 0:
        raise ValidationError(
            _(
                "The household has no adult: an unaccompanied minor is matched by the family section."
            ),
            code="no_adult",
        )
    referral = Referral(
        organisation_id=household.organisation_id,
        volunteer_organisation=volunteer_organisation,
        household=household,
        kind=kind,
        consent_on=consent_on,
        consent_by=user,
        contact_name=contact_name,
        place=place,
        interests=list(interests),
        wishes=wishes,
        volunteer_sex=volunteer_sex,
        **profile,
    )
    referral.full_clean(exclude=["consent_by", "household"])
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("The household already asked for this and has not withdrawn it."), code="duplicate"
        ) from exc
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=referral,
        summary="Household referred to volunteers with its consent",
        changes={
            "volunteer_organisation": [None, str(volunteer_organisation)],
            "kind": [None, kind],
        },
        request=request,
    )
    notify.referral_received(referral)
    return referral


def _referral_for_update(user, referral: Referral, perm: Perm, request) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    allowed = user.has_perm_in(perm, locked.volunteer_organisation_id) or user.has_perm_in(
        Perm.REFER_COMMUNITY, locked.organisation_id
    )
    if not allowed:
        raise refuse(user, request=request, perm=perm, record=locked)
    return locked


@transaction.atomic
def referral_withdraw(*, user, referral: Referral, request: HttpRequest | None = None) -> Referral:
    locked = _referral_for_update(user, referral, Perm.MANAGE_COMMUNITY, request)
    if locked.status == ReferralStatus.WITHDRAWN:
        return locked
    if locked.matches.exclude(status=MatchStatus.ENDED).exists():
        raise ValidationError(
            _("End the household's match before withdrawing the referral."), code="matched"
        )
    old = locked.status
    locked.status = ReferralStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        changes={"status": [old, locked.status]},
        request=request,
    )
    return locked


def _open_matches(volunteer_id: int) -> int:
    return Match.objects.filter(volunteer_id=volunteer_id).exclude(status=MatchStatus.ENDED).count()


@transaction.atomic
def match_confirm(
    *,
    user,
    referral: Referral,
    volunteer: Volunteer,
    score: float = 0.0,
    explanation: list | None = None,
    started_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Match:
    """The coordinator confirms a pair: the household is matched, the volunteer has one more."""
    require_perm(
        user,
        Perm.MANAGE_COMMUNITY,
        referral.volunteer_organisation_id,
        request=request,
        record=referral,
    )
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    person = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if person.organisation_id != locked.volunteer_organisation_id:
        raise refuse(user, request=request, record=person, not_found=True)
    if locked.status != ReferralStatus.WAITING:
        raise ValidationError(
            _("The household is no longer waiting for a match."), code="not_waiting"
        )
    if not person.active:
        raise ValidationError(_("The volunteer is not active."), code="inactive")
    if (
        locked.kind == "contact_person"
        and not person.contact_person
        or (locked.kind == "network_family" and not person.network_family)
    ):
        raise ValidationError(
            _("The volunteer does not offer what the household asks for."), code="kind"
        )
    if locked.volunteer_sex and person.sex != locked.volunteer_sex:
        raise ValidationError(
            _("The household wished for a volunteer of another sex."), code="sex_wish"
        )
    if _open_matches(person.pk) >= person.max_matches:
        raise ValidationError(
            _("The volunteer already has as many households as they want."), code="full"
        )
    match = Match.objects.create(
        organisation_id=locked.volunteer_organisation_id,
        referral=locked,
        volunteer=person,
        started_on=started_on or timezone.localdate(),
        score=score,
        explanation=explanation or [],
        confirmed_by=user,
    )
    locked.status = ReferralStatus.MATCHED
    locked.save(update_fields=["status"])
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=match,
        summary="Match confirmed",
        changes={"volunteer": [None, person.name], "household": [None, locked.contact_name]},
        request=request,
    )
    notify.match_confirmed(match)
    return match


def _match_for_update(user, match: Match, request, *, volunteer_may: bool = False) -> Match:
    locked = Match.objects.select_for_update().select_related("volunteer").get(pk=match.pk)
    own = volunteer_may and getattr(locked.volunteer, "user_id", None) == user.pk
    if not own and not user.has_perm_in(Perm.MANAGE_COMMUNITY, locked.organisation_id):
        raise refuse(user, request=request, perm=Perm.MANAGE_COMMUNITY, record=locked)
    return locked


def _move_match(user, match: Match, request, *, from_status: str, to_status: str, refusal) -> Match:
    locked = _match_for_update(user, match, request)
    if locked.status != from_status:
        raise ValidationError(refusal, code=f"not_{from_status}")
    locked.status = to_status
    locked.save(update_fields=["status"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        changes={"status": [from_status, to_status]},
        request=request,
    )
    return locked


@transaction.atomic
def match_pause(*, user, match: Match, request: HttpRequest | None = None) -> Match:
    return _move_match(
        user,
        match,
        request,
        from_status=MatchStatus.ACTIVE,
        to_status=MatchStatus.PAUSED,
        refusal=_("Only an active match can be paused."),
    )


@transaction.atomic
def match_resume(*, user, match: Match, request: HttpRequest | None = None) -> Match:
    return _move_match(
        user,
        match,
        request,
        from_status=MatchStatus.PAUSED,
        to_status=MatchStatus.ACTIVE,
        refusal=_("Only a paused match can be resumed."),
    )


@transaction.atomic
def match_end(
    *,
    user,
    match: Match,
    reason: str,
    note: str = "",
    ended_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Match:
    locked = _match_for_update(user, match, request)
    if locked.status == MatchStatus.ENDED:
        raise ValidationError(_("The match has ended already."), code="ended")
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="reason")
    ended_on = ended_on or timezone.localdate()
    if ended_on < locked.started_on:
        raise ValidationError(
            {"ended_on": _("A match cannot end before it started.")}, code="order"
        )
    if ended_on > timezone.localdate():
        raise ValidationError(
            {"ended_on": _("A match is ended on the day or after.")}, code="future"
        )
    old = locked.status
    locked.status, locked.ended_on, locked.end_reason, locked.end_note = (
        MatchStatus.ENDED,
        ended_on,
        reason,
        note,
    )
    locked.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    # The household waits again, unless it is done with volunteers: the coordinator withdraws it.
    Referral.objects.filter(pk=locked.referral_id).update(status=ReferralStatus.WAITING)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        changes={"status": [old, "ended"], "end_reason": ["", reason]},
        request=request,
    )
    return locked


@transaction.atomic
def meeting_log(
    *, user, match: Match, date: dt.date, hours, note: str = "", request: HttpRequest | None = None
) -> Meeting:
    locked = _match_for_update(user, match, request, volunteer_may=True)
    if locked.status == MatchStatus.ENDED:
        raise ValidationError(
            _("The match has ended: no more meetings can be logged."), code="ended"
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("A meeting is logged once it took place.")}, code="future")
    if date < locked.started_on:
        raise ValidationError({"date": _("The meeting is before the match started.")}, code="early")
    that_day = sum(m.hours for m in Meeting.objects.filter(match=locked, date=date))
    if that_day + hours > 24:
        raise ValidationError(
            {
                "hours": _("More than 24 hours on one day: %(hours)s are logged already.")
                % {"hours": that_day}
            },
            code="too_many_hours",
        )
    meeting = Meeting(match=locked, date=date, hours=hours, note=note, logged_by=user)
    meeting.full_clean(exclude=["match", "logged_by"])
    meeting.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=meeting,
        organisation_id=locked.organisation_id,
        summary="Meeting logged",
        request=request,
    )
    return meeting


# --- Associations, offers and bridges ------------------------------------------------------


def _create(user, model, *, organisation_id: int, request, **fields):
    """A coordinator's new record of the organisation (an association, an offer, a template):
    checked, saved and audited."""
    require_perm(user, Perm.MANAGE_COMMUNITY, organisation_id, request=request)
    record = model(**fields)
    record.full_clean()
    record.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=record,
        organisation_id=organisation_id,
        request=request,
    )
    return record


@transaction.atomic
def association_create(
    *, user, organisation, request: HttpRequest | None = None, **fields
) -> Association:
    return _create(
        user,
        Association,
        organisation_id=organisation.pk,
        request=request,
        organisation=organisation,
        **fields,
    )


@transaction.atomic
def offer_create(
    *, user, association: Association, request: HttpRequest | None = None, **fields
) -> Offer:
    return _create(
        user,
        Offer,
        organisation_id=association.organisation_id,
        request=request,
        association=association,
        **fields,
    )


@transaction.atomic
def template_create(
    *, user, organisation, request: HttpRequest | None = None, **fields
) -> ShiftTemplate:
    return _create(
        user,
        ShiftTemplate,
        organisation_id=organisation.pk,
        request=request,
        organisation=organisation,
        **fields,
    )


@transaction.atomic
def offer_update(*, user, offer: Offer, request: HttpRequest | None = None, **fields) -> Offer:
    require_perm(user, Perm.MANAGE_COMMUNITY, offer.association.organisation_id, request=request)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    changes = update_record(locked, fields)
    if changes:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=locked,
            organisation_id=offer.association.organisation_id,
            changes=changes,
            request=request,
        )
    return locked


def offer_fits(offer: Offer, person: Person, on: dt.date) -> list[str]:
    """Why an offer does not suit a person (empty when it does)."""
    problems = []
    age = age_on(person.date_of_birth, on)
    if age is not None and not offer.age_min <= age <= offer.age_max:
        problems.append(
            _("The offer is for ages %(min)s to %(max)s.")
            % {"min": offer.age_min, "max": offer.age_max}
        )
    if offer.sex and person.sex != offer.sex:
        problems.append(_("The offer is for %(who)s.") % {"who": offer.get_sex_display().lower()})
    return problems


@transaction.atomic
def bridge_create(
    *,
    user,
    person: Person,
    offer: Offer,
    consent_on: dt.date,
    started_on: dt.date,
    request: HttpRequest | None = None,
) -> Bridge:
    require_perm(user, Perm.REFER_COMMUNITY, person.organisation_id, request=request, record=person)
    if not offer.active:
        raise ValidationError({"offer": _("The offer is no longer active.")}, code="inactive")
    if not Partnership.objects.filter(
        partner_id=person.organisation_id,
        volunteer_organisation_id=offer.association.organisation_id,
    ).exists():
        raise ValidationError(
            {"offer": _("Your organisation does not work with the offer's.")}, code="no_partnership"
        )
    today = timezone.localdate()
    if consent_on > today:
        raise ValidationError(
            {"consent_on": _("Consent cannot be recorded for a day still to come.")}, code="future"
        )
    problems = offer_fits(offer, person, started_on)
    if problems:
        raise ValidationError({"offer": problems}, code="does_not_fit")
    bridge = Bridge(
        organisation_id=person.organisation_id,
        person=person,
        offer=offer,
        consent_on=consent_on,
        started_on=started_on,
        created_by=user,
    )
    bridge.full_clean(exclude=["created_by", "person", "offer"])
    try:
        with transaction.atomic():
            bridge.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("The person is already bridged to this offer."), code="duplicate"
        ) from exc
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=bridge,
        person_id=person.pk,
        summary="Bridged to an offer with consent",
        changes={"offer": [None, offer.title]},
        request=request,
    )
    return bridge


def check_due(bridge: Bridge, month: int) -> dt.date:
    return bridge.started_on + relativedelta(months=month)


@transaction.atomic
def bridge_check(
    *, user, bridge: Bridge, month: int, taking_part: bool, request: HttpRequest | None = None
) -> BridgeCheck:
    require_perm(user, Perm.REFER_COMMUNITY, bridge.organisation_id, request=request, record=bridge)
    if month not in FOLLOW_UP_MONTHS:
        raise ValidationError({"month": _("Follow-ups are after 1, 3 and 6 months.")}, code="month")
    today = timezone.localdate()
    if check_due(bridge, month) > today:
        raise ValidationError(
            _("This follow-up is due on %(date)s.")
            % {"date": date_format(check_due(bridge, month), "SHORT_DATE_FORMAT")},
            code="not_due",
        )
    done = {c.month: c.taking_part for c in BridgeCheck.objects.filter(bridge=bridge)}
    if month in done:
        raise ValidationError(_("This follow-up is recorded already."), code="recorded")
    if False in done.values():
        raise ValidationError(
            _("The person no longer takes part: there is nothing more to follow up."),
            code="stopped",
        )
    if any(m < month and m not in done for m in FOLLOW_UP_MONTHS):
        raise ValidationError(_("Record the earlier follow-up first."), code="order")
    try:
        with transaction.atomic():
            check = BridgeCheck.objects.create(
                bridge=bridge,
                month=month,
                taking_part=taking_part,
                checked_on=today,
                checked_by=user,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This follow-up is recorded already."), code="recorded") from exc
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=bridge,
        person_id=bridge.person_id,
        summary=f"Follow-up after {month} months",
        changes={"taking_part": [None, taking_part]},
        request=request,
    )
    return check


# --- Childcare shifts from the language classes --------------------------------------------


def _children_of_sessions(sessions: list[Session], below: int) -> dict[int, int]:
    """For each session, the number of young children of the parents enrolled in its class."""
    activity_ids = {s.activity_id for s in sessions}
    enrolments = list(
        Enrolment.objects.filter(activity_id__in=activity_ids)
        .exclude(person__household__isnull=True)
        .values_list("activity_id", "person__household_id", "enrolled_on", "ended_on")
    )
    household_ids = {e[1] for e in enrolments}
    births: dict[int, list[dt.date]] = defaultdict(list)
    for household_id, born in Person.objects.filter(
        household_id__in=household_ids, date_of_birth__isnull=False
    ).values_list("household_id", "date_of_birth"):
        births[household_id].append(born)
    by_activity: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for activity_id, household_id, start, end in enrolments:
        by_activity[activity_id].append((household_id, start, end))
    counts = {}
    for session in sessions:
        households = {
            h
            for h, start, end in by_activity[session.activity_id]
            if start <= session.date and (end is None or end >= session.date)
        }
        counts[session.pk] = sum(
            1
            for h in households
            for born in births[h]
            if (age := age_on(born, session.date)) is not None and age < below
        )
    return counts


def local_span(day: dt.date, starts: dt.time, ends: dt.time, *, before: int = 0, after: int = 0):
    """The moments (in UTC) a shift begins and ends on ``day``, or a clear error where the
    clock does not allow it: the night the clocks move forward has no 02:30.

    Computed through UTC: Python compares two times of one zone by their wall clock, and
    converting to the same zone does not move a time that falls in the gap.
    """
    zone = timezone.get_current_timezone()
    moments = []
    for wall, minutes in ((starts, -before), (ends, after)):
        naive = dt.datetime.combine(day, wall) + dt.timedelta(minutes=minutes)
        moment = naive.replace(tzinfo=zone).astimezone(dt.UTC)
        if moment.astimezone(zone).replace(tzinfo=None) != naive:
            raise ValidationError(
                _("%(time)s does not exist on %(date)s: the clocks move forward that night.")
                % {"time": naive.strftime("%H:%M"), "date": date_format(day, "SHORT_DATE_FORMAT")},
                code="no_such_time",
            )
        moments.append(moment)
    start, end = moments
    if end <= start:
        raise ValidationError(
            {"ends_at": _("The shift must end after it starts.")}, code="ends_before_start"
        )
    return start, end


@transaction.atomic
def generate_childcare(
    *,
    user,
    organisation,
    template: ShiftTemplate,
    start: dt.date,
    end: dt.date,
    request: HttpRequest | None = None,
) -> dict[str, int]:
    """Childcare shifts for the partners' language-class sessions from ``start`` to ``end``.

    Idempotent: a session's shift is created once and updated when the number of children
    changes; the shift of a cancelled session is cancelled. Returns what was done.
    """
    require_perm(user, Perm.MANAGE_COMMUNITY, organisation.pk, request=request)
    if template.organisation_id != organisation.pk:
        raise refuse(user, request=request, record=template, not_found=True)
    if end < start:
        raise ValidationError({"end": _("The end is before the start.")}, code="order")
    if (end - start).days > 200:
        raise ValidationError({"end": _("Generate at most 200 days at a time.")}, code="too_long")
    partners = Partnership.objects.filter(volunteer_organisation=organisation).values("partner_id")
    sessions = list(
        Session.objects.filter(
            activity__organisation_id__in=partners,
            activity__kind__in=LANGUAGE_CLASSES,
            date__gte=start,
            date__lte=end,
        ).select_related("activity")
    )
    counts = _children_of_sessions(sessions, template.child_age_below)
    existing = {
        s.session_id: s
        for s in Shift.objects.select_for_update().filter(
            organisation=organisation, session_id__in=[s.pk for s in sessions]
        )
    }
    created, updated, cancelled = [], [], 0
    for session in sessions:
        children = counts[session.pk]
        needed = max(template.min_volunteers, math.ceil(children / template.children_per_volunteer))
        shift = existing.get(session.pk)
        if shift is None:
            if session.cancelled or children == 0:
                continue
            try:
                start_at, end_at = local_span(
                    session.date,
                    session.starts_at,
                    session.ends_at,
                    before=template.minutes_before,
                    after=template.minutes_after,
                )
            except ValidationError:
                continue  # a session in the hour the clocks skip: no shift can be set for it
            created.append(
                Shift(
                    organisation=organisation,
                    kind=ShiftKind.CHILDCARE,
                    title=session.activity.name,
                    place=session.place,
                    starts_at=start_at,
                    ends_at=end_at,
                    needed=needed,
                    children=children,
                    with_children=True,
                    session=session,
                )
            )
        elif session.cancelled and not shift.cancelled:
            shift.cancelled = True
            shift.save(update_fields=["cancelled"])
            notify.shift_cancelled(shift)
            cancelled += 1
        elif not shift.cancelled and (shift.children, shift.needed) != (children, needed):
            shift.children, shift.needed = children, needed
            updated.append(shift)
    Shift.objects.bulk_create(created, batch_size=500)
    Shift.objects.bulk_update(updated, ["children", "needed"], batch_size=500)
    for shift in updated:  # more children, more places: the waiting list moves up
        _offer_to_next(shift)
    audit_record(
        user=user,
        action=Action.CREATE,
        object_type="community.shift",
        organisation_id=organisation.pk,
        summary=f"Childcare shifts generated {start.isoformat()}–{end.isoformat()}",
        changes={
            "created": [None, len(created)],
            "updated": [None, len(updated)],
            "cancelled": [None, cancelled],
        },
        request=request,
    )
    return {"created": len(created), "updated": len(updated), "cancelled": cancelled}


@transaction.atomic
def shift_create(
    *,
    user,
    organisation,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    request: HttpRequest | None = None,
    **fields,
) -> Shift:
    require_perm(user, Perm.MANAGE_COMMUNITY, organisation.pk, request=request)
    start, end = local_span(date, starts_at, ends_at)
    shift = Shift(organisation=organisation, starts_at=start, ends_at=end, **fields)
    shift.full_clean()
    shift.save()
    audit_record(user=user, action=Action.CREATE, obj=shift, request=request)
    return shift


# --- Sign-ups ------------------------------------------------------------------------------


def own_volunteer(user, organisation_id: int, *, request=None) -> Volunteer:
    """The signed-in volunteer's own record in the organisation, or refused."""
    volunteer = Volunteer.objects.filter(
        user_id=user.pk, organisation_id=organisation_id, active=True
    ).first()
    if volunteer is None or not user.has_perm_in(Perm.TAKE_SHIFTS, organisation_id):
        raise refuse(user, request=request, perm=Perm.TAKE_SHIFTS, organisation_id=organisation_id)
    return volunteer


def _lock_shift(shift: Shift) -> Shift:
    return Shift.objects.select_for_update().get(pk=shift.pk)


def _check_may_take(shift: Shift, volunteer: Volunteer) -> None:
    if shift.cancelled:
        raise ValidationError(_("The shift is cancelled."), code="cancelled")
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("The shift has begun or is over."), code="past")
    if shift.with_children:
        problem = rules.certificate_problem(volunteer, shift.starts_at.date())
        if problem:
            raise ValidationError(problem, code="certificate")


def _places_taken(shift: Shift) -> int:
    return shift.signups.filter(status__in=HOLDS_A_PLACE).count()


@transaction.atomic
def sign_up(*, user, shift: Shift, request: HttpRequest | None = None) -> Signup:
    """A place if one is free, else a place on the waiting list."""
    volunteer = own_volunteer(user, shift.organisation_id, request=request)
    locked = _lock_shift(shift)
    _check_may_take(locked, volunteer)
    if locked.signups.filter(volunteer=volunteer).exclude(status=SignupStatus.CANCELLED).exists():
        raise ValidationError(_("You are signed up for this shift already."), code="twice")
    status = (
        SignupStatus.CONFIRMED if _places_taken(locked) < locked.needed else SignupStatus.WAITING
    )
    signup = Signup.objects.create(shift=locked, volunteer=volunteer, status=status)
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=signup,
        organisation_id=locked.organisation_id,
        summary=f"Signed up ({status})",
        request=request,
    )
    return signup


def _offer_to_next(shift: Shift) -> Signup | None:
    """Offer a freed place to the first on the waiting list who may take it."""
    while _places_taken(shift) < shift.needed:
        waiting = shift.signups.filter(status=SignupStatus.WAITING).select_related("volunteer")
        for candidate in waiting:
            try:
                _check_may_take(shift, candidate.volunteer)
            except ValidationError:
                continue
            candidate.status = SignupStatus.OFFERED
            candidate.save(update_fields=["status", "changed_at"])
            notify.place_offered(candidate)
            return candidate
        return None
    return None


def _own_signup(user, signup: Signup, request) -> Signup:
    locked = Signup.objects.select_for_update().select_related("volunteer").get(pk=signup.pk)
    if locked.volunteer.user_id != user.pk:
        raise refuse(
            user,
            request=request,
            record=locked,
            organisation_field="shift__organisation_id",
            not_found=True,
        )
    return locked


@transaction.atomic
def cancel(*, user, signup: Signup, request: HttpRequest | None = None) -> Signup | None:
    """The volunteer cancels; the coordinator is told, and the next on the waiting list is
    offered the place. Returns the sign-up that was offered the place, if any."""
    shift = _lock_shift(signup.shift)
    locked = _own_signup(user, signup, request)
    if locked.status == SignupStatus.CANCELLED:
        raise ValidationError(_("The sign-up is cancelled already."), code="cancelled")
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("The shift has begun: tell the coordinator instead."), code="past")
    old = locked.status
    locked.status, locked.cover_wanted = SignupStatus.CANCELLED, False
    locked.save(update_fields=["status", "cover_wanted", "changed_at"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        organisation_id=shift.organisation_id,
        changes={"status": [old, "cancelled"]},
        request=request,
    )
    offered = _offer_to_next(shift) if old in HOLDS_A_PLACE else None
    notify.signup_cancelled(locked, offered)
    return offered


@transaction.atomic
def answer_offer(
    *, user, signup: Signup, accept: bool, request: HttpRequest | None = None
) -> Signup:
    shift = _lock_shift(signup.shift)
    locked = _own_signup(user, signup, request)
    if locked.status != SignupStatus.OFFERED:
        raise ValidationError(
            _("There is no place offered to you on this shift."), code="not_offered"
        )
    if accept:
        _check_may_take(shift, locked.volunteer)
    locked.status = SignupStatus.CONFIRMED if accept else SignupStatus.CANCELLED
    locked.save(update_fields=["status", "changed_at"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        organisation_id=shift.organisation_id,
        changes={"status": ["offered", locked.status]},
        request=request,
    )
    if not accept:
        _offer_to_next(shift)
    return locked


@transaction.atomic
def ask_cover(*, user, signup: Signup, request: HttpRequest | None = None) -> Signup:
    """The volunteer keeps the place until someone takes it over."""
    shift = _lock_shift(signup.shift)
    locked = _own_signup(user, signup, request)
    if locked.status != SignupStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed place can be handed over."), code="not_confirmed")
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("The shift has begun or is over."), code="past")
    locked.cover_wanted = True
    locked.save(update_fields=["cover_wanted", "changed_at"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        organisation_id=shift.organisation_id,
        changes={"cover_wanted": [False, True]},
        request=request,
    )
    notify.cover_wanted(locked)
    return locked


@transaction.atomic
def keep_place(*, user, signup: Signup, request: HttpRequest | None = None) -> Signup:
    """The volunteer who asked for cover takes the shift after all."""
    _lock_shift(signup.shift)
    locked = _own_signup(user, signup, request)
    if not locked.cover_wanted:
        raise ValidationError(_("You did not ask for someone to take over."), code="no_cover")
    locked.cover_wanted = False
    locked.save(update_fields=["cover_wanted", "changed_at"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        organisation_id=locked.shift.organisation_id,
        changes={"cover_wanted": [True, False]},
        request=request,
    )
    return locked


@transaction.atomic
def shift_cancel(*, user, shift: Shift, request: HttpRequest | None = None) -> Shift:
    """The coordinator cancels a shift; those signed up are told by e-mail."""
    require_perm(user, Perm.MANAGE_COMMUNITY, shift.organisation_id, request=request, record=shift)
    locked = _lock_shift(shift)
    if locked.cancelled:
        raise ValidationError(_("The shift is cancelled."), code="cancelled")
    locked.cancelled = True
    locked.save(update_fields=["cancelled"])
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=locked,
        changes={"cancelled": [False, True]},
        request=request,
    )
    notify.shift_cancelled(locked)
    return locked


@transaction.atomic
def take_over(*, user, signup: Signup, request: HttpRequest | None = None) -> Signup:
    """Another volunteer takes the place of one who asked for cover."""
    shift = _lock_shift(signup.shift)
    volunteer = own_volunteer(user, shift.organisation_id, request=request)
    locked = Signup.objects.select_for_update().select_related("volunteer").get(pk=signup.pk)
    if locked.status != SignupStatus.CONFIRMED:
        raise ValidationError(_("This place has been covered already."), code="covered")
    if not locked.cover_wanted:
        raise ValidationError(
            _("Nobody asked for someone to take over this place."), code="no_cover"
        )
    if locked.volunteer_id == volunteer.pk:
        raise ValidationError(_("You cannot cover your own place."), code="own")
    _check_may_take(shift, volunteer)
    mine = shift.signups.filter(volunteer=volunteer).exclude(status=SignupStatus.CANCELLED).first()
    if mine is not None and mine.status in HOLDS_A_PLACE:
        raise ValidationError(_("You have a place on this shift already."), code="twice")
    locked.status, locked.cover_wanted = SignupStatus.CANCELLED, False
    locked.save(update_fields=["status", "cover_wanted", "changed_at"])
    if mine is not None:  # from the waiting list to the place
        mine.status = SignupStatus.CONFIRMED
        mine.save(update_fields=["status", "changed_at"])
        new = mine
    else:
        new = Signup.objects.create(shift=shift, volunteer=volunteer, status=SignupStatus.CONFIRMED)
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=new,
        organisation_id=shift.organisation_id,
        summary="Took over a place",
        changes={"covered": [None, locked.volunteer.name]},
        request=request,
    )
    notify.covered(locked, new)
    return new


# --- Events --------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, user, organisation, request: HttpRequest | None = None, **fields) -> Event:
    require_perm(user, Perm.MANAGE_COMMUNITY, organisation.pk, request=request)
    event = Event(organisation=organisation, **fields)
    event.full_clean()
    start, end = local_span(event.date, event.starts_at, event.ends_at, before=30, after=15)
    event.save()
    if event.helpers:
        Shift.objects.create(
            organisation=organisation,
            kind=ShiftKind.EVENT,
            title=event.title,
            place=event.place,
            starts_at=start,
            ends_at=end,
            needed=event.helpers,
            event=event,
        )
    audit_record(user=user, action=Action.CREATE, obj=event, request=request)
    return event


@transaction.atomic
def participant_add(
    *, user, event: Event, request: HttpRequest | None = None, **fields
) -> Participant:
    require_perm(user, Perm.MANAGE_COMMUNITY, event.organisation_id, request=request, record=event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.participants.count() >= locked.capacity:
        raise ValidationError(_("The event is full."), code="full")
    participant = Participant(event=locked, **fields)
    participant.full_clean(exclude=["event"])
    participant.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=participant,
        organisation_id=locked.organisation_id,
        request=request,
    )
    return participant


@transaction.atomic
def attendance_set(
    *, user, event: Event, attended: set[int], request: HttpRequest | None = None
) -> int:
    require_perm(user, Perm.MANAGE_COMMUNITY, event.organisation_id, request=request, record=event)
    if event.date > timezone.localdate():
        raise ValidationError(_("Attendance is taken on the day or after."), code="future")
    participants = list(event.participants.select_for_update())
    known = {p.pk for p in participants}
    if not attended <= known:
        raise ValidationError(_("Someone ticked is not signed up for this event."), code="unknown")
    changed = 0
    for p in participants:
        value = p.pk in attended
        if p.attended != value:
            p.attended = value
            p.save(update_fields=["attended"])
            changed += 1
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=event,
        summary="Attendance taken",
        changes={"attended": [None, len(attended)]},
        request=request,
    )
    return changed
