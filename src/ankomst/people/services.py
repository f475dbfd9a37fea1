"""Writes of personal data: validated, in one transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ankomst.accounts.models import Organisation
from ankomst.accounts.permissions import require_perm
from ankomst.accounts.roles import Perm
from ankomst.audit.models import Action
from ankomst.audit.services import audit_record, diff_changes
from ankomst.records import update_record

from .models import Household, Person, PersonAlias, PersonIdentifier, PersonLanguage, SensitiveData
from .validators import cpr_birth_date, normalise_identifier

PERSON_FIELDS = (
    "name_document",
    "name_latin",
    "date_of_birth",
    "date_of_birth_estimated",
    "sex",
    "nationality",
    "phone",
    "needs_accessible_housing",
    "household",
    "relation",
)


@dataclass(frozen=True)
class IdentifierInput:
    kind: str
    value: str


@dataclass(frozen=True)
class LanguageInput:
    language_id: int
    level: str


def _snapshot(person: Person) -> dict[str, Any]:
    return {**model_to_dict(person, fields=PERSON_FIELDS), **_related_snapshot(person)}


def _related_snapshot(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    data["aliases"] = sorted(a.name for a in person.aliases.all())
    data["identifiers"] = sorted(f"{i.kind}:{i.value}" for i in person.identifiers.all())
    data["languages"] = sorted(f"{pl.language.code}:{pl.level}" for pl in person.languages.all())
    return data


# Every entry path (the person form, the population import, a bus of arrivals) checks a
# person's values with this one function before anything is written, so a value one path
# refuses is refused on all, and PostgreSQL never sees a value its columns cannot hold.
PERSON_CLEAN_EXCLUDE = ["organisation", "household", "search_names", "search_keys"]


def person_value_errors(
    person: Person, *, aliases: list[str] = (), identifiers: list[IdentifierInput] = ()
) -> dict[str, list[str]]:
    """What is wrong with the values of ``person``, its aliases and identifiers, per field.

    No database query: the uniqueness of identifiers is checked where they are written.
    """
    errors: dict[str, list[str]] = {}
    try:
        person.clean_fields(exclude=PERSON_CLEAN_EXCLUDE)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    alias_field = PersonAlias._meta.get_field("name")
    for alias in aliases:
        try:
            alias_field.clean(alias.strip(), None)
        except ValidationError as exc:
            errors.setdefault("aliases", []).extend(
                f"{alias[:40]}…: {m}" if len(alias) > 40 else f"{alias}: {m}" for m in exc.messages
            )
    value_field = PersonIdentifier._meta.get_field("value")
    for ident in identifiers:
        try:
            value_field.clean(ident.value.strip(), None)
        except ValidationError as exc:
            errors.setdefault("identifiers", []).extend(exc.messages)
    return errors


def _check_values(person: Person, aliases, identifiers) -> None:
    errors = person_value_errors(person, aliases=list(aliases), identifiers=list(identifiers))
    if errors:
        raise ValidationError(errors)


def validate_identifiers(person: Person, identifiers: list[IdentifierInput]) -> None:
    """Format and consistency of identifiers, raised as one ValidationError."""
    errors: list[str] = []
    seen: set[str] = set()
    for ident in identifiers:
        if ident.kind in seen:
            errors.append(_("Give each kind of identifier only once."))
        seen.add(ident.kind)
        if ident.kind == "cpr":
            try:
                born = cpr_birth_date(ident.value)
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if (
                person.date_of_birth
                and not person.date_of_birth_estimated
                and born != person.date_of_birth
            ):
                errors.append(_("The CPR number does not match the date of birth."))
        clash = PersonIdentifier.objects.filter(
            organisation_id=person.organisation_id,
            kind=ident.kind,
            normalised=normalise_identifier(ident.value),
        )
        if person.pk:
            clash = clash.exclude(person_id=person.pk)
        if clash.exists():
            errors.append(
                _("The number %(value)s is already registered for another person.")
                % {"value": ident.value}
            )
    if errors:
        raise ValidationError(errors)


def _write_related(
    person: Person,
    *,
    aliases: list[str],
    identifiers: list[IdentifierInput],
    languages: list[LanguageInput],
) -> None:
    person.aliases.all().delete()
    PersonAlias.objects.bulk_create(
        [PersonAlias(person=person, name=n.strip()) for n in dict.fromkeys(aliases) if n.strip()]
    )
    person.identifiers.all().delete()
    for ident in identifiers:
        PersonIdentifier(person=person, kind=ident.kind, value=ident.value.strip()).save()
    person.languages.all().delete()
    PersonLanguage.objects.bulk_create(
        [
            PersonLanguage(person=person, language_id=lang.language_id, level=lang.level)
            for lang in languages
        ]
    )
    # Aliases feed the search columns.
    person.refresh_search()
    Person.objects.filter(pk=person.pk).update(
        search_names=person.search_names, search_keys=person.search_keys
    )


def _check_household(user, person: Person) -> None:
    if person.household_id and person.household.organisation_id != person.organisation_id:
        raise ValidationError(_("The household belongs to another organisation."))


@transaction.atomic
def person_create(
    *,
    user,
    organisation: Organisation,
    fields: dict[str, Any],
    aliases: list[str] = (),
    identifiers: list[IdentifierInput] = (),
    languages: list[LanguageInput] = (),
    request: HttpRequest | None = None,
) -> Person:
    require_perm(user, Perm.EDIT_PERSON, organisation.pk)
    person = Person(organisation=organisation, **fields)
    _check_values(person, aliases, identifiers)
    person.full_clean(exclude=["search_names", "search_keys"])
    _check_household(user, person)
    validate_identifiers(person, list(identifiers))
    try:
        with transaction.atomic():
            person.save()
            _write_related(
                person,
                aliases=list(aliases),
                identifiers=list(identifiers),
                languages=list(languages),
            )
    except IntegrityError as exc:  # a parallel save took the same number
        raise ValidationError(
            _("The record could not be saved: %(reason)s") % {"reason": exc}
        ) from exc
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=person,
        summary="Created person",
        changes=diff_changes({}, _snapshot(person)),
        request=request,
    )
    return person


@transaction.atomic
def person_update(
    *,
    user,
    person: Person,
    fields: dict[str, Any],
    aliases: list[str],
    identifiers: list[IdentifierInput],
    languages: list[LanguageInput],
    request: HttpRequest | None = None,
) -> Person:
    require_perm(user, Perm.EDIT_PERSON, person.organisation_id)
    # Lock the row: two caseworkers saving at once are applied one after the other.
    locked = Person.objects.select_for_update().get(pk=person.pk)
    before = _related_snapshot(locked)

    def check(p: Person) -> None:
        _check_values(p, aliases, identifiers)
        _check_household(user, p)
        validate_identifiers(p, list(identifiers))

    changes = update_record(
        locked,
        {name: fields[name] for name in PERSON_FIELDS if name in fields},
        check=check,
        clean_exclude=["search_names", "search_keys"],
    )
    _write_related(
        locked, aliases=list(aliases), identifiers=list(identifiers), languages=list(languages)
    )
    changes.update(diff_changes(before, _related_snapshot(locked)))
    if changes:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=locked,
            summary="Changed person",
            changes=changes,
            request=request,
        )
    return locked


@transaction.atomic
def household_create(
    *,
    user,
    organisation: Organisation,
    reference: str = "",
    notes: str = "",
    request: HttpRequest | None = None,
) -> Household:
    require_perm(user, Perm.EDIT_PERSON, organisation.pk)
    if not reference:
        reference = next_household_reference(organisation)
    household = Household(organisation=organisation, reference=reference, notes=notes)
    household.full_clean()
    household.save()
    audit_record(
        user=user,
        action=Action.CREATE,
        obj=household,
        summary=f"Created household {household.reference}",
        request=request,
    )
    return household


def next_household_reference(organisation: Organisation) -> str:
    last = (
        Household.objects.filter(organisation=organisation, reference__startswith="H-")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[2:]) + 1 if last and last[2:].isdigit() else 1
    return f"H-{number:05d}"


@transaction.atomic
def household_update(
    *, user, household: Household, reference: str, notes: str, request: HttpRequest | None = None
) -> Household:
    require_perm(user, Perm.EDIT_PERSON, household.organisation_id)
    locked = Household.objects.select_for_update().get(pk=household.pk)
    changes = update_record(locked, {"reference": reference, "notes": notes})
    if changes:
        audit_record(
            user=user,
            action=Action.CHANGE,
            obj=locked,
            summary="Changed household",
            changes=changes,
            request=request,
        )
    return locked


def sensitive_get(
    user, person: Person, *, purpose: str, request: HttpRequest | None = None
) -> SensitiveData:
    """Art. 9 data; reading it needs its own permission and is logged with the purpose."""
    require_perm(user, Perm.VIEW_SENSITIVE, person.organisation_id)
    # Reading makes no row: an empty record is shown until someone writes one.
    data = SensitiveData.objects.filter(person=person).first() or SensitiveData(person=person)
    audit_record(
        user=user,
        action=Action.VIEW_SENSITIVE,
        obj=person,
        summary="Viewed health, religion and ethnicity",
        purpose=purpose,
        request=request,
    )
    return data


@transaction.atomic
def sensitive_update(
    *,
    user,
    person: Person,
    health_notes: str,
    religion: str,
    ethnicity: str,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> SensitiveData:
    require_perm(user, Perm.EDIT_SENSITIVE, person.organisation_id)
    data, _created = SensitiveData.objects.select_for_update().get_or_create(person=person)
    before = {
        "health_notes": data.health_notes,
        "religion": data.religion,
        "ethnicity": data.ethnicity,
    }
    data.health_notes, data.religion, data.ethnicity = health_notes, religion, ethnicity
    data.updated_by = user
    data.save()
    audit_record(
        user=user,
        action=Action.CHANGE,
        obj=person,
        summary="Changed sensitive data",
        changes=diff_changes(
            before, {"health_notes": health_notes, "religion": religion, "ethnicity": ethnicity}
        ),
        purpose=purpose,
        request=request,
    )
    return data


def own_household(person: Person) -> Household:
    """The person's household; one of their own (reference ``P<id>``) for a person alone,
    so that a household is what is assigned, handed over and housed."""
    if person.household_id is not None:
        return person.household
    household = Household.objects.create(
        organisation_id=person.organisation_id, reference=f"P{person.pk}"
    )
    person.household = household
    person.save(update_fields=["household"])
    return household
