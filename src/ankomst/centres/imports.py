"""Reading a population from CSV: an existing population (with current beds) or a bus of arrivals.

Every row is checked before anything is written; a file with one bad row
imports nothing, and the report names each bad row by line number and reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ankomst.audit.models import Action
from ankomst.audit.services import audit_record
from ankomst.people.models import Household, IdentifierKind, Person, PersonIdentifier, Relation, Sex
from ankomst.people.names import search_text
from ankomst.people.validators import normalise_identifier

from .models import Bed, Centre, Stay

PERSON_COLUMNS = [
    "household",
    "relation",
    "name_document",
    "name_latin",
    "date_of_birth",
    "estimated",
    "sex",
    "nationality",
    "asylum_case",
    "needs_accessible",
]
BED_COLUMNS = ["centre", "building", "room", "bed", "since"]
TRUE, FALSE = {"1", "true", "yes", "ja", "x"}, {"", "0", "false", "no", "nej"}
MAX_ROWS = 20_000


@dataclass
class Row:
    line: int
    household: str
    relation: str
    name_document: str
    name_latin: str
    date_of_birth: dt.date | None
    estimated: bool
    sex: str
    nationality: str
    asylum_case: str
    needs_accessible: bool
    bed: Bed | None = None
    since: dt.datetime | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def households(self) -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.household, []).append(row)
        return groups


def _bool(value: str) -> bool | None:
    value = value.strip().lower()
    return True if value in TRUE else False if value in FALSE else None


def parse(text: str, *, organisation, with_beds: bool) -> Report:
    """Check every row of ``text``; nothing is written."""
    report = Report()
    columns = PERSON_COLUMNS + (BED_COLUMNS if with_beds else [])
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        report.errors.append((1, _("The file is not valid CSV: %(error)s") % {"error": exc}))
        return report
    missing = [c for c in columns if c not in header]
    if missing:
        report.errors.append(
            (
                1,
                _("Missing columns: %(columns)s. Expected: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ",".join(columns)},
            )
        )
        return report
    beds = _bed_lookup(organisation) if with_beds else {}
    seen_cases: dict[str, int] = {}
    seen_beds: dict[int, int] = {}
    existing_cases = set(
        PersonIdentifier.objects.filter(
            organisation=organisation, kind=IdentifierKind.ASYLUM_CASE
        ).values_list("normalised", flat=True)
    )
    try:
        for line, raw in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                report.errors.append((line, _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
                break
            data = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not any(data.values()):
                continue
            problems: list[str] = []
            row = _row(line, data, problems)
            case = normalise_identifier(row.asylum_case)
            if case:
                if case in seen_cases:
                    problems.append(
                        _("case number %(case)s also on line %(other)s")
                        % {"case": row.asylum_case, "other": seen_cases[case]}
                    )
                elif case in existing_cases:
                    problems.append(
                        _("case number %(case)s is already registered") % {"case": row.asylum_case}
                    )
                seen_cases.setdefault(case, line)
            if with_beds:
                key = tuple(data[c] for c in ("centre", "building", "room", "bed"))
                bed = beds.get(key)
                if bed is None:
                    problems.append(_("no bed %(bed)s") % {"bed": " / ".join(key)})
                elif bed.pk in seen_beds:
                    problems.append(
                        _("bed also given on line %(other)s") % {"other": seen_beds[bed.pk]}
                    )
                elif bed.occupied:
                    problems.append(_("bed %(bed)s is occupied") % {"bed": " / ".join(key)})
                else:
                    seen_beds[bed.pk] = line
                    row.bed = bed
                row.since = _moment(data["since"], problems)
            for problem in problems:
                report.errors.append((line, problem))
            report.rows.append(row)
    except csv.Error as exc:
        report.errors.append(
            (reader.line_num, _("The file is not valid CSV: %(error)s") % {"error": exc})
        )
    if not report.rows and not report.errors:
        report.errors.append((1, _("The file has no rows.")))
    for household, rows in report.households.items():
        heads = [r for r in rows if r.relation == Relation.HEAD]
        if len(heads) != 1:
            report.errors.append(
                (
                    rows[0].line,
                    _("household %(ref)s must have exactly one head (has %(n)s)")
                    % {"ref": household, "n": len(heads)},
                )
            )
    report.errors.sort()
    return report


def _row(line: int, data: dict, problems: list[str]) -> Row:
    relation = data["relation"].lower()
    if relation not in Relation.values:
        problems.append(
            _("relation must be one of %(values)s") % {"values": ", ".join(Relation.values)}
        )
    if not data["household"]:
        problems.append(_("household reference is empty"))
    if not data["name_latin"]:
        problems.append(_("name in Latin letters is empty"))
    born = None
    try:
        born = dt.date.fromisoformat(data["date_of_birth"]) if data["date_of_birth"] else None
        if born and born > timezone.localdate():
            problems.append(_("date of birth is in the future"))
    except ValueError:
        problems.append(
            _("date of birth %(value)s is not a date (YYYY-MM-DD)")
            % {"value": data["date_of_birth"]}
        )
    sex = data["sex"].upper()
    if sex not in Sex.values:
        problems.append(_("sex must be F, M or X"))
    nationality = data["nationality"].upper()
    if nationality and nationality not in countries:
        problems.append(
            _("nationality %(value)s is not an ISO 3166 country code")
            % {"value": data["nationality"]}
        )
    estimated, accessible = _bool(data["estimated"]), _bool(data["needs_accessible"])
    if estimated is None:
        problems.append(_("estimated must be yes or no"))
    if accessible is None:
        problems.append(_("needs_accessible must be yes or no"))
    if not data["asylum_case"]:
        problems.append(_("asylum case number is empty"))
    return Row(
        line,
        data["household"],
        relation,
        data["name_document"] or data["name_latin"],
        data["name_latin"],
        born,
        bool(estimated),
        sex,
        nationality,
        data["asylum_case"],
        bool(accessible),
    )


def _moment(value: str, problems: list[str]) -> dt.datetime | None:
    if not value:
        return timezone.now()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        problems.append(_("since %(value)s is not a date or time (YYYY-MM-DD)") % {"value": value})
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now():
        problems.append(_("since is in the future"))
    return parsed


def _bed_lookup(organisation) -> dict[tuple, Bed]:
    from .selectors import open_stays_at

    occupied = set(
        Stay.objects.filter(open_stays_at(timezone.now()), organisation=organisation).values_list(
            "bed_id", flat=True
        )
    )
    beds = {}
    for bed in Bed.objects.filter(room__building__centre__organisation=organisation).select_related(
        "room__building__centre"
    ):
        bed.occupied = bed.pk in occupied
        beds[
            (bed.room.building.centre.name, bed.room.building.name, bed.room.number, bed.label)
        ] = bed
    return beds


@transaction.atomic
def create_people(*, user, organisation, report: Report, request=None) -> dict[int, Person]:
    """Households and persons of a checked report, in bulk; returns persons by line number."""
    if not report.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    from ankomst.people.services import next_household_reference

    households: dict[str, Household] = {}
    start_number = int(next_household_reference(organisation)[2:])
    for offset, ref in enumerate(report.households):
        households[ref] = Household(
            organisation=organisation,
            reference=f"H-{start_number + offset:05d}",
            notes=_("Imported as %(ref)s") % {"ref": ref},
        )
    Household.objects.bulk_create(households.values())
    persons = []
    for row in report.rows:
        person = Person(
            organisation=organisation,
            household=households[row.household],
            relation=row.relation,
            name_document=row.name_document,
            name_latin=row.name_latin,
            date_of_birth=row.date_of_birth,
            date_of_birth_estimated=row.estimated,
            sex=row.sex,
            nationality=row.nationality,
            needs_accessible_housing=row.needs_accessible,
        )
        person.search_names, person.search_keys = search_text(row.name_latin, row.name_document)
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=1000)
    PersonIdentifier.objects.bulk_create(
        [
            PersonIdentifier(
                person=p,
                organisation=organisation,
                kind=IdentifierKind.ASYLUM_CASE,
                value=r.asylum_case,
                normalised=normalise_identifier(r.asylum_case),
            )
            for p, r in zip(persons, report.rows, strict=True)
        ],
        batch_size=1000,
    )
    audit_record(
        user=user,
        action=Action.CREATE,
        organisation_id=organisation.pk,
        object_type="people.person",
        summary=f"Imported {len(persons)} persons in {len(households)} households",
        request=request,
    )
    return {r.line: p for r, p in zip(report.rows, persons, strict=True)}


@transaction.atomic
def import_population(*, user, organisation, report: Report, request=None) -> int:
    """Persons, households and current beds; all or nothing."""
    from .services import Placement, check_in

    persons = create_people(user=user, organisation=organisation, report=report, request=request)
    by_moment: dict = {}
    for row in report.rows:
        by_moment.setdefault((row.household, row.since), []).append(
            Placement(persons[row.line], row.bed)
        )
    for (_ref, since), placements in by_moment.items():
        check_in(
            user=user,
            placements=placements,
            at=since,
            override_reason=_("Imported existing population"),
            request=request,
        )
    return len(persons)


def centre_names(organisation) -> list[str]:
    return list(Centre.objects.filter(organisation=organisation).values_list("name", flat=True))
