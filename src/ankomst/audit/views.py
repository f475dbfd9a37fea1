from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from ankomst.accounts.models import User
from ankomst.accounts.roles import Perm

from .models import Action
from .selectors import audit_events_for


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def events(request: HttpRequest) -> HttpResponse:
    person_id = _int_or_none(request.GET.get("person"))
    actor_id = _int_or_none(request.GET.get("user"))
    action = request.GET.get("action", "")
    if action not in Action.values:
        action = ""
    qs = audit_events_for(request.user, person_id=person_id, actor_id=actor_id, action=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    org_ids = request.user.organisation_ids(Perm.VIEW_AUDIT)
    users = (
        User.objects.filter(memberships__organisation_id__in=org_ids)
        .distinct()
        .order_by("username")
    )
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "users": users,
            "actions": Action.choices,
            "person_id": person_id,
            "actor_id": actor_id,
            "action": action,
            "pagination_extra": "&"
            + urlencode({"person": person_id or "", "user": actor_id or "", "action": action}),
        },
    )
