from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.accounts.selectors import organisations_with
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.money import currency_for_country, format_money

from . import exports, selectors, services
from .checks import run_problems
from .forms import CorrectionForm, LedgerEntryForm, MoneyNoteForm, PrepareForm, RunActionForm
from .models import RunStatus, Scheme
from .statements import statement_language


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm_anywhere(Perm.VIEW_PAYMENTS) and request.user.has_perm_anywhere(
        Perm.MANAGE_POCKET_MONEY
    ):
        # Centre staff follow the minors' pocket money, not the payment runs.
        return redirect("allowances:minor_list")
    require_perm_anywhere(request, Perm.VIEW_PAYMENTS)
    runs = selectors.runs_visible_to(request.user).select_related(
        "organisation", "prepared_by", "approved_by"
    )
    page = Paginator(runs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allowances/run_list.html",
        {
            "page": page,
            "can_prepare": request.user.has_perm_anywhere(Perm.PREPARE_PAYMENTS),
            "can_see_minors": (
                request.user.has_perm_anywhere(Perm.VIEW_PAYMENTS)
                or request.user.has_perm_anywhere(Perm.MANAGE_POCKET_MONEY)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def run_prepare(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.PREPARE_PAYMENTS)
    organisations = organisations_with(request.user, Perm.PREPARE_PAYMENTS)
    initial = {}
    if request.method == "GET":
        scheme = request.GET.get("scheme", Scheme.ALLOWANCE)
        if scheme not in Scheme.values:
            scheme = Scheme.ALLOWANCE
        # The dates suggested are the first operator's next period: it is chosen too.
        first = organisations.first()
        start, end, cutoff = selectors.default_period(first, scheme, timezone.localdate())
        initial = {
            "organisation": first,
            "scheme": scheme,
            "period_start": start,
            "period_end": end,
            "cutoff": cutoff,
        }
    form = PrepareForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.run_prepare(
                user=request.user,
                organisation=data["organisation"],
                scheme=data["scheme"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                cutoff=data["cutoff"],
                request=request,
            )
        except services.RunConflict as exc:
            messages.error(request, _error_text(exc))
            return redirect("allowances:run_detail", pk=exc.run.pk)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request, _("The run was prepared. Review it before a finance officer approves it.")
            )
            return redirect("allowances:run_detail", pk=run.pk)
    return render(request, "allowances/run_prepare.html", {"form": form})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    run = selectors.run_get(user, pk, request=request)
    keys = selectors.run_household_keys(run)
    page = Paginator(keys, 50).get_page(request.GET.get("page"))
    households = selectors.run_households(run, keys=list(page.object_list))
    org = run.organisation_id
    approver = user.has_perm_in(Perm.APPROVE_PAYMENTS, org)
    preparer = user.has_perm_in(Perm.PREPARE_PAYMENTS, org)
    problems = run_problems(run) if run.status in (RunStatus.DRAFT, RunStatus.APPROVED) else []
    rates = selectors.run_rates(run)
    return render(
        request,
        "allowances/run_detail.html",
        {
            "run": run,
            "page": page,
            "households": households,
            "differences": selectors.run_differences(run),
            "rates_missing": rates is None,
            "unconfirmed": rates.unconfirmed() if rates is not None else [],
            "problems": problems,
            # The same rules as the services: the button shows only where the action can succeed.
            "can_approve": not problems and services.may_approve(user, run),
            "can_lock": approver and run.status == RunStatus.APPROVED and not problems,
            "can_export": approver and run.is_final,
            "can_cancel": (approver or preparer)
            and run.status in (RunStatus.DRAFT, RunStatus.APPROVED),
            # A line of a final run is corrected in the next draft run (services.line_correct).
            "can_correct": preparer and run.status != RunStatus.CANCELLED,
        },
    )


def _seen_version(request: HttpRequest) -> int | None:
    """The version the page showed, carried by the form; None if the form did not carry it."""
    form = RunActionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _no_version(request: HttpRequest) -> None:
    messages.error(
        request,
        _("The form did not say which version of the run you saw; nothing was done. Try again."),
    )


def _stale_form(request: HttpRequest, run) -> HttpResponse:
    _no_version(request)
    return redirect("allowances:run_detail", pk=run.pk)


def _post_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    seen = _seen_version(request)
    if seen is None:
        return _stale_form(request, run)
    try:
        action(user=request.user, run=run, seen_version=seen, request=request)
    except PermissionDenied as exc:
        if not isinstance(exc, services.FourEyesViolation):
            raise
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect("allowances:run_detail", pk=run.pk)


@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, services.run_approve, _("The run was approved."))


@require_POST
def run_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk, services.run_lock, _("The run was locked; it can now be exported.")
    )


@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, services.run_cancel, _("The run was cancelled."))


def _export(request: HttpRequest, pk: int, what: str):
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    seen = _seen_version(request)
    if seen is None:
        _no_version(request)
        return run, None
    try:
        run = services.run_mark_exported(
            user=request.user, run=run, what=what, seen_version=seen, request=request
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return run, None
    return run, selectors.run_households(run)


@require_POST
def run_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run, households = _export(request, pk, "CSV")
    if households is None:
        return redirect("allowances:run_detail", pk=run.pk)
    response = HttpResponse(
        exports.run_csv(run, households), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="payment-run-{run.pk}-{run.period_start}.csv"'
    )
    return response


@require_POST
def run_export_bank(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    account = selectors.operator_account(run.organisation_id)
    if account is None:
        messages.error(
            request,
            _(
                "The operator's own bank account is not registered (administration: "
                "operator accounts), so no bank file can be made."
            ),
        )
        return redirect("allowances:run_detail", pk=run.pk)
    run, households = _export(request, pk, "bank file pain.001")
    if households is None:
        return redirect("allowances:run_detail", pk=run.pk)
    body = exports.run_pain001(
        run,
        households,
        debtor_name=run.organisation.name,
        debtor_iban=account.iban,
        debtor_bic=account.bic,
    )
    response = HttpResponse(body, content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="payment-run-{run.pk}-{run.period_start}.xml"'
    )
    return response


def statement(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    if "\x00" in key:  # no household key holds one; PostgreSQL cannot even compare it
        raise Http404
    groups = selectors.run_households(run, keys=[key])
    if not groups:
        raise Http404
    group = groups[0]
    audit_record(
        user=request.user,
        action=Action.VIEW,
        obj=run,
        request=request,
        person_id=group.head.pk if group.head else None,
        summary=f"Statement of household {group.reference} in {run}",
    )
    language = statement_language(selectors.native_language(group.head))

    def money(amount):
        # In the household's language, like the rest of the statement.
        return format_money(amount, run.currency, language=language.code)

    rows = [
        {"line": line, "name": language.component(line.rule), "amount": money(line.amount)}
        for line in group.lines
    ]
    return render(
        request,
        "allowances/statement.html",
        {
            "run": run,
            "group": group,
            "language": language,
            "t": language.texts,
            "rows": rows,
            "total_cash": money(group.total_cash),
            "total_in_kind": money(group.total_in_kind) if group.total_in_kind else "",
        },
    )


@require_http_methods(["GET", "POST"])
def line_correct(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    line = selectors.run_line(run, line_pk)
    if line is None:
        raise Http404
    if not request.user.has_perm_in(Perm.PREPARE_PAYMENTS, run.organisation_id):
        raise refuse(request.user, request=request, perm=Perm.PREPARE_PAYMENTS, record=run)
    # The page shows the resident's name and amount.
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="allowances.paymentline",
        object_id=line.pk,
        organisation_id=run.organisation_id,
        person_id=line.person_id,
        summary=f"Opened the correction of a line of {run}",
        request=request,
    )
    form = CorrectionForm(request.POST or None, initial={"amount": line.amount})
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.line_correct(
                user=request.user,
                line=line,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The correction was added as a new line."))
            return redirect("allowances:run_detail", pk=correction.run_id)
    return render(request, "allowances/line_correct.html", {"run": run, "line": line, "form": form})


def minor_list(request: HttpRequest) -> HttpResponse:
    if not (
        request.user.has_perm_anywhere(Perm.VIEW_PAYMENTS)
        or request.user.has_perm_anywhere(Perm.MANAGE_POCKET_MONEY)
    ):
        require_perm_anywhere(request, Perm.MANAGE_POCKET_MONEY)
    minors = selectors.minors_with_pocket_money(request.user)
    page = Paginator(minors, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    orgs = request.user.organisation_ids(Perm.VIEW_PAYMENTS) | request.user.organisation_ids(
        Perm.MANAGE_POCKET_MONEY
    )
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="people.person",
        organisation_id=min(orgs),
        summary=f"Viewed the list of minors with pocket money, page {page.number} "
        f"({len(page.object_list)} of {page.paginator.count})",
        request=request,
    )
    return render(request, "allowances/minor_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def minor_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.minor_get(user, pk, request=request, audit=request.method == "GET")
    can_manage = user.has_perm_in(Perm.MANAGE_POCKET_MONEY, person.organisation_id)
    today = timezone.localdate()
    entry_form = LedgerEntryForm(initial={"on": today}, prefix="entry")
    note_form = MoneyNoteForm(initial={"on": today}, prefix="note")
    if request.method == "POST":
        if not can_manage:
            raise refuse(user, request=request, perm=Perm.MANAGE_POCKET_MONEY, record=person)
        if "entry-amount" in request.POST:
            entry_form = LedgerEntryForm(request.POST, prefix="entry")
            if entry_form.is_valid():
                try:
                    services.pocket_money_entry_add(
                        user=user, person=person, request=request, **entry_form.cleaned_data
                    )
                except ValidationError as exc:
                    entry_form.add_error(None, _error_text(exc))
                else:
                    messages.success(request, _("The entry was added to the ledger."))
                    return redirect("allowances:minor_ledger", pk=person.pk)
        else:
            note_form = MoneyNoteForm(request.POST, prefix="note")
            if note_form.is_valid():
                try:
                    services.money_note_add(
                        user=user, person=person, request=request, **note_form.cleaned_data
                    )
                except ValidationError as exc:
                    note_form.add_error(None, _error_text(exc))
                else:
                    messages.success(request, _("The note was saved."))
                    return redirect("allowances:minor_ledger", pk=person.pk)
    rows = selectors.ledger(person)
    return render(
        request,
        "allowances/minor_ledger.html",
        {
            "person": person,
            "rows": rows,
            "balance": rows[-1].balance if rows else 0,
            "currency": currency_for_country(person.organisation.country),
            "notes": selectors.money_notes(person),
            "can_manage": can_manage,
            "entry_form": entry_form,
            "note_form": note_form,
        },
    )


def rate_table(request: HttpRequest, country: str, year: int) -> HttpResponse:
    """The rate table of a country and year as it is in force, read-only: every value with its
    source, or the note saying why it is assumed."""
    require_perm_anywhere(request, Perm.VIEW_PAYMENTS)
    try:
        rates = services.rates_or_error(country.upper(), year)
    except ValidationError as exc:
        return render(
            request,
            "allowances/rate_table.html",
            {"error": _error_text(exc), "country": country.upper(), "year": year},
            status=404,
        )
    components = list(rates.components) + ([rates.pocket_money] if rates.pocket_money else [])
    return render(
        request,
        "allowances/rate_table.html",
        {
            "rates": rates,
            "country": rates.country,
            "year": rates.year,
            "country_name": services.country_name(rates.country),
            "components": components,
            "rules": {c.deduction.code: c.deduction for c in components if c.deduction}.values(),
        },
    )
