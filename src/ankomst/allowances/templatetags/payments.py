"""``{% load payments %}``: names of rules in the interface language, a minor's ledger button."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ankomst.accounts.roles import Perm
from ankomst.allowances.statements import statement_language

register = template.Library()


@register.filter
def rule_label(rule: str) -> str:
    """``dk.basic_allowance`` as "Grundydelse" in Danish: the component names of statements.json,
    where each language has them (English where one is missing)."""
    return statement_language(get_language()).component(rule)


@register.simple_tag(takes_context=True)
def pocket_money_link(context, person) -> str:
    """A button to an unaccompanied minor's pocket-money ledger, for whoever may open it."""
    user = context["request"].user
    org = person.organisation_id
    if not (
        person.is_unaccompanied_minor
        and (
            user.has_perm_in(Perm.VIEW_PAYMENTS, org)
            or user.has_perm_in(Perm.MANAGE_POCKET_MONEY, org)
        )
    ):
        return ""
    return format_html(
        '<a class="button" href="{}">{}</a>',
        reverse("allowances:minor_ledger", args=[person.pk]),
        _("Pocket money"),
    )
