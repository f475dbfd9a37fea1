"""Pages of the estate: occupancy, floor plans, check-in, transfer, check-out, phases, imports.

Views are thin: they parse input (``ankomst.params`` for ids and dates in query strings),
call a selector or a service and render. One view per action.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst import csv_export, reviewed
from ankomst.accounts.fields import PersonField, person_fields_for
from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.charts import bar_chart
from ankomst.forms import add_service_errors
from ankomst.params import id_param, parse_id
from ankomst.people import selectors as people_selectors
from ankomst.people.models import age_on
from ankomst.reception.selectors import departures_due

from . import allocation, imports, selectors, services
from .forms import CheckOutForm, CloseBedsForm, CsvForm, DateForm, OverrideForm, PhaseForm
from .models import Centre, Phase
from .reasons import describe

# Each step signs what the user reviewed with its own salt, so that the payload of one
# step posted to the other is refused like a tampered one.
IMPORT_SALT = "ankomst.centres.import"
ARRIVALS_SALT = "ankomst.centres.arrivals"
PHASES_PAGE_SIZE = 100


def _moment(request: HttpRequest) -> tuple[dt.datetime, DateForm]:
    form = DateForm(request.GET)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    if day is None or day >= timezone.localdate():
        return timezone.now(), form
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59))), form


def _form_errors(form) -> str:
    """A form's errors as one sentence per field for a message: "When: Enter a valid date"."""
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


# Occupancy ----------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_CAPACITY)
    moment, date_form = _moment(request)
    centres = list(selectors.centres_visible_to(request.user).select_related("organisation"))
    counts = selectors.occupancy(centres, moment)
    series = selectors.monthly_occupancy(centres)
    chart = bar_chart(
        [(day.strftime("%b %y"), occupied, places) for day, occupied, places in series]
    )
    national = selectors.national_overview(moment) if selectors.is_national(request.user) else None
    can_manage = request.user.has_perm_anywhere(Perm.MANAGE_BEDS)
    national_total = None
    if national:
        national_total = selectors.Counts()
        for _org, c in national:
            national_total.merge(c)
    return render(
        request,
        "centres/overview.html",
        {
            "rows": [(c, counts["centres"][c.pk]) for c in centres],
            "total": counts["total"],
            "chart": chart,
            "date_form": date_form,
            "moment": moment,
            "national": national,
            "national_total": national_total,
            "kinds": selectors.KINDS,
            "can_manage": can_manage,
            "handovers_due": sum(r["due"] for r in departures_due(request.user))
            if can_manage
            else 0,
        },
    )


def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The floor plan: every bed with its state, and the resident's name for those who may see it."""
    centre = selectors.centre_get(request.user, pk)
    moment, date_form = _moment(request)
    # Who sleeps where is the stays part of a record (the role × field table).
    can_see_people = request.user.has_perm_in(
        Perm.VIEW_PERSON, centre.organisation_id
    ) and PersonField.STAYS in person_fields_for(request.user, centre.organisation_id)
    plan = selectors.floor_plan(centre, moment, with_people=can_see_people)
    if can_see_people:
        audit_record(
            user=request.user,
            action=Action.VIEW,
            obj=centre,
            organisation_id=centre.organisation_id,
            summary=f"Viewed the residents of {centre.name} ({plan['occupants']})",
            request=request,
        )
    return render(
        request,
        "centres/centre_detail.html",
        {
            "centre": centre,
            "counts": plan["counts"],
            "buildings": plan["buildings"],
            "date_form": date_form,
            "moment": moment,
            "person_url": reverse("people:search"),
            "can_manage": request.user.has_perm_in(Perm.MANAGE_BEDS, centre.organisation_id),
        },
    )


CSV_KIND_COLUMNS = [f"{k}_{c}" for k in selectors.KINDS for c in ("places", "occupied", "free")]


def _csv_figures(c: selectors.Counts) -> list:
    return [
        c.places,
        c.occupied,
        c.closed,
        c.free,
        *[c.by_kind[k][col] for k in selectors.KINDS for col in ("places", "occupied", "free")],
    ]


def export_csv(request: HttpRequest) -> HttpResponse:
    """Occupancy per centre; for the national agency, per operator across the country."""
    require_perm_anywhere(request, Perm.VIEW_CAPACITY)
    moment, _form = _moment(request)
    centres = list(selectors.centres_visible_to(request.user).select_related("organisation"))
    counts = selectors.occupancy(centres, moment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="occupancy-{timezone.localtime(moment):%Y-%m-%d}.csv"'
    )
    writer = csv_export.writer(response)
    writer.writerow(
        ["operator", "centre", "type", "places", "occupied", "closed", "free", *CSV_KIND_COLUMNS]
    )
    for centre in centres:
        writer.writerow(
            [
                centre.organisation.name,
                centre.name,
                centre.centre_type,
                *_csv_figures(counts["centres"][centre.pk]),
            ]
        )
    if selectors.is_national(request.user):
        # The agency runs no centre itself: one row per operator, all its centres together.
        for organisation, c in selectors.national_overview(moment):
            writer.writerow([organisation.name, "", "all", *_csv_figures(c)])
    # Aggregates only, no personal data: logged as an export all the same.
    audit_record(
        user=request.user,
        action=Action.EXPORT,
        object_type="centres.occupancy",
        organisation_id=request.user.primary_organisation.pk,
        summary="Exported occupancy CSV",
        request=request,
    )
    return response


# Check-in, transfer, check-out --------------------------------------------------------------


def _suggest(persons, centre_ids, moment, centre_id=None) -> allocation.Suggestion:
    rooms = selectors.room_states(centre_ids, moment)
    household = services.household_for_rules(persons, timezone.localtime(moment).date())
    return allocation.allocate([household], rooms, centre_id=centre_id)[0]


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a registered household into beds: a suggestion to accept or change."""
    centre = selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    person_id = id_param(request.POST if request.method == "POST" else request.GET, "person")
    query = request.GET.get("q", "").strip()
    if person_id is None:
        results = []
        if query:
            results = list(
                people_selectors.person_search(request.user, query).filter(
                    organisation_id=centre.organisation_id
                )[:20]
            )
            audit_record(
                user=request.user,
                action=Action.SEARCH,
                object_type="people.person",
                organisation_id=centre.organisation_id,
                summary=f"Searched for “{query}” to check in: {len(results)} found",
                request=request,
            )
        return render(
            request, "centres/check_in.html", {"centre": centre, "query": query, "results": results}
        )
    person = people_selectors.person_get(
        request.user, person_id, perm=Perm.EDIT_PERSON, request=request
    )
    if person.organisation_id != centre.organisation_id:
        raise Http404
    members = selectors.members_with_stay(selectors.household_members(person), with_stay=False)
    return _placement_page(
        request, centre=centre, person=person, members=members, action="check_in"
    )


def _chosen_beds(request: HttpRequest, members, centre_ids) -> tuple[dict, list[str]]:
    """The bed chosen for each member (``bed_<person id>``), and a sentence per missing one."""
    chosen = {m.pk: parse_id(request.POST.get(f"bed_{m.pk}")) for m in members}
    beds = selectors.beds_in_centres([b for b in chosen.values() if b], centre_ids)
    errors = [
        _("Choose a bed for %(name)s.") % {"name": m} for m in members if chosen[m.pk] not in beds
    ]
    return {m.pk: beds.get(chosen[m.pk]) for m in members}, errors


def _placement_page(request, *, centre: Centre, person, members, action: str):
    centre_ids = selectors.operator_centre_ids(centre.organisation_id)
    override_form = OverrideForm(request.POST or None)
    if request.method == "POST" and override_form.is_valid():
        beds, errors = _chosen_beds(request, members, centre_ids)
        if not errors:
            placements = [services.Placement(m, beds[m.pk]) for m in members]
            service = services.check_in if action == "check_in" else services.transfer
            try:
                service(
                    user=request.user,
                    placements=placements,
                    override_reason=override_form.cleaned_data["override_reason"],
                    request=request,
                )
                messages.success(
                    request, _("Saved: %(n)s persons in their new beds.") % {"n": len(placements)}
                )
                return redirect("people:person_detail", pk=person.pk)
            except ValidationError as exc:
                errors = exc.messages
        for error in errors:
            override_form.add_error(None, error)
    target = id_param(request.POST if request.method == "POST" else request.GET, "centre")
    target_id = target if target in centre_ids else centre.pk
    suggestion = (
        _suggest(members, centre_ids, timezone.now(), centre_id=target_id) if members else None
    )
    rows = [
        {
            "person": m,
            "suggested": suggestion.beds.get(m.pk) if suggestion else None,
            "chosen": request.POST.get(f"bed_{m.pk}"),
        }
        for m in members
    ]
    return render(
        request,
        "centres/placement.html",
        {
            "centre": centre,
            "person": person,
            "rows": rows,
            "free_beds": selectors.free_beds(centre_ids),
            "action": action,
            "reasons": [describe(r) for r in suggestion.reasons] if suggestion else [],
            "unplaced": describe(suggestion.unplaced_reason)
            if suggestion and suggestion.unplaced_reason
            else "",
            "override_form": override_form,
            "centres": selectors.operator_centres(centre.organisation_id),
            "target_id": target_id,
            "together": request.GET.get("household", request.POST.get("household", "1")),
        },
    )


@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, person_id: int) -> HttpResponse:
    person = people_selectors.person_get(
        request.user, person_id, perm=Perm.EDIT_PERSON, request=request
    )
    stay = selectors.current_stay(person)
    if stay is None:
        messages.error(request, _("%(name)s has no bed; check in instead.") % {"name": person})
        return redirect("people:person_detail", pk=person.pk)
    centre = stay.bed.room.building.centre
    if not request.user.has_perm_in(Perm.MANAGE_BEDS, centre.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_BEDS, record=person)
    together = request.GET.get("household", request.POST.get("household", "1")) == "1"
    members = selectors.members_with_stay(
        selectors.household_members(person) if together else [person], with_stay=True
    )
    return _placement_page(
        request, centre=centre, person=person, members=members, action="transfer"
    )


@require_POST
def check_out(request: HttpRequest, person_id: int) -> HttpResponse:
    person = people_selectors.person_get(
        request.user, person_id, perm=Perm.EDIT_PERSON, request=request
    )
    form = CheckOutForm(request.POST)
    if form.is_valid():
        try:
            services.check_out(
                user=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                at=form.cleaned_data["at"],
                request=request,
            )
            messages.success(request, _("%(name)s was checked out.") % {"name": person})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _form_errors(form))
    return redirect("people:person_detail", pk=person.pk)


@require_POST
def set_phase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = people_selectors.person_get(
        request.user, person_id, perm=Perm.EDIT_PERSON, request=request
    )
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.case_phase_set(
                user=request.user, person=person, request=request, **form.cleaned_data
            )
            messages.success(request, _("The case phase was saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _form_errors(form))
    return redirect("people:person_detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
def close_beds(request: HttpRequest, room_id: int) -> HttpResponse:
    """Close every bed of a room for a while (repair, damp); the form is a page of its own."""
    room = selectors.room_get(request.user, room_id)
    form = CloseBedsForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.beds_close(user=request.user, beds=list(room.beds.all()), **form.cleaned_data)
            messages.success(request, _("Room %(room)s is closed.") % {"room": room.number})
            return redirect("centres:centre_detail", pk=room.building.centre_id)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "centres/close_room.html", {"room": room, "form": form})


# Case phases --------------------------------------------------------------------------------


def phases(request: HttpRequest) -> HttpResponse:
    """Who has waited how long in which phase, longest first, a page at a time."""
    require_perm_anywhere(request, Perm.VIEW_PERSON)
    wanted = request.GET.get("phase", "")
    if wanted not in Phase.values:
        wanted = ""
    page = Paginator(
        selectors.latest_phases(request.user, wanted or None), PHASES_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="centres.casephase",
        organisation_id=request.user.primary_organisation.pk,
        summary=f"Viewed the list of case phases (page {page.number}, "
        f"{len(page.object_list)} of {page.paginator.count} persons)",
        request=request,
    )
    today = timezone.localdate()
    return render(
        request,
        "centres/phases.html",
        {
            "rows": [
                {"phase": p, "person": p.person, "days": (today - p.start).days} for p in page
            ],
            "page": page,
            "total": page.paginator.count,
            "phases": Phase.choices,
            "wanted": wanted,
            "summary": selectors.phase_summary(request.user),
            "pagination_extra": "&" + urlencode({"phase": wanted}) if wanted else "",
        },
    )


# Import of a population and a bus of arrivals -----------------------------------------------


def _import_organisation(request):
    require_perm_anywhere(request, Perm.MANAGE_BEDS)
    organisation = selectors.import_organisation(request.user)
    if organisation is None:
        raise refuse(request.user, request=request, perm=Perm.MANAGE_BEDS)
    return organisation


EXAMPLE_PERSON = ["F1", "head", "خالد حداد", "Khaled Haddad", "1985-02-03", "no", "M", "SY"]
EXAMPLE_PERSON += ["24-000001", "no"]


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    organisation = _import_organisation(request)
    bed = selectors.free_beds(selectors.operator_centre_ids(organisation.pk))[:1]
    where = (
        [bed[0].room.building.centre.name, bed[0].room.building.name, bed[0].room.number]
        + [bed[0].label]
        if bed
        else ["Centre", "A", "A001", "A"]
    )
    return reviewed.template_csv(
        imports.PERSON_COLUMNS + imports.BED_COLUMNS,
        EXAMPLE_PERSON + where + [f"{timezone.localdate():%Y-%m-%d}"],
        "population-template.csv",
    )


@require_GET
def arrivals_template(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    return reviewed.template_csv(imports.PERSON_COLUMNS, EXAMPLE_PERSON, "arrivals-template.csv")


def _import_page(request, organisation, **context) -> HttpResponse:
    status = context.pop("status", 200)
    return render(
        request,
        "centres/import.html",
        {
            "columns": imports.PERSON_COLUMNS + imports.BED_COLUMNS,
            "organisation": organisation,
            **context,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_population(request: HttpRequest) -> HttpResponse:
    """Dry run first: every bad row with its line and reason; import only a clean file."""
    organisation = _import_organisation(request)
    form = CsvForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        report = imports.parse(content, organisation=organisation, with_beds=True)
        context.update(
            report=report, payload=reviewed.sign(content, IMPORT_SALT) if report.ok else ""
        )
    return _import_page(request, organisation, **context)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    organisation = _import_organisation(request)
    content = reviewed.unsign(request.POST.get("payload", ""), IMPORT_SALT)
    if not isinstance(content, str):
        return _import_page(
            request,
            organisation,
            form=CsvForm(),
            payload_error=_("The checked rows could not be read back; check the file again."),
            status=400,
        )
    report = imports.parse(content, organisation=organisation, with_beds=True)
    if report.ok:
        try:
            n = services.import_population(
                user=request.user, organisation=organisation, report=report, request=request
            )
            messages.success(request, _("%(n)s persons were imported with their beds.") % {"n": n})
            return redirect("centres:overview")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _import_page(request, organisation, form=CsvForm(), report=report)


def _arrivals_page(request, centre, **context) -> HttpResponse:
    status = context.pop("status", 200)
    return render(
        request,
        "centres/arrivals.html",
        {"centre": centre, "columns": imports.PERSON_COLUMNS, **context},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def arrivals(request: HttpRequest, pk: int) -> HttpResponse:
    """A bus of arrivals: rows in, a review of the suggested beds, then one all-or-nothing save."""
    centre = selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    form = CsvForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        report = imports.parse(content, organisation=centre.organisation, with_beds=False)
        context["report"] = report
        if report.ok:
            context.update(_review(report, centre, content))
    return _arrivals_page(request, centre, **context)


def _arrivals_payload(data) -> tuple[str, dict[int, int]] | None:
    """The content and reviewed beds of a signed arrivals payload, or None if it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        return None
    beds = data.get("beds")
    if not isinstance(beds, dict):
        return None
    lines = {parse_id(str(k)): parse_id(str(v)) for k, v in beds.items()}
    if None in lines or None in lines.values():
        return None
    return data["content"], lines


@require_POST
def arrivals_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    checked = _arrivals_payload(reviewed.unsign(request.POST.get("payload", ""), ARRIVALS_SALT))
    if checked is None:
        return _arrivals_page(
            request,
            centre,
            form=CsvForm(),
            payload_error=_("The reviewed rows could not be read back; check them again."),
            status=400,
        )
    content, beds_by_line = checked
    report = imports.parse(content, organisation=centre.organisation, with_beds=False)
    try:
        stays = services.bus_arrival(
            user=request.user,
            organisation=centre.organisation,
            report=report,
            beds_by_line=beds_by_line,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("centres:arrivals", pk=centre.pk)
    messages.success(
        request, _("%(n)s arrivals were registered and checked in.") % {"n": len(stays)}
    )
    return redirect("centres:centre_detail", pk=centre.pk)


def _review(report: imports.Report, centre: Centre, content: str) -> dict:
    today = timezone.localdate()
    households = [
        allocation.Household(
            ref,
            tuple(
                allocation.Arrival(
                    r.line, age_on(r.date_of_birth, today), r.sex, r.needs_accessible
                )
                for r in rows
            ),
        )
        for ref, rows in report.households.items()
    ]
    centre_ids = selectors.operator_centre_ids(centre.organisation_id)
    rooms = selectors.room_states(centre_ids)
    # This centre first; what does not fit goes to the operator's other centres.
    suggestions = allocation.allocate(households, rooms, centre_id=centre.pk)
    retry = [i for i, s in enumerate(suggestions) if not s.placed]
    if retry:
        for i, s in zip(
            retry, allocation.allocate([households[i] for i in retry], rooms), strict=True
        ):
            suggestions[i] = s
    beds = selectors.beds_in_centres([b for s in suggestions for b in s.beds.values()], centre_ids)
    rows_by_line = {r.line: r for r in report.rows}
    review = []
    for s in suggestions:
        review.append(
            {
                "household": s.household.key,
                "placed": s.placed,
                "reasons": [describe(r) for r in s.reasons],
                "unplaced": describe(s.unplaced_reason) if s.unplaced_reason else "",
                "members": [
                    (rows_by_line[m.person_id], beds.get(s.beds.get(m.person_id)))
                    for m in s.household.members
                ],
            }
        )
    all_placed = all(s.placed for s in suggestions)
    payload = reviewed.sign(
        {"content": content, "beds": {str(k): v for s in suggestions for k, v in s.beds.items()}},
        ARRIVALS_SALT,
    )
    return {
        "review": review,
        "all_placed": all_placed,
        "payload": payload if all_placed else "",
        "placed_count": sum(len(s.beds) for s in suggestions),
    }
