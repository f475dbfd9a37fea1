from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.community import selectors as community_selectors
from ankomst.forms import add_service_errors
from ankomst.people.selectors import households_visible_to, persons_visible_to
from ankomst.reception.figures import goal_organisation_ids

from . import selectors, services
from .forms import MembershipAddForm, MembershipChangeForm, PasswordSetForm, UserCreateForm
from .permissions import require_perm_anywhere
from .roles import Perm


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "memberships": user.active_memberships,
        "reads_goals": bool(goal_organisation_ids(user)),
    }
    volunteer = community_selectors.me(user)
    if volunteer is not None:
        context["volunteer"] = volunteer
        context["next_shifts"] = list(community_selectors.my_signups(volunteer)[:3])
    if user.has_perm_anywhere(Perm.VIEW_COMMUNITY):
        context["community_urgent"] = [r for r in community_selectors.coverage(user) if r.urgent]
        orgs = set(community_selectors.community_organisations(user).values_list("pk", flat=True))
        context["community_figures"] = community_selectors.figures(orgs, timezone.localdate())
    elif community_selectors.figures_organisation_ids(user):
        context["reads_community_figures"] = True
    # A volunteer organisation holds no residents: its people read the community's figures.
    persons = persons_visible_to(user, Perm.VIEW_FIGURES)
    if user.has_perm_anywhere(Perm.VIEW_FIGURES) and persons.exists():
        # Aggregates only: counts carry no personal data and are not audited.
        context["figures"] = {
            "persons": persons.count(),
            "households": households_visible_to(user, Perm.VIEW_FIGURES).count(),
            "by_nationality": list(
                persons.values("nationality").annotate(n=Count("id")).order_by("-n")[:8]
            ),
        }
    return render(request, "home.html", context)


@login_not_required
def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "registration/locked_out.html", status=429)


# --- users and memberships, for the organisation's administrators --------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    # A page showing a temporary password must not stay in a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


def _forms_context(request: HttpRequest) -> dict:
    return {
        "organisations": selectors.organisations_with(request.user, Perm.MANAGE_USERS),
        "units": selectors.managed_units(request.user),
    }


def user_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_USERS)
    users = list(selectors.users_managed_by(request.user))
    locked_out = selectors.locked_out_usernames([u.username for u in users])
    audit_record(
        user=request.user,
        action=Action.VIEW,
        object_type="accounts.user",
        organisation_id=min(request.user.organisation_ids(Perm.MANAGE_USERS)),
        summary=f"Listed {len(users)} user accounts",
        request=request,
    )
    return render(request, "accounts/user_list.html", {"users": users, "locked_out": locked_out})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request, Perm.MANAGE_USERS)
    form = UserCreateForm(request.POST or None, **_forms_context(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(actor=request.user, request=request, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _no_store(
                render(
                    request,
                    "accounts/temporary_password.html",
                    {"account": user, "password": password, "created": True},
                )
            )
    return render(request, "accounts/user_form.html", {"form": form})


@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(request.user, pk, request=request)
    return _user_page(request, account)


def _user_page(
    request, account, *, add_form=None, change_forms=None, password_form=None, status=200
):
    memberships = account.managed_memberships
    change_forms = change_forms or {}
    for m in memberships:
        m.change_form = change_forms.get(m.pk) or MembershipChangeForm(
            membership=m, initial={"role": m.role, "unit": m.unit_id}, prefix=f"m{m.pk}"
        )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "memberships": memberships,
            "add_form": add_form or MembershipAddForm(**_forms_context(request)),
            "password_form": password_form or PasswordSetForm(),
            "locked_out": account.username in selectors.locked_out_usernames([account.username]),
            "whole_account": services.manages_whole_user(request.user, account),
        },
        status=status,
    )


@require_http_methods(["POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(request.user, pk, request=request)
    form = MembershipAddForm(request.POST, **_forms_context(request))
    if form.is_valid():
        try:
            services.membership_add(
                actor=request.user, user=account, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, add_form=form, status=400)


@require_http_methods(["POST"])
def membership_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(request.user, pk, request=request)
    account = selectors.user_get(request.user, membership.user_id, request=request)
    form = MembershipChangeForm(request.POST, membership=membership, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            services.membership_change(
                actor=request.user, membership=membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The membership was changed."))
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, change_forms={membership.pk: form}, status=400)


@require_http_methods(["POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(request.user, pk, request=request)
    try:
        services.membership_end(actor=request.user, membership=membership, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The membership was ended."))
    return redirect("user_detail", pk=membership.user_id)


@require_http_methods(["POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A temporary password (shown once) or, with the form filled in, the password given."""
    account = selectors.user_get(request.user, pk, request=request)
    if request.POST.get("temporary"):
        try:
            password = services.password_reset(actor=request.user, user=account, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("user_detail", pk=account.pk)
        return _no_store(
            render(
                request,
                "accounts/temporary_password.html",
                {"account": account, "password": password, "created": False},
            )
        )
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.password_set(
                actor=request.user,
                user=account,
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(request, _("The new password was set."))
            return redirect("user_detail", pk=account.pk)
    return _user_page(request, account, password_form=form, status=400)


@require_http_methods(["POST"])
def user_lock(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(request.user, pk, request=request)
    locked = request.POST.get("locked") == "1"
    try:
        services.user_set_locked(actor=request.user, user=account, locked=locked, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The account was locked.") if locked else _("The account was unlocked.")
        )
    return redirect("user_detail", pk=account.pk)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own page; the change goes into the audit log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_by_self(user=self.request.user, request=self.request)
        return response
