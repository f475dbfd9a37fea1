"""Sections that other apps add to the person page.

The people app is the base of the others and must not import them; an app
registers a panel function in its ``AppConfig.ready`` instead.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# A panel returns (template name, context) or None when it has nothing to show.
Panel = Callable[[HttpRequest, object], tuple[str, dict] | None]
_PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def render_panels(request: HttpRequest, person) -> list[SafeString]:
    rendered = []
    for panel in _PANELS:
        result = panel(request, person)
        if result is not None:
            template, context = result
            rendered.append(
                render_to_string(template, {"person": person, **context}, request=request)
            )
    return rendered
