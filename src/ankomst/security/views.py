from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from . import twofactor
from .forms import CodeForm, SetupForm

WAIT_MESSAGE = _lazy(
    "After a wrong code the next try must wait a moment. Try again in a few seconds."
)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "security/two_factor.html",
        {
            "enabled": twofactor.has_device(user),
            "required": twofactor.is_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "form": CodeForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.has_device(user) and not user.is_verified():
        return redirect("security:verify")
    device = twofactor.totp_pending(user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and twofactor.must_wait(user, device):
        form.add_error("code", WAIT_MESSAGE)
    elif request.method == "POST" and form.is_valid():
        codes = twofactor.two_factor_enable(
            user=user, device=device, token=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            otp_login(request, twofactor.totp_device(user))
            return render(request, "security/recovery_codes.html", {"codes": codes, "new": True})
        form.add_error("code", _("The code is wrong or too old. Enter the code the app shows now."))
    return render(
        request,
        "security/setup.html",
        {
            "form": form,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_for_typing(device),
            "required": twofactor.is_required(user),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not twofactor.has_device(user):
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and twofactor.must_wait(user):
        form.add_error("code", WAIT_MESSAGE)
    elif request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("You used a recovery code. %(left)s are left.")
                    % {"left": twofactor.recovery_codes_left(user)},
                )
            return redirect(_safe_next(request))
        form.add_error("code", _("The code is wrong. Try the code the app shows now."))
    return render(request, "security/verify.html", {"form": form, "next": _safe_next(request)})


@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_device(request.user):
        return redirect("security:two_factor")
    codes = twofactor.recovery_codes_renew(user=request.user, request=request)
    return render(request, "security/recovery_codes.html", {"codes": codes, "new": False})


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST)
    if form.is_valid() and match_token(user, form.cleaned_data["code"]) is not None:
        twofactor.two_factor_disable(user=user, request=request)
        messages.success(request, _("Two-factor authentication was removed."))
        return redirect("security:two_factor")
    messages.error(request, _("The code is wrong; two-factor authentication was not removed."))
    return redirect("security:two_factor")
