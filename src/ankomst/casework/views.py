from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.forms import add_service_errors
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
    organisations = Organisation.objects.filter(pk__in=user.organisation_ids(Perm.MANAGE_CONCERNS))
    initial = {}
    if request.GET.get("person"):
        person = people_selectors.person_get(
            user,
            int(request.GET["person"]) if request.GET["person"].isdigit() else 0,
            perm=Perm.MANAGE_CONCERNS,
            request=request,
            purpose="Register a concern",
        )
        case = person.identifiers.filter(kind="asylum_case").first()
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


@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The concern with its follow-ups; its forms post back here with an ``action``."""
    user = request.user
    concern = selectors.concern_get(user, pk, request=request, audit=request.method == "GET")
    can_manage = concern.is_open and user.has_perm_in(Perm.MANAGE_CONCERNS, concern.organisation_id)
    owners = selectors.owners_for(concern.organisation_id)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data else None
    follow_up_form = FollowUpForm(
        data if action == "follow_up" else None, owners=owners, initial={"owner": user.pk}
    )
    police_form = PoliceReportForm(
        data if action == "police" else None, initial={"reported_on": timezone.localdate()}
    )
    close_form = CloseForm(data if action == "close" else None)
    if data is not None:
        if not can_manage:
            raise refuse(user, request=request, perm=Perm.MANAGE_CONCERNS, record=concern)
        try:
            if action == "follow_up" and follow_up_form.is_valid():
                services.follow_up_add(
                    user=user, concern=concern, request=request, **follow_up_form.cleaned_data
                )
                messages.success(request, _("The follow-up was added."))
                return redirect("casework:concern_detail", pk=concern.pk)
            if action == "police" and police_form.is_valid():
                services.police_report_add(
                    user=user, concern=concern, request=request, **police_form.cleaned_data
                )
                messages.success(request, _("The report to the police liaison was recorded."))
                return redirect("casework:concern_detail", pk=concern.pk)
            if action == "close" and close_form.is_valid():
                services.concern_close(
                    user=user,
                    concern=concern,
                    outcome=close_form.cleaned_data["outcome"],
                    request=request,
                )
                messages.success(request, _("The concern was closed."))
                return redirect("casework:concerns")
            if action == "done":
                follow_up = concern.follow_ups.filter(pk=request.POST.get("follow_up") or 0).first()
                if follow_up is None:
                    raise Http404
                services.follow_up_done(user=user, follow_up=follow_up, request=request)
                messages.success(request, _("The follow-up was marked as done."))
                return redirect("casework:concern_detail", pk=concern.pk)
        except ValidationError as exc:
            form = {"follow_up": follow_up_form, "police": police_form, "close": close_form}.get(
                action
            )
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("casework:concern_detail", pk=concern.pk)
            add_service_errors(form, exc)
    if data is not None:
        # A form with errors shows the concern again: that reading is audited too.
        selectors.concern_audit_view(user, concern, request=request)
    today = timezone.localdate()
    return render(
        request,
        "casework/concern_detail.html",
        {
            "concern": concern,
            "follow_ups": selectors.follow_ups_of(concern),
            "today": today,
            "can_manage": can_manage,
            "follow_up_form": follow_up_form,
            "police_form": police_form,
            "close_form": close_form,
            "open_section": action,
        },
    )
