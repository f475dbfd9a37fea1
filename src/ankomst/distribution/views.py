"""The national agency's quota pages. Thin: the rules live in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst import csv_export
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.charts import bar_chart
from ankomst.forms import add_service_errors

from . import selectors, services
from .forms import ExchangeForm, ReviseForm, YearForm


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
    municipal, regions = selectors.lines(quota_year)
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
    municipal, _regions = selectors.lines(quota_year)
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
