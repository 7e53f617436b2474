"""Formatting of metric values and server-side SVG charts (no JavaScript, no build step).

Each chart is an `<svg role="img">` with a title and a description pointing to the table of
its numbers printed next to it; series differ by dash pattern as well as colour.
"""

from __future__ import annotations

from django import template

from metrics import formatting
from metrics.models import Stage

register = template.Library()

COLOURS = ["#b26b00", "#1f5f8b", "#2e7d32", "#6a1b9a"]
DASHES = ["", "6 4", "2 3", "10 3 2 3"]


@register.filter
def metric(value, fmt: str = "num") -> str:
    return formatting.metric(value, fmt)


@register.filter
def stage_name(value) -> str:
    return Stage(value).label if value is not None else "–"


@register.inclusion_tag("metrics/includes/chart.html")
def chart(chart, chart_id: str):
    if chart.kind == "line":
        return {"svg": _line(chart), "chart": chart, "chart_id": chart_id}
    return {"svg": _bars(chart), "chart": chart, "chart_id": chart_id}


def _y_label(chart, value: float) -> str:
    if chart.unit == "%":
        return f"{value:g} %"
    if chart.unit == "stage":
        return str(Stage(int(value)).label)
    return f"{value:g}"


def _line(chart) -> dict:
    width, height, left, right, top, bottom = 720, 260, 56, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(chart.labels), 1)
    maximum = chart.maximum or 1

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * min(max(v, 0), maximum) / maximum

    grid = [{"y": y(maximum * k / 4), "label": _y_label(chart, maximum * k / 4)} for k in range(5)]
    series = []
    for index, (name, values) in enumerate(chart.series):
        # A missing value breaks the line rather than drawing a false zero.
        segments, current = [], []
        for i, v in enumerate(values):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        series.append(
            {
                "name": name,
                "colour": COLOURS[index % len(COLOURS)],
                "dash": DASHES[index % len(DASHES)],
                "segments": [" ".join(s) for s in segments],
                "legend_y": top + 14 + 16 * index,
            }
        )
    step = max(1, n // 6)
    ticks = [{"x": x(i), "label": chart.labels[i]} for i in range(0, n, step)]
    return {
        "width": width,
        "height": height,
        "grid": grid,
        "series": series,
        "ticks": ticks,
        "left": left,
        "right_edge": width - right,
        "bottom": top + plot_h,
        "legend_x": left + 8,
    }


def _bars(chart) -> dict:
    left, right, top, bar, gap = 220, 110, 8, 18, 8
    width = 720
    plot_w = width - left - right
    values = chart.series[0][1] if chart.series else []
    maximum = chart.maximum or 1
    bars = []
    for i, (label, value) in enumerate(zip(chart.labels, values, strict=False)):
        length = 0 if value is None else plot_w * min(max(value, 0), maximum) / maximum
        bars.append(
            {
                "label": label,
                "y": top + i * (bar + gap),
                "text_y": top + i * (bar + gap) + bar * 0.75,
                "width": length,
                "value": "–" if value is None else _y_label(chart, value),
                "value_x": left + length + 6,
            }
        )
    return {
        "width": width,
        "height": top * 2 + len(bars) * (bar + gap),
        "bars": bars,
        "left": left,
        "bar": bar,
        "colour": COLOURS[0],
    }
