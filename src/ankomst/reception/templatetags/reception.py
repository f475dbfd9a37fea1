from django import template

from ankomst.reception.figures import goal_organisation_ids

register = template.Library()


@register.filter
def reads_goals(user) -> bool:
    """Whether the goals page opens for ``user``: figures of a municipality of theirs."""
    return bool(goal_organisation_ids(user))
