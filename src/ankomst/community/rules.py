"""The child-protection certificate a volunteer needs before a shift with children.

Per country from ``data/certificates.json`` (name, months of validity, days of warning and
source), never constants in code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils.formats import date_format
from django.utils.translation import gettext as _

DATA = Path(__file__).parent / "data" / "certificates.json"


@dataclass(frozen=True)
class CertificateRule:
    country: str
    name: str
    valid_months: int
    warn_days: int
    source: str
    confirmed: bool


@cache
def certificate_rules() -> dict[str, CertificateRule]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {country: CertificateRule(country=country, **values) for country, values in raw.items()}


def rule_for(country: str) -> CertificateRule:
    rules = certificate_rules()
    return rules.get(country) or rules["DK"]


def valid_until(volunteer) -> dt.date | None:
    if volunteer.certificate_date is None:
        return None
    rule = rule_for(volunteer.organisation.country)
    return volunteer.certificate_date + relativedelta(months=rule.valid_months)


def certificate_problem(volunteer, on: dt.date) -> str:
    """Why the volunteer may not look after children on ``on``; empty if they may."""
    until = valid_until(volunteer)
    if until is None:
        return _(
            "A shift with children needs a child-protection certificate, and none is recorded."
        )
    if until < on:
        return _("The child-protection certificate is valid until %(date)s only.") % {
            "date": date_format(until, "SHORT_DATE_FORMAT")
        }
    return ""


def expires_soon(volunteer, today: dt.date) -> bool:
    until = valid_until(volunteer)
    if until is None:
        return False
    return (
        today
        <= until
        <= today + dt.timedelta(days=rule_for(volunteer.organisation.country).warn_days)
    )
