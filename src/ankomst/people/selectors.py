"""Reads of personal data. Every query here is scoped to the user's organisations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from ankomst.accounts.fields import PersonField, organisation_ids_seeing, person_fields_for
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


def _household_size() -> Coalesce:
    """The number of persons in the person's household (1 without a household)."""
    members = (
        Person.objects.filter(household_id=OuterRef("household_id"))
        .order_by()
        .values("household_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(members), 1)


def with_visible_fields(user, persons: Iterable[Person]) -> list[Person]:
    """Attaches to each person ``visible``: the fields ``user`` may see of that record
    (the role × field table of ``ankomst.accounts.fields``)."""
    persons = list(persons)
    cache: dict[int, object] = {}
    for person in persons:
        if person.organisation_id not in cache:
            cache[person.organisation_id] = person_fields_for(user, person.organisation_id)
        person.visible = cache[person.organisation_id]
    return persons


def search_columns(user) -> set[PersonField]:
    """The fields shown as columns of search results: those the user sees in any of the
    organisations they may search in."""
    return {
        field
        for field in PersonField
        if organisation_ids_seeing(user, field) & user.organisation_ids(Perm.VIEW_PERSON)
    }


# What the person page loads for each field it may show.
_FIELD_PREFETCHES = {
    PersonField.ALIASES: "aliases",
    PersonField.IDENTIFIERS: "identifiers",
    PersonField.LANGUAGES: "languages__language",
}


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
    is itself personal data. The person carries ``visible``, the fields the user's roles
    may see; only those are loaded, and the audit event names them.
    """
    person = (
        persons_visible_to(user, perm)
        .select_related("household", "organisation")
        .annotate(household_size=_household_size())
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise refuse(user, request=request, model=Person, pk=pk, not_found=True)
    with_visible_fields(user, [person])
    prefetch_related_objects(
        [person],
        *(lookup for field, lookup in _FIELD_PREFETCHES.items() if field in person.visible),
    )
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            obj=person,
            summary=f"Viewed person record ({', '.join(person.visible.names())})",
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
    if household is None or PersonField.HOUSEHOLD not in person_fields_for(
        user, household.organisation_id
    ):
        raise refuse(user, request=request, model=Household, pk=pk, not_found=True)
    household.visible = person_fields_for(user, household.organisation_id)
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
    A number finds a person only where the user may see identifiers: otherwise the
    search would tell whose case number it is. Results carry ``household_size``; call
    ``with_visible_fields`` on the page shown.
    """
    persons = persons_visible_to(user, perm)
    words = fold(query or "").split()
    if not words:
        return persons.none()
    normalised = normalise_identifier(query)
    identifier_orgs = user.organisation_ids(perm) & organisation_ids_seeing(
        user, PersonField.IDENTIFIERS
    )
    identified = (
        list(
            PersonIdentifier.objects.filter(
                organisation_id__in=identifier_orgs, normalised=normalised
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
    results = (
        persons.filter(matches)
        .select_related("household")
        .annotate(household_size=_household_size())
        .order_by("name_latin", "id")
    )
    if organisation_ids_seeing(user, PersonField.LANGUAGES) & user.organisation_ids(perm):
        results = results.prefetch_related("languages__language")
    return results


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
