"""Reads of personal data. Every query here is scoped to the user's organisations."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from ankomst.accounts.permissions import refuse
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


def person_get(
    user,
    pk: int,
    *,
    perm: Perm = Perm.VIEW_PERSON,
    request: HttpRequest | None = None,
    purpose: str = "",
    audit: bool = True,
) -> Person:
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
        raise refuse(user, request=request, model=Person, pk=pk, not_found=True)
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            obj=person,
            summary="Viewed person record",
            purpose=purpose,
            request=request,
        )
    return person


def household_get(
    user,
    pk: int,
    *,
    perm: Perm = Perm.VIEW_PERSON,
    request: HttpRequest | None = None,
    audit: bool = True,
) -> Household:
    household = (
        households_visible_to(user, perm)
        .select_related("organisation")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("date_of_birth")))
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise refuse(user, request=request, model=Household, pk=pk, not_found=True)
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            obj=household,
            summary=f"Viewed household {household.reference}",
            request=request,
        )
    return household


def person_search(user, query: str, *, perm: Perm = Perm.VIEW_PERSON) -> QuerySet[Person]:
    """Persons matching every word of ``query`` by either spelling, or an identifier.

    A word matches a name when it is the start of a folded name word (any case,
    accents or script) or when both have the same matching key (Mohammed, Muhammad).
    """
    persons = persons_visible_to(user, perm)
    words = fold(query or "").split()
    if not words:
        return persons.none()
    normalised = normalise_identifier(query)
    identified = (
        list(
            PersonIdentifier.objects.filter(
                organisation_id__in=user.organisation_ids(perm), normalised=normalised
            ).values_list("person_id", flat=True)[:100]
        )
        if any(ch.isdigit() for ch in normalised)
        else []
    )
    if connection.vendor == "postgresql":
        matches = _full_text_match(words, identified)
    else:
        matches = Q()
        for word in words:
            word_q = Q(search_names__contains=f" {word}")
            key = name_key(word)
            if key:
                word_q |= Q(search_keys__contains=f" {key} ")
            matches &= word_q
        if identified:
            matches |= Q(pk__in=identified)
    return persons.filter(matches).select_related("household").order_by("name_latin", "id")


def _full_text_match(words: list[str], identified: list[int]) -> RawSQL:
    """The same rule as a tsquery, served by the GIN index of migration 0004.

    Folded words and keys hold only [a-z0-9], so they are safe tsquery lexemes.
    """
    terms = []
    for word in words:
        key = name_key(word)
        terms.append(f"({word}:*" + (f" | {key}" if key else "") + ")")
    return RawSQL(
        "(to_tsvector('simple'::regconfig, people_person.search_names || ' ' || people_person.search_keys)"
        " @@ to_tsquery('simple'::regconfig, %s) OR people_person.id = ANY(%s))",
        [" & ".join(terms), identified],
        output_field=BooleanField(),
    )
