"""Which fields of a person's record each role may see: the one role × field table.

The person selectors attach these fields to every person they return, and the person
page and the search results show a field only when it is in the set. A role sees only
what its job needs:

- a teacher: the names in the class lists of their own sessions (the activities app
  shows them); no search and no person record;
- a volunteer coordinator: what community work needs: the name, the languages and the
  size of the household;
- a finance officer: what payments need: the name, the case number (on the bank file),
  the date of birth and the household (the rates depend on age and family);
- a manager: figures, not records;
- caseworkers, centre staff and administrators: the whole record. GDPR Art. 9 data
  (health, religion, ethnicity) is never part of it: it needs ``Perm.VIEW_SENSITIVE``
  and a stated purpose on a page of its own.

A role that may search and open records at all holds ``Perm.VIEW_PERSON``
(``roles.py``); a test keeps both tables in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured

from .roles import Role


class PersonField(StrEnum):
    # The name in Latin letters and as written in the identity document.
    NAME = "name"
    # Other names and spellings.
    ALIASES = "aliases"
    # With the age and whether the date is estimated.
    DATE_OF_BIRTH = "date_of_birth"
    SEX = "sex"
    NATIONALITY = "nationality"
    LANGUAGES = "languages"
    PHONE = "phone"
    # Asylum case number, CPR number, UNHCR number (and searching by them).
    IDENTIFIERS = "identifiers"
    # The household, its members and their relations; "unaccompanied minor".
    HOUSEHOLD = "household"
    # How many persons live in the household, nothing about them.
    HOUSEHOLD_SIZE = "household_size"
    # Needs accessible housing.
    HOUSING_NEEDS = "housing_needs"
    # The organisation that holds the record.
    ORGANISATION = "organisation"
    # Bed, stays and case phases (the centres' section of the person page).
    STAYS = "stays"


WHOLE_RECORD = frozenset(PersonField)

ROLE_PERSON_FIELDS: dict[str, frozenset[PersonField]] = {
    Role.ADMINISTRATOR: WHOLE_RECORD,
    Role.CASEWORKER: WHOLE_RECORD,
    Role.CENTRE_STAFF: WHOLE_RECORD,
    Role.TEACHER: frozenset({PersonField.NAME}),
    Role.FINANCE_OFFICER: frozenset(
        {
            PersonField.NAME,
            PersonField.DATE_OF_BIRTH,
            PersonField.IDENTIFIERS,
            PersonField.HOUSEHOLD,
            PersonField.HOUSEHOLD_SIZE,
            PersonField.ORGANISATION,
        }
    ),
    Role.VOLUNTEER_COORDINATOR: frozenset(
        {PersonField.NAME, PersonField.LANGUAGES, PersonField.HOUSEHOLD_SIZE}
    ),
    Role.VOLUNTEER: frozenset(),
    Role.MANAGER: frozenset(),
}


class VisibleFields:
    """The fields of one record a user may see; in templates ``visible.phone`` is a bool.

    An unknown name raises instead of rendering as false, so that a misspelt field in a
    template fails its test rather than hiding data silently (or showing it).
    """

    __slots__ = ("fields",)

    def __init__(self, fields: Iterable[PersonField]):
        object.__setattr__(self, "fields", frozenset(fields))

    def __contains__(self, field: PersonField) -> bool:
        return field in self.fields

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return PersonField(name) in self.fields
        except ValueError:
            raise ImproperlyConfigured(f"{name!r} is not a person field") from None

    @property
    def whole_record(self) -> bool:
        return self.fields == WHOLE_RECORD

    def names(self) -> list[str]:
        return [field.value for field in PersonField if field in self.fields]

    def __repr__(self) -> str:
        return f"VisibleFields({', '.join(self.names())})"


def role_person_fields(role: str) -> frozenset[PersonField]:
    return ROLE_PERSON_FIELDS.get(role, frozenset())


def person_fields_for(user, organisation_id: int) -> VisibleFields:
    """What ``user`` may see of a record held by ``organisation_id``: the union over the
    roles they hold there."""
    fields: set[PersonField] = set()
    for membership in user.active_memberships:
        if membership.organisation_id == organisation_id:
            fields |= role_person_fields(membership.role)
    return VisibleFields(fields)


def organisation_ids_seeing(user, field: PersonField) -> set[int]:
    """The organisations whose records show ``field`` to ``user``."""
    return {
        m.organisation_id for m in user.active_memberships if field in role_person_fields(m.role)
    }
