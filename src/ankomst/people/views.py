from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.accounts.selectors import organisations_with
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.forms import add_service_errors
from ankomst.limits import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS

from . import panels, selectors, services
from .forms import (
    HouseholdForm,
    IdentifierFormSet,
    LanguageFormSet,
    PersonForm,
    PurposeForm,
    SearchForm,
    SensitiveForm,
)
from .models import Person


def person_search(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_PERSON)
    query = selectors.search_query(request.GET.get("q", ""))
    page = None
    if query.text:
        results = selectors.person_search(request.user, query)
        page = Paginator(results, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_visible_fields(request.user, page.object_list)
        audit_record(
            user=request.user,
            action=Action.SEARCH,
            object_type="people.person",
            organisation_id=request.user.primary_organisation.pk,
            summary=f"Searched for “{query.text}”: {page.paginator.count} found",
            request=request,
        )
    template = "people/_results.html" if request.htmx else "people/search.html"
    return render(
        request,
        template,
        {
            "form": SearchForm(initial={"q": query.text}),
            "query": query,
            "page": page,
            "max_length": MAX_SEARCH_LENGTH,
            "max_words": MAX_SEARCH_WORDS,
            "pagination_extra": "&" + urlencode({"q": query.text}),
            "columns": {field.value for field in selectors.search_columns(request.user)},
            "can_create": request.user.has_perm_anywhere(Perm.EDIT_PERSON),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk, request=request)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "can_edit": request.user.has_perm_in(Perm.EDIT_PERSON, person.organisation_id),
            "can_view_sensitive": request.user.has_perm_in(
                Perm.VIEW_SENSITIVE, person.organisation_id
            ),
            "can_view_audit": request.user.has_perm_in(Perm.VIEW_AUDIT, person.organisation_id),
            "panels": panels.render_panels(request, person),
        },
    )


def _person_formsets(request, person: Person | None):
    if request.method == "POST":
        return (
            IdentifierFormSet(request.POST, prefix="ids"),
            LanguageFormSet(request.POST, prefix="langs"),
        )
    ids = [{"kind": i.kind, "value": i.value} for i in person.identifiers.all()] if person else []
    langs = (
        [{"language": pl.language_id, "level": pl.level} for pl in person.languages.all()]
        if person
        else []
    )
    return (
        IdentifierFormSet(initial=ids, prefix="ids"),
        LanguageFormSet(initial=langs, prefix="langs"),
    )


def _formset_inputs(id_formset, lang_formset):
    identifiers = [
        services.IdentifierInput(kind=f.cleaned_data["kind"], value=f.cleaned_data["value"].strip())
        for f in id_formset
        if f.cleaned_data.get("kind")
    ]
    languages = [
        services.LanguageInput(
            language_id=f.cleaned_data["language"].pk, level=f.cleaned_data["level"]
        )
        for f in lang_formset
        if f.cleaned_data.get("language")
    ]
    return identifiers, languages


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    person = selectors.person_get(user, pk, perm=Perm.EDIT_PERSON, request=request) if pk else None
    if person is None:
        require_perm_anywhere(request, Perm.EDIT_PERSON)
    form_kwargs = {
        "organisations": organisations_with(user, Perm.EDIT_PERSON),
        "households": selectors.households_visible_to(user, Perm.EDIT_PERSON),
    }
    initial = {}
    if person is None and request.GET.get("household"):
        initial = {
            "household": request.GET["household"],
            "relation": request.GET.get("relation", ""),
        }
    form = PersonForm(request.POST or None, instance=person, initial=initial, **form_kwargs)
    id_formset, lang_formset = _person_formsets(request, person)
    if (
        request.method == "POST"
        and form.is_valid()
        and id_formset.is_valid()
        and lang_formset.is_valid()
    ):
        identifiers, languages = _formset_inputs(id_formset, lang_formset)
        fields = {name: form.cleaned_data[name] for name in services.PERSON_FIELDS}
        try:
            if person is None:
                person = services.person_create(
                    user=user,
                    organisation=form.cleaned_data["organisation"],
                    fields=fields,
                    aliases=form.alias_list(),
                    identifiers=identifiers,
                    languages=languages,
                    request=request,
                )
                messages.success(request, _("The person was registered."))
            else:
                person = services.person_update(
                    user=user,
                    person=person,
                    fields=fields,
                    aliases=form.alias_list(),
                    identifiers=identifiers,
                    languages=languages,
                    request=request,
                )
                messages.success(request, _("The changes were saved."))
            return redirect("people:person_detail", pk=person.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "id_formset": id_formset,
            "lang_formset": lang_formset,
            "person": person,
        },
    )


@require_http_methods(["GET", "POST"])
def person_sensitive(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk, request=request, audit=False)
    if not request.user.has_perm_in(Perm.VIEW_SENSITIVE, person.organisation_id):
        raise refuse(
            request.user,
            request=request,
            record=person,
            summary="Tried to open sensitive data without permission",
        )
    can_edit = request.user.has_perm_in(Perm.EDIT_SENSITIVE, person.organisation_id)
    if request.method == "POST":
        if not can_edit:
            raise refuse(request.user, request=request, perm=Perm.EDIT_SENSITIVE, record=person)
        form = SensitiveForm(request.POST)
        if form.is_valid():
            services.sensitive_update(
                user=request.user, person=person, request=request, **form.cleaned_data
            )
            messages.success(request, _("The sensitive data were saved."))
            return redirect("people:person_detail", pk=person.pk)
        return render(
            request, "people/sensitive.html", {"person": person, "form": form, "revealed": True}
        )
    purpose_form = PurposeForm(request.GET or None)
    if not purpose_form.is_valid():
        return render(
            request, "people/sensitive.html", {"person": person, "purpose_form": purpose_form}
        )
    purpose = purpose_form.cleaned_data["purpose"]
    data = services.sensitive_get(request.user, person, purpose=purpose, request=request)
    form = SensitiveForm(
        initial={
            "purpose": purpose,
            "health_notes": data.health_notes,
            "religion": data.religion,
            "ethnicity": data.ethnicity,
        }
    )
    return render(
        request,
        "people/sensitive.html",
        {
            "person": person,
            "data": data,
            "form": form if can_edit else None,
            "revealed": True,
        },
    )


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(request.user, pk, request=request)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "unaccompanied": household.is_unaccompanied_minor(),
            "can_edit": request.user.has_perm_in(Perm.EDIT_PERSON, household.organisation_id),
        },
    )


@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    household = (
        selectors.household_get(user, pk, perm=Perm.EDIT_PERSON, request=request, audit=False)
        if pk
        else None
    )
    if household is None:
        require_perm_anywhere(request, Perm.EDIT_PERSON)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        organisations=organisations_with(user, Perm.EDIT_PERSON),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if household is None:
                household = services.household_create(
                    user=user,
                    organisation=form.cleaned_data["organisation"],
                    reference=form.cleaned_data["reference"],
                    notes=form.cleaned_data["notes"],
                    request=request,
                )
            else:
                household = services.household_update(
                    user=user,
                    household=household,
                    reference=form.cleaned_data["reference"],
                    notes=form.cleaned_data["notes"],
                    request=request,
                )
            messages.success(request, _("The household was saved."))
            return redirect("people:household_detail", pk=household.pk)
        except ValidationError as exc:
            form.add_error(
                "reference" if hasattr(exc, "error_dict") else None,
                _("This reference is already used in the organisation.")
                if hasattr(exc, "error_dict")
                else exc,
            )
    if household is not None:
        # The form shows the household's reference and notes: reading them is audited.
        audit_record(
            user=user,
            action=Action.VIEW,
            obj=household,
            summary=f"Opened the form of household {household.reference}",
            request=request,
        )
    return render(request, "people/household_form.html", {"form": form, "household": household})
