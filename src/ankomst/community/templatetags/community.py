"""``{% load community %}``: the community's tabs by the user's rights, and small groups."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ankomst.accounts.roles import Perm

register = template.Library()

# (url name, label, rights: any of them)
TABS = [
    ("community:overview", lambda: _("Overview"), (Perm.VIEW_COMMUNITY,)),
    ("community:mine", lambda: _("My page"), (Perm.TAKE_SHIFTS,)),
    ("community:volunteers", lambda: _("Volunteers"), (Perm.VIEW_COMMUNITY,)),
    ("community:referrals", lambda: _("Waiting list"), (Perm.VIEW_COMMUNITY, Perm.REFER_COMMUNITY)),
    ("community:matching", lambda: _("Matching"), (Perm.MANAGE_COMMUNITY,)),
    ("community:matches", lambda: _("Matches"), (Perm.VIEW_COMMUNITY,)),
    ("community:shifts", lambda: _("Open shifts"), (Perm.VIEW_COMMUNITY, Perm.TAKE_SHIFTS)),
    ("community:childcare", lambda: _("Childcare"), (Perm.VIEW_COMMUNITY,)),
    ("community:events", lambda: _("Events"), (Perm.VIEW_COMMUNITY, Perm.TAKE_SHIFTS)),
    (
        "community:offers",
        lambda: _("Offers"),
        (Perm.VIEW_COMMUNITY, Perm.TAKE_SHIFTS, Perm.REFER_COMMUNITY),
    ),
    ("community:bridges", lambda: _("Bridges"), (Perm.REFER_COMMUNITY,)),
    ("community:hours", lambda: _("Hours"), (Perm.VIEW_COMMUNITY,)),
    ("community:figures", lambda: _("Figures"), (Perm.VIEW_COMMUNITY,)),
]


@register.inclusion_tag("community/_tabs.html", takes_context=True)
def community_tabs(context, current: str):
    user = context["request"].user
    tabs = [
        {"url": reverse(name), "label": label(), "current": name == f"community:{current}"}
        for name, label, perms in TABS
        if any(user.has_perm_anywhere(p) for p in perms)
    ]
    return {"tabs": tabs}


@register.filter
def small_group(value):
    """A count of people, or “fewer than 5” where the group is too small to show."""
    return _("fewer than 5") if value is None else value
