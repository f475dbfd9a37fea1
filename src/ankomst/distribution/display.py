"""The assignment engine's reasons in the reader's language.

A line keeps the engine's notes as codes with parameters (``ankomst.placement.national.
explain``); here they become sentences, with municipality names from the year's quota table
and numbers in the locale's format. Codes no sentence knows are shown as a plain notice,
never as the code.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

RESOURCES = {
    "quota": gettext_lazy("quota"),
    "language_school": gettext_lazy("language-school places"),
    "treatment": gettext_lazy("treatment places"),
    "large_family": gettext_lazy("large-family homes"),
    "unaccompanied_minor": gettext_lazy("places for unaccompanied minors"),
    "balance": gettext_lazy("share of this period's arrivals"),
}
PHASES = {
    "build": gettext_lazy("Reading the waiting households"),
    "classes": gettext_lazy("Grouping alike households"),
    "lp": gettext_lazy("Pricing the quotas"),
    "round": gettext_lazy("Rounding to whole households"),
    "mip": gettext_lazy("Improving the assignment"),
    "repair": gettext_lazy("Placing the last households"),
    "done": gettext_lazy("Done"),
}
FAILURES = {
    "invalid_input": gettext_lazy(
        "The waiting households could not be read as the engine's input (a household of "
        "more than 30 persons?). Nothing was changed."
    ),
    "worker_lost": gettext_lazy("The worker stopped twice during the run. Start it again."),
    "error": gettext_lazy("The run failed. Nothing was changed; start it again."),
}


def score(value: float | None) -> str:
    """A predicted chance of work (0–1) as a percentage."""
    return "–" if value is None else number_format(100 * value, 1) + " %"


def points(value: float | None) -> str:
    """A difference of predicted chances in percentage points."""
    return "–" if value is None else number_format(100 * value, 1)


class Names:
    def __init__(self, names: dict[str, str]):
        self.names = names

    def __call__(self, code: str | None) -> str:
        return self.names.get(code or "", code or "–")


def _and(words: list[str]) -> str:
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def resources(codes: list[str]) -> str:
    return _and([RESOURCES.get(c, c) for c in codes if c in RESOURCES])


def _better(item: dict, name: Names) -> str:
    where = _("%(name)s (%(score)s)") % {
        "name": name(item.get("municipality")),
        "score": score(item.get("score")),
    }
    code = item.get("code")
    if code == "better.full":
        return _("%(where)s had no %(what)s left for it") % {
            "where": where,
            "what": resources(item.get("full", [])),
        }
    if code == "better.priced":
        return _(
            "%(where)s was worth more to other households: the places it would have taken there "
            "are priced at %(price)s points"
        ) % {"where": where, "price": points(item.get("price"))}
    return _(
        "%(where)s could only have taken it by moving households whose loss would have been larger"
    ) % {"where": where}


def note_text(note: dict | None, name: Names) -> str:
    """One of the engine's notes as a sentence in the reader's language."""
    if not note:
        return ""
    code, p = note.get("code", ""), note.get("params") or {}
    if code == "assigned.best":
        text = _(
            "Among the municipalities that can receive it, %(name)s gives the household the "
            "highest predicted chance that an adult is in work within two years: %(score)s."
        ) % {"name": name(p.get("municipality")), "score": score(p.get("score"))}
        if p.get("next_best"):
            text += " " + _(
                "The next best, %(next)s, gives %(next_score)s (%(margin)s points less with the "
                "network bonus)."
            ) % {
                "next": name(p.get("next_best")),
                "next_score": score(p.get("next_score")),
                "margin": points(p.get("margin")),
            }
        return text
    if code == "assigned.family_tie":
        return _(
            "The household has close family in %(name)s and is assigned there (family tie)."
        ) % {"name": name(p.get("municipality"))}
    if code == "assigned.not_best":
        count = int(p.get("count") or 0)
        better = "; ".join(_better(item, name) for item in p.get("better", []))
        return ngettext(
            "%(count)s municipality gives a higher predicted chance: %(better)s. Its places went "
            "to households for whom they made a larger difference to the chance of work.",
            "%(count)s municipalities give a higher predicted chance: %(better)s. Their places "
            "went to households for whom they made a larger difference to the chance of work.",
            count,
        ) % {"count": count, "better": better}
    if code.startswith("binding."):
        limit = p.get("limit")
        used = (
            _("%(used)s of %(limit)s used")
            % {
                "used": number_format(p.get("used") or 0, 0, force_grouping=True),
                "limit": number_format(limit, 0, force_grouping=True),
            }
            if limit is not None
            else ""
        )
        return _(
            "%(name)s, %(what)s: %(used)s; one more would have been worth %(price)s points "
            "(%(household)s points for this household)"
        ) % {
            "name": name(p.get("municipality")),
            "what": RESOURCES.get(p.get("resource"), ""),
            "used": used,
            "price": points(p.get("price")),
            "household": points(p.get("household_price")),
        }
    if code == "unassigned.no_municipality":
        needs = p.get("needs") or []
        if needs:
            return _("No municipality can take it at all this year: none has %(what)s enough.") % {
                "what": resources(needs)
            }
        return _("No municipality can take it at all this year.")
    if code == "unassigned.family_tie_full":
        return _(
            "It has close family in %(name)s, which has no %(what)s left for it: agree more room "
            "with the municipality, or an exchange of quota."
        ) % {"name": name(p.get("municipality")), "what": resources(p.get("full", []))}
    if code == "unassigned.no_room":
        return _(
            "%(allowed)s municipalities could receive a household like it, but none had room "
            "left in its quota for it."
        ) % {"allowed": p.get("allowed", 0)}
    return _("The engine gave a reason this page cannot word.")


def who(line) -> str:
    """The household in a few words: persons, adults and children, needs."""
    if line.unaccompanied_minor:
        text = ngettext("%(n)s unaccompanied minor", "%(n)s unaccompanied minors", line.persons) % {
            "n": line.persons
        }
    else:
        text = ngettext("%(n)s adult", "%(n)s adults", line.adults) % {"n": line.adults}
        if line.children:
            text += ", " + ngettext("%(n)s child", "%(n)s children", line.children) % {
                "n": line.children
            }
    if line.treatment:
        text += ", " + _("needs treatment")
    return text


def letter(line, name: Names, reference: str) -> str:
    """The decision letter's paragraph, in the reader's language."""
    if not line.code:
        return _("Household %(ref)s (%(who)s) could not be assigned this time. %(reason)s") % {
            "ref": reference,
            "who": who(line),
            "reason": note_text(line.reason, name),
        }
    parts = [
        _("Household %(ref)s (%(who)s) is assigned to %(name)s.")
        % {"ref": reference, "who": who(line), "name": name(line.code)}
    ]
    if line.overridden:
        parts.append(
            _("The agency decided so against the proposal (%(engine)s): %(reason)s")
            % {"engine": name(line.engine_code), "reason": line.override_reason}
        )
    else:
        parts.append(note_text(line.reason, name))
        parts.append(
            _("Predicted chance of work there: %(score)s; network bonus %(bonus)s points.")
            % {"score": score(line.score), "bonus": points(line.bonus)}
        )
    parts.append(
        _(
            "The predicted chances come from a synthetic model, not estimated from data; "
            "schooling considered: %(education)s."
        )
        % {"education": line.get_education_display()}
    )
    return " ".join(p for p in parts if p)
