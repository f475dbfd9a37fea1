"""``{% load money %}``: ``{{ amount|money:run.currency }}`` or ``{{ amount|money }}`` (the number).

In the active interface language, through ``ankomst.money``, the one formatting helper.
"""

from django import template

from ankomst.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    return format_money(amount, currency or "")
