"""Request handling that protects every page: language, session limits, caching, 2FA."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import twofactor

SESSION_STARTED = "ankomst_session_started"
SESSION_LAST_SEEN = "ankomst_last_seen"
# The moment of last activity is written at most this often, not on every request.
LAST_SEEN_RESOLUTION = 60


class ConfiguredLanguageMiddleware:
    """The interface speaks the configured language (``ANKOMST_LANGUAGE``) unless the user
    chose another with the language switch, which sets a cookie.

    Django's LocaleMiddleware would follow the browser's Accept-Language instead; a shared
    computer in a Danish office set up in English must still show Danish.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SessionTimeoutMiddleware:
    """Ends a session after ``IDLE_TIMEOUT`` seconds without a request, and in any case
    ``SESSION_COOKIE_AGE`` seconds after signing in (the absolute limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            if started is None or last_seen is None:
                session[SESSION_STARTED] = started or now
                session[SESSION_LAST_SEEN] = now
            elif now - started >= settings.SESSION_COOKIE_AGE:
                return self._end(request, _("Your session has ended. Please sign in again."))
            elif now - last_seen >= settings.IDLE_TIMEOUT:
                return self._end(
                    request,
                    _("You were signed out after a period without activity. Please sign in again."),
                )
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        if request.headers.get("HX-Request") == "true":
            # An htmx request (a tap on the attendance list) would swap the login page into
            # a fragment; htmx loads the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages seen signed in hold personal data: no browser or proxy may keep a copy
    (the back button on a shared computer after signing out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class TwoFactorMiddleware:
    """A user with a second factor must give its code before any page; a user whose role
    requires a second factor must set one up first. Until then only the two-factor pages,
    signing out and the language switch answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        open_paths = {
            reverse("logout"),
            reverse("set_language"),
            reverse("security:verify"),
            reverse("security:setup"),
        }
        if request.path in open_paths or request.path.startswith(settings.STATIC_URL):
            return None
        if twofactor.has_device(user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('security:verify')}?{query}")
        if twofactor.is_required(user):
            return redirect("security:setup")
        return None
