"""The map of the municipality and a run's figures, as data for the page: the polygons of the
areas coloured by a count, the units as points, and the same numbers as a table."""

from __future__ import annotations

import math

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors

SHOW = ("placed", "countrymen")
SHOW_LABELS = {
    "placed": gettext_lazy("Households placed this year"),
    "countrymen": gettext_lazy("Countrymen (households recorded)"),
    "proposed": gettext_lazy("Households proposed and accepted in the run"),
}
# a sequential scale, light to dark (ColorBrewer "YlOrBr", colour-blind safe)
COLOURS = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")


def _steps(values: list[int]) -> list[list]:
    top = max(values, default=0)
    if top <= len(COLOURS) - 1:
        bounds = list(range(len(COLOURS)))
    else:
        bounds = [0, 1] + [math.ceil(top * f) for f in (0.25, 0.5, 0.75)]
        bounds = sorted(set(bounds))
    steps = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        if high is None:
            label = _("%(n)s or more") % {"n": number_format(low)}
        elif high == low:
            label = number_format(low)
        else:
            label = f"{number_format(low)}–{number_format(high)}"
        steps.append([low, COLOURS[min(i, len(COLOURS) - 1)], label])
    return steps


def page(organisation, *, run=None, show: str = "placed") -> dict:
    counts = selectors.map_counts(organisation.pk, run)
    shapes = selectors.shapes()
    areas = list(selectors.areas(organisation.pk))
    rows, features = [], []
    for area in areas:
        c = counts.get(area.pk, {"placed": 0, "proposed": 0, "accepted": 0})
        countrymen = selectors.countrymen_total(area)
        if run is not None:
            value = c["proposed"] + c["accepted"]
        else:
            value = countrymen if show == "countrymen" else c["placed"]
        rows.append(
            {
                "area": area,
                "value": value,
                "placed": c["placed"],
                "proposed": c["proposed"],
                "accepted": c["accepted"],
                "countrymen": countrymen,
                "units": area.unit_count,
                "free": area.free_count,
                "mapped": area.code in shapes,
            }
        )
        shape = shapes.get(area.code)
        if shape is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": shape["geometry"],
                    "properties": {
                        "id": area.code,
                        "name": area.name,
                        "value": value,
                        "label": _("%(label)s: %(n)s")
                        % {
                            "label": SHOW_LABELS[show if run is None else "proposed"],
                            "n": number_format(value),
                        },
                    },
                }
            )
    points = [
        {"lat": lat, "lon": lon, "status": status, "label": f"{status}"}
        for _, lat, lon, status in selectors.map_points(organisation.pk, run)
    ]
    point_labels = {
        "proposed": _("Proposed unit"),
        "accepted": _("Accepted unit"),
        "housed": _("Household living there"),
    }
    for point in points:
        point["label"] = point_labels[point["status"]]
    title = SHOW_LABELS[show if run is None else "proposed"]
    config = {
        "areas": {"type": "FeatureCollection", "features": features},
        "legend": {"title": str(title), "steps": _steps([r["value"] for r in rows])},
        "points": points,
        "point_labels": point_labels,
        "tiles": settings.MAP_TILES,
        "attribution": settings.MAP_ATTRIBUTION,
    }
    return {
        "config": config,
        "rows": rows,
        "title": title,
        "show": show,
        "shows": [(key, SHOW_LABELS[key]) for key in SHOW],
        "unmapped": [r["area"].name for r in rows if not r["mapped"]],
        "back": reverse("housing:overview"),
    }


def figures(run, names) -> list[tuple[str, str]]:
    """A run's figures as (label, value) in the reader's language."""
    f = run.figures or {}
    if not f:
        return []

    def pct(x) -> str:
        return _("%(p)s %%") % {"p": number_format(round(100 * (x or 0), 1), 1)}

    km = f.get("average_km", {}) or {}
    out = [
        (_("Households"), number_format(f.get("households", 0))),
        (_("In a permanent home"), number_format(f.get("placed_permanent", 0))),
        (_("In temporary housing"), number_format(f.get("placed_temporary", 0))),
        (_("Unplaced"), number_format(f.get("unplaced", 0))),
        (
            _("Families with children in a permanent home"),
            pct(f.get("families_with_children_permanent_share")),
        ),
        (_("Households alone without countrymen"), number_format(f.get("families_alone", 0))),
    ]
    if f.get("largest_area"):
        out.append(
            (
                _("Largest area share"),
                _("%(share)s in %(area)s")
                % {
                    "share": pct(f.get("largest_area_share")),
                    "area": names.area(f["largest_area"]),
                },
            )
        )
    labels = {
        "school_families": _("Average distance to school (families with school children)"),
        "daycare_families": _("Average distance to day care (families with small children)"),
        "transport": _("Average distance to public transport"),
        "shops": _("Average distance to shops"),
    }
    for key, label in labels.items():
        if km.get(key) is not None:
            out.append((label, _("%(km)s km") % {"km": number_format(km[key], 1)}))
    return out
