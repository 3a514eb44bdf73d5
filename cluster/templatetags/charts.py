"""Server-rendered SVG charts and the numbers they show, formatted for the active locale.

The geometry is computed here and the markup is a template
(``cluster/includes/_chart_frame.html``). Horizontal positions are percentages of the
chart's width and vertical ones are pixels, with no ``viewBox``: the chart stretches to its
box while its text keeps its size, so that labels stay legible from 320 px to A4.
"""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

MINUS = "\u2212"
# Vertical charts (columns, lines): pixels from the top of the SVG.
TOP, PLOT, LABEL_LINE = 24, 168, 15
# Horizontal bars: each row is its label's lines, then the bar.
BAR, ROW_GAP, BAR_SPACE = 14, 10, 70  # BAR_SPACE: the longest bar, in % of the width
LABEL_CHARS, AXIS_LABEL_CHARS = 40, 12


# --- Numbers -------------------------------------------------------------------------------


def _decimal(value):
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return Decimal(0)


def grouped(value, places=0):
    """Return ``value`` with the locale's separators: 1 234 567 (fr), 1,234,567 (en)."""
    number = _decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return number_format(number, places, force_grouping=True)


def money(value, places=2):
    return pgettext("money", "%(amount)s €") % {"amount": grouped(value, places)}


def percentage(value, places=1):
    return pgettext("percentage", "%(number)s %%") % {"number": grouped(value, places)}


def signed(text, value):
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text.lstrip('-')}"
    return text


@register.filter
def value_as(value, kind):
    """Format a figure's value by its kind: count, delta, money, percent, area, month, text."""
    if value is None:
        return "—"
    if kind == "count":
        return grouped(value)
    if kind == "delta":
        return signed(grouped(abs(_decimal(value))), _decimal(value))
    if kind == "money":
        return money(value)
    if kind == "percent":
        return percentage(value)
    if kind == "area":
        number = _decimal(value)
        places = 0 if number == number.to_integral_value() else 2
        return pgettext("area", "%(number)s m²") % {"number": grouped(number, places)}
    if kind == "month" and isinstance(value, date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    return str(value)


@register.filter
def short_value(value, kind):
    """Format a value for a chart label or a tile: whole euros, counts, one-decimal rates."""
    if value is None:
        return "—"
    if kind == "money":
        return money(value, 0)
    return value_as(value, kind)


@register.simple_tag
def change(key_figure):
    """Return how a key figure moved since the year before, in words a screen reader reads:
    "+6", "−1 200 €", "+3,2 points"; None when either year has no value."""
    delta = key_figure.change
    if delta is None:
        return None
    delta = _decimal(delta)
    if key_figure.kind == "percent":
        text = pgettext("percentage points", "%(number)s pts") % {"number": grouped(abs(delta), 1)}
    elif key_figure.kind == "money":
        text = money(abs(delta), 0)
    else:
        text = grouped(abs(delta))
    return signed(text, delta)


@register.simple_tag
def comparison(key_figure):
    """Return a key figure beside the year before's: "+6 on 2025 (72)"."""
    year = key_figure.period.previous().label
    moved = change(key_figure)
    if moved is None:
        return _("No figure for %(year)s to compare with") % {"year": year}
    previous = short_value(key_figure.previous, key_figure.kind)
    if not key_figure.change:
        return _("Same as in %(year)s") % {"year": year}
    return _("%(change)s on %(year)s (%(previous)s)") % {
        "change": moved,
        "year": year,
        "previous": previous,
    }


@register.simple_tag
def trend(key_figure):
    """Return "up", "down" or "same" for a key figure, or "" when it cannot compare."""
    delta = key_figure.change
    if delta is None:
        return ""
    return "up" if delta > 0 else "down" if delta < 0 else "same"


# --- Axes ----------------------------------------------------------------------------------


def nice_axis(top, *, integer=True, ticks=5):
    """Return the ticks of an axis from 0 past ``top`` in round steps of 1, 2 or 5 × 10ⁿ.

    Counts get whole steps (0, 1, 2, 3 rather than 0, 0.75, 1.5), so that no two labels read
    the same.
    """
    top = float(top)
    if top <= 0:
        return [0, 1]
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, round(step))
    count = math.ceil(top / step - 1e-9)
    places = 0 if integer or step >= 1 else -math.floor(math.log10(step))
    return [round(step * index, places) for index in range(count + 1)]


def wrap(text, width):
    """Split a label into lines of at most ``width`` characters, at spaces where possible."""
    lines, line = [], ""
    for word in str(text).split():
        while len(word) > width:  # a word longer than a line is cut, never dropped
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def _pct(value):
    return f"{value:.2f}%"


def _y(value, axis_top):
    return round(TOP + PLOT * (1 - float(value) / axis_top), 1)


def _flow_bars(figure, values):
    """Return each bar's (low, high) and the level it leaves: a flow's bars float."""
    bars, level = [], Decimal(0)
    for item, value in zip(figure.series, values, strict=True):
        step = item[2] if figure.chart == "flow" else "total"
        value = value or Decimal(0)
        if step == "total":
            low, high, level = Decimal(0), value, value
        elif step == "up":
            low, high, level = level, level + value, level + value
        else:
            low, high, level = level - value, level, level - value
        bars.append((low, high, level, step))
    return bars


def _vertical(figure):
    """Geometry of a chart with a vertical axis: columns or a line, one point per period."""
    kind = figure.series_kind
    values = [None if value is None else _decimal(value) for _label, value in figure.series]
    top = 100.0 if kind == "percent" else max([float(v) for v in values if v] + [0.0])
    ticks = nice_axis(top)
    axis_top = ticks[-1]
    count = max(len(values), 1)
    slot = 100 / count
    dense = count > 6
    items = []
    for index, ((label, _value), value) in enumerate(zip(figure.series, values, strict=True)):
        y = _y(value or 0, axis_top)
        items.append(
            {
                "label": str(label),
                "lines": wrap(label, AXIS_LABEL_CHARS)[:2],
                "text": short_value(value, kind),
                "missing": value is None,
                "x": _pct(index * slot + slot * 0.18),
                "cx": _pct(index * slot + slot / 2),
                "width": _pct(slot * 0.64),
                "y": y,
                "height": round(TOP + PLOT - y, 1),
                "text_y": round(y - 6, 1),
                "minor": dense and index % 2 == 1,
            }
        )
    segments = [
        {"x1": a["cx"], "y1": a["y"], "x2": b["cx"], "y2": b["y"]}
        for a, b in zip(items, items[1:], strict=False)
        if not (a["missing"] or b["missing"])
    ]
    return {
        "height": TOP + PLOT + 8 + 2 * LABEL_LINE + 4,
        "base": TOP + PLOT,
        "label_y": TOP + PLOT + LABEL_LINE + 2,
        "ticks": [
            {
                "text": percentage(tick, 0) if kind == "percent" else grouped(tick),
                "y": _y(tick, axis_top),
            }
            for tick in ticks
        ],
        "items": items,
        "segments": segments,
        "dense": dense,
    }


def _horizontal(figure):
    """Geometry of horizontal bars, each under its label with its value at its end.

    A flow (a waterfall) is drawn the same way, its bars floating from the level the
    previous one left: totals from zero, increases to the right, decreases to the left.
    """
    kind = figure.series_kind
    values = [_decimal(item[1]) for item in figure.series]
    bars = _flow_bars(figure, values)
    top = max([float(bar[1]) for bar in bars] + [0.0]) or 1.0
    items, y = [], 0
    for item, value, (low, high, level, step) in zip(figure.series, values, bars, strict=True):
        lines = wrap(item[0], LABEL_CHARS)
        bar_y = y + len(lines) * LABEL_LINE + 4
        x, width = BAR_SPACE * float(low) / top, BAR_SPACE * float(high - low) / top
        if step != "total" and value:
            text = signed(short_value(value, kind), -1 if step == "down" else 1)
        else:
            text = short_value(value, kind)
        items.append(
            {
                "label": str(item[0]),
                "lines": lines,
                "text": text,
                "step": step,
                "label_y": y + LABEL_LINE,
                "y": bar_y,
                "x": _pct(x),
                "width": _pct(width),
                "text_x": _pct(x + width),
                "text_y": bar_y + BAR - 3,
                "level_x": _pct(BAR_SPACE * float(level) / top),
            }
        )
        y = bar_y + BAR + ROW_GAP
    connectors = []
    if figure.chart == "flow":
        connectors = [
            {"x": a["level_x"], "y1": a["y"] + BAR, "y2": b["y"]}
            for a, b in zip(items, items[1:], strict=False)
        ]
    return {
        "height": max(y - ROW_GAP + 2, 1),
        "bar": BAR,
        "items": items,
        "connectors": connectors,
    }


@register.simple_tag
def chart_geometry(figure):
    """Return what the SVG of a figure needs to be drawn."""
    if figure.chart in ("bars", "flow"):
        return _horizontal(figure)
    return _vertical(figure)
