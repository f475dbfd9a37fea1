"""The engine's reasons in the reader's language: stored as codes and parameters, worded here."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from ankomst.people.languages import language_name

# what each hard rule excludes, completing "N of M units ..."
EXCLUDED = {
    "disadvantaged": gettext_lazy("lie in a designated disadvantaged area"),
    "size": gettext_lazy("are too small (persons or rooms)"),
    "shared_room": gettext_lazy("are shared rooms, for eligible singles only"),
    "room_band": gettext_lazy("are shared rooms kept for another sex or age"),
    "available": gettext_lazy("are not free by the latest move-in date"),
    "rent": gettext_lazy("cost more than the household can pay"),
    "accessible": gettext_lazy("are not step-free"),
    "ground_floor": gettext_lazy("are neither on the ground floor nor step-free"),
    "treatment": gettext_lazy("are too far from a treatment facility"),
    "fixed": gettext_lazy("are not in the fixed area"),
    "forbidden": gettext_lazy("are forbidden for the household"),
}

PHASES = {
    "": gettext_lazy("Waiting for a worker"),
    "build": gettext_lazy("Reading the waiting households and the free units"),
    "classes": gettext_lazy("Grouping alike households and units"),
    "lp": gettext_lazy("Solving the relaxation and pricing pairs"),
    "dive": gettext_lazy("Rounding to a placement"),
    "mip": gettext_lazy("Searching for a better placement"),
    "repair": gettext_lazy("Placing the last households in free units"),
    "done": gettext_lazy("Done"),
}

FAILURES = {
    "invalid_input": gettext_lazy(
        "The records do not make a valid input for the engine; the log says which record."
    ),
    "error": gettext_lazy("The run stopped on an error; the log has the details."),
    "worker_lost": gettext_lazy(
        "The worker stopped twice while solving; start the run again, or ask the administrator."
    ),
}


class Names:
    """Area names and nationality names for the notes of one municipality."""

    def __init__(self, areas: dict[str, str]):
        self.areas = areas

    def area(self, code: str) -> str:
        return self.areas.get(code, code)

    def group(self, key: str, match: str) -> str:
        if match == "language":
            return _("speaking %(language)s") % {"language": language_name(key) or key}
        return _("from %(country)s") % {"country": nationality_name(key)}


def nationality_name(code: str) -> str:
    if code in ("", "XXX"):
        return _("no nationality (stateless)")
    return countries.name(code) or code


def _excluded_list(excluded: dict) -> str:
    return "; ".join(f"{n} {EXCLUDED.get(name, name)}" for name, n in excluded.items())


def note_text(note: dict | None, names: Names) -> str:
    """One of the engine's notes (``ankomst.placement.result.Note``) in words."""
    if not note:
        return ""
    code, p = note.get("code", ""), note.get("params", {}) or {}
    if code.startswith("excluded."):
        rule = code.removeprefix("excluded.")
        return _("%(units)s of %(of)s units %(what)s") % {
            "units": p.get("units"),
            "of": p.get("of"),
            "what": EXCLUDED.get(rule, rule),
        }
    if code == "fixed.unit":
        return _("Kept from an earlier decision: only this unit")
    if code == "fixed.area":
        return _("Fixed by the caseworker: only %(area)s") % {"area": names.area(p.get("area", ""))}
    group = names.group(p.get("group", ""), p.get("match", "nationality"))
    where = names.area(p.get("area", ""))
    if code == "company.existing":
        return ngettext(
            "No family alone: %(n)s household %(group)s already lives in %(area)s",
            "No family alone: %(n)s households %(group)s already live in %(area)s",
            p.get("households", 0),
        ) % {"n": p.get("households", 0), "group": group, "area": where}
    if code == "company.placed":
        return ngettext(
            "No family alone: nobody %(group)s lived in %(area)s; %(n)s other household %(group)s is placed there with it",
            "No family alone: nobody %(group)s lived in %(area)s; %(n)s other households %(group)s are placed there with it",
            p.get("others", 0),
        ) % {"n": p.get("others", 0), "group": group, "area": where}
    if code in ("ceiling.reached", "best.ceiling"):
        return _("%(area)s has reached its ceiling of %(ceiling)s new households this year") % {
            "area": where,
            "ceiling": p.get("ceiling"),
        }
    if code == "best.taken":
        return ngettext(
            "The one such unit went to another household, for whom it lowered the total score more",
            "All %(n)s such units went to other households, for whom they lowered the total score more",
            p.get("units", 1),
        ) % {"n": p.get("units", 1)}
    if code == "best.alone":
        return _(
            "It would have been alone in %(area)s: nobody %(group)s lives there or was placed there"
        ) % {
            "area": where,
            "group": group,
        }
    if code == "best.total":
        return _(
            "The total is lower this way: the spread over areas and the rules that tie households "
            "together cost more than it gains"
        )
    if code == "unplaced.no_unit":
        if not p.get("units"):
            return _("No unit meets the hard rules: there are no free units.")
        return _("No unit meets the hard rules: of the %(units)s units, %(excluded)s.") % {
            "units": p.get("units"),
            "excluded": _excluded_list(p.get("excluded", {})),
        }
    if code == "unplaced.all_taken":
        return ngettext(
            "%(n)s unit meets its hard rules, and it is taken: placing the household there would displace another, at a higher total cost.",
            "%(n)s units meet its hard rules, and every one of them is taken: placing the household would displace others, at a higher total cost.",
            p.get("allowed", 0),
        ) % {"n": p.get("allowed", 0)}
    if code == "unplaced.free_units_blocked":
        parts = []
        if p.get("ceiling"):
            parts.append(
                _("%(n)s are in areas that have reached their ceiling (%(areas)s)")
                % {"n": p["ceiling"], "areas": ", ".join(p.get("ceiling_areas", []))}
            )
        if p.get("alone"):
            parts.append(
                _(
                    "in %(n)s it would be the only household %(group)s (%(areas)s), and the rule is hard"
                )
                % {
                    "n": p["alone"],
                    "group": names.group(p.get("group", ""), "nationality"),
                    "areas": ", ".join(p.get("alone_areas", [])),
                }
            )
        if p.get("costly"):
            parts.append(
                _("in %(n)s its score would cost more than leaving it unplaced")
                % {"n": p["costly"]}
            )
        return _(
            "%(allowed)s units meet its hard rules and %(free)s of them are free, but %(why)s."
        ) % {
            "allowed": p.get("allowed"),
            "free": p.get("free"),
            "why": "; ".join(parts),
        }
    return _("Another reason of the engine")


def phase_text(phase: str) -> str:
    return str(PHASES.get(phase, PHASES["lp"]))


def failure_text(code: str) -> str:
    return str(FAILURES.get(code, FAILURES["error"])) if code else ""
