"""The bed, stay history and case phase on the person page."""

from ankomst.accounts.roles import Perm

from . import selectors
from .forms import CheckOutForm, PhaseForm
from .models import Centre


def person_panel(request, person):
    user = request.user
    stays = list(selectors.stay_history(person))
    current = next((s for s in stays if s.end is None), None)
    can_manage = user.has_perm_in(Perm.MANAGE_BEDS, person.organisation_id)
    if not stays and not can_manage and not selectors.current_phase(person):
        return None
    return "centres/_person_panel.html", {
        "stays": stays,
        "current": current,
        "phases": list(selectors.phase_history(person)),
        "can_manage": can_manage,
        "can_edit": user.has_perm_in(Perm.EDIT_PERSON, person.organisation_id),
        "check_in_centre": Centre.objects.filter(organisation_id=person.organisation_id).first(),
        "check_out_form": CheckOutForm(),
        "phase_form": PhaseForm(),
    }
