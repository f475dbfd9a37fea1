"""Reads of personal data. Every query here is scoped to the user's organisations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
from ankomst.limits import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS

from .models import Household, Person, PersonIdentifier
from .names import (
    clean_query,
    coarse_key,
    fold,
    key_pattern,
    name_keys,
    query_units,
)
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


_IDENTIFIER_LENGTH = PersonIdentifier._meta.get_field("normalised").max_length


@dataclass(frozen=True)
class SearchQuery:
    """What a search looks up: the cleaned text and its folded words, within the limits.

    ``shortened`` says the text was cut to MAX_SEARCH_LENGTH characters, ``words_dropped``
    that words beyond MAX_SEARCH_WORDS were left out; the page tells the user either way.
    Bounding the query keeps the SQL small on both backends (5,000 words once made SQLite
    refuse the statement).
    """

    text: str
    words: tuple[str, ...]
    shortened: bool = False
    words_dropped: bool = False


def search_query(raw: str | SearchQuery) -> SearchQuery:
    if isinstance(raw, SearchQuery):
        return raw
    text = clean_query(raw)
    shortened = len(text) > MAX_SEARCH_LENGTH
    if shortened:
        text = text[:MAX_SEARCH_LENGTH].rstrip()
    words = fold(text).split()
    return SearchQuery(
        text=text,
        words=tuple(words[:MAX_SEARCH_WORDS]),
        shortened=shortened,
        words_dropped=len(words) > MAX_SEARCH_WORDS,
    )


def person_search(
    user, query: str | SearchQuery, *, perm: Perm = Perm.VIEW_PERSON
) -> QuerySet[Person]:
    """Persons matching every word of ``query`` by either spelling, or an identifier.

    A word matches a name when it is the start of a folded name word (any case,
    accents or script) or when their matching keys agree (Mohammed, Muhammad; see
    names.py). A prefix word and the word after it (Al Khatib) may also match as one
    word (Alkhatib). The query is bounded first (:func:`search_query`).
    A number finds a person only where the user may see identifiers: otherwise the
    search would tell whose case number it is. Results carry ``household_size``; call
    ``with_visible_fields`` on the page shown.
    """
    query = search_query(query)
    persons = persons_visible_to(user, perm)
    if not query.words:
        return persons.none()
    normalised = normalise_identifier(query.text)
    identifier_orgs = user.organisation_ids(perm) & organisation_ids_seeing(
        user, PersonField.IDENTIFIERS
    )
    identified = (
        list(
            PersonIdentifier.objects.filter(
                organisation_id__in=identifier_orgs, normalised=normalised
            ).values_list("person_id", flat=True)[:100]
        )
        if any(ch.isdigit() for ch in normalised) and len(normalised) <= _IDENTIFIER_LENGTH
        else []
    )
    units = query_units(list(query.words))
    matches = Q()
    for unit in units:
        matches &= _unit_q(unit)
    if connection.vendor == "postgresql":
        # The same rule, with a necessary condition the GIN index of migration 0006 serves.
        matches = Q(_full_text_candidates(units)) & matches
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


def _word_q(word: str) -> Q:
    word_q = Q(search_names__contains=f" {word}")
    if word.isdigit():
        return word_q  # a number's key is the number: the prefix already covers it
    for key in name_keys(word):
        # A LIKE with one wildcard per vowel first (cheap, in C on SQLite), then the exact
        # rule of names.key_pattern as a regular expression on the rows that pass it.
        like = "".join("_" if ch in "aiue" else ch for ch in key)
        word_q |= Q(
            RawSQL("people_person.search_keys LIKE %s", [f"% {like} %"], BooleanField())
        ) & Q(search_keys__regex=f" {key_pattern(key)} ")
    return word_q


def _unit_q(unit: tuple[str, ...]) -> Q:
    apart = Q()
    for word in unit:
        apart &= _word_q(word)
    return apart if len(unit) == 1 else apart | _word_q("".join(unit))


def _full_text_candidates(units: list[tuple[str, ...]]) -> RawSQL:
    """Every word's prefix or coarse key as a tsquery, served by the GIN index.

    Folded words and keys hold only [a-z0-9], so they are safe tsquery lexemes.
    """

    def term(word: str) -> str:
        return "(" + " | ".join([f"{word}:*", *(coarse_key(k) for k in name_keys(word))]) + ")"

    terms = []
    for unit in units:
        apart = " & ".join(term(word) for word in unit)
        terms.append(apart if len(unit) == 1 else f"(({apart}) | {term(''.join(unit))})")
    return RawSQL(
        "to_tsvector('simple'::regconfig, people_person.search_names || ' '"
        " || translate(people_person.search_keys, 'iue', 'aaa'))"
        " @@ to_tsquery('simple'::regconfig, %s)",
        [" & ".join(terms)],
        output_field=BooleanField(),
    )
