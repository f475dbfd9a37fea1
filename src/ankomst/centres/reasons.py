"""Sentences for the allocation routine's reason codes, in the user's language."""

from django.utils.translation import gettext_lazy as _

from .allocation import Reason

TEXTS = {
    "too_few_beds": _("Too few free beds: %(needed)s needed, %(free)s free."),
    "minor_needs_children_centre": _("Unaccompanied minors may only live at a children's centre."),
    "adults_not_in_children_centre": _("Adults and families do not live at a children's centre."),
    "needs_accessible_room": _("A person with reduced mobility needs an accessible room."),
    "family_room_shared": _("A family does not share a room with another household."),
    "family_not_in_dormitory": _("A family is not placed in a dormitory."),
    "single_not_in_family_room": _(
        "Single adults live in dormitories of their sex or single rooms."
    ),
    "dormitory_of_other_sex": _("The dormitory is for the other sex."),
    "single_room_taken": _("The single room is already taken."),
    "family_split_across_rooms": _(
        "The family would be split across rooms that are not next to each other."
    ),
    "minor_to_children_centre": _("Unaccompanied minor: children's centre."),
    "accessible_room": _("Reduced mobility: accessible room."),
    "single_in_dormitory": _("Single adult: dormitory of the same sex."),
    "single_room": _("Single adult: single room."),
    "family_one_room": _("Family kept together in one room (%(beds)s beds)."),
    "family_adjacent_rooms": _("Family kept together in %(rooms)s adjacent rooms."),
    "no_room_for_single": _("No free bed in a dormitory of the right sex or a single room."),
    "no_family_room": _("No empty family room or adjacent rooms for %(size)s persons."),
}


def describe(reason: Reason) -> str:
    return (
        str(TEXTS[reason.code]) % dict(reason.params) if reason.params else str(TEXTS[reason.code])
    )
