"""The municipal reception's pages. Thin: every rule lives in services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst import csv_export, reviewed
from ankomst.accounts.models import UnitKind
from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.centres.forms import CsvForm
from ankomst.forms import add_service_errors

from . import charts, figures, imports, package, selectors, services
from .forms import (
    ArrivalForm,
    ChecklistItemForm,
    ChildStartForm,
    FollowUpForm,
    HandOffForm,
    HandoverForm,
    HomeForm,
    PlanForm,
    PlanStatusForm,
    TaskDoneForm,
    TaskVersionForm,
)
from .models import HouseholdType, IntegrationPlan, TaskStatus

ARRIVAL_FILTERS = ("upcoming", "overdue", "received", "all")
QUEUE_FILTERS = ("due", "overdue", "done")


def _choice(request: HttpRequest, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _can_manage(user, organisation_id: int) -> bool:
    return user.has_perm_in(Perm.MANAGE_RECEPTION, organisation_id)


@require_GET
def arrivals(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_RECEPTION)
    show = _choice(request, "show", ARRIVAL_FILTERS, "upcoming")
    query = request.GET.get("q", "").strip()[:40].replace("\x00", "")
    page = Paginator(
        selectors.arrival_list(request.user, show=show, query=query), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        summary=f"Arrivals listed ({show})",
        object_type="reception.arrival",
        request=request,
    )
    return render(
        request,
        "reception/arrivals.html",
        {
            "page": page,
            "show": show,
            "query": query,
            "filters": ARRIVAL_FILTERS,
            "extra": f"&show={show}&q={query}",
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_RECEPTION),
        },
    )


@require_http_methods(["GET", "POST"])
def arrival_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_RECEPTION)
    households = selectors.households_without_arrival(request.user)
    form = ArrivalForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        try:
            arrival = services.create_arrival(
                user=request.user, request=request, **form.cleaned_data
            )
            messages.success(request, _("The arrival was registered with its checklist."))
            return redirect("reception:arrival_detail", pk=arrival.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "reception/arrival_form.html", {"form": form})


IMPORT_SALT = "reception.import"


def _import_organisation(request: HttpRequest):
    require_perm_anywhere(request, Perm.MANAGE_RECEPTION)
    organisation = selectors.import_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation


def _import_page(request, organisation, status: int = 200, **context) -> HttpResponse:
    return render(
        request,
        "reception/import.html",
        {
            "organisation": organisation,
            "columns": imports.COLUMNS,
            **context,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def arrival_import(request: HttpRequest) -> HttpResponse:
    """Dry run first: every bad row with its line and reason; import only a clean file."""
    organisation = _import_organisation(request)
    form = CsvForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        report = imports.parse(content, organisation=organisation)
        context.update(
            report=report,
            payload=reviewed.sign(content, IMPORT_SALT) if report.ok else "",
        )
    return _import_page(request, organisation, **context)


@require_POST
def arrival_import_confirm(request: HttpRequest) -> HttpResponse:
    organisation = _import_organisation(request)
    content = reviewed.unsign(request.POST.get("payload", ""), IMPORT_SALT)
    if not isinstance(content, str):
        return _import_page(
            request,
            organisation,
            form=CsvForm(),
            status=400,
            payload_error=_("The checked rows could not be read back; check the file again."),
        )
    report = imports.parse(content, organisation=organisation)
    if report.ok:
        try:
            made = services.import_arrivals(
                user=request.user, organisation=organisation, report=report, request=request
            )
            messages.success(
                request, _("%(n)s arrivals were imported with their checklists.") % {"n": len(made)}
            )
            return redirect("reception:arrivals")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _import_page(request, organisation, form=CsvForm(), report=report)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_RECEPTION)
    return reviewed.template_csv(
        imports.COLUMNS,
        [
            "H1",
            "head",
            "ዮናስ ተስፋይ",
            "Yonas Tesfay",
            "1994-03-01",
            "no",
            "M",
            "ER",
            "24-123456",
            "no",
            "2026-10-05",
            "",
        ],
        "arrivals-template.csv",
    )


@require_GET
def arrival_detail(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = selectors.arrival_get(request.user, pk, request=request)
    people = selectors.members(arrival)
    tasks = list(selectors.tasks_of(arrival))
    for task in tasks:
        for handoff in task.handoffs.all():
            handoff.overdue = selectors.handoff_overdue(handoff)
    return render(
        request,
        "reception/arrival_detail.html",
        {
            "arrival": arrival,
            "members": people,
            "tasks": tasks,
            "adults": selectors.adults_with_plans(arrival, people),
            "children": selectors.children_of(arrival, people),
            "events": selectors.timeline(arrival)[:100],
            "follow_ups": arrival.follow_ups.all(),
            "can_manage": _can_manage(request.user, arrival.organisation_id),
            "handover_form": HandoverForm(
                initial={"handover_date": arrival.handover_date, "agreed_by": arrival.agreed_by}
            ),
            "home_form": HomeForm(
                initial={
                    "first_home": arrival.first_home or "permanent",
                    "permanent_from": arrival.permanent_home_from,
                }
            ),
            "follow_up_form": FollowUpForm(),
            "show_family": arrival.household_type in (HouseholdType.FAMILY, HouseholdType.MINOR),
        },
    )


def _manage_arrival(request: HttpRequest, pk: int):
    arrival = selectors.arrival_get(request.user, pk, perm=Perm.MANAGE_RECEPTION, request=request)
    return arrival


@require_http_methods(["GET", "POST"])
def arrival_handover(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _manage_arrival(request, pk)
    form = HandoverForm(
        request.POST or None,
        initial={"handover_date": arrival.handover_date, "agreed_by": arrival.agreed_by},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_handover(
                user=request.user, arrival=arrival, request=request, **form.cleaned_data
            )
            messages.success(request, _("The handover date and the open tasks were moved."))
            return redirect("reception:arrival_detail", pk=arrival.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "reception/handover_form.html", {"form": form, "arrival": arrival})


@require_POST
def arrival_home(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _manage_arrival(request, pk)
    form = HomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_home(
                user=request.user, arrival=arrival, request=request, **form.cleaned_data
            )
            messages.success(request, _("The housing was recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reception:arrival_detail", pk=arrival.pk)


@require_POST
def arrival_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = _manage_arrival(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(
                user=request.user, arrival=arrival, request=request, **form.cleaned_data
            )
            messages.success(request, _("The follow-up was recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reception:arrival_detail", pk=arrival.pk)


@require_GET
def arrival_package(request: HttpRequest, pk: int) -> HttpResponse:
    arrival = selectors.arrival_get(request.user, pk, request=request)
    return render(
        request,
        "reception/package.html",
        {
            "arrival": arrival,
            "package": package.handover_package(request.user, arrival, request=request),
        },
    )


# --- Queues, tasks and hand-offs ---------------------------------------------------------


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_RECEPTION)
    default = selectors.user_department(request.user)
    department = _choice(request, "department", selectors.DEPARTMENTS, default)
    show = _choice(request, "show", QUEUE_FILTERS, "due")
    counts = selectors.queue_counts(request.user)
    page = Paginator(selectors.queue(request.user, department, show), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        object_type="reception.task",
        summary=f"Queue of {department} ({show})",
        request=request,
    )
    return render(
        request,
        "reception/queue.html",
        {
            "page": page,
            "department": department,
            "department_label": UnitKind(department).label,
            "show": show,
            "filters": QUEUE_FILTERS,
            "extra": f"&department={department}&show={show}",
            "departments": [(d, UnitKind(d).label, counts[d]) for d in selectors.DEPARTMENTS],
            "handoffs": selectors.handoffs_waiting(request.user, department),
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_RECEPTION),
        },
    )


def _back(request: HttpRequest, task) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect(f"{_url('reception:queue')}?department={task.department}")
    return redirect("reception:arrival_detail", pk=task.arrival_id)


def _url(name: str) -> str:
    return reverse(name)


def _task_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    task = selectors.task_get(request.user, pk, request=request)
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return _back(request, task)
    try:
        action(task, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, task)


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    def done(task, data):
        services.complete_task(
            user=request.user,
            task=task,
            version=data["version"],
            done_on=data["done_on"],
            note=data["note"],
            request=request,
        )
        messages.success(request, _("“%(task)s” is done.") % {"task": task.title})

    return _task_action(request, pk, done)


@require_POST
def task_not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    def not_needed(task, data):
        services.complete_task(
            user=request.user,
            task=task,
            version=data["version"],
            note=data["note"],
            not_needed=True,
            request=request,
        )
        messages.success(request, _("“%(task)s” is marked not needed.") % {"task": task.title})

    return _task_action(request, pk, not_needed)


@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk, request=request)
    form = TaskVersionForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_task(
                user=request.user, task=task, version=form.cleaned_data["version"], request=request
            )
            messages.success(request, _("“%(task)s” is open again.") % {"task": task.title})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    return _back(request, task)


@require_http_methods(["GET", "POST"])
def task_hand_off(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(request.user, pk, request=request)
    if task.status != TaskStatus.OPEN:
        raise Http404
    form = HandOffForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_off(user=request.user, task=task, request=request, **form.cleaned_data)
            messages.success(request, _("The task was handed off."))
            return redirect("reception:arrival_detail", pk=task.arrival_id)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "reception/hand_off.html", {"form": form, "task": task})


@require_POST
def handoff_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = selectors.handoff_get(request.user, pk, request=request)
    try:
        services.acknowledge(user=request.user, handoff=handoff, request=request)
        messages.success(request, _("The hand-off was acknowledged."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{_url('reception:queue')}?department={handoff.to_department}")


# --- Checklist templates -----------------------------------------------------------------


@require_GET
def checklist(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_RECEPTION)
    for org in request.user.active_memberships:
        if org.organisation.kind == "municipality":
            services.ensure_checklist(org.organisation)
    household_type = _choice(request, "type", HouseholdType.values, HouseholdType.FAMILY)
    items = selectors.checklist_items(request.user).filter(household_type=household_type)
    return render(
        request,
        "reception/checklist.html",
        {
            "items": items,
            "household_type": household_type,
            "types": HouseholdType.choices,
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_RECEPTION),
        },
    )


@require_http_methods(["GET", "POST"])
def checklist_item(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_RECEPTION)
    item = selectors.checklist_items(request.user).filter(pk=pk).first()
    if item is None or not _can_manage(request.user, item.organisation_id):
        raise Http404
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_checklist_item(
                user=request.user,
                item=selectors.checklist_items(request.user).get(pk=pk),
                data=form.cleaned_data,
                request=request,
            )
            messages.success(
                request, _("The checklist item was saved; it applies to new arrivals.")
            )
            return redirect(f"{_url('reception:checklist')}?type={item.household_type}")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "reception/checklist_item.html", {"form": form, "item": item})


# --- Plans and children ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = selectors.person_in_arrivals(request.user, person_pk, request=request)
    arrival = person.household.arrival
    can_manage = _can_manage(request.user, arrival.organisation_id)
    if request.method == "POST" and not can_manage:
        raise Http404
    # Reading the page makes no plan; the first save does.
    the_plan = selectors.plan_of(person) or IntegrationPlan(
        person=person, organisation_id=person.organisation_id, arrival=arrival
    )
    form = PlanForm(
        request.POST or None,
        initial={
            "version": the_plan.version,
            "programme": the_plan.programme,
            "contract_signed_on": the_plan.contract_signed_on,
            "language_module": the_plan.language_module,
            "education": the_plan.education,
            "work_experience": the_plan.work_experience,
            "interests": the_plan.interests,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if the_plan.pk is None:
                the_plan = services.plan_for(person)
            try:
                services.update_plan(
                    user=request.user, plan=the_plan, version=version, data=data, request=request
                )
                messages.success(request, _("The plan was saved."))
                return redirect("reception:plan", person_pk=person.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
    return render(
        request,
        "reception/plan.html",
        {
            "person": person,
            "plan": the_plan,
            "arrival": arrival,
            "form": form,
            "status_form": PlanStatusForm(),
            "can_manage": can_manage,
            "goal": selectors.goal_state(the_plan, arrival.handover_date),
            "statuses": the_plan.statuses.all() if the_plan.pk else [],
        },
    )


@require_POST
def plan_status(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = selectors.person_in_arrivals(request.user, person_pk, request=request)
    if not _can_manage(request.user, person.household.arrival.organisation_id):
        raise Http404
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.add_plan_status(
                    user=request.user,
                    plan=services.plan_for(person),
                    request=request,
                    **form.cleaned_data,
                )
            messages.success(request, _("The status was added to the plan."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("reception:plan", person_pk=person.pk)


@require_GET
def children(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_RECEPTION)
    rows = selectors.children_not_started(request.user)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        object_type="people.person",
        summary="Children not started listed",
        request=request,
    )
    return render(
        request, "reception/children.html", {"page": page, "days": selectors.CHILD_START_DAYS}
    )


@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = selectors.person_in_arrivals(request.user, person_pk, request=request)
    arrival = person.household.arrival
    start = getattr(person, "child_start", None)
    form = ChildStartForm(
        request.POST or None,
        initial={
            "offer": start.offer if start else "school",
            "place": start.place if start else "",
            "started_on": start.started_on if start else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        if not _can_manage(request.user, arrival.organisation_id):
            raise Http404
        try:
            services.record_child_start(
                user=request.user, person=person, request=request, **form.cleaned_data
            )
            messages.success(request, _("The child's start was saved."))
            return redirect("reception:arrival_detail", pk=arrival.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "reception/child.html",
        {"person": person, "arrival": arrival, "form": form, "start": start},
    )


# --- Goals ---------------------------------------------------------------------------------


def _require_goals(request: HttpRequest) -> set[int]:
    """The municipalities whose goals the user reads, or refused when there are none."""
    orgs = figures.goal_organisation_ids(request.user)
    if not orgs:
        raise refuse(request.user, request=request, perm=Perm.VIEW_FIGURES)
    return orgs


@require_GET
def goals(request: HttpRequest) -> HttpResponse:
    fig = figures.goals_for_page(request.user, _require_goals(request))
    return render(
        request,
        "reception/goals.html",
        {
            "fig": fig,
            # A manager reads the figures without the arrivals behind them.
            "reads_arrivals": request.user.has_perm_anywhere(Perm.VIEW_RECEPTION),
            "marks": figures.MONTH_MARKS,
            "min_group": figures.MIN_GROUP,
            "departments": [(UnitKind(d).label, n) for d, n in fig.overdue_by_department.items()],
            "cohort_rows": [
                (c, [fig.adults_by_months[c][m] for m in figures.MONTH_MARKS]) for c in fig.cohorts
            ],
            "cohort_table": [
                (c, fig.children_within_30[c], fig.families_permanent[c], *fig.temporary_days[c])
                for c in fig.cohorts
            ],
        },
    )


@require_GET
def goals_chart(request: HttpRequest, name: str) -> HttpResponse:
    orgs = _require_goals(request)
    draw = charts.CHARTS.get(name)
    if draw is None:
        raise Http404
    response = HttpResponse(
        draw(figures.goals_for_chart(request.user, orgs)), content_type="image/svg+xml"
    )
    # The SVG carries its own styles; it runs no script.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
def goals_csv(request: HttpRequest) -> HttpResponse:
    fig = figures.goals(request.user, orgs=_require_goals(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reception-goals.csv"'
    writer = csv_export.writer(response)
    writer.writerow(["figure", "group", "months_since_arrival", "persons", "count", "percent"])

    def share_row(figure, group, months, share):
        value = share.value
        writer.writerow(
            [
                figure,
                group,
                months,
                share.denominator if value is not None else "",
                share.numerator if value is not None else "",
                value if value is not None else "",
            ]
        )

    for cohort in fig.cohorts:
        for mark in figures.MONTH_MARKS:
            share_row(
                "adults_in_education_or_work", cohort, mark, fig.adults_by_months[cohort][mark]
            )
        share_row("children_started_within_30_days", cohort, "", fig.children_within_30[cohort])
        share_row(
            "family_members_in_permanent_home_from_start",
            cohort,
            "",
            fig.families_permanent[cohort],
        )
    for day, share in fig.trend:
        share_row("adults_in_education_or_work_month_end", day.isoformat(), "", share)
    for department, count in fig.overdue_by_department.items():
        writer.writerow(["tasks_overdue", department, "", "", count, ""])
    writer.writerow(["handoffs_not_acknowledged", "", "", "", fig.handoffs_unacknowledged, ""])
    audit_record(
        user=request.user,
        action=Action.EXPORT,
        object_type="reception.goals",
        summary="Goals exported (aggregates, groups under 5 suppressed)",
        request=request,
    )
    return response


# --- The operator's side ---------------------------------------------------------------


@require_GET
def departures(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_BEDS)
    rows = selectors.departures_due(request.user)
    return render(request, "reception/departures.html", {"rows": rows})


@require_POST
def departure_confirm(request: HttpRequest, person_pk: int) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_BEDS)
    person = selectors.departure_person(request.user, person_pk, request=request)
    try:
        services.confirm_departure(user=request.user, person=person, request=request)
        messages.success(
            request,
            _("%(name)s was checked out to the municipality.") % {"name": person.name_latin},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reception:departures")
