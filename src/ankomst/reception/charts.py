"""The goals' charts as SVG, drawn by pygal on the server (no JavaScript, nothing from a CDN).

Each chart is served as its own SVG document and shown with <img>; the page puts a table with
the same figures beside it for screen readers.
"""

from __future__ import annotations

import pygal
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from pygal.style import Style

from .figures import MONTH_MARKS, Figures

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d9dee3",
    font_family="system-ui, sans-serif",
    colors=(
        "#1d5fa8",
        "#c2410c",
        "#15803d",
        "#7c3aed",
        "#b45309",
        "#0f766e",
        "#be123c",
        "#4d7c0f",
        "#1e40af",
        "#a21caf",
    ),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
)


def _config(**extra):
    return dict(
        style=STYLE,
        js=[],
        width=760,
        height=340,
        range=(0, 100),
        show_dots=True,
        value_formatter=lambda v: f"{number_format(v, 1)} %" if v is not None else "–",
        legend_at_bottom=True,
        truncate_legend=-1,
        explicit_size=True,
        print_values=False,
        **extra,
    )


def cohort_curves(fig: Figures) -> bytes:
    chart = pygal.Line(
        **_config(
            title=_("Adults in education or work, by months since arrival"),
            x_title=_("Months since arrival"),
            y_title="%",
        )
    )
    chart.x_labels = [str(m) for m in MONTH_MARKS]
    for cohort in fig.cohorts[-8:]:
        chart.add(
            cohort,
            [fig.adults_by_months[cohort][m].value for m in MONTH_MARKS],
            allow_interruptions=True,
        )
    return chart.render()


def trend(fig: Figures) -> bytes:
    chart = pygal.Line(
        **_config(
            title=_("Adults within the integration period in education or work"),
            y_title="%",
            x_label_rotation=30,
            show_legend=False,
        )
    )
    chart.x_labels = [date_format(day, "YEAR_MONTH_FORMAT") for day, _s in fig.trend]
    chart.add(_("Share"), [share.value for _d, share in fig.trend], allow_interruptions=True)
    return chart.render()


def children(fig: Figures) -> bytes:
    chart = pygal.Bar(
        **_config(
            title=_("Children started in day care or school within 30 days"),
            y_title="%",
            show_legend=False,
        )
    )
    chart.x_labels = fig.cohorts
    chart.add(_("Share"), [fig.children_within_30[c].value for c in fig.cohorts])
    return chart.render()


CHARTS = {"cohorts": cohort_curves, "trend": trend, "children": children}
