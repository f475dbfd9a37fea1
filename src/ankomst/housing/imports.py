"""Reading housing units from CSV, checked row by row by the unit form and the service's rules
(one validation for every entry path). Nothing is written here: a dry run shows every bad row
with its line, and only a clean file is imported."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ankomst import reviewed

from .forms import UnitForm
from .models import Area, HousingKind, HousingUnit, LandlordKind
from .services import UNIT_FIELDS, check_unit

COLUMNS = [name for name in UNIT_FIELDS]
REQUIRED = [
    "reference",
    "address",
    "area",
    "kind",
    "rooms",
    "max_persons",
    "rent",
    "school_km",
    "daycare_km",
    "transport_km",
    "shops_km",
    "landlord_kind",
]
TRUE, FALSE = {"1", "true", "yes", "ja", "x"}, {"", "0", "false", "no", "nej"}
BOOLEANS = ("accessible", "disadvantaged")
MAX_ROWS = 10_000


@dataclass
class Report:
    units: list[HousingUnit] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.units)


def _messages(form: UnitForm) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = name if name != "__all__" else ""
        out.extend(f"{label}: {e}" if label else e for e in errors)
    return out


def parse(text: str, *, organisation) -> Report:
    report = Report()
    reader, problem = reviewed.open_csv(text, REQUIRED, COLUMNS)
    if reader is None:
        report.errors.append((1, problem))
        return report
    areas = {a.code: a.pk for a in Area.objects.filter(organisation=organisation)}
    seen: dict[str, int] = {}
    existing = set(
        HousingUnit.objects.filter(organisation=organisation).values_list("reference", flat=True)
    )
    try:
        for line, raw in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                report.errors.append((line, _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
                break
            data = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not any(data.values()):
                continue
            problems = _row(line, data, areas, organisation, report)
            reference = data.get("reference", "")
            if reference in existing:
                problems.append(_("reference %(ref)s is already in the stock") % {"ref": reference})
            elif reference in seen:
                problems.append(
                    _("reference %(ref)s is also on line %(other)s")
                    % {"ref": reference, "other": seen[reference]}
                )
            seen.setdefault(reference, line)
            report.errors.extend((line, p) for p in problems)
    except csv.Error as exc:
        report.errors.append((0, _("The file is not valid CSV: %(error)s") % {"error": exc}))
    if not report.units and not report.errors:
        report.errors.append((1, _("The file has no rows.")))
    return report


def _row(line: int, data: dict, areas: dict, organisation, report: Report) -> list[str]:
    problems = []
    values = {k: data.get(k, "") for k in COLUMNS}
    code = values["area"]
    if code and code not in areas:
        problems.append(_("area %(code)s is not one of the municipality's") % {"code": code[:40]})
    values["area"] = areas.get(code, "")
    for name in BOOLEANS:
        word = values[name].lower()
        if word in TRUE:
            values[name] = "on"
        elif word in FALSE:
            values[name] = ""
        else:
            problems.append(_("%(column)s must be yes or no") % {"column": name})
            values[name] = ""
    values["floor"] = values["floor"] or "0"
    form = UnitForm(values, organisation=organisation)
    if not form.is_valid():
        return problems + _messages(form)
    unit = form.save(commit=False)
    try:
        check_unit(unit)
    except ValidationError as exc:
        return problems + [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()]
    if not problems:
        report.units.append(unit)
    return problems


def column_help() -> list[tuple[str, str, list[str], bool]]:
    """(column, what it holds, the values it takes, required) for the import page."""
    words = {
        "area": _("the area's code (see Areas)"),
        "available_from": _("a date (YYYY-MM-DD); empty if free now"),
    }
    values = {
        "kind": [k.value for k in HousingKind],
        "landlord_kind": [k.value for k in LandlordKind],
        "room_sex": ["female", "male"],
        "accessible": ["yes", "no"],
        "disadvantaged": ["yes", "no"],
    }
    out = []
    for name in COLUMNS:
        label = str(HousingUnit._meta.get_field(name).verbose_name)
        label = label[:1].upper() + label[1:]
        if name in words:
            label = f"{label}: {words[name]}"
        out.append((name, label, values.get(name, []), name in REQUIRED))
    return out


TEMPLATE_ROW = {
    "reference": "AAB-1021",
    "address": "Vestergade 12, 2. th.",
    "area": "vestbyen",
    "kind": "permanent",
    "rooms": "3",
    "max_persons": "5",
    "rent": "6450.00",
    "accessible": "no",
    "floor": "2",
    "disadvantaged": "no",
    "school_km": "0.6",
    "daycare_km": "0.4",
    "transport_km": "0.2",
    "shops_km": "0.3",
    "treatment_km": "1.5",
    "available_from": "",
    "landlord_kind": "association",
    "landlord": "Boligselskab (demo)",
    "room_sex": "",
    "age_min": "",
    "age_max": "",
    "latitude": "57.0478",
    "longitude": "9.9050",
}
