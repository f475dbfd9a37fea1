from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import refuse, require_perm_anywhere
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from . import exports, selectors, services
from .forms import CorrectionForm, LedgerEntryForm, MoneyNoteForm, PrepareForm
from .models import OperatorAccount, PaymentLine, RunStatus, Scheme
from .statements import statement_language


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run_list(request: HttpRequest) -> HttpResponse:
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
    organisations = Organisation.objects.filter(
        pk__in=request.user.organisation_ids(Perm.PREPARE_PAYMENTS)
    )
    initial = {}
    if request.method == "GET":
        scheme = request.GET.get("scheme", Scheme.ALLOWANCE)
        start, end, cutoff = selectors.default_period(
            organisations.first(), scheme, timezone.localdate()
        )
        initial = {"scheme": scheme, "period_start": start, "period_end": end, "cutoff": cutoff}
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
    return render(
        request,
        "allowances/run_detail.html",
        {
            "run": run,
            "page": page,
            "households": households,
            "differences": selectors.run_differences(run),
            "unconfirmed": selectors.run_rates(run).unconfirmed(),
            "can_approve": approver
            and run.status == RunStatus.DRAFT
            and run.prepared_by_id != user.pk,
            "can_lock": approver and run.status == RunStatus.APPROVED,
            "can_export": approver and run.is_final,
            "can_cancel": (approver or preparer)
            and run.status in (RunStatus.DRAFT, RunStatus.APPROVED),
            "can_correct": preparer,
        },
    )


def _post_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    try:
        action(user=request.user, run=run, request=request)
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
    try:
        run = services.run_mark_exported(user=request.user, run=run, what=what, request=request)
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
    account = OperatorAccount.objects.filter(organisation_id=run.organisation_id).first()
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
    rows = [{"line": line, "name": language.component(line.rule)} for line in group.lines]
    return render(
        request,
        "allowances/statement.html",
        {
            "run": run,
            "group": group,
            "language": language,
            "t": language.texts,
            "rows": rows,
        },
    )


@require_http_methods(["GET", "POST"])
def line_correct(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk, request=request, audit=False)
    line = PaymentLine.objects.filter(run=run, pk=line_pk).select_related("person").first()
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
            "notes": selectors.money_notes(person),
            "can_manage": can_manage,
            "entry_form": entry_form,
            "note_form": note_form,
        },
    )
