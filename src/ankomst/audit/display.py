"""How an event is shown: the record type in words, a link where the reader may open it,
the person's name where the reader may see it, and changed fields by their labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ankomst.accounts.roles import PERM_LABELS, Perm

from .models import AuditEvent

# Record types that have a page: (url name, permission the reader needs in the record's
# organisation). A record of an organisation the reader does not hold it in gets no link.
RECORD_PAGES = {
    "people.person": ("people:person_detail", Perm.VIEW_PERSON),
    "people.household": ("people:household_detail", Perm.VIEW_PERSON),
    "casework.concern": ("casework:concern_detail", Perm.VIEW_CONCERNS),
    "allowances.paymentrun": ("allowances:run_detail", Perm.VIEW_PAYMENTS),
    "activities.activity": ("activities:activity_detail", Perm.VIEW_ALL_ACTIVITIES),
    "accounts.user": ("user_detail", Perm.MANAGE_USERS),
}


def record_type_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return _("Other record")
    return capfirst(model._meta.verbose_name)


def field_label(object_type: str, field: str) -> str:
    try:
        model = apps.get_model(object_type)
        return capfirst(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field.replace("_", " ")


_MISSING = re.compile(r"^Missing permission (\w+)(?: and (\w+))?")


def summary_text(event: AuditEvent) -> str:
    """A refusal for want of a permission says which, in words; other summaries as written."""
    if event.action in ("login", "logout"):
        return ""  # the action says it all
    if event.action == "denied" and event.summary.endswith("is outside the user's reach"):
        return _("Refused: the record is outside the user's organisations")
    match = _MISSING.match(event.summary) if event.action == "denied" else None
    if match is None:
        return event.summary
    first, second = (str(PERM_LABELS.get(code, code)) if code else "" for code in match.groups())
    if second:
        first = _("%(first)s and %(second)s") % {"first": first, "second": second}
    return _("Refused: needs the right to %(rights)s") % {"rights": first}


@dataclass
class EventRow:
    event: AuditEvent
    record_type: str
    record_url: str
    person_name: str
    summary: str
    changes: list[tuple[str, object, object]]


def event_rows(user, events: list[AuditEvent]) -> list[EventRow]:
    from ankomst.people.models import Person

    person_orgs = user.organisation_ids(Perm.VIEW_PERSON)
    person_ids = {e.person_id for e in events if e.person_id}
    names = dict(
        Person.objects.filter(pk__in=person_ids, organisation_id__in=person_orgs).values_list(
            "pk", "name_latin"
        )
    )
    rows = []
    for event in events:
        url = ""
        page = RECORD_PAGES.get(event.object_type)
        if (
            page
            and event.object_id.isdigit()
            and event.organisation_id in user.organisation_ids(page[1])
        ):
            url = reverse(page[0], args=[int(event.object_id)])
        changes = [
            (field_label(event.object_type, field), *values)
            for field, values in (event.changes or {}).items()
            if isinstance(values, list) and len(values) == 2
        ]
        rows.append(
            EventRow(
                event=event,
                record_type=record_type_label(event.object_type),
                record_url=url,
                person_name=names.get(event.person_id, ""),
                summary=summary_text(event),
                changes=changes,
            )
        )
    return rows
