from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ankomst.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/two-factor/", include("ankomst.security.urls")),
    path("accounts/", include("ankomst.accounts.urls")),
    path("people/", include("ankomst.people.urls")),
    path("audit/", include("ankomst.audit.urls")),
    path("activities/", include("ankomst.activities.urls")),
    path("concerns/", include("ankomst.casework.urls")),
    path("centres/", include("ankomst.centres.urls")),
    path("payments/", include("ankomst.allowances.urls")),
    path("reception/", include("ankomst.reception.urls")),
    path("community/", include("ankomst.community.urls")),
    path("housing/", include("ankomst.housing.urls")),
    path("distribution/", include("ankomst.distribution.urls")),
    # The language can be chosen before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# The 400 page names the bad value (the 403, 404 and 500 pages are templates of their own).
handler400 = "ankomst.errors.bad_request"
