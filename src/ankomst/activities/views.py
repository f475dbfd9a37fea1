import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.accounts.selectors import organisations_with
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.forms import add_service_errors
from ankomst.params import date_param, id_param
from ankomst.people import selectors as people_selectors

from . import rules, selectors, services
from .forms import ActivityForm, ContractForm, MarkForm, PersonQueryForm, SessionForm
from .models import AttendanceStatus

# Reasons offered when a learner is excused; any other text may be typed.
EXCUSE_REASONS = [
    gettext_lazy("Ill"),
    gettext_lazy("Doctor or hospital appointment"),
    gettext_lazy("Interview with the immigration service"),
    gettext_lazy("Meeting with a lawyer"),
    gettext_lazy("Child ill"),
    gettext_lazy("Another activity in the contract"),
]


# Schedule -----------------------------------------------------------------------------------


def schedule(request: HttpRequest) -> HttpResponse:
    """The week's sessions; a teacher sees their own, staff all of their organisation."""
    require_perm_anywhere(request, Perm.VIEW_ACTIVITIES)
    today = timezone.localdate()
    day = date_param(request.GET, "week", default=today)
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    sessions = list(selectors.sessions_between(request.user, monday, sunday))
    days = [{"date": monday + dt.timedelta(days=i), "sessions": []} for i in range(7)]
    for session in sessions:
        days[(session.date - monday).days]["sessions"].append(session)
    user = request.user
    return render(
        request,
        "activities/schedule.html",
        {
            "days": days,
            "today": today,
            "monday": monday,
            "sunday": sunday,
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "sees_all": user.has_perm_anywhere(Perm.VIEW_ALL_ACTIVITIES),
            "can_manage": user.has_perm_anywhere(Perm.MANAGE_ACTIVITIES),
        },
    )


# Activities ---------------------------------------------------------------------------------


def activity_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_ALL_ACTIVITIES)
    activities = selectors.activities_visible_to(request.user).select_related(
        "teacher", "organisation"
    )
    return render(
        request,
        "activities/activity_list.html",
        {
            "activities": activities,
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_ACTIVITIES),
        },
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    activity = (
        selectors.activity_get(user, pk, perm=Perm.MANAGE_ACTIVITIES, request=request)
        if pk
        else None
    )
    if activity is None:
        require_perm_anywhere(request, Perm.MANAGE_ACTIVITIES)
    organisations = organisations_with(user, Perm.MANAGE_ACTIVITIES)
    teachers = selectors.teachers_in(organisations)
    form = ActivityForm(
        request.POST or None, instance=activity, organisations=organisations, teachers=teachers
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.ACTIVITY_FIELDS}
        try:
            if activity is None:
                activity = services.activity_create(
                    user=user,
                    organisation=form.cleaned_data["organisation"],
                    fields=fields,
                    request=request,
                )
            else:
                activity = services.activity_update(
                    user=user, activity=activity, fields=fields, request=request
                )
            messages.success(request, _("The activity was saved."))
            return redirect("activities:activity_detail", pk=activity.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = selectors.activity_get(user, pk, request=request)
    can_manage = user.has_perm_in(Perm.MANAGE_ACTIVITIES, activity.organisation_id)
    enrolments = list(selectors.enrolments_of(activity))
    audit_record(
        user=user,
        action=Action.VIEW,
        obj=activity,
        summary=f"Viewed the enrolments of {activity.name} ({len(enrolments)})",
        request=request,
    )
    today = timezone.localdate()
    query_form = PersonQueryForm(request.GET or None)
    candidates = None
    if can_manage and query_form.is_valid() and query_form.cleaned_data["q"]:
        enrolled = {e.person_id for e in enrolments if e.ended_on is None}
        candidates = [
            p
            for p in people_selectors.person_search(user, query_form.cleaned_data["q"]).filter(
                organisation_id=activity.organisation_id
            )[:20]
            if p.pk not in enrolled
        ]
        audit_record(
            user=user,
            action=Action.SEARCH,
            object_type="people.person",
            organisation_id=activity.organisation_id,
            summary=f"Searched for “{query_form.cleaned_data['q']}” to enrol: {len(candidates)} found",
            request=request,
        )
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "enrolments": enrolments,
            "can_manage": can_manage,
            "upcoming": selectors.upcoming_sessions(activity, today),
            "recent": selectors.recent_sessions(activity, today),
            "query_form": query_form,
            "candidates": candidates,
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(
        request.user, pk, perm=Perm.MANAGE_ACTIVITIES, request=request
    )
    teachers = selectors.teachers_of(activity.organisation_id)
    initial = {
        "date": timezone.localdate(),
        "place": activity.place,
        "teacher": activity.teacher_id,
    }
    form = SessionForm(request.POST or None, initial=initial, teachers=teachers, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                user=request.user,
                activity=activity,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                teacher=data["teacher"],
                request=request,
            )
            messages.success(request, _("The session was scheduled."))
            return redirect("activities:session_detail", pk=session.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "activities/session_form.html",
        {"form": form, "activity": activity, "session": None},
    )


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk, request=request)
    if not request.user.has_perm_in(Perm.MANAGE_ACTIVITIES, session.activity.organisation_id):
        raise refuse(
            request.user,
            request=request,
            perm=Perm.MANAGE_ACTIVITIES,
            record=session,
            organisation_field="activity__organisation_id",
        )
    teachers = selectors.teachers_of(session.activity.organisation_id)
    form = SessionForm(request.POST or None, instance=session, teachers=teachers, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                user=request.user,
                session=session,
                fields={f: form.cleaned_data[f] for f in services.SESSION_FIELDS},
                request=request,
            )
            messages.success(request, _("The session was saved."))
            return redirect("activities:session_detail", pk=session.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "activities/session_form.html",
        {"form": form, "activity": session.activity, "session": session},
    )


@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(
        request.user, pk, perm=Perm.MANAGE_ACTIVITIES, request=request
    )
    person = selectors.person_for_enrolment(
        request.user, activity, id_param(request.POST, "person", required=True)
    )
    try:
        services.enrol(user=request.user, activity=activity, person=person, request=request)
        messages.success(request, _("%(name)s was enrolled.") % {"name": person.name_latin})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("activities:activity_detail", pk=activity.pk)


@require_POST
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(request.user, pk)
    try:
        services.enrolment_end(user=request.user, enrolment=enrolment, request=request)
        messages.success(
            request, _("%(name)s left the activity.") % {"name": enrolment.person.name_latin}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("activities:activity_detail", pk=enrolment.activity_id)


# Attendance ---------------------------------------------------------------------------------


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The class list: one row per learner, one tap per mark."""
    session = selectors.session_get(request.user, pk, request=request)
    rows = selectors.class_list(request.user, session, request=request)
    organisation_id = session.activity.organisation_id
    return render(
        request,
        "activities/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "counts": selectors.attendance_counts(session, len(rows)),
            "can_mark": request.user.has_perm_in(Perm.TAKE_ATTENDANCE, organisation_id)
            and not session.cancelled,
            "can_manage": request.user.has_perm_in(Perm.MANAGE_ACTIVITIES, organisation_id),
            "excuse_reasons": EXCUSE_REASONS,
            "statuses": AttendanceStatus,
        },
    )


@require_POST
def attendance_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap. With htmx the learner's row comes back; without, the class list is shown again."""
    session = selectors.session_get(request.user, pk, request=request)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The mark was not understood."), status=400)
    person = selectors.learner_get(session, form.cleaned_data["person"])
    error = ""
    try:
        mark = services.attendance_mark(
            user=request.user,
            session=session,
            person=person,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        mark = session.attendances.filter(person=person).first()
    if not request.htmx:
        if error:
            messages.error(request, f"{person.name_latin}: {error}")
        return redirect(
            reverse("activities:session_detail", args=[session.pk]) + f"#person-{person.pk}"
        )
    row = selectors.ClassListRow(person=person, attendance=mark)
    total = selectors.class_list_size(session)
    return render(
        request,
        "activities/_attendance_row.html",
        {
            "session": session,
            "row": row,
            "error": error,
            "can_mark": True,
            "oob": True,
            "counts": selectors.attendance_counts(session, total),
            "statuses": AttendanceStatus,
            "rejected_reason": form.cleaned_data["reason"] if error else "",
        },
    )


# Residence contracts ------------------------------------------------------------------------


def contracts(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.VIEW_ALL_ACTIVITIES)
    today = timezone.localdate()
    rows = selectors.adults_without_contract(request.user, today)
    breaches = sum(1 for r in rows if r.due.breach)
    if rows:
        audit_record(
            user=request.user,
            action=Action.VIEW,
            object_type="activities.residencecontract",
            organisation_id=request.user.primary_organisation.pk,
            summary=f"Viewed adults without residence contract ({len(rows)})",
            request=request,
        )
    return render(
        request,
        "activities/contracts.html",
        {
            "rows": rows,
            "today": today,
            "breaches": breaches,
            "in_time": len(rows) - breaches,
            "counts": selectors.contract_counts(request.user),
            "deadline_days": rules.CONTRACT_DEADLINE_DAYS,
            "can_manage": request.user.has_perm_anywhere(Perm.MANAGE_ACTIVITIES),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    user = request.user
    person = people_selectors.person_get(
        user, person_pk, perm=Perm.VIEW_ALL_ACTIVITIES, request=request, audit=False
    )
    contract = selectors.contract_for(person)
    audit_record(
        user=user,
        action=Action.VIEW,
        obj=person,
        summary="Viewed residence contract",
        request=request,
    )
    can_edit = user.has_perm_in(Perm.MANAGE_ACTIVITIES, person.organisation_id)
    if request.method == "POST" and not can_edit:
        raise refuse(user, request=request, perm=Perm.MANAGE_ACTIVITIES, record=person)
    form = ContractForm(request.POST or None, instance=contract) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_save(user=user, person=person, request=request, **form.cleaned_data)
            messages.success(request, _("The residence contract was saved."))
            return redirect("activities:contracts")
        except ValidationError as exc:
            add_service_errors(form, exc)
    today = timezone.localdate()
    applied = selectors.asylum_application_date(person)
    age = person.age(today)
    # The same rule as the dashboard: the reception-centre exemption needs the current centre.
    activation = rules.activation_required(
        age, selectors.current_centre_type(person), (today - applied).days
    )
    return render(
        request,
        "activities/contract_form.html",
        {
            "person": person,
            "contract": contract,
            "form": form,
            "applied": applied,
            "due": rules.contract_due(applied, today) if contract is None else None,
            "activation": activation,
            "age": age,
        },
    )
