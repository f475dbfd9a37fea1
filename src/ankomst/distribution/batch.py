"""The week's batch as the assignment engine's input: the waiting households, and every
municipality with what is left of its quota this year.

The households come from the centres' records (ages, nationality, first language) and the
agency's facts (schooling, a need for treatment, a family tie). The municipalities' features
(labour market, jobs open without qualifications, countrymen and speakers living there) are
the synthetic ones of ``ankomst.placement.national.generate``: plausible, not statistics,
and the pages say so. No capacity beyond the quota is known yet, so none is imposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ankomst.placement.national.data import NationalInstance, instance_from_dict
from ankomst.placement.national.generate import (
    LANGUAGE_NAMES,
    NATIONALITY_NAMES,
    synthetic_municipalities,
)

from .models import Education, QuotaYear
from .selectors import Waiting, assigned

STATELESS = "XXX"  # the engine's code for no (known) nationality
# "not known" is scored as primary schooling: the middle of what arrives, neither
# favoured nor held back
EDUCATION_SCORED = {Education.UNKNOWN: "primary"}
SCORE_SOURCE = "synthetic"


@dataclass
class Facts:
    """What the engine saw of one household (kept on its line)."""

    persons: int
    adults: int
    children: int
    nationality: str
    language: str
    education: str
    treatment: bool
    unaccompanied_minor: bool
    family_tie: str


def facts_of(w: Waiting, on: dt.date, codes: set[str]) -> Facts:
    adults = w.adults(on)
    f = w.facts
    tie = f.family_tie if f is not None and f.family_tie in codes else ""
    return Facts(
        persons=len(w.members),
        adults=adults,
        children=len(w.members) - adults,
        nationality=w.nationality(),
        language=w.language(),
        education=f.education if f is not None else Education.UNKNOWN,
        treatment=bool(f and f.treatment),
        unaccompanied_minor=adults == 0,
        family_tie=tie,
    )


def remaining(quota_year: QuotaYear) -> dict[str, int]:
    """Persons each municipality (by code) can still receive this year."""
    received = assigned(quota_year)
    return {q.code: max(q.quota - received.get(q.code, 0), 0) for q in quota_year.quotas.all()}


def build(
    quota_year: QuotaYear, households: list[tuple[str, Facts]], left: dict[str, int]
) -> NationalInstance:
    """The engine's instance (checked by its loader as any input file is)."""
    features = synthetic_municipalities()
    municipalities = []
    for q in quota_year.quotas.all():
        m: dict[str, Any] = {
            "id": q.code,
            "name": q.name,
            "population": q.population,
            "quota": left.get(q.code, 0),
        }
        f = features.get(q.code)
        if f is not None:
            for key in ("labour_market", "low_skill_jobs", "countrymen", "speakers"):
                m[key] = f[key]
        municipalities.append(m)
    rows = []
    for key, f in households:
        row: dict[str, Any] = {
            "id": key,
            "persons": f.persons,
            "adults": f.adults,
            "children": f.children,
            "nationality": f.nationality or STATELESS,
            "language": f.language or "und",
            "education": EDUCATION_SCORED.get(f.education, f.education),
        }
        needs = {"treatment": f.treatment, "unaccompanied_minor": f.unaccompanied_minor}
        if any(needs.values()):
            row["needs"] = {k: v for k, v in needs.items() if v}
        if f.family_tie:
            row["family_tie"] = f.family_tie
        rows.append(row)
    data = {
        "name": f"distribution {quota_year.year}",
        "year": quota_year.year,
        "scores": {"source": SCORE_SOURCE},
        "names": {"nationalities": NATIONALITY_NAMES, "languages": LANGUAGE_NAMES},
        "households": rows,
        "municipalities": municipalities,
    }
    return instance_from_dict(data)
