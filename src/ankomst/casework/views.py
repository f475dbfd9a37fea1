from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.accounts.selectors import organisations_with
from ankomst.forms import add_service_errors
from ankomst.params import id_param
from ankomst.people import selectors as people_selectors
from ankomst.people.models import Person

from . import selectors, services
from .forms import CloseForm, ConcernForm, FollowUpForm, PoliceReportForm


def concern_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_CONCERNS)
    closed = request.GET.get("closed") == "1"
    return render(
        request,
        "casework/concern_list.html",
        {
            "concerns": selectors.concern_list(request.user, closed=closed, request=request),
            "closed": closed,
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_CONCERNS),
        },
    )


def _resolve_resident(user, form: ConcernForm, organisation: Organisation) -> Person | None:
    """The resident named in the form, by name or case number, in the chosen organisation."""
    query = form.cleaned_data.get("resident", "").strip()
    if not query:
        return None
    matches = list(
        people_selectors.person_search(user, query).filter(organisation=organisation)[:6]
    )
    if not matches:
        form.add_error(
            "resident",
            _(
                "No resident of the organisation matches; check the spelling or use the "
                "case number."
            ),
        )
    elif len(matches) > 1:
        names = ", ".join(p.name_latin for p in matches[:5])
        form.add_error(
            "resident",
            _("Several residents match (%(names)s); write the case number instead.")
            % {"names": names},
        )
    else:
        return matches[0]
    return None


@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_CONCERNS)
    user = request.user
    organisations = organisations_with(user, Perm.MANAGE_CONCERNS)
    initial = {}
    person_id = id_param(request.GET, "person")
    if person_id is not None:
        person = people_selectors.person_get(
            user,
            person_id,
            perm=Perm.MANAGE_CONCERNS,
            request=request,
            purpose="Register a concern",
        )
        case = selectors.asylum_case_of(person)
        initial = {
            "resident": case.value if case else person.name_latin,
            "organisation": person.organisation_id,
        }
    form = ConcernForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        person = _resolve_resident(user, form, organisation)
        if not form.errors:
            try:
                concern = services.concern_create(
                    user=user,
                    organisation=organisation,
                    person=person,
                    category=form.cleaned_data["category"],
                    severity=form.cleaned_data["severity"],
                    description=form.cleaned_data["description"],
                    request=request,
                )
                messages.success(request, _("The concern was registered."))
                return redirect("casework:concern_detail", pk=concern.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                form.add_error(
                    "category",
                    _("Concerns about health or self-harm need the right to read sensitive data."),
                )
    return render(request, "casework/concern_form.html", {"form": form, "concern": None})


@require_http_methods(["GET", "POST"])
def concern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get(
        request.user, pk, perm=Perm.MANAGE_CONCERNS, request=request, audit=False
    )
    if not concern.is_open:
        raise Http404
    form = ConcernForm(
        request.POST or None,
        organisations=Organisation.objects.none(),
        editing=True,
        initial={
            "category": concern.category,
            "severity": concern.severity,
            "description": concern.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_update(
                user=request.user, concern=concern, request=request, **form.cleaned_data
            )
            messages.success(request, _("The changes were saved."))
            return redirect("casework:concern_detail", pk=concern.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(
                "category",
                _("Concerns about health or self-harm need the right to read sensitive data."),
            )
    # The form shows the description: reading it is audited, on every rendering.
    selectors.concern_audit_view(
        request.user,
        concern,
        request=request,
        summary=f"Opened the form of concern ({concern.category})",
    )
    return render(request, "casework/concern_form.html", {"form": form, "concern": concern})


def _detail_page(request, concern, *, open_section: str = "", status: int = 200, **forms):
    """The concern with its follow-ups and the forms of its actions (each posts to its own view)."""
    user = request.user
    owners = selectors.owners_for(concern.organisation_id)
    forms.setdefault("follow_up_form", FollowUpForm(owners=owners, initial={"owner": user.pk}))
    forms.setdefault("police_form", PoliceReportForm(initial={"reported_on": timezone.localdate()}))
    forms.setdefault("close_form", CloseForm())
    if status != 200:
        # A form with errors shows the concern again: that reading is audited too.
        selectors.concern_audit_view(user, concern, request=request)
    return render(
        request,
        "casework/concern_detail.html",
        {
            "concern": concern,
            "follow_ups": selectors.follow_ups_of(concern),
            "today": timezone.localdate(),
            "can_manage": concern.is_open
            and user.has_perm_in(Perm.MANAGE_CONCERNS, concern.organisation_id),
            "open_section": open_section,
            **forms,
        },
        status=status,
    )


@require_GET
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get(request.user, pk, request=request)
    return _detail_page(request, concern)


def _concern_to_manage(request: HttpRequest, pk: int):
    """The open concern whose actions the user may take; reading it again is not logged as a view."""
    concern = selectors.concern_get(request.user, pk, request=request, audit=False)
    if not concern.is_open or not request.user.has_perm_in(
        Perm.MANAGE_CONCERNS, concern.organisation_id
    ):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_CONCERNS, record=concern)
    return concern


@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_to_manage(request, pk)
    form = FollowUpForm(request.POST, owners=selectors.owners_for(concern.organisation_id))
    if form.is_valid():
        try:
            services.follow_up_add(
                user=request.user, concern=concern, request=request, **form.cleaned_data
            )
            messages.success(request, _("The follow-up was added."))
            return redirect("casework:concern_detail", pk=concern.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _detail_page(request, concern, open_section="follow_up", follow_up_form=form, status=400)


@require_POST
def police_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_to_manage(request, pk)
    form = PoliceReportForm(request.POST)
    if form.is_valid():
        try:
            services.police_report_add(
                user=request.user, concern=concern, request=request, **form.cleaned_data
            )
            messages.success(request, _("The report to the police liaison was recorded."))
            return redirect("casework:concern_detail", pk=concern.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _detail_page(request, concern, open_section="police", police_form=form, status=400)


@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_to_manage(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(
                user=request.user,
                concern=concern,
                outcome=form.cleaned_data["outcome"],
                request=request,
            )
            messages.success(request, _("The concern was closed."))
            return redirect("casework:concerns")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _detail_page(request, concern, open_section="close", close_form=form, status=400)


@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    concern = _concern_to_manage(request, pk)
    follow_up = selectors.follow_up_of(concern, follow_up_pk)
    try:
        services.follow_up_done(user=request.user, follow_up=follow_up, request=request)
        messages.success(request, _("The follow-up was marked as done."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("casework:concern_detail", pk=concern.pk)
