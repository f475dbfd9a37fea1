import csv
import datetime as dt

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankomst.accounts.fields import PersonField, person_fields_for
from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.charts import bar_chart
from ankomst.people import selectors as people_selectors

from . import allocation, imports, selectors, services
from .forms import CheckOutForm, CloseBedsForm, CsvForm, DateForm, OverrideForm, PhaseForm
from .models import Bed, Centre, Phase, Room, Stay
from .reasons import describe

SIGNING_SALT = "ankomst.centres.csv"


def _moment(request: HttpRequest) -> tuple[dt.datetime, DateForm]:
    form = DateForm(request.GET)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    if day is None or day >= timezone.localdate():
        return timezone.now(), form
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59))), form


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
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_BEDS),
        },
    )


def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(request.user, pk)
    moment, date_form = _moment(request)
    counts = selectors.occupancy([centre], moment)
    rooms = list(
        Room.objects.filter(building__centre=centre)
        .select_related("building")
        .prefetch_related("beds")
        .order_by("building__name", "floor", "position")
    )
    # Who sleeps where is the stays part of a record (the role × field table).
    can_see_people = request.user.has_perm_in(
        Perm.VIEW_PERSON, centre.organisation_id
    ) and PersonField.STAYS in person_fields_for(request.user, centre.organisation_id)
    occupants = {}
    if can_see_people:
        stays = Stay.objects.filter(
            selectors.open_stays_at(moment), bed__room__building__centre=centre
        )
        occupants = {s.bed_id: s.person for s in stays.select_related("person")}
        audit_record(
            user=request.user,
            action=Action.VIEW,
            obj=centre,
            organisation_id=centre.organisation_id,
            summary=f"Viewed the residents of {centre.name} ({len(occupants)})",
            request=request,
        )
    rows = {row["id"]: row for row in selectors.bed_rows([centre.pk], moment)}
    buildings: dict = {}
    for room in rooms:
        beds = [
            {
                "bed": b,
                "occupied": rows[b.pk]["occupied"],
                "closed": rows[b.pk]["closed"],
                "person": occupants.get(b.pk),
            }
            for b in room.beds.all()
        ]
        entry = buildings.setdefault(
            room.building.pk,
            {
                "building": room.building,
                "floors": {},
                "counts": counts["buildings"][room.building.pk],
            },
        )
        entry["floors"].setdefault(room.floor, []).append({"room": room, "beds": beds})
    return render(
        request,
        "centres/centre_detail.html",
        {
            "centre": centre,
            "counts": counts["centres"][centre.pk],
            "buildings": buildings.values(),
            "date_form": date_form,
            "moment": moment,
            "can_manage": request.user.has_perm_in(Perm.MANAGE_BEDS, centre.organisation_id),
            "close_form": CloseBedsForm(initial={"start": timezone.localdate()}),
        },
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_CAPACITY)
    moment, _form = _moment(request)
    centres = list(selectors.centres_visible_to(request.user).select_related("organisation"))
    counts = selectors.occupancy(centres, moment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="occupancy-{timezone.localtime(moment):%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "operator",
            "centre",
            "type",
            "places",
            "occupied",
            "closed",
            "free",
            *[f"{k}_{c}" for k in selectors.KINDS for c in ("places", "occupied", "free")],
        ]
    )
    for centre in centres:
        c = counts["centres"][centre.pk]
        writer.writerow(
            [
                centre.organisation.name,
                centre.name,
                centre.centre_type,
                c.places,
                c.occupied,
                c.closed,
                c.free,
                *[
                    c.by_kind[k][col]
                    for k in selectors.KINDS
                    for col in ("places", "occupied", "free")
                ],
            ]
        )
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


def _household_members(person) -> list:
    if person.household_id:
        return list(person.household.members.order_by("date_of_birth"))
    return [person]


def _suggest(persons, centre_ids, moment, centre_id=None) -> allocation.Suggestion:
    rooms = selectors.room_states(centre_ids, moment)
    household = services.household_for_rules(persons, timezone.localtime(moment).date())
    return allocation.allocate([household], rooms, centre_id=centre_id)[0]


def _bed_choices(centre_ids) -> list[Bed]:
    moment = timezone.now()
    taken = set(
        Stay.objects.filter(selectors.open_stays_at(moment)).values_list("bed_id", flat=True)
    )
    return [
        b
        for b in Bed.objects.filter(room__building__centre_id__in=centre_ids)
        .select_related("room__building__centre")
        .order_by(
            "room__building__centre__name",
            "room__building__name",
            "room__floor",
            "room__position",
            "label",
        )
        if b.pk not in taken
    ]


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a registered household into beds: a suggestion to accept or change."""
    centre = selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    person_id = request.GET.get("person") or request.POST.get("person")
    query = request.GET.get("q", "").strip()
    results = []
    if query and not person_id:
        results = people_selectors.person_search(request.user, query).filter(
            organisation_id=centre.organisation_id
        )[:20]
    if not person_id:
        return render(
            request, "centres/check_in.html", {"centre": centre, "query": query, "results": results}
        )
    person = people_selectors.person_get(
        request.user, int(person_id), perm=Perm.EDIT_PERSON, request=request
    )
    if person.organisation_id != centre.organisation_id:
        raise Http404
    members = [m for m in _household_members(person) if selectors.current_stay(m) is None]
    return _placement_page(
        request, centre=centre, person=person, members=members, action="check_in"
    )


def _placement_page(request, *, centre: Centre, person, members, action: str):
    centre_ids = list(
        Centre.objects.filter(organisation_id=centre.organisation_id).values_list("pk", flat=True)
    )
    override_form = OverrideForm(request.POST or None)
    if request.method == "POST" and override_form.is_valid():
        chosen = {}
        for m in members:
            raw = request.POST.get(f"bed_{m.pk}")
            if raw:
                chosen[m] = raw
        beds = {
            str(b.pk): b
            for b in Bed.objects.filter(
                pk__in=[v for v in chosen.values() if v.isdigit()],
                room__building__centre_id__in=centre_ids,
            )
        }
        errors = [
            _("Choose a bed for %(name)s.") % {"name": m}
            for m in members
            if chosen.get(m) not in beds
        ]
        if not errors:
            placements = [services.Placement(m, beds[chosen[m]]) for m in members]
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
    target = request.GET.get("centre") or request.POST.get("centre")
    target_id = (
        int(target) if target and target.isdigit() and int(target) in centre_ids else centre.pk
    )
    suggestion = (
        _suggest(members, centre_ids, timezone.now(), centre_id=target_id) if members else None
    )
    free = _bed_choices(centre_ids)
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
            "free_beds": free,
            "action": action,
            "reasons": [describe(r) for r in suggestion.reasons] if suggestion else [],
            "unplaced": describe(suggestion.unplaced_reason)
            if suggestion and suggestion.unplaced_reason
            else "",
            "override_form": override_form,
            "centres": Centre.objects.filter(pk__in=centre_ids),
            "target_id": target_id,
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
        raise PermissionDenied
    together = request.GET.get("household", request.POST.get("household", "1")) == "1"
    members = [
        m
        for m in (_household_members(person) if together else [person])
        if selectors.current_stay(m) is not None
    ]
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
        messages.error(request, _("Choose a check-out reason."))
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
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("people:person_detail", pk=person.pk)


@require_POST
def close_beds(request: HttpRequest, room_id: int) -> HttpResponse:
    room = Room.objects.select_related("building__centre").filter(pk=room_id).first()
    if room is None or not request.user.has_perm_in(
        Perm.MANAGE_BEDS, room.building.centre.organisation_id
    ):
        raise Http404
    form = CloseBedsForm(request.POST)
    if form.is_valid():
        try:
            services.beds_close(user=request.user, beds=list(room.beds.all()), **form.cleaned_data)
            messages.success(request, _("Room %(room)s is closed.") % {"room": room.number})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the dates and the reason for closing."))
    return redirect("centres:centre_detail", pk=room.building.centre_id)


def phases(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_PERSON)
    wanted = request.GET.get("phase", "")
    rows = selectors.waiting_by_phase(request.user)
    if wanted in Phase.values:
        rows = [r for r in rows if r["phase"].phase == wanted]
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="centres.casephase",
        organisation_id=request.user.primary_organisation.pk,
        summary=f"Viewed the list of case phases ({len(rows)} persons)",
        request=request,
    )
    summary: dict = {}
    for r in selectors.waiting_by_phase(request.user):
        entry = summary.setdefault(
            r["phase"].phase, {"label": r["phase"].get_phase_display(), "n": 0, "days": 0}
        )
        entry["n"] += 1
        entry["days"] = max(entry["days"], r["days"])
    return render(
        request,
        "centres/phases.html",
        {
            "rows": rows[:500],
            "total": len(rows),
            "phases": Phase.choices,
            "wanted": wanted,
            "summary": summary,
        },
    )


def _organisation_for(request, perm: Perm) -> Organisation:
    ids = request.user.organisation_ids(perm)
    organisation = Organisation.objects.filter(pk__in=ids, centres__isnull=False).distinct().first()
    if organisation is None:
        raise PermissionDenied
    return organisation


@require_http_methods(["GET", "POST"])
def import_population(request: HttpRequest) -> HttpResponse:
    """Dry run first: every bad row with its line and reason; import only a clean file."""
    require_perm_anywhere(request, Perm.MANAGE_BEDS)
    organisation = _organisation_for(request, Perm.MANAGE_BEDS)
    context = {
        "columns": ",".join(imports.PERSON_COLUMNS + imports.BED_COLUMNS),
        "organisation": organisation,
    }
    if request.method == "POST" and request.POST.get("confirm"):
        content = _unsign(request.POST.get("payload", ""))
        report = imports.parse(content, organisation=organisation, with_beds=True)
        if report.ok:
            try:
                n = imports.import_population(
                    user=request.user, organisation=organisation, report=report, request=request
                )
                messages.success(
                    request, _("%(n)s persons were imported with their beds.") % {"n": n}
                )
                return redirect("centres:overview")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        context["report"] = report
        return render(request, "centres/import.html", {**context, "form": CsvForm()})
    form = CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = imports.parse(
            form.cleaned_data["content"], organisation=organisation, with_beds=True
        )
        context.update(
            report=report, payload=_sign(form.cleaned_data["content"]) if report.ok else ""
        )
    return render(request, "centres/import.html", {**context, "form": form})


def _sign(data) -> str:
    """Carry what the user reviewed to the confirming POST, tamper-proof."""
    return signing.dumps(data, salt=SIGNING_SALT, compress=True)


def _unsign(payload: str):
    try:
        return signing.loads(payload, salt=SIGNING_SALT, max_age=3600)
    except signing.BadSignature:
        raise PermissionDenied from None


@require_http_methods(["GET", "POST"])
def arrivals(request: HttpRequest, pk: int) -> HttpResponse:
    """A bus of arrivals: rows in, a review of the suggested beds, then one all-or-nothing save."""
    centre = selectors.centre_get(request.user, pk, Perm.MANAGE_BEDS)
    organisation = centre.organisation
    context = {"centre": centre, "columns": ",".join(imports.PERSON_COLUMNS)}
    if request.method == "POST" and request.POST.get("confirm"):
        data = _unsign(request.POST.get("payload", ""))
        report = imports.parse(data["content"], organisation=organisation, with_beds=False)
        try:
            stays = services.bus_arrival(
                user=request.user,
                organisation=organisation,
                report=report,
                beds_by_line={int(k): v for k, v in data["beds"].items()},
                request=request,
            )
            messages.success(
                request, _("%(n)s arrivals were registered and checked in.") % {"n": len(stays)}
            )
            return redirect("centres:centre_detail", pk=centre.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("centres:arrivals", pk=centre.pk)
    form = CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = imports.parse(
            form.cleaned_data["content"], organisation=organisation, with_beds=False
        )
        context["report"] = report
        if report.ok:
            context.update(_review(report, centre, form.cleaned_data["content"]))
    return render(request, "centres/arrivals.html", {**context, "form": form})


def _review(report: imports.Report, centre: Centre, content: str) -> dict:
    today = timezone.localdate()
    households = [
        allocation.Household(
            ref,
            tuple(
                allocation.Arrival(r.line, _age(r.date_of_birth, today), r.sex, r.needs_accessible)
                for r in rows
            ),
        )
        for ref, rows in report.households.items()
    ]
    centre_ids = list(
        Centre.objects.filter(organisation_id=centre.organisation_id).values_list("pk", flat=True)
    )
    rooms = selectors.room_states(centre_ids)
    # This centre first; what does not fit goes to the operator's other centres.
    suggestions = allocation.allocate(households, rooms, centre_id=centre.pk)
    retry = [i for i, s in enumerate(suggestions) if not s.placed]
    if retry:
        for i, s in zip(
            retry, allocation.allocate([households[i] for i in retry], rooms), strict=True
        ):
            suggestions[i] = s
    beds = Bed.objects.in_bulk([b for s in suggestions for b in s.beds.values()])
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
    payload = _sign(
        {"content": content, "beds": {str(k): v for s in suggestions for k, v in s.beds.items()}}
    )
    return {
        "review": review,
        "all_placed": all_placed,
        "payload": payload if all_placed else "",
        "placed_count": sum(len(s.beds) for s in suggestions),
    }


def _age(born, today):
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
