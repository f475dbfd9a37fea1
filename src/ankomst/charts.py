"""Geometry for small server-rendered SVG charts (no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.value / self.total) if self.total else 0


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    max_value: int
    gridlines: list[tuple[float, int]]


def bar_chart(
    points: list[tuple[str, int, int]], *, width: int = 720, height: int = 220, padding: int = 32
) -> BarChart:
    """Bars for ``(label, value, total)`` points; the total (e.g. places) sets the scale."""
    top = max([max(v, t) for _, v, t in points] + [1])
    inner_w, inner_h = width - 2 * padding, height - 2 * padding
    step = inner_w / max(len(points), 1)
    bars = []
    for i, (label, value, total) in enumerate(points):
        h = inner_h * value / top
        bars.append(
            Bar(
                x=padding + i * step + step * 0.15,
                y=padding + inner_h - h,
                width=step * 0.7,
                height=h,
                label=label,
                value=value,
                total=total,
            )
        )
    grid = [(padding + inner_h * (1 - f), round(top * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    return BarChart(width, height, bars, top, grid)
