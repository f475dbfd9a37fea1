"""Sections that other apps add to the person page.

The people app is the base of the others and must not import them; an app
registers a panel function in its ``AppConfig.ready`` instead.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ankomst.accounts.fields import PersonField

# A panel returns (template name, context) or None when it has nothing to show.
Panel = Callable[[HttpRequest, object], tuple[str, dict] | None]
# Each panel with the person field (accounts/fields.py) a user must see for it to show;
# None: only users who see the whole record.
_PANELS: list[tuple[Panel, PersonField | None]] = []


def register(panel: Panel, *, field: PersonField | None = None) -> Panel:
    if all(registered is not panel for registered, _field in _PANELS):
        _PANELS.append((panel, field))
    return panel


def render_panels(request: HttpRequest, person) -> list[SafeString]:
    """The panels for ``person`` as returned by the person selector (with ``visible``)."""
    rendered = []
    for panel, field in _PANELS:
        if not (person.visible.whole_record if field is None else field in person.visible):
            continue
        result = panel(request, person)
        if result is not None:
            template, context = result
            rendered.append(
                render_to_string(template, {"person": person, **context}, request=request)
            )
    return rendered
