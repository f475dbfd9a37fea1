from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ankomst.accounts.roles import Perm
from ankomst.limits import MAX_SEARCH_LENGTH
from ankomst.params import parse_id
from ankomst.people.selectors import person_search

from .display import event_rows
from .models import Action
from .selectors import audit_events_for, audited_person, audited_users
from .services import audit_record

# Persons named by one filter: more than this asks for a more precise name.
MAX_FILTER_PERSONS = 20


def _int_or_none(value: str | None) -> int | None:
    return parse_id(value)


def events(request: HttpRequest) -> HttpResponse:
    user = request.user
    org_ids = user.organisation_ids(Perm.VIEW_AUDIT)
    audit_events_for(user, request=request)  # refuses (audited) without VIEW_AUDIT
    errors = []
    name = request.GET.get("name", "").strip()[:MAX_SEARCH_LENGTH]
    person_id = _int_or_none(request.GET.get("person"))
    actor_id = _int_or_none(request.GET.get("user"))
    action = request.GET.get("action", "")
    if action not in Action.values:
        action = ""
    person_ids = None
    persons = []
    if person_id is not None:
        person_ids = [person_id]
        persons = audited_person(org_ids, person_id)
    elif name:
        persons = list(
            person_search(user, name, perm=Perm.VIEW_AUDIT).filter(organisation_id__in=org_ids)[
                : MAX_FILTER_PERSONS + 1
            ]
        )
        if not persons:
            errors.append(_("No person of your organisation matches “%(name)s”.") % {"name": name})
        elif len(persons) > MAX_FILTER_PERSONS:
            errors.append(_("Many persons match; write more of the name or the case number."))
            persons = persons[:MAX_FILTER_PERSONS]
        person_ids = [p.pk for p in persons]
    qs = audit_events_for(user, person_ids=person_ids, actor_id=actor_id, action=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    filters = {"name": name, "person": person_id or "", "user": actor_id or "", "action": action}
    rows = event_rows(user, list(page.object_list))
    # Written after the page was read, so that it lists the events as they were.
    audit_record(
        user=user,
        action=Action.VIEW,
        object_type="audit.auditevent",
        organisation_id=min(org_ids),
        person_id=person_id,
        summary="Read the audit log "
        + urlencode({k: v for k, v in filters.items() if v})
        + f" page {page.number}",
        request=request,
    )
    users = audited_users(org_ids)
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "rows": rows,
            "users": users,
            "actions": Action.choices,
            "name": name,
            "persons": persons,
            "person_id": person_id,
            "actor_id": actor_id,
            "action": action,
            "errors": errors,
            "pagination_extra": "&" + urlencode(filters),
        },
    )
