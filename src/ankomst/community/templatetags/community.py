"""``{% load community %}``: the community's tabs by the user's rights, and small groups."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ankomst.accounts.roles import Perm
from ankomst.community import selectors

register = template.Library()

# (url name, label, rights: any of them, or a function of the user that is true where the
# page opens: the tab of a page that would refuse the user is not shown)
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
    ("community:offers", lambda: _("Offers"), selectors.catalogue_organisation_ids),
    ("community:bridges", lambda: _("Bridges"), (Perm.REFER_COMMUNITY,)),
    ("community:hours", lambda: _("Hours"), (Perm.VIEW_COMMUNITY,)),
    ("community:figures", lambda: _("Figures"), selectors.figures_organisation_ids),
]


@register.inclusion_tag("community/_tabs.html", takes_context=True)
def community_tabs(context, current: str):
    user = context["request"].user
    tabs = [
        {"url": reverse(name), "label": label(), "current": name == f"community:{current}"}
        for name, label, allowed in TABS
        if (allowed(user) if callable(allowed) else any(user.has_perm_anywhere(p) for p in allowed))
    ]
    return {"tabs": tabs}


@register.filter
def small_group(value):
    """A count of people, or “fewer than 5” where the group is too small to show."""
    return _("fewer than 5") if value is None else value
