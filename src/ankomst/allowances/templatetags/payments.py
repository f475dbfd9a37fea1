"""``{% load payments %}``: names of rules in the interface language."""

from django import template
from django.utils.translation import get_language

from ankomst.allowances.statements import statement_language

register = template.Library()


@register.filter
def rule_label(rule: str) -> str:
    """``dk.basic_allowance`` as "Grundydelse" in Danish: the component names of statements.json,
    where each language has them (English where one is missing)."""
    return statement_language(get_language()).component(rule)
