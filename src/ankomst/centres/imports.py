"""Reading a population from CSV: an existing population (with current beds) or a bus of arrivals.

Every row is checked before anything is written; a file with one bad row
imports nothing, and the report names each bad row by line number and reason.
This module only reads; ``services`` writes what a clean report holds.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ankomst import limits, reviewed
from ankomst.people.models import IdentifierKind, Person, PersonIdentifier, Relation, Sex
from ankomst.people.services import IdentifierInput, person_value_errors
from ankomst.people.validators import normalise_identifier

from .models import Bed, Stay
from .selectors import open_stays_at

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
# How a model field is named in the file, for the messages of the shared person checks.
COLUMN_LABELS = {
    "name_document": "name_document",
    "name_latin": "name_latin",
    "date_of_birth": "date_of_birth",
    "identifiers": "asylum_case",
}
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
    # What is allowed but worth a look before importing (an empty document name, no birth date).
    warnings: list[tuple[int, str]] = field(default_factory=list)

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
    reader, problem = reviewed.open_csv(text, columns, columns)
    if reader is None:
        report.errors.append((1, problem))
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
            warnings: list[str] = []
            row = _row(line, data, problems, warnings)
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
                row.since = _moment(data["since"], problems, warnings)
            for problem in problems:
                report.errors.append((line, problem))
            for warning in warnings:
                report.warnings.append((line, warning))
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


def _row(line: int, data: dict, problems: list[str], warnings: list[str]) -> Row:
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
    # The same checks as the person form, so no entry path stores what another refuses.
    person = Person(
        name_document=data["name_document"] or data["name_latin"],
        name_latin=data["name_latin"] or "-",
        date_of_birth=born,
        sex=sex if sex in Sex.values else Sex.OTHER,
        nationality=nationality if nationality in countries else "",
        relation=relation if relation in Relation.values else "",
    )
    errors = person_value_errors(
        person, identifiers=[IdentifierInput(IdentifierKind.ASYLUM_CASE, data["asylum_case"])]
    )
    for name, messages in errors.items():
        label = COLUMN_LABELS.get(name, name)
        problems.extend(f"{label}: {m}" for m in messages)
    if not data["name_document"] and data["name_latin"]:
        warnings.append(_("name as in the document is empty; the Latin name is used"))
    if not data["date_of_birth"]:
        warnings.append(_("date of birth is empty"))
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


def _moment(value: str, problems: list[str], warnings: list[str]) -> dt.datetime | None:
    if not value:
        warnings.append(_("since is empty; the stay starts now"))
        return timezone.now()
    try:
        parsed = dt.datetime.fromisoformat(value)
        limits.validate_record_date(parsed.date())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        limits.validate_past_moment(parsed)
    except ValueError:
        problems.append(_("since %(value)s is not a date or time (YYYY-MM-DD)") % {"value": value})
        return None
    except ValidationError as exc:
        problems.extend(f"since: {m}" for m in exc.messages)
        return None
    return parsed


def _bed_lookup(organisation) -> dict[tuple, Bed]:
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
