"""``{% load payments %}``: a minor's pocket-money ledger button."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ankomst.accounts.roles import Perm

register = template.Library()


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
