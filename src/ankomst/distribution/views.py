"""The national agency's quota pages. Thin: the rules live in services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from ankomst import csv_export
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.charts import bar_chart
from ankomst.forms import add_service_errors
from ankomst.people.languages import language_name
from ankomst.people.models import Person
from ankomst.runs import RunStatus

from . import display, selectors, services
from .forms import ConfirmForm, ExchangeForm, FactsForm, OverrideForm, ReviseForm, RunForm, YearForm


def _can_manage(request: HttpRequest, organisation_id: int) -> bool:
    return request.user.has_perm_in(Perm.MANAGE_QUOTAS, organisation_id)


@require_GET
def years(request: HttpRequest) -> HttpResponse:
    org = selectors.agency(request.user, request)
    return render(
        request,
        "distribution/years.html",
        {
            "org": org,
            "years": list(selectors.years(org)),
            "can_manage": _can_manage(request, org.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest) -> HttpResponse:
    org = selectors.agency(request.user, request, Perm.MANAGE_QUOTAS)
    form = YearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            year = services.announce_year(
                user=request.user,
                organisation=org,
                year=d["year"],
                table=d["table"],
                national_number=d["national_number"],
                reunified_nationally=d["reunified_nationally"],
                announced_on=d["announced_on"],
                request=request,
            )
            messages.success(request, _("The quotas of %(year)s are set.") % {"year": year.year})
            return redirect("distribution:year_detail", pk=year.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "distribution/year_form.html", {"form": form, "org": org})


def _detail(request: HttpRequest, quota_year, exchange_form=None, status: int = 200):
    municipal, regions = selectors.quota_lines(quota_year)
    region = request.GET.get("region", "")
    shown = [m for m in municipal if not region or m.row.region_code == region]
    can_manage = _can_manage(request, quota_year.organisation_id)
    if can_manage and exchange_form is None:
        exchange_form = ExchangeForm(
            initial={"version": quota_year.version}, municipalities=[m.row for m in municipal]
        )
    chart = bar_chart([(r.name.removeprefix("Region "), r.quota, r.quota) for r in regions])
    names = {m.row.code: m.row.name for m in municipal}
    exchanges = [
        (e, names.get(e.giver, e.giver), names.get(e.receiver, e.receiver))
        for e in quota_year.exchanges.select_related("created_by")
    ]
    return render(
        request,
        "distribution/year_detail.html",
        {
            "year": quota_year,
            "regions": regions,
            "region": region if any(r.code == region for r in regions) else "",
            "municipal": shown,
            "total_quota": sum(r.quota for r in regions),
            "total_assigned": sum(r.assigned for r in regions),
            "chart": chart,
            "can_manage": can_manage,
            "exchange_form": exchange_form if can_manage else None,
            "exchanges": exchanges,
            "table_name": services.TABLES.get(quota_year.table, quota_year.table),
            "revision_limit": services.revision_limit(quota_year.national_number),
        },
        status=status,
    )


@require_GET
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.year_get(request.user, pk))


@require_POST
def exchange_add(request: HttpRequest, pk: int) -> HttpResponse:
    quota_year = selectors.year_get(request.user, pk)
    if not _can_manage(request, quota_year.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.MANAGE_QUOTAS, record=quota_year)
    form = ExchangeForm(request.POST, municipalities=quota_year.quotas.all())
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_exchange(
                user=request.user,
                quota_year=quota_year,
                giver=d["giver"],
                receiver=d["receiver"],
                persons=d["persons"],
                reason=d["reason"],
                version=d["version"],
                request=request,
            )
            messages.success(request, _("The exchange is recorded."))
            return redirect("distribution:year_detail", pk=quota_year.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _detail(request, quota_year, exchange_form=form, status=400)


@require_http_methods(["GET", "POST"])
def year_revise(request: HttpRequest, pk: int) -> HttpResponse:
    quota_year = selectors.year_get(request.user, pk, Perm.MANAGE_QUOTAS)
    form = ReviseForm(request.POST or None, initial={"version": quota_year.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.revise_year(
                user=request.user,
                quota_year=quota_year,
                national_number=form.cleaned_data["national_number"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, _("The national number and the quotas are revised."))
            return redirect("distribution:year_detail", pk=quota_year.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "distribution/year_revise.html",
        {
            "year": quota_year,
            "form": form,
            "revision_limit": services.revision_limit(quota_year.national_number),
            "assigned": sum(selectors.assigned(quota_year).values()),
        },
    )


@require_GET
def year_csv(request: HttpRequest, pk: int) -> HttpResponse:
    quota_year = selectors.year_get(request.user, pk)
    municipal, _regions = selectors.quota_lines(quota_year)
    header = [
        _("Code"), _("Municipality"), _("Region"), _("Inhabitants"), _("Share"),
        _("Computed"), _("Provisional"), _("Rule's quota"), _("Exchanged"), _("Quota"),
        _("Received"), _("Remaining"),
    ]  # fmt: skip
    rows = [
        [
            m.row.code, m.row.name, m.row.region, m.row.population,
            number_format(m.row.share * 100, 4), number_format(m.row.computed, 1),
            number_format(m.row.provisional, 1), m.row.rule_quota, m.row.exchanged,
            m.row.quota, m.assigned, m.remaining,
        ]
        for m in municipal
    ]  # fmt: skip
    response = HttpResponse(
        csv_export.to_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="quotas-{quota_year.year}.csv"'
    return response


# --- the weekly batch ---------------------------------------------------------------------


def _page(request: HttpRequest, items):
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _listed(request: HttpRequest, organisation, summary: str) -> None:
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        organisation_id=organisation.pk,
        object_type="people.household",
        summary=summary,
        request=request,
    )


def _current_year(org):
    """The agency's quota year of this year, else its latest."""
    found = selectors.years(org)
    return found.filter(year=timezone.localdate().year).first() or found.first()


@require_GET
def batch(request: HttpRequest) -> HttpResponse:
    """The households granted a permit and waiting for a municipality, and the week's run."""
    org = selectors.agency(request.user, request)
    waiting = selectors.waiting()
    page = _page(request, waiting)
    today = timezone.localdate()
    for w in page.object_list:
        w.adult_count = w.adults(today)
    _listed(request, org, f"Households waiting for a municipality listed ({len(waiting)})")
    quota_year = _current_year(org)
    return render(
        request,
        "distribution/batch.html",
        {
            "org": org,
            "page": page,
            "waiting": len(waiting),
            "persons": sum(len(w.members) for w in waiting),
            "quota_year": quota_year,
            "active": selectors.active_run(org),
            "runs": list(selectors.runs(org)[:10]),
            "form": RunForm(),
            "can_manage": _can_manage(request, org.pk),
        },
    )


@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    org = selectors.agency(request.user, request, Perm.MANAGE_QUOTAS)
    form = RunForm(request.POST)
    quota_year = _current_year(org)
    if quota_year is None:
        messages.error(request, _("Announce the year's quotas before a run."))
    elif form.is_valid():
        try:
            run = services.start_run(
                user=request.user,
                quota_year=quota_year,
                time_limit=form.cleaned_data["time_limit"],
                request=request,
            )
            return redirect("distribution:run_detail", pk=run.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("distribution:batch")


@require_http_methods(["GET", "POST"])
def facts(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's facts of one waiting household, read before the run."""
    org = selectors.agency(request.user, request)
    waiting = selectors.household_waiting(pk)
    can_manage = _can_manage(request, org.pk)
    quota_year = _current_year(org)
    municipalities = list(quota_year.quotas.all()) if quota_year else []
    known = waiting.facts
    initial = {"version": known.version if known else None}
    if known is not None:
        initial.update(
            education=known.education,
            treatment=known.treatment,
            family_tie=known.family_tie,
            family_tie_note=known.family_tie_note,
        )
    form = FactsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        municipalities=municipalities,
    )
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise refuse(request.user, request=request, perm=Perm.MANAGE_QUOTAS)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_facts(
                    user=request.user,
                    agency=org,
                    household=waiting.household,
                    education=d["education"],
                    treatment=d["treatment"],
                    family_tie=d["family_tie"],
                    family_tie_note=d["family_tie_note"],
                    version=d["version"],
                    request=request,
                )
                messages.success(request, _("The facts are recorded."))
                return redirect("distribution:batch")
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = 400
    else:
        audit_record(
            user=request.user,
            action=Action.VIEW,
            obj=waiting.household,
            summary="Household's assignment facts viewed",
            request=request,
        )
    return render(
        request,
        "distribution/facts.html",
        {
            "org": org,
            "waiting": waiting,
            "adults": waiting.adults(timezone.localdate()),
            "tie_name": display.Names({m.code: m.name for m in municipalities})(
                known.family_tie if known and known.family_tie else None
            ),
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


def _progress_context(request: HttpRequest, run) -> dict:
    return {
        "run": run,
        "phase": display.PHASES.get(run.phase, _("Working")),
        "failure": display.FAILURES.get(run.failure, "") if run.failure else "",
        "gap_percent": number_format(100 * run.gap, 3) if run.gap is not None else "",
        "can_manage": _can_manage(request, run.organisation_id),
    }


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk)
    context = _progress_context(request, run)
    if run.status == RunStatus.DONE:
        show = request.GET.get("show", "all")
        show = show if show in selectors.LINE_FILTERS else "all"
        page = _page(request, selectors.run_lines(run, show))
        names = display.Names(selectors.quota_names(run.quota_year))
        for line in page.object_list:
            line.who = display.who(line)
            line.name = names(line.code) if line.code else ""
            line.engine_name = names(line.engine_code) if line.engine_code else ""
            line.score_text = display.score(line.score)
            line.margin_text = display.points(line.margin)
        _listed(request, run.organisation, f"Distribution proposals listed (run {run.pk})")
        context.update(
            page=page,
            show=show,
            filters=selectors.LINE_FILTERS,
            extra=f"&show={show}",
            counts=selectors.line_counts(run),
            intake=selectors.intake(run, names),
            confirm_form=ConfirmForm(initial={"version": run.version}),
            mean_score=display.score(run.figures.get("mean_score")),
        )
    return render(request, "distribution/run_detail.html", context)


@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled while the run is queued or solving; once it ends,
    the browser is sent to the full page (HX-Refresh)."""
    run = selectors.run_get(request.user, pk)
    response = render(request, "distribution/_progress.html", _progress_context(request, run))
    if not run.active and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, Perm.MANAGE_QUOTAS)
    try:
        services.cancel_run(user=request.user, run=run, request=request)
        messages.success(request, _("The run is being cancelled."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("distribution:run_detail", pk=run.pk)


@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, Perm.MANAGE_QUOTAS)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; look at the proposals again."))
        return redirect("distribution:run_detail", pk=run.pk)
    try:
        done = services.confirm_run(
            user=request.user, run=run, version=form.cleaned_data["version"], request=request
        )
        messages.success(
            request,
            ngettext(
                "%(n)s household (%(persons)s persons) is assigned; the municipalities see the "
                "arrivals.",
                "%(n)s households (%(persons)s persons) are assigned; the municipalities see the "
                "arrivals.",
                done.households,
            )
            % {"n": done.households, "persons": done.persons},
        )
        if done.skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)s household was left out: its case changed since the run.",
                    "%(n)s households were left out: their cases changed since the run.",
                    done.skipped,
                )
                % {"n": done.skipped},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("distribution:run_detail", pk=run.pk)


def _line_page(request: HttpRequest, line, form=None, status: int = 200) -> HttpResponse:
    run = line.run
    names = display.Names(selectors.quota_names(run.quota_year))
    can_manage = (
        _can_manage(request, run.organisation_id)
        and run.status == RunStatus.DONE
        and run.confirmed_at is None
    )
    if can_manage and form is None:
        form = OverrideForm(
            initial={"version": line.version, "code": line.code},
            municipalities=run.quota_year.quotas.all(),
        )
    members = list(Person.objects.filter(pk__in=line.members).order_by("date_of_birth", "pk"))
    return render(
        request,
        "distribution/line_detail.html",
        {
            "line": line,
            "run": run,
            "members": members,
            "name": names(line.code) if line.code else "",
            "engine_name": names(line.engine_code) if line.engine_code else "",
            "next_name": names(line.next_code) if line.next_code else "",
            "reason": display.note_text(line.reason, names),
            "binding": [display.note_text(n, names) for n in line.binding],
            "letter": display.letter(line, names, line.household.reference),
            "who": display.who(line),
            "score": display.score(line.score),
            "next_score": display.score(line.next_score),
            "margin": display.points(line.margin),
            "nationality": countries.name(line.nationality) if line.nationality else "",
            "language": language_name(line.language) or "" if line.language else "",
            "form": form if can_manage else None,
        },
        status=status,
    )


@require_GET
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get(request.user, pk)
    audit_record(
        user=request.user,
        action=Action.VIEW,
        obj=line.household,
        summary=f"Distribution proposal viewed (run {line.run_id})",
        request=request,
    )
    return _line_page(request, line)


@require_POST
def line_override(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get(request.user, pk, Perm.MANAGE_QUOTAS)
    form = OverrideForm(request.POST, municipalities=line.run.quota_year.quotas.all())
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.override_line(
                user=request.user,
                line=line,
                code=d["code"],
                reason=d["reason"],
                version=d["version"],
                request=request,
            )
            messages.success(request, _("The decision is recorded."))
            return redirect("distribution:run_detail", pk=line.run_id)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _line_page(request, line, form=form, status=400)
