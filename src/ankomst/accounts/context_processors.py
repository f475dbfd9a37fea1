"""Navigation by role: each entry shows only to users holding its permission."""

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Perm

# (url name, label, permission needed (or a tuple: any of them, or the dotted path of a function
# of the user), None for every signed-in user)
NAVIGATION = [
    ("home", _("Overview"), None),
    ("people:search", _("People"), Perm.VIEW_PERSON),
    ("centres:overview", _("Centres"), Perm.VIEW_CAPACITY),
    ("activities:schedule", _("Activities"), Perm.VIEW_ACTIVITIES),
    ("casework:concerns", _("Concerns"), Perm.VIEW_CONCERNS),
    # Centre staff follow the minors' pocket money there (the runs need VIEW_PAYMENTS).
    ("allowances:run_list", _("Payments"), (Perm.VIEW_PAYMENTS, Perm.MANAGE_POCKET_MONEY)),
    ("reception:arrivals", _("Reception"), Perm.VIEW_RECEPTION),
    ("housing:overview", _("Housing"), "ankomst.housing.selectors.in_a_municipality"),
    ("distribution:years", _("Quotas"), "ankomst.distribution.selectors.in_an_agency"),
    ("distribution:batch", _("Assignment"), "ankomst.distribution.selectors.in_an_agency"),
    (
        "community:overview",
        _("Volunteers"),
        (Perm.VIEW_COMMUNITY, Perm.TAKE_SHIFTS, Perm.REFER_COMMUNITY),
    ),
    ("audit:events", _("Audit log"), Perm.VIEW_AUDIT),
    ("user_list", pgettext_lazy("navigation", "Users"), Perm.MANAGE_USERS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, perm in NAVIGATION:
        if isinstance(perm, str) and not isinstance(perm, Perm):
            shown = import_string(perm)(user)
        else:
            perms = perm if isinstance(perm, tuple) else (perm,)
            shown = perm is None or any(user.has_perm_anywhere(p) for p in perms)
        if shown:
            url = reverse(url_name)
            active = request.path == url if url_name == "home" else request.path.startswith(url)
            items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items}
