"""Reads of personal data. Every query here is scoped to the user's organisations."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record

from .models import Household, Person, PersonIdentifier
from .names import fold, name_key
from .validators import normalise_identifier


def persons_visible_to(user, perm: Perm = Perm.VIEW_PERSON) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id__in=user.organisation_ids(perm))


def households_visible_to(user, perm: Perm = Perm.VIEW_PERSON) -> QuerySet[Household]:
    return Household.objects.filter(organisation_id__in=user.organisation_ids(perm))


def _denied(user, request: HttpRequest | None, object_type: str, object_id) -> Http404:
    audit_record(user=user, action=Action.DENIED, object_type=object_type, object_id=object_id,
                 organisation_id=user.primary_organisation.pk if user.primary_organisation else None,
                 summary=f"{object_type} {object_id} is outside the user's organisations",
                 request=request)
    return Http404()


def person_get(user, pk: int, *, perm: Perm = Perm.VIEW_PERSON, request: HttpRequest | None = None,
               purpose: str = "", audit: bool = True) -> Person:
    """One person the user may see, audited; a 404 (and a denied event) otherwise.

    A 404 rather than a 403: the existence of a person in another organisation
    is itself personal data.
    """
    person = (
        persons_visible_to(user, perm)
        .select_related("household", "organisation")
        .prefetch_related("aliases", "identifiers", "languages__language")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise _denied(user, request, "people.person", pk)
    if audit:
        audit_record(user=user, action=Action.VIEW, obj=person, summary="Viewed person record",
                     purpose=purpose, request=request)
    return person


def household_get(user, pk: int, *, perm: Perm = Perm.VIEW_PERSON,
                  request: HttpRequest | None = None, audit: bool = True) -> Household:
    household = (
        households_visible_to(user, perm)
        .select_related("organisation")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("date_of_birth")))
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise _denied(user, request, "people.household", pk)
    if audit:
        audit_record(user=user, action=Action.VIEW, obj=household,
                     summary=f"Viewed household {household.reference}", request=request)
    return household


def person_search(user, query: str, *, perm: Perm = Perm.VIEW_PERSON) -> QuerySet[Person]:
    """Persons matching every word of ``query`` by either spelling, or an identifier.

    A word matches a name when it is the start of a folded name word (any case,
    accents or script) or when both have the same matching key (Mohammed, Muhammad).
    """
    persons = persons_visible_to(user, perm)
    query = (query or "").strip()
    if not query:
        return persons.none()
    words = fold(query).split()
    if not words:
        return persons.none()
    by_name = Q()
    for word in words:
        word_q = Q(search_names__contains=f" {word}")
        key = name_key(word)
        if key:
            word_q |= Q(search_keys__contains=f" {key} ")
        by_name &= word_q
    normalised = normalise_identifier(query)
    by_identifier = Q(
        pk__in=PersonIdentifier.objects.filter(
            organisation_id__in=user.organisation_ids(perm), normalised=normalised
        ).values("person_id")
    )
    return persons.filter(by_name | by_identifier).select_related("household").order_by("name_latin", "id")
