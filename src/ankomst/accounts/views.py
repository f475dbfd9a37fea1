from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ankomst.people.selectors import households_visible_to, persons_visible_to

from .roles import Perm


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"memberships": user.active_memberships}
    if user.has_perm_anywhere(Perm.VIEW_FIGURES):
        # Aggregates only: counts carry no personal data and are not audited.
        persons = persons_visible_to(user, Perm.VIEW_FIGURES)
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
