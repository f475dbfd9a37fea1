"""A payment line's explanation in the interface language, rebuilt from its codes and parameters.

The engine stores on every line what decided it (rule id, rate, units, the facts on the
cut-off date, the reason a component is not paid, the deduction) as ``params``, and an
English sentence (``explanation``) for the audit trail and the CSV export. Pages show
``explain_line(line)`` instead: the same sentence in the language of the reader, so that
no rule id or English reason reaches a Danish or Swedish page. Every label of a rule id,
a rate, a tier, a reason and a deduction rule is here, in one place.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Rule ids (rate-table component codes) as the reader calls them.
RULE_LABELS = {
    "dk.basic_allowance": gettext_lazy("Basic allowance"),
    "dk.contract_supplement": gettext_lazy("Contract supplement"),
    "dk.child_supplement": gettext_lazy("Child supplement"),
    "dk.child_package": gettext_lazy("Child package (food-money scheme)"),
    "dk.pocket_money": gettext_lazy("Pocket money"),
    "se.daily_allowance_adult": gettext_lazy("Daily allowance, adult"),
    "se.daily_allowance_child": gettext_lazy("Daily allowance, child"),
}

STATUS_LABELS = {
    "paid": gettext_lazy("paid"),
    "reduced": gettext_lazy("reduced"),
    "withheld": gettext_lazy("withheld"),
    "not_paid": gettext_lazy("not paid"),
    "correction": gettext_lazy("correction"),
}

# The rate tables' labels of their rates (the English text in the file is the key).
RATE_LABELS = {
    "single rate (also unaccompanied minors)": gettext_lazy(
        "single rate (also unaccompanied minors)"
    ),
    "couple rate, per adult": gettext_lazy("couple rate, per adult"),
    "before the decision that the case is processed in Denmark": gettext_lazy(
        "before the decision that the case is processed in Denmark"
    ),
    "after the decision that the case is processed in Denmark": gettext_lazy(
        "after the decision that the case is processed in Denmark"
    ),
    "full, before the decision": gettext_lazy("full, before the decision"),
    "full, after the decision": gettext_lazy("full, after the decision"),
    "reduced, before the decision": gettext_lazy("reduced, before the decision"),
    "reduced, after the decision": gettext_lazy("reduced, after the decision"),
    "one package per child per 14 days": gettext_lazy("one package per child per 14 days"),
    "under 13": gettext_lazy("under 13"),
    "13 to 15": gettext_lazy("13 to 15"),
    "16 and 17": gettext_lazy("16 and 17"),
    "each adult in a couple, food provided": gettext_lazy("each adult in a couple, food provided"),
    "each adult in a couple, own household": gettext_lazy("each adult in a couple, own household"),
    "18-20 living with parents, food provided": gettext_lazy(
        "18-20 living with parents, food provided"
    ),
    "18-20 living with parents, own household": gettext_lazy(
        "18-20 living with parents, own household"
    ),
    "single adult, food provided": gettext_lazy("single adult, food provided"),
    "single adult, own household": gettext_lazy("single adult, own household"),
    "child, food provided": gettext_lazy("child, food provided"),
    "child 0-3, own household": gettext_lazy("child 0-3, own household"),
    "child 4-10, own household": gettext_lazy("child 4-10, own household"),
    "child 11-17, own household": gettext_lazy("child 11-17, own household"),
}

# Child tiers, by the tier's name in the rate table.
TIER_LABELS = {
    "full": gettext_lazy("1st and 2nd child: full supplement"),
    "reduced": gettext_lazy("3rd and 4th child: reduced supplement"),
    "none": gettext_lazy("5th child and later: no supplement"),
    "first_two": gettext_lazy("1st and 2nd child: full amount"),
    "halved": gettext_lazy("3rd child and later: half the amount"),
}

# Why a component is not paid, by the reason code of the rate table (and the engine's own).
REASONS = {
    "food_money_canteen": gettext_lazy("food-money scheme at a canteen centre: no cash is paid"),
    "canteen_centre": gettext_lazy(
        "not paid at a centre with free meals (Udlændingeloven § 42 b stk. 1)"
    ),
    "food_money": gettext_lazy("no contract supplement in the food-money scheme"),
    "under_18": gettext_lazy("the residence contract (§ 42 c) is for adults over 18"),
    "no_contract": gettext_lazy("no residence contract (§ 42 c) signed on the cut-off date"),
    "fifth_child": gettext_lazy("no child supplement from the 5th child (at most four per family)"),
    "adult": gettext_lazy("no pocket money from the age of 18"),
    "period_paid_elsewhere": gettext_lazy(
        "given once per period, and the other operator's run for these days gave it"
    ),
}

DEDUCTION_LABELS = {
    "contract_absence": gettext_lazy("cut of the contract supplement for unexcused absence"),
    "refused_activity": gettext_lazy("cut of the daily allowance for a refused activity"),
}


def rule_label(code: str, default: str | None = None) -> str:
    """The reader's name of a rule id; an unknown id shows the table's own name if given."""
    label = RULE_LABELS.get(code)
    return str(label) if label is not None else (default or code)


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def rate_label(label: str) -> str:
    known = RATE_LABELS.get(label)
    return str(known) if known is not None else label


def unconfirmed_item(item: dict[str, Any]) -> str:
    """An entry of ``RateTable.unconfirmed()`` as "rule – rate" in the reader's language."""
    rule = rule_label(item["component"])
    if item.get("kind") == "deduction":
        code = item.get("code", "")
        what = DEDUCTION_LABELS.get(code)
        return _("%(rule)s – deduction rule: %(what)s") % {
            "rule": rule,
            "what": what if what is not None else code,
        }
    return f"{rule} – {rate_label(item['item'])}"


def explain_line(line, language: str | None = None) -> str:
    """The explanation of a stored or computed payment line, in ``language`` (an interface
    language; any other falls back to English) or else in the active language."""
    if language is not None:
        with translation.override(_interface_language(language)):
            return explain_line(line)
    params = line.params or {}
    try:
        if line.status == "correction":
            return _correction(params)
        if line.status == "not_paid" and "reason_code" in params:
            return _not_paid(line, params)
        if "rate" in params:
            return _paid(line, params)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        pass
    # A line stored before its parameters carried all of this: its own (English) text.
    return line.explanation


def _interface_language(code: str) -> str:
    languages = {c for c, _name in settings.LANGUAGES}
    for candidate in (code, code.split("-")[0]):
        if candidate in languages:
            return candidate
    return "en"


def _amount(value: Any) -> str:
    """An amount to øre, or with every decimal a factor left ("18.50", "29.205")."""
    number = Decimal(str(value))
    places = max(2, -number.normalize().as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True)


def _count(value: Any) -> str:
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True)


def _days(value: Any) -> str:
    number = Decimal(str(value))
    whole = int(number) if number == number.to_integral_value() else 2
    return ngettext("%(count)s day", "%(count)s days", whole) % {"count": _count(number)}


def _date(iso: str | None) -> str:
    return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else ""


def _status(params: dict[str, Any]) -> str:
    """What the cut-off date decided: the day, and the case (own or the parents') behind it."""
    if not params.get("cutoff"):
        return ""
    values = {"cutoff": _date(params["cutoff"]), "decided": _date(params.get("decision_date"))}
    if params.get("phase_from") == "parents":
        if params.get("decision_date"):
            text = _(
                "Status on the cut-off date %(cutoff)s: the parents' case was decided on "
                "%(decided)s (the child has no phase of their own)."
            )
        else:
            text = _(
                "Status on the cut-off date %(cutoff)s: the parents' case is before the "
                "decision (the child has no phase of their own)."
            )
    elif params.get("decision_date"):
        text = _("Status on the cut-off date %(cutoff)s: decided on %(decided)s.")
    else:
        text = _("Status on the cut-off date %(cutoff)s.")
    text = text % values
    if params.get("food_money_from") == "household":
        text += " " + _("The household is in the food-money scheme.")
    return text


def _rule(line, params: dict[str, Any]) -> str:
    return rule_label(line.rule, params.get("name"))


def _not_paid(line, params: dict[str, Any]) -> str:
    code = params["reason_code"]
    reason = REASONS.get(code)
    text = _("%(rule)s: not paid — %(reason)s.") % {
        "rule": _rule(line, params),
        "reason": reason if reason is not None else params.get("reason", code),
    }
    status = _status(params)
    return f"{text} {status}" if status else text


def _child(params: dict[str, Any]) -> str:
    if "child_rank" not in params:
        return ""
    values = {
        "rank": params["child_rank"],
        "children": params["children"],
        "source": params.get("child_order_source"),
    }
    youngest = params.get("child_order") == "youngest_first"
    if values["source"]:
        if youngest:
            text = _("(child %(rank)s of %(children)s, ranked youngest first: %(source)s)")
        else:
            text = _("(child %(rank)s of %(children)s, ranked oldest first: %(source)s)")
    elif youngest:
        text = _("(child %(rank)s of %(children)s, ranked youngest first)")
    else:
        text = _("(child %(rank)s of %(children)s, ranked oldest first)")
    return " " + text % values


def _paid(line, params: dict[str, Any]) -> str:
    currency = params["currency"]
    per_day = line.unit == "day"
    unit = _("%(currency)s/day") if per_day else _("%(currency)s/period")
    unit = unit % {"currency": currency}
    rate = f"{_amount(params['base_rate'])} {unit}"
    if params.get("factor") not in (None, "1") and Decimal(params["factor"]) != 1:
        tier = TIER_LABELS.get(params.get("child_tier", ""))
        rate = _("%(base)s × %(factor)s (%(tier)s) = %(rate)s") % {
            "base": rate,
            "factor": _count(params["factor"]),
            "tier": tier if tier is not None else params.get("child_tier_label", ""),
            "rate": f"{_amount(params['rate'])} {unit}",
        }
    values = {
        "rule": _rule(line, params),
        "label": rate_label(params.get("rate_label", "")),
        "child": _child(params),
        "rate": rate,
        "days": _days(line.units),
        "gross": _amount(params["gross"]),
        "currency": currency,
    }
    if per_day:
        text = _("%(rule)s, %(label)s%(child)s: %(rate)s × %(days)s = %(gross)s %(currency)s.")
    else:
        text = _("%(rule)s, %(label)s%(child)s: %(rate)s = %(gross)s %(currency)s.")
    parts = [text % values, _status(params)]
    if "deduction_rule" in params and Decimal(params.get("deduction", "0")):
        parts.append(_deduction(params, currency))
    if params.get("rate_confirmed") is False:
        parts.append(_("The rate is not confirmed by a source."))
    return " ".join(p for p in parts if p)


def _deduction(params: dict[str, Any], currency: str) -> str:
    absent = params["absence_days"]
    values = {
        "absent": _days(absent),
        "limit": _count(params["withhold_above_days"] or 0),
        "full": params.get("withhold_above_days_in_full_period"),
        "period": params.get("full_period_days"),
        "per_absence": _days(params.get("days_deducted_per_absence_day", "1")),
        "deductible": _amount(params["deductible_per_day"]),
        "deducted": _days(params["deducted_days"]),
        "deduction": _amount(params["deduction"]),
        "currency": currency,
    }
    if params.get("withheld"):
        if values["full"] is not None and str(values["full"]) != params["withhold_above_days"]:
            text = _(
                "Withheld: %(absent)s of unexcused absence exceed the limit of %(limit)s "
                "(%(full)s in a full period of %(period)s days, pro-rated): − %(deductible)s "
                "%(currency)s/day × %(deducted)s = − %(deduction)s %(currency)s."
            )
        else:
            text = _(
                "Withheld: %(absent)s of unexcused absence exceed the limit of %(limit)s: "
                "− %(deductible)s %(currency)s/day × %(deducted)s = − %(deduction)s %(currency)s."
            )
    else:
        text = _(
            "Reduced: %(absent)s of unexcused absence, %(per_absence)s deducted for each: "
            "− %(deductible)s %(currency)s/day × %(deducted)s = − %(deduction)s %(currency)s."
        )
    text = text % values
    if Decimal(params.get("protected_per_day", "0")):
        text += " " + _("The food part, %(food)s %(currency)s/day, is never cut.") % {
            "food": _amount(params["protected_per_day"]),
            "currency": currency,
        }
    if params.get("deduction_confirmed") is False:
        text += " " + _("The deduction tariff is not confirmed by a source.")
    return text


def _correction(params: dict[str, Any]) -> str:
    return _(
        "Correction of line %(line)s: %(was)s → %(now)s, difference %(difference)s. "
        "Reason: %(reason)s"
    ) % {
        "line": params["corrects"],
        "was": _amount(params["was"]),
        "now": _amount(params["now"]),
        "difference": _amount(params["difference"]),
        "reason": params.get("reason", ""),
    }
