"""The housing department's pages. Thin: every rule lives in services and selectors; the
placement itself runs in the task queue, never in a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankomst import reviewed
from ankomst.accounts.permissions import refuse
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.centres.forms import CsvForm
from ankomst.forms import add_service_errors
from ankomst.limits import MAX_ID
from ankomst.reception import selectors as reception
from ankomst.runs import RunStatus

from . import display, imports, maps, rules, selectors, services
from .forms import (
    AreaCreateForm,
    AreaForm,
    AreaRuleForm,
    DecisionForm,
    MoveInForm,
    NeedForm,
    OfferForm,
    OverrideForm,
    ReplyForm,
    RunForm,
    UnitEditForm,
    UnitForm,
    VersionForm,
    WithdrawForm,
)
from .models import Area, HousingKind, ProposalStatus, UnitStatus

IMPORT_SALT = "housing.units.import"


def _choice(request: HttpRequest, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _int(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else 0


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:40].replace("\x00", "")


def _page(request: HttpRequest, qs):
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _listed(request: HttpRequest, organisation, object_type: str, summary: str) -> None:
    audit_record(
        user=request.user,
        action=Action.SEARCH,
        organisation_id=organisation.pk,
        object_type=object_type,
        summary=summary,
        request=request,
    )


def _viewed(request: HttpRequest, record, summary: str = "") -> None:
    audit_record(
        user=request.user, action=Action.VIEW, obj=record, summary=summary, request=request
    )


def _names(organisation_id: int) -> display.Names:
    """The municipality's area names, for wording the engine's notes."""
    return display.Names(
        dict(Area.objects.filter(organisation_id=organisation_id).values_list("code", "name"))
    )


def _can_manage(request: HttpRequest, organisation_id: int) -> bool:
    return request.user.has_perm_in(Perm.MANAGE_HOUSING, organisation_id)


def _manage(request: HttpRequest):
    return selectors.municipality(request.user, request, Perm.MANAGE_HOUSING)


def _edit(request, record, form, save, data, message: str, back: str) -> HttpResponse | None:
    """The POST of a page that edits its own record: refused without the right to change it;
    saved through the service (``save(data, version)``) and back to ``back``; or None, and the
    page is shown again with the form's or the service's errors."""
    if request.method != "POST":
        return None
    if form is None:
        raise refuse(request.user, request=request, perm=Perm.MANAGE_HOUSING, record=record)
    if form.is_valid():
        try:
            save(data(form.cleaned_data), form.cleaned_data["version"])
            messages.success(request, message)
            return redirect(back)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return None


# --- overview ----------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    today = timezone.localdate()
    stays = selectors.temporary_stays(org.pk, today)
    stock = selectors.stock_figures(org.pk)
    kinds = [
        {
            "label": HousingKind(kind).label,
            "available": counts.get(UnitStatus.AVAILABLE, 0),
            "let": counts.get(UnitStatus.LET, 0),
            "withdrawn": counts.get(UnitStatus.WITHDRAWN, 0),
        }
        for kind, counts in sorted(stock.items())
    ]
    return render(
        request,
        "housing/overview.html",
        {
            "org": org,
            "orgs": selectors.municipalities(request.user),
            "waiting": selectors.waiting_count(org.pk),
            "stays": stays,
            "kinds": kinds,
            "offers": selectors.offers(org.pk, show="open").count(),
            "accepted_offers": selectors.offers(org.pk, show="accepted").count(),
            "latest": selectors.runs(org.pk).first(),
            "history": selectors.history(org.pk, today.year),
            "year": today.year,
            "can_manage": _can_manage(request, org.pk),
        },
    )


# --- stock -------------------------------------------------------------------------------


@require_GET
def units(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    show = _choice(request, "show", selectors.UNIT_FILTERS, "available")
    query, area = _query(request), _int(request, "area")
    page = _page(request, selectors.units(org.pk, show=show, query=query, area=area))
    return render(
        request,
        "housing/units.html",
        {
            "org": org,
            "page": page,
            "show": show,
            "query": query,
            "area": area,
            "areas": selectors.areas(org.pk),
            "filters": selectors.UNIT_FILTERS,
            "extra": f"&show={show}&q={query}&area={area}",
            "can_manage": _can_manage(request, org.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    org = _manage(request)
    form = UnitForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(
                user=request.user,
                organisation=org,
                data={k: form.cleaned_data[k] for k in services.UNIT_FIELDS},
                request=request,
            )
            messages.success(request, _("The unit was added to the stock."))
            return redirect("housing:unit_detail", unit.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "housing/unit_form.html", {"form": form, "org": org}, status=_status(form)
    )


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk, request=request)
    can_manage = _can_manage(request, unit.organisation_id)
    form = None
    if can_manage:
        form = UnitEditForm(
            request.POST or None,
            instance=unit,
            organisation=unit.organisation,
            initial={"version": unit.version},
        )
    saved = _edit(
        request,
        unit,
        form,
        lambda data, version: services.update_unit(
            user=request.user, unit=unit, data=data, version=version, request=request
        ),
        lambda cleaned: {k: cleaned[k] for k in services.UNIT_FIELDS},
        _("The unit was saved."),
        reverse("housing:unit_detail", args=[unit.pk]),
    )
    if saved is not None:
        return saved
    if request.method == "POST":
        unit.refresh_from_db()
    tenancies = unit.tenancies.select_related("need__arrival__household").order_by("-moved_in_on")
    offers = unit.offers.select_related("need__arrival__household").order_by("-offered_on")
    return render(
        request,
        "housing/unit_detail.html",
        {
            "unit": unit,
            "form": form,
            "status_form": VersionForm(initial={"version": unit.version}),
            "tenancies": tenancies[:20],
            "offers": offers[:20],
            "can_manage": can_manage,
        },
        status=_status(form) if form is not None else 200,
    )


@require_POST
def unit_status(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = VersionForm(request.POST)
    status = request.POST.get("status", "")
    if form.is_valid():
        try:
            services.set_unit_status(
                user=request.user,
                unit=unit,
                status=status,
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(
                request,
                _("The unit is back in the stock.")
                if status == UnitStatus.AVAILABLE
                else _("The unit was withdrawn from the stock."),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    return redirect("housing:unit_detail", unit.pk)


def _import_page(request, org, status: int = 200, **context) -> HttpResponse:
    return render(
        request,
        "housing/import.html",
        {"org": org, "columns": imports.column_help(), **context},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    """Dry run first: every bad row with its line and reason; import only a clean file."""
    org = _manage(request)
    form = CsvForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        report = imports.parse(content, organisation=org)
        context.update(
            report=report,
            payload=reviewed.sign(content, IMPORT_SALT) if report.ok else "",
        )
    return _import_page(request, org, status=_status(form), **context)


@require_POST
def unit_import_confirm(request: HttpRequest) -> HttpResponse:
    org = _manage(request)
    content = reviewed.unsign(request.POST.get("payload", ""), IMPORT_SALT)
    if not isinstance(content, str):
        return _import_page(
            request,
            org,
            form=CsvForm(),
            status=400,
            payload_error=_("The checked rows could not be read back; check the file again."),
        )
    report = imports.parse(content, organisation=org)
    if report.ok:
        try:
            n = services.import_units(
                user=request.user, organisation=org, units=report.units, request=request
            )
            messages.success(request, _("%(n)s units were added to the stock.") % {"n": n})
            return redirect("housing:units")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _import_page(request, org, form=CsvForm(), report=report, status=400)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _manage(request)
    return reviewed.template_csv(
        imports.COLUMNS,
        [imports.TEMPLATE_ROW[c] for c in imports.COLUMNS],
        "housing-units-template.csv",
    )


@require_GET
def areas(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    rows = list(selectors.areas(org.pk))
    for area in rows:
        area.countrymen_total = selectors.countrymen_total(area)
    return render(
        request,
        "housing/areas.html",
        {"org": org, "areas": rows, "can_manage": _can_manage(request, org.pk)},
    )


@require_http_methods(["GET", "POST"])
def area_create(request: HttpRequest) -> HttpResponse:
    org = _manage(request)
    form = AreaCreateForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("code", "name", "kind", "population", "ceiling")}
        data["countrymen"] = form.cleaned_data["countrymen_text"]
        try:
            services.create_area(user=request.user, organisation=org, data=data, request=request)
            messages.success(request, _("The area was added."))
            return redirect("housing:areas")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request, "housing/area_form.html", {"form": form, "org": org}, status=_status(form)
    )


@require_http_methods(["GET", "POST"])
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = selectors.area_get(request.user, pk, request=request)
    can_manage = _can_manage(request, area.organisation_id)
    form = AreaForm(request.POST or None, instance=area) if can_manage else None
    saved = _edit(
        request,
        area,
        form,
        lambda data, version: services.update_area(
            user=request.user, area=area, data=data, version=version, request=request
        ),
        lambda cleaned: {
            "name": cleaned["name"],
            "population": cleaned["population"],
            "ceiling": cleaned["ceiling"],
            "countrymen": cleaned["countrymen_text"],
        },
        _("The area was saved."),
        reverse("housing:areas"),
    )
    if saved is not None:
        return saved
    countrymen = [
        (display.nationality_name(code), n) for code, n in sorted((area.countrymen or {}).items())
    ]
    return render(
        request,
        "housing/area_detail.html",
        {"area": area, "form": form, "countrymen": countrymen, "can_manage": can_manage},
        status=_status(form) if form is not None else 200,
    )


# --- waiting households ------------------------------------------------------------------


@require_GET
def needs(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    services.open_needs(org.pk, user=request.user, request=request)
    show = _choice(request, "show", selectors.NEED_FILTERS, "waiting")
    query = _query(request)
    page = _page(request, selectors.needs(org.pk, show=show, query=query))
    _listed(request, org, "housing.housingneed", f"Waiting households listed ({show})")
    return render(
        request,
        "housing/needs.html",
        {
            "org": org,
            "page": page,
            "show": show,
            "query": query,
            "filters": selectors.NEED_FILTERS,
            "extra": f"&show={show}&q={query}",
        },
    )


@require_http_methods(["GET", "POST"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(request.user, pk, request=request)
    org_id = need.organisation_id
    can_manage = _can_manage(request, org_id)
    sensitive = request.user.has_perm_in(Perm.VIEW_SENSITIVE, org_id)
    form = (
        NeedForm(request.POST or None, instance=need, sensitive=sensitive) if can_manage else None
    )
    saved = _edit(
        request,
        need,
        form,
        lambda data, version: services.update_need(
            user=request.user, need=need, data=data, version=version, request=request
        ),
        lambda cleaned: {k: v for k, v in cleaned.items() if k != "version"},
        _("The household's housing need was saved."),
        reverse("housing:need_detail", args=[need.pk]),
    )
    if saved is not None:
        return saved
    _viewed(request, need)
    members = reception.members(need.arrival)
    composition = rules.composition([m.date_of_birth for m in members], need.move_in_by)
    return render(
        request,
        "housing/need_detail.html",
        {
            "need": need,
            "arrival": need.arrival,
            "members": members,
            "composition": composition,
            "computed_budget": rules.rent_budget(composition),
            "cap": rules.temporary_cap(composition, timezone.localdate()),
            "form": form,
            "rule_form": AreaRuleForm(organisation=need.organisation) if can_manage else None,
            "area_rules": need.area_rules.select_related("area", "created_by"),
            "proposals": need.proposals.select_related("run", "unit__area").order_by("-run_id")[
                :10
            ],
            "offers": need.offers.select_related("unit__area"),
            "tenancies": need.tenancies.select_related("unit__area"),
            "can_manage": can_manage,
            "sensitive": sensitive,
        },
        status=_status(form) if form is not None else 200,
    )


@require_POST
def need_rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = AreaRuleForm(request.POST, organisation=need.organisation)
    if form.is_valid():
        try:
            services.add_area_rule(
                user=request.user,
                need=need,
                area=form.cleaned_data["area"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, _("The area rule was added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose the area and the rule, and give the reason."))
    return redirect("housing:need_detail", need.pk)


@require_POST
def need_rule_remove(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    need = selectors.need_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    rule = need.area_rules.filter(pk=rule_pk if 0 < rule_pk <= MAX_ID else 0).first()
    if rule is not None:
        services.remove_area_rule(user=request.user, rule=rule, request=request)
        messages.success(request, _("The area rule was removed."))
    return redirect("housing:need_detail", need.pk)


# --- runs --------------------------------------------------------------------------------


@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    return render(
        request,
        "housing/runs.html",
        {
            "org": org,
            "page": _page(request, selectors.runs(org.pk)),
            "form": RunForm(),
            "active": selectors.active_run(org.pk),
            "can_manage": _can_manage(request, org.pk),
        },
    )


@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    org = _manage(request)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_run(
                user=request.user,
                organisation=org,
                time_limit=form.cleaned_data["time_limit"],
                request=request,
            )
            return redirect("housing:run_detail", run.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("housing:runs")


def _progress_context(request: HttpRequest, run) -> dict:
    return {
        "run": run,
        "phase": display.phase_text(run.phase),
        "failure": display.failure_text(run.failure),
        "gap_percent": number_format(100 * run.gap, 3) if run.gap is not None else "",
        "can_manage": _can_manage(request, run.organisation_id),
    }


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request)
    context = _progress_context(request, run)
    if run.status == RunStatus.DONE:
        show = _choice(request, "show", selectors.PROPOSAL_FILTERS, "open")
        page = _page(request, selectors.proposals(run, show=show))
        names = _names(run.organisation_id)
        for proposal in page.object_list:
            proposal.reason_text = display.note_text(proposal.reason, names)
        _listed(
            request, run.organisation, "housing.proposal", f"Placement proposals listed ({show})"
        )
        context.update(
            page=page,
            show=show,
            filters=selectors.PROPOSAL_FILTERS,
            counts=selectors.proposal_counts(run),
            extra=f"&show={show}",
            figures=maps.figures(run, names),
        )
    return render(request, "housing/run_detail.html", context)


@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by htmx while the run is queued or solving; once it
    ends, the browser is sent to the full page (HX-Refresh)."""
    run = selectors.run_get(request.user, pk, request=request)
    response = render(request, "housing/_progress.html", _progress_context(request, run))
    if not run.active and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    try:
        services.cancel_run(user=request.user, run=run, request=request)
        messages.success(request, _("The run is being cancelled."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("housing:run_detail", run.pk)


@require_POST
def run_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    try:
        n, left = services.accept_all(user=request.user, run=run, request=request)
        messages.success(request, _("%(n)s proposals were accepted.") % {"n": n})
        if left:
            messages.warning(
                request,
                ngettext(
                    "%(n)s proposal stays open: its unit went to another household. Decide on it "
                    "by hand, or run again.",
                    "%(n)s proposals stay open: their units went to other households. Decide on "
                    "them by hand, or run again.",
                    left,
                )
                % {"n": left},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("housing:run_detail", args=[run.pk]) + "?show=accepted")


@require_GET
def run_map(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request)
    context = maps.page(run.organisation, run=run, show="proposed")
    return render(request, "housing/map.html", {**context, "run": run})


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    show = _choice(request, "show", maps.SHOW, "placed")
    context = maps.page(org, run=None, show=show)
    return render(request, "housing/map.html", {**context, "org": org})


# --- proposals ---------------------------------------------------------------------------


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk, request=request)
    can_manage = _can_manage(request, proposal.organisation_id)
    names = _names(proposal.organisation_id)
    _viewed(request, proposal)
    return render(
        request,
        "housing/proposal_detail.html",
        _proposal_context(proposal, names, can_manage),
    )


def _proposal_context(proposal, names, can_manage, **forms) -> dict:
    open_ = proposal.status == ProposalStatus.PROPOSED and proposal.run.status == RunStatus.DONE
    offerable = (
        proposal.status == ProposalStatus.ACCEPTED
        and not proposal.offers.filter(status__in=("open", "accepted")).exists()
    )
    return {
        "proposal": proposal,
        "need": proposal.need,
        "binding": [display.note_text(n, names) for n in proposal.binding],
        "reason": display.note_text(proposal.reason, names),
        "regret": None
        if proposal.cost is None or proposal.best_cost is None
        else max(proposal.cost - proposal.best_cost, 0),
        "can_manage": can_manage,
        "open": open_,
        "offerable": offerable,
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"version": proposal.version}),
        "override_form": forms.get("override_form")
        or (
            OverrideForm(
                initial={"version": proposal.version},
                units=selectors.override_choices(proposal),
            )
            if can_manage and open_
            else None
        ),
        "offer_form": forms.get("offer_form")
        or OfferForm(
            initial={"reply_by": timezone.localdate() + dt.timedelta(days=services.REPLY_DAYS)}
        ),
    }


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    units = selectors.override_choices(proposal) if action == "override" else ()
    form = (
        OverrideForm(request.POST, units=units)
        if action == "override"
        else DecisionForm(request.POST)
    )
    if form.is_valid():
        try:
            services.decide(
                user=request.user,
                proposal=proposal,
                action=action,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
                unit=form.cleaned_data.get("unit"),
                request=request,
            )
            messages.success(
                request,
                {
                    "accept": _("The proposal was accepted."),
                    "reject": _("The proposal was rejected; the household waits for the next run."),
                    "override": _("The household was given the unit you chose."),
                }[action],
            )
            return redirect("housing:proposal_detail", proposal.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    names = _names(proposal.organisation_id)
    key = "override_form" if action == "override" else "decision_form"
    proposal.refresh_from_db()
    context = _proposal_context(proposal, names, True, **{key: form})
    return render(request, "housing/proposal_detail.html", context, status=400)


@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "accept")


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reject")


@require_POST
def proposal_override(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "override")


@require_POST
def proposal_offer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            offer = services.make_offer(
                user=request.user,
                proposal=proposal,
                reply_by=form.cleaned_data["reply_by"],
                request=request,
            )
            messages.success(request, _("The offer was made."))
            return redirect("housing:offer_detail", offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    names = _names(proposal.organisation_id)
    context = _proposal_context(proposal, names, True, offer_form=form)
    return render(request, "housing/proposal_detail.html", context, status=400)


# --- offers and stays --------------------------------------------------------------------


@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    show = _choice(request, "show", selectors.OFFER_FILTERS, "open")
    page = _page(request, selectors.offers(org.pk, show=show))
    _listed(request, org, "housing.offer", f"Housing offers listed ({show})")
    return render(
        request,
        "housing/offers.html",
        {
            "org": org,
            "page": page,
            "show": show,
            "filters": selectors.OFFER_FILTERS,
            "extra": f"&show={show}",
            "today": timezone.localdate(),
        },
    )


def _offer_page(request, offer, status: int = 200, **forms) -> HttpResponse:
    can_manage = _can_manage(request, offer.organisation_id)
    members = reception.members(offer.need.arrival)
    payment = services.monthly_payment(offer.unit, members, timezone.localdate())
    return render(
        request,
        "housing/offer_detail.html",
        {
            "offer": offer,
            "need": offer.need,
            "unit": offer.unit,
            "payment": payment,
            "capped": payment < Decimal(offer.unit.rent),
            "can_manage": can_manage,
            "reply_form": forms.get("reply_form") or ReplyForm(initial={"version": offer.version}),
            "withdraw_form": forms.get("withdraw_form")
            or WithdrawForm(initial={"version": offer.version}),
            "move_in_form": forms.get("move_in_form")
            or MoveInForm(initial={"version": offer.version, "moved_in_on": timezone.localdate()}),
        },
        status=status,
    )


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, request=request)
    _viewed(request, offer)
    return _offer_page(request, offer)


def _reply(request: HttpRequest, pk: int, accepted: bool) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_offer(
                user=request.user,
                offer=offer,
                accepted=accepted,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["decline_reason"],
                replied_on=form.cleaned_data["replied_on"],
                request=request,
            )
            messages.success(
                request,
                _("The household accepted the offer.")
                if accepted
                else _("The household declined the offer; it waits for the next run."),
            )
            return redirect("housing:offer_detail", offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    offer.refresh_from_db()
    return _offer_page(request, offer, status=400, reply_form=form)


@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply(request, pk, True)


@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply(request, pk, False)


@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_offer(
                user=request.user,
                offer=offer,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, _("The offer was withdrawn."))
            return redirect("housing:offer_detail", offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    offer.refresh_from_db()
    return _offer_page(request, offer, status=400, withdraw_form=form)


@require_POST
def offer_move_in(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(request.user, pk, perm=Perm.MANAGE_HOUSING, request=request)
    form = MoveInForm(request.POST)
    if form.is_valid():
        try:
            tenancy = services.move_in(
                user=request.user,
                offer=offer,
                moved_in_on=form.cleaned_data["moved_in_on"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(
                request,
                _("The move-in was recorded; the household stays on the list for a permanent home.")
                if tenancy.temporary
                else _("The move-in was recorded and the arrival's housing task closed."),
            )
            return redirect("housing:offer_detail", offer.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    offer.refresh_from_db()
    return _offer_page(request, offer, status=400, move_in_form=form)


@require_GET
def stays(request: HttpRequest) -> HttpResponse:
    org = selectors.municipality(request.user, request)
    today = timezone.localdate()
    data = selectors.temporary_stays(org.pk, today)
    for stay in data["stays"]:
        stay.days = services.temporary_days(stay, today)
    page = _page(request, data["stays"])
    _listed(request, org, "housing.tenancy", "Temporary stays listed")
    return render(request, "housing/stays.html", {"org": org, "page": page, "data": data})


@require_GET
def caps(request: HttpRequest) -> HttpResponse:
    selectors.municipality(request.user, request)
    return render(
        request,
        "housing/caps.html",
        {
            "years": rules.temporary_caps_table(),
            "budget": rules.budget_table(),
        },
    )
