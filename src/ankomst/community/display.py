"""How the community's codes are shown: languages, interests, match reasons and figure groups
in the interface language. Records store codes and parameters; words are made here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ankomst.people.languages import language_name
from ankomst.people.models import LanguageLevel, Sex

from . import matching
from .models import AgeBand, Interest
from .selectors import as_household, as_volunteer


def _level(code: str) -> str:
    try:
        return str(LanguageLevel(code).label).lower()
    except ValueError:
        return ""


def languages(spoken: dict | None) -> list[str]:
    order = {level: i for i, level in enumerate(LanguageLevel.values)}  # best first
    return [
        f"{capfirst(language_name(code)) or code} ({_level(level)})"
        for code, level in sorted(
            (spoken or {}).items(), key=lambda kv: (order.get(kv[1], 9), kv[0])
        )
    ]


def interest_label(code: str) -> str:
    try:
        return str(Interest(code).label)
    except ValueError:
        return _("Other interest")


def interests(codes) -> list[str]:
    return [interest_label(c) for c in codes or []]


def reason_text(code: str, params: dict) -> str:
    if code == "language":
        return _("Both speak %(language)s (%(level)s)") % {
            "language": capfirst(language_name(params.get("code", ""))) or params.get("code", ""),
            "level": _level(params.get("level", "")),
        }
    if code == "interests":
        return _("Shared interests: %(list)s") % {
            "list": ", ".join(interests(params.get("codes"))).lower()
        }
    if code == "place":
        return _("Both live in %(place)s") % {"place": params.get("place", "")}
    if code == "family":
        return _("A family with children meets a family with children")
    if code == "resource":
        return _("The volunteer came as a refugee too")
    if code == "wish":
        return _("The kind of household the volunteer would rather meet")
    return ""


def reasons(explanation) -> list[str]:
    return [t for code, params in (explanation or []) if (t := reason_text(code, params or {}))]


@dataclass
class SuggestionRow:
    referral: object
    volunteer: object | None
    score: float
    reasons: list[str]
    alternatives: list[tuple[object, float, list[str]]]


def suggestion_rows(result) -> list[SuggestionRow]:
    proposal = result.proposal
    rows = []
    for key, referral in result.referrals.items():
        pair = proposal.pair_of(key)
        alts = [
            (result.volunteers[p.volunteer], p.score, reasons(proposal.reasons(p)))
            for p in proposal.alternatives.get(key, [])
        ]
        rows.append(
            SuggestionRow(
                referral=referral,
                volunteer=result.volunteers[pair.volunteer] if pair else None,
                score=pair.score if pair else 0.0,
                reasons=reasons(proposal.reasons(pair)) if pair else [],
                alternatives=alts,
            )
        )
    rows.sort(key=lambda r: (r.volunteer is None, r.referral.created_at))
    return rows


@dataclass
class ScoredPair:
    score: float
    reasons: tuple


def pair_for(referral, volunteer) -> ScoredPair:
    """The score and reasons of one pair, as the coordinator confirms it."""
    h, v = as_household(referral), as_volunteer(volunteer, 0)
    score = matching.pair_score(h, v)
    return ScoredPair(round(score, 3) if score != float("-inf") else 0.0, matching.reasons(h, v))


def group_label(key: str) -> str:
    sex, band = key.split("|", 1)
    try:
        sex_label = str(Sex(sex).label)
    except ValueError:
        sex_label = _("Other or unknown")
    try:
        band_label = str(AgeBand(band).label)
    except ValueError:
        band_label = _("age unknown")
    return f"{sex_label}, {band_label}"


def groups(shares) -> list[tuple[str, object]]:
    return [(group_label(s.label), s) for s in shares]


def participation(figures) -> list[tuple[int, list[tuple[str, object]]]]:
    return [(month, groups(shares)) for month, shares in figures.participation.items()]
