"""Reading arrivals from CSV: the centres' person columns plus the assignment decision.

Every row is checked by the same rules as the centres' import (one validation for every
entry path); the household's rows must agree on the decision and the handover date.
Nothing is written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ankomst import limits
from ankomst.centres import imports as person_imports

from . import calendar

ARRIVAL_COLUMNS = ["decision_date", "handover_date"]
COLUMNS = person_imports.PERSON_COLUMNS + ARRIVAL_COLUMNS


@dataclass
class HouseholdDates:
    decision: dt.date
    handover: dt.date | None
    line: int


@dataclass
class ArrivalReport:
    people: person_imports.Report
    dates: dict[str, HouseholdDates] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.people.ok and not self.errors

    @property
    def all_errors(self) -> list[tuple[int, str]]:
        return sorted(self.people.errors + self.errors)

    def handover_of(self, household: str) -> dt.date:
        dates = self.dates[household]
        return dates.handover or calendar.handover_date(dates.decision)


def _date(value: str, column: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
        limits.validate_record_date(day)
        return day
    except ValueError:
        problems.append(
            _("%(column)s %(value)s is not a date (YYYY-MM-DD)")
            % {"column": column, "value": value[:40]}
        )
    except ValidationError as exc:
        problems.append(f"{column}: {' '.join(exc.messages)}")
    return None


def parse(text: str, *, organisation) -> ArrivalReport:
    report = ArrivalReport(
        people=person_imports.parse(text, organisation=organisation, with_beds=False)
    )
    if report.people.errors and report.people.errors[0][0] == 1:
        return report  # not CSV, or the person columns are missing: said once
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "decision_date" not in header:
        report.errors.append(
            (
                1,
                _("Missing columns: %(columns)s. Expected: %(expected)s.")
                % {"columns": "decision_date", "expected": ",".join(COLUMNS)},
            )
        )
        return report
    try:
        for line, raw in enumerate(reader, start=2):
            data = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not any(data.values()):
                continue
            problems: list[str] = []
            decision = _date(data.get("decision_date", ""), "decision_date", problems)
            handover = _date(data.get("handover_date", ""), "handover_date", problems)
            if decision is None and not problems:
                problems.append(_("decision_date is empty"))
            if decision and handover:
                if handover < decision:
                    problems.append(_("the handover cannot be before the decision"))
            household = data.get("household", "")
            known = report.dates.get(household)
            if known and decision and (known.decision, known.handover) != (decision, handover):
                problems.append(
                    _("household %(ref)s has other dates on line %(other)s")
                    % {"ref": household, "other": known.line}
                )
            elif decision and household and not known:
                report.dates[household] = HouseholdDates(decision, handover, line)
            report.errors.extend((line, p) for p in problems)
    except csv.Error:
        pass  # the person check has said so
    return report
