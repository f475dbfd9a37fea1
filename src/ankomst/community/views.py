"""The community's pages. Thin: the rules live in services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.forms import add_service_errors

from . import calendar, display, rules, selectors, services
from .forms import (
    AssociationForm,
    AttendanceForm,
    BridgeCheckForm,
    BridgeForm,
    EventForm,
    GenerateForm,
    HoursForm,
    MatchConfirmForm,
    MatchEndForm,
    MeetingForm,
    OfferForm,
    ParticipantForm,
    ReferralForm,
    ShiftForm,
    TemplateForm,
    VolunteerForm,
)
from .models import (
    EventKind,
    OfferKind,
    ReferralStatus,
    ShiftKind,
    ShiftTemplate,
    SignupStatus,
    Volunteer,
)


def _text(request: HttpRequest, name: str, length: int = 60) -> str:
    return request.GET.get(name, "").strip()[:length].replace("\x00", "")


def _choice(request: HttpRequest, name: str, allowed, default: str = "") -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _page(request, qs):
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _organisation(request: HttpRequest, perm: Perm = Perm.MANAGE_COMMUNITY):
    """The volunteer organisation the user works in with ``perm`` (the first by name)."""
    organisation = selectors.community_organisations(request.user, perm).first()
    if organisation is None:
        raise refuse(request.user, request=request, perm=perm)
    return organisation


def _audit_list(request, object_type: str, summary: str) -> None:
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        object_type=object_type,
        summary=summary,
        request=request,
    )


def _audit_view(request, obj, **kwargs) -> None:
    audit_record(user=request.user, action=Action.VIEW, obj=obj, request=request, **kwargs)


# --- Overview and the volunteer's own page -------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The coordinator's desk: what needs doing now. A volunteer is sent to their own page."""
    if not request.user.has_perm_anywhere(Perm.VIEW_COMMUNITY):
        if selectors.me(request.user) is not None:
            return redirect("community:mine")
        if request.user.has_perm_anywhere(Perm.REFER_COMMUNITY):
            return redirect("community:referrals")
        raise refuse(request.user, request=request, perm=Perm.VIEW_COMMUNITY)
    today = timezone.localdate()
    orgs = set(selectors.community_organisations(request.user).values_list("pk", flat=True))
    coverage = selectors.coverage(request.user)
    return render(
        request,
        "community/overview.html",
        {
            "figures": selectors.figures(orgs, today),
            "urgent": [row for row in coverage if row.urgent],
            "waiting": selectors.referral_list(request.user)[:10],
            "warnings": selectors.certificate_warnings(request.user, today),
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
        },
    )


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    volunteer = selectors.me(request.user)
    if volunteer is None:
        raise refuse(request.user, request=request, perm=Perm.TAKE_SHIFTS)
    today = timezone.localdate()
    signups = list(selectors.my_signups(volunteer))
    return render(
        request,
        "community/mine.html",
        {
            "volunteer": volunteer,
            "signups": signups,
            "matches": volunteer.matches.exclude(status="ended").select_related("referral"),
            "events": selectors.event_list(request.user)[:5],
            "open_count": selectors.open_shifts(request.user).count(),
            "certificate_until": rules.valid_until(volunteer),
            "certificate_soon": rules.expires_soon(volunteer, today),
            "calendar_url": request.build_absolute_uri(calendar.feed_path(volunteer)),
        },
    )


# --- Volunteers ----------------------------------------------------------------------------


@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_COMMUNITY)
    show = _choice(request, "show", ("active", "inactive", "all"), "active")
    query = _text(request, "q")
    page = _page(request, selectors.volunteer_list(request.user, query=query, show=show))
    _audit_list(request, "community.volunteer", f"Volunteers listed ({show})")
    return render(
        request,
        "community/volunteers.html",
        {
            "page": page,
            "show": show,
            "query": query,
            "extra": f"&show={show}&q={query}",
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = VolunteerForm(request.POST or None, logins=selectors.login_choices([organisation.pk]))
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(
                user=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
            messages.success(request, _("The volunteer was registered."))
            return redirect("community:volunteer_detail", pk=volunteer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "community/volunteer_form.html", {"form": form})


@require_GET
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(request.user, pk, request=request)
    _audit_view(request, volunteer)
    today = timezone.localdate()
    return render(
        request,
        "community/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "spoken": display.languages(volunteer.languages),
            "interests": display.interests(volunteer.interests),
            "certificate_until": rules.valid_until(volunteer),
            "certificate_soon": rules.expires_soon(volunteer, today),
            "certificate_rule": rules.rule_for(volunteer.organisation.country),
            "matches": volunteer.matches.select_related("referral"),
            "signups": volunteer.signups.select_related("shift").order_by("-shift__starts_at")[:20],
            "can_manage": request.user.has_perm_in(
                Perm.MANAGE_COMMUNITY, volunteer.organisation_id
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get(request.user, pk, request=request)
    if not request.user.has_perm_in(Perm.MANAGE_COMMUNITY, volunteer.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_COMMUNITY, record=volunteer)
    form = VolunteerForm(
        request.POST or None,
        initial=VolunteerForm.initial_for(volunteer),
        previous_languages=volunteer.languages,
        logins=selectors.login_choices([volunteer.organisation_id], keep=volunteer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(
                user=request.user, volunteer=volunteer, request=request, **form.cleaned_data
            )
            messages.success(request, _("The volunteer was saved."))
            return redirect("community:volunteer_detail", pk=volunteer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "community/volunteer_form.html", {"form": form, "volunteer": volunteer})


# --- Referrals, matching and matches -------------------------------------------------------


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    if not (
        request.user.has_perm_anywhere(Perm.VIEW_COMMUNITY)
        or request.user.has_perm_anywhere(Perm.REFER_COMMUNITY)
    ):
        raise refuse(request.user, request=request, perm=Perm.VIEW_COMMUNITY)
    status = _choice(request, "status", ReferralStatus.values, ReferralStatus.WAITING)
    page = _page(request, selectors.referral_list(request.user, status=status))
    _audit_list(request, "community.referral", f"Referrals listed ({status})")
    today = timezone.localdate()
    return render(
        request,
        "community/referrals.html",
        {
            "page": page,
            "status": status,
            "statuses": ReferralStatus.choices,
            "extra": f"&status={status}",
            "today": today,
            "can_refer": request.user.has_perm_anywhere(Perm.REFER_COMMUNITY),
            "can_match": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.REFER_COMMUNITY)
    households = selectors.households_to_refer(request.user)
    organisations = selectors.partner_volunteer_organisations(request.user)
    initial = {}
    if (household := request.GET.get("household", "")).isdigit():
        initial["household"] = household
    form = ReferralForm(
        request.POST or None, initial=initial, households=households, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            referral = services.referral_create(user=request.user, request=request, **data)
            messages.success(request, _("The household is on the volunteers' waiting list."))
            return redirect("community:referral_detail", pk=referral.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "community/referral_form.html",
        {"form": form, "no_partner": not organisations.exists()},
    )


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(request.user, pk, request=request)
    _audit_view(request, referral)
    return render(
        request,
        "community/referral_detail.html",
        {
            "referral": referral,
            "spoken": display.languages(referral.languages),
            "interests": display.interests(referral.interests),
            "matches": referral.matches.select_related("volunteer"),
            "can_withdraw": referral.status == ReferralStatus.WAITING
            and (
                request.user.has_perm_in(Perm.MANAGE_COMMUNITY, referral.volunteer_organisation_id)
                or request.user.has_perm_in(Perm.REFER_COMMUNITY, referral.organisation_id)
            ),
            "sees_volunteers": request.user.has_perm_in(
                Perm.VIEW_COMMUNITY, referral.volunteer_organisation_id
            ),
        },
    )


@require_POST
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(request.user, pk, request=request)
    try:
        services.referral_withdraw(user=request.user, referral=referral, request=request)
        messages.success(request, _("The referral was withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:referral_detail", pk=referral.pk)


@require_GET
def matching(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    result = selectors.suggestions(request.user, organisation)
    rows = display.suggestion_rows(result)
    page = _page(request, rows)
    _audit_list(request, "community.referral", "Match suggestions computed")
    return render(
        request,
        "community/matching.html",
        {"page": page, "result": result, "unmatched": len(result.proposal.unmatched)},
    )


@require_POST
def match_confirm(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = MatchConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a household and a volunteer."))
        return redirect("community:matching")
    referral = selectors.referral_get(request.user, form.cleaned_data["referral"], request=request)
    volunteer = selectors.volunteer_get(
        request.user, form.cleaned_data["volunteer"], request=request
    )
    if referral.volunteer_organisation_id != organisation.pk and not request.user.has_perm_in(
        Perm.MANAGE_COMMUNITY, referral.volunteer_organisation_id
    ):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_COMMUNITY, record=referral)
    try:
        pair = display.pair_for(referral, volunteer)
        match = services.match_confirm(
            user=request.user,
            referral=referral,
            volunteer=volunteer,
            score=pair.score,
            explanation=[[code, params] for code, params in pair.reasons],
            request=request,
        )
        messages.success(request, _("The match was confirmed; the volunteer was told."))
        return redirect("community:match_detail", pk=match.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:matching")


@require_GET
def match_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_COMMUNITY)
    status = _choice(request, "status", ("open", "active", "paused", "ended"), "open")
    page = _page(request, selectors.match_list(request.user, status=status))
    _audit_list(request, "community.match", f"Matches listed ({status})")
    return render(
        request,
        "community/matches.html",
        {"page": page, "status": status, "extra": f"&status={status}"},
    )


@require_GET
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(request.user, pk, request=request)
    _audit_view(request, match)
    manages = request.user.has_perm_in(Perm.MANAGE_COMMUNITY, match.organisation_id)
    own = match.volunteer.user_id == request.user.pk
    return render(
        request,
        "community/match_detail.html",
        {
            "match": match,
            "referral": match.referral,
            "spoken": display.languages(match.referral.languages),
            "interests": display.interests(match.referral.interests),
            "reasons": display.reasons(match.explanation),
            "meetings": match.meetings.all()[:50],
            "meeting_form": MeetingForm(prefix="meeting")
            if (manages or own) and match.status != "ended"
            else None,
            "end_form": MatchEndForm(prefix="end") if manages and match.status != "ended" else None,
            "manages": manages,
        },
    )


def _form_problems(form) -> str:
    """A form's errors in one message: the field's label and what is wrong with it."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


def _act(request, record, action, done: str, back: str, back_pk: int) -> HttpResponse:
    """Run one action of a page's buttons on ``record``: its message, and back to the page."""
    try:
        action(record)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back, pk=back_pk)


def _match_action(request, pk, action, done: str) -> HttpResponse:
    match = selectors.match_get(request.user, pk, request=request)
    return _act(request, match, action, done, "community:match_detail", match.pk)


@require_POST
def match_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_action(
        request,
        pk,
        lambda m: services.match_pause(user=request.user, match=m, request=request),
        _("The match is paused."),
    )


@require_POST
def match_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_action(
        request,
        pk,
        lambda m: services.match_resume(user=request.user, match=m, request=request),
        _("The match goes on."),
    )


@require_POST
def match_end(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_get(request.user, pk, request=request)
    if not request.user.has_perm_in(Perm.MANAGE_COMMUNITY, match.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_COMMUNITY, record=match)
    form = MatchEndForm(request.POST, prefix="end")
    if not form.is_valid():
        messages.error(request, _form_problems(form))
        return redirect("community:match_detail", pk=match.pk)
    return _match_action(
        request,
        pk,
        lambda m: services.match_end(
            user=request.user, match=m, request=request, **form.cleaned_data
        ),
        _("The match has ended; the household waits for a new one."),
    )


@require_POST
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = MeetingForm(request.POST, prefix="meeting")
    if not form.is_valid():
        match = selectors.match_get(request.user, pk, request=request)
        messages.error(request, _form_problems(form))
        return redirect("community:match_detail", pk=match.pk)
    return _match_action(
        request,
        pk,
        lambda m: services.meeting_log(
            user=request.user, match=m, request=request, **form.cleaned_data
        ),
        _("The meeting was logged."),
    )


# --- Offers, associations and bridges ------------------------------------------------------


@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    if not selectors.catalogue_organisation_ids(request.user):
        raise refuse(request.user, request=request, perm=Perm.REFER_COMMUNITY)
    kind = _choice(request, "kind", OfferKind.values)
    query = _text(request, "q")
    page = _page(request, selectors.offer_list(request.user, kind=kind, query=query))
    return render(
        request,
        "community/offers.html",
        {
            "page": page,
            "kind": kind,
            "kinds": OfferKind.choices,
            "query": query,
            "extra": f"&kind={kind}&q={query}",
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
            "can_bridge": request.user.has_perm_anywhere(Perm.REFER_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def association_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = AssociationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.association_create(
                user=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
            messages.success(request, _("The association was added."))
            return redirect("community:offer_create")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "community/simple_form.html", {"form": form, "title": _("New association")}
    )


@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    _organisation(request)
    associations = selectors.associations_managed(request.user)
    form = OfferForm(request.POST or None, associations=associations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        association = data.pop("association")
        try:
            offer = services.offer_create(
                user=request.user, association=association, request=request, **data
            )
            messages.success(request, _("The offer was added to the catalogue."))
            return redirect("community:offer_detail", pk=offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "community/offer_form.html",
        {"form": form, "no_association": not associations.exists()},
    )


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, request=request)
    return render(
        request,
        "community/offer_detail.html",
        {
            "offer": offer,
            "can_manage": request.user.has_perm_in(
                Perm.MANAGE_COMMUNITY, offer.association.organisation_id
            ),
            "can_bridge": request.user.has_perm_anywhere(Perm.REFER_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, request=request)
    if not request.user.has_perm_in(Perm.MANAGE_COMMUNITY, offer.association.organisation_id):
        raise refuse(
            request.user,
            request=request,
            perm=Perm.MANAGE_COMMUNITY,
            organisation_id=offer.association.organisation_id,
        )
    fields = (
        "association",
        "title",
        "kind",
        "age_min",
        "age_max",
        "sex",
        "place",
        "when",
        "cost",
        "languages",
        "active",
    )
    form = OfferForm(
        request.POST or None,
        initial={f: getattr(offer, f) for f in fields},
        associations=selectors.associations_managed(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                user=request.user, offer=offer, request=request, **form.cleaned_data
            )
            messages.success(request, _("The offer was saved."))
            return redirect("community:offer_detail", pk=offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "community/offer_form.html", {"form": form, "offer": offer})


@require_GET
def bridge_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.REFER_COMMUNITY)
    today = timezone.localdate()
    page = _page(request, selectors.bridge_list(request.user))
    _audit_list(request, "community.bridge", "Bridges to offers listed")
    return render(
        request,
        "community/bridges.html",
        {
            "page": page,
            "due": selectors.follow_ups_due(request.user, today)[:50],
            "check_form": BridgeCheckForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def bridge_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.REFER_COMMUNITY)
    initial = {}
    if (offer := request.GET.get("offer", "")).isdigit():
        initial["offer"] = offer
    form = BridgeForm(
        request.POST or None,
        initial=initial,
        persons=selectors.persons_to_bridge(request.user),
        offers=selectors.offer_list(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            services.bridge_create(user=request.user, request=request, **data)
            messages.success(
                request,
                _(
                    "The person was bridged to the offer; follow-ups are due after 1, 3 and 6 months."
                ),
            )
            return redirect("community:bridges")
        except ValidationError as exc:
            add_service_errors(form, exc)
    notice = (
        ""
        if form.fields["offer"].queryset.exists()
        else _(
            "No offers of a volunteer organisation your organisation works with are in the "
            "catalogue yet."
        )
    )
    return render(
        request,
        "community/simple_form.html",
        {"form": form, "title": _("Bridge a person to an offer"), "notice": notice},
    )


@require_POST
def bridge_check(request: HttpRequest, pk: int) -> HttpResponse:
    bridge = selectors.bridge_get(request.user, pk, request=request)
    form = BridgeCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person still takes part."))
        return redirect("community:bridges")
    try:
        services.bridge_check(
            user=request.user, bridge=bridge, request=request, **form.cleaned_data
        )
        messages.success(request, _("The follow-up was recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:bridges")


# --- Shifts --------------------------------------------------------------------------------


def _require_shifts(request) -> None:
    if not selectors.shift_organisation_ids(request.user):
        raise refuse(request.user, request=request, perm=Perm.TAKE_SHIFTS)


@require_GET
def shift_list(request: HttpRequest) -> HttpResponse:
    """Open shifts across every place, soonest first."""
    _require_shifts(request)
    kind = _choice(request, "kind", ShiftKind.values)
    places = selectors.shift_places(request.user)
    place = _choice(request, "place", places)
    page = _page(request, selectors.open_shifts(request.user, kind=kind, place=place))
    volunteer = selectors.me(request.user)
    mine = set()
    if volunteer is not None:
        mine = set(
            volunteer.signups.exclude(status=SignupStatus.CANCELLED)
            .filter(shift_id__in=[s.pk for s in page.object_list])
            .values_list("shift_id", flat=True)
        )
    return render(
        request,
        "community/shifts.html",
        {
            "page": page,
            "kind": kind,
            "kinds": ShiftKind.choices,
            "place": place,
            "places": places,
            "extra": f"&kind={kind}&place={place}",
            "mine": mine,
            "volunteer": volunteer,
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def shift_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(
                user=request.user,
                organisation=organisation,
                request=request,
                kind=ShiftKind.OTHER,
                **form.cleaned_data,
            )
            messages.success(request, _("The shift was added."))
            return redirect("community:shift_detail", pk=shift.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "community/simple_form.html", {"form": form, "title": _("New shift")})


@require_GET
def shift_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk, request=request)
    manages = request.user.has_perm_in(Perm.VIEW_COMMUNITY, shift.organisation_id)
    signups = list(shift.signups.exclude(status=SignupStatus.CANCELLED).select_related("volunteer"))
    if manages:
        _audit_view(request, shift)
    volunteer = selectors.me(request.user)
    own = next((s for s in signups if volunteer and s.volunteer_id == volunteer.pk), None)
    taken = sum(1 for s in signups if s.status in services.HOLDS_A_PLACE)
    problem = ""
    if volunteer is not None and shift.with_children:
        problem = rules.certificate_problem(volunteer, timezone.localtime(shift.starts_at).date())
    return render(
        request,
        "community/shift_detail.html",
        {
            "shift": shift,
            # The coordinator sees who; a volunteer sees how many, and who asks for cover.
            "signups": signups if manages else [s for s in signups if s.cover_wanted],
            "manages": manages,
            "own": own,
            "volunteer": volunteer,
            "taken": taken,
            "waiting": sum(1 for s in signups if s.status == SignupStatus.WAITING),
            "free": max(shift.needed - taken, 0),
            "certificate_problem": problem,
            "past": shift.starts_at <= timezone.now(),
            "can_manage": request.user.has_perm_in(Perm.MANAGE_COMMUNITY, shift.organisation_id),
        },
    )


def _signup_action(request, pk, action, done: str) -> HttpResponse:
    signup = selectors.signup_get(request.user, pk, request=request)
    return _act(request, signup, action, done, "community:shift_detail", signup.shift_id)


@require_POST
def shift_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk, request=request)
    try:
        signup = services.sign_up(user=request.user, shift=shift, request=request)
        if signup.status == SignupStatus.CONFIRMED:
            messages.success(request, _("You have a place on the shift."))
        else:
            messages.info(request, _("The shift is full: you are on the waiting list."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:shift_detail", pk=shift.pk)


@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.cancel(user=request.user, signup=s, request=request),
        _("Your sign-up is cancelled; the coordinator was told."),
    )


@require_POST
def signup_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.answer_offer(user=request.user, signup=s, accept=True, request=request),
        _("You have a place on the shift."),
    )


@require_POST
def signup_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.answer_offer(user=request.user, signup=s, accept=False, request=request),
        _("You declined the place; it goes to the next on the waiting list."),
    )


@require_POST
def signup_cover(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.ask_cover(user=request.user, signup=s, request=request),
        _("Your place is offered to the others; you keep it until someone takes it over."),
    )


@require_POST
def signup_keep(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.keep_place(user=request.user, signup=s, request=request),
        _("You keep your place; nobody is asked to take over any more."),
    )


@require_POST
def shift_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_get(request.user, pk, request=request)
    return _act(
        request,
        shift,
        lambda s: services.shift_cancel(user=request.user, shift=s, request=request),
        _("The shift is cancelled; those signed up were told."),
        "community:shift_detail",
        shift.pk,
    )


@require_POST
def signup_take_over(request: HttpRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s: services.take_over(user=request.user, signup=s, request=request),
        _("You took over the place."),
    )


# --- Childcare -----------------------------------------------------------------------------


@require_GET
def childcare(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_COMMUNITY)
    rows = selectors.coverage(request.user)
    organisation = selectors.community_organisations(request.user, Perm.MANAGE_COMMUNITY).first()
    templates = (
        ShiftTemplate.objects.filter(organisation=organisation)
        if organisation
        else ShiftTemplate.objects.none()
    )
    return render(
        request,
        "community/childcare.html",
        {
            "rows": rows,
            "weeks": selectors.COVERAGE_WEEKS,
            "form": GenerateForm(templates=templates) if organisation else None,
            "templates": templates,
        },
    )


@require_POST
def childcare_generate(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    templates = ShiftTemplate.objects.filter(organisation=organisation)
    form = GenerateForm(request.POST, templates=templates)
    if form.is_valid():
        try:
            done = services.generate_childcare(
                user=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
            messages.success(
                request,
                _("%(created)s shifts created, %(updated)s updated, %(cancelled)s cancelled.")
                % done,
            )
            return redirect("community:childcare")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "community/childcare.html",
        {
            "rows": selectors.coverage(request.user),
            "weeks": selectors.COVERAGE_WEEKS,
            "form": form,
            "templates": templates,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_create(
                user=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
            messages.success(request, _("The template was saved."))
            return redirect("community:childcare")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "community/simple_form.html", {"form": form, "title": _("New shift template")}
    )


# --- Events --------------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _require_shifts(request)
    past = request.GET.get("when") == "past"
    page = _page(request, selectors.event_list(request.user, upcoming=not past))
    return render(
        request,
        "community/events.html",
        {
            "page": page,
            "past": past,
            "extra": "&when=past" if past else "",
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_COMMUNITY),
        },
    )


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                user=request.user, organisation=organisation, request=request, **form.cleaned_data
            )
            messages.success(request, _("The event was added."))
            return redirect("community:event_detail", pk=event.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "community/simple_form.html", {"form": form, "title": _("New event")})


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk, request=request)
    manages = request.user.has_perm_in(Perm.MANAGE_COMMUNITY, event.organisation_id)
    participants = list(event.participants.all()) if manages else []
    if manages:
        _audit_view(request, event)
    return render(
        request,
        "community/event_detail.html",
        {
            "event": event,
            "manages": manages,
            "participants": participants,
            "signed_up": event.participants.count(),
            "shifts": event.shifts.all(),
            "participant_form": ParticipantForm() if manages else None,
            "attendance_form": AttendanceForm(
                participants=participants,
                initial={"attended": [p.pk for p in participants if p.attended]},
            )
            if manages
            else None,
            "today": timezone.localdate(),
            "kinds": EventKind,
        },
    )


@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk, request=request)
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        if not request.user.has_perm_in(Perm.MANAGE_COMMUNITY, event.organisation_id):
            raise refuse(request.user, request=request, perm=Perm.MANAGE_COMMUNITY, record=event)
        messages.error(request, _("Give a first name, the sex and the age."))
        return redirect("community:event_detail", pk=event.pk)
    try:
        services.participant_add(
            user=request.user, event=event, request=request, **form.cleaned_data
        )
        messages.success(request, _("The participant was signed up."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:event_detail", pk=event.pk)


@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk, request=request)
    if not request.user.has_perm_in(Perm.MANAGE_COMMUNITY, event.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_COMMUNITY, record=event)
    form = AttendanceForm(request.POST, participants=event.participants.all())
    if not form.is_valid():
        messages.error(request, _("Tick only people signed up for the event."))
        return redirect("community:event_detail", pk=event.pk)
    try:
        services.attendance_set(
            user=request.user,
            event=event,
            attended=set(form.cleaned_data["attended"]),
            request=request,
        )
        messages.success(request, _("Attendance was saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:event_detail", pk=event.pk)


# --- Hours, figures and the calendar feed --------------------------------------------------


@require_GET
def hours(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_COMMUNITY)
    today = timezone.localdate()
    form = HoursForm(
        request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today}
    )
    start, end = today.replace(month=1, day=1), today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start:
            start, end = end, start
    per_volunteer, per_place = selectors.hours(request.user, start=start, end=end)
    _audit_list(request, "community.volunteer", "Volunteer hours read")
    return render(
        request,
        "community/hours.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "per_volunteer": per_volunteer[:200],
            "per_place": per_place,
            "total": round(sum(h for _, h in per_volunteer), 1),
        },
    )


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    orgs = selectors.figures_organisation_ids(request.user)
    if not orgs:
        raise refuse(request.user, request=request, perm=Perm.VIEW_FIGURES)
    today = timezone.localdate()
    data = selectors.figures(orgs, today)
    return render(
        request,
        "community/figures.html",
        {
            "figures": data,
            "participation": display.participation(data),
            "events_by_group": display.groups(data.events_by_group),
            "smallest": selectors.SMALLEST_GROUP,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The volunteer's shifts and events as an iCalendar feed, for their phone's calendar.

    Reached without signing in (calendar apps cannot), by a secret address per volunteer.
    """
    volunteer = (
        Volunteer.objects.filter(calendar_token=token[:64], active=True)
        .select_related("organisation")
        .first()
    )
    if volunteer is None:
        raise Http404
    body = calendar.feed(volunteer, request.get_host())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
