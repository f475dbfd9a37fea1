"""The default pre-arrival checklist, and which tasks it makes for a household.

A municipality starts from these lines and edits its own copy (``ChecklistItem``). Due dates
count from the handover date: months first (legal deadlines in months, integrationsloven:
the integration contract and the first offer of a work placement within 1 month), then days.
The titles here are translated when a municipality's copy is made, in its language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from ankomst.accounts.models import UnitKind
from ankomst.people.ages import ADULT_AGE

from .calendar import add_months
from .models import HouseholdType, TaskScope

S, C, F, M = HouseholdType.SINGLE, HouseholdType.COUPLE, HouseholdType.FAMILY, HouseholdType.MINOR
ALL = (S, C, F, M)
WITH_ADULTS = (S, C, F)


@dataclass(frozen=True)
class Line:
    code: str
    title: str
    department: str
    scope: str
    months: int
    days: int
    household_types: tuple[str, ...]


DEFAULT_LINES: tuple[Line, ...] = (
    Line(
        "housing_ready",
        gettext_noop("Housing ready and keys handed over"),
        UnitKind.HOUSING,
        TaskScope.HOUSEHOLD,
        0,
        -7,
        ALL,
    ),
    Line(
        "interpreter",
        gettext_noop("Book an interpreter for the arrival"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.HOUSEHOLD,
        0,
        -5,
        ALL,
    ),
    Line(
        "welcome_meeting",
        gettext_noop("Welcome meeting with the household"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.HOUSEHOLD,
        0,
        1,
        ALL,
    ),
    Line(
        "cpr",
        gettext_noop("CPR registration"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.HOUSEHOLD,
        0,
        3,
        ALL,
    ),
    Line(
        "health_card",
        gettext_noop("Health insurance card"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.HOUSEHOLD,
        0,
        7,
        ALL,
    ),
    Line(
        "gp",
        gettext_noop("Choose a general practitioner (GP)"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.HOUSEHOLD,
        0,
        7,
        ALL,
    ),
    Line(
        "bank_account",
        gettext_noop("Bank account (NemKonto)"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.ADULT,
        0,
        14,
        WITH_ADULTS,
    ),
    Line(
        "mitid",
        gettext_noop("Digital ID (MitID)"),
        UnitKind.CITIZEN_SERVICE,
        TaskScope.ADULT,
        0,
        14,
        WITH_ADULTS,
    ),
    Line(
        "integration_contract",
        gettext_noop("Integration contract"),
        UnitKind.JOB_CENTRE,
        TaskScope.ADULT,
        1,
        0,
        WITH_ADULTS,
    ),
    Line(
        "first_offer",
        gettext_noop("First work placement or wage-subsidy job"),
        UnitKind.JOB_CENTRE,
        TaskScope.ADULT,
        0,
        14,
        WITH_ADULTS,
    ),
    Line(
        "language_school",
        gettext_noop("Enrol at the Danish language school"),
        UnitKind.JOB_CENTRE,
        TaskScope.ADULT,
        1,
        0,
        WITH_ADULTS,
    ),
    Line(
        "school",
        gettext_noop("School enrolment"),
        UnitKind.DAYCARE_SCHOOLS,
        TaskScope.CHILD_6_16,
        0,
        14,
        (F, M),
    ),
    Line(
        "daycare",
        gettext_noop("Day-care offer"),
        UnitKind.DAYCARE_SCHOOLS,
        TaskScope.CHILD_0_5,
        0,
        30,
        (F,),
    ),
    Line(
        "health_visitor",
        gettext_noop("Health visitor"),
        UnitKind.FAMILY_SECTION,
        TaskScope.CHILD_0_5,
        0,
        14,
        (F,),
    ),
    Line(
        "dental",
        gettext_noop("Child dental care"),
        UnitKind.FAMILY_SECTION,
        TaskScope.CHILD,
        0,
        30,
        (F, M),
    ),
    Line(
        "family_consultant",
        gettext_noop("Visit by a family consultant"),
        UnitKind.FAMILY_SECTION,
        TaskScope.HOUSEHOLD,
        0,
        30,
        (F,),
    ),
    Line(
        "guardian",
        gettext_noop("Personal representative for the minor"),
        UnitKind.FAMILY_SECTION,
        TaskScope.HOUSEHOLD,
        0,
        0,
        (M,),
    ),
    Line(
        "foster_placement",
        gettext_noop("Foster family or residential placement"),
        UnitKind.FAMILY_SECTION,
        TaskScope.HOUSEHOLD,
        0,
        -7,
        (M,),
    ),
)


def due_on(handover: dt.date, months: int, days: int) -> dt.date:
    return add_months(handover, months) + dt.timedelta(days=days)


def member_matches(scope: str, age: int | None) -> bool:
    """Whether a member of this age gets a task of this scope (unknown ages count as adults)."""
    if scope == TaskScope.ADULT:
        return age is None or age >= ADULT_AGE
    if age is None or age >= ADULT_AGE:
        return False
    if scope == TaskScope.CHILD_0_5:
        return age < 6
    if scope == TaskScope.CHILD_6_16:
        return 6 <= age <= 16
    return True


def household_type(ages: list[int | None]) -> str:
    """Single adult, couple, family with children or unaccompanied minor, from the members' ages."""
    adults = sum(1 for a in ages if a is None or a >= ADULT_AGE)
    children = len(ages) - adults
    if adults == 0:
        return HouseholdType.MINOR
    if children:
        return HouseholdType.FAMILY
    return HouseholdType.SINGLE if adults == 1 else HouseholdType.COUPLE
