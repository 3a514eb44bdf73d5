"""Server-rendered SVG charts: the geometry is computed here, the markup is a template."""

from decimal import Decimal

from django import template

register = template.Library()

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP, RIGHT = 48, 56, 16, 16


def _number(value):
    try:
        return float(Decimal(str(value)))
    except (ArithmeticError, ValueError, TypeError):
        return 0.0


@register.simple_tag
def chart_geometry(figure):
    """Return what the SVG of a figure needs: bars (or a line), axis ticks and labels."""
    values = [_number(value) for _label, value in figure.series]
    top = max(values + [0.0]) or 1.0
    if figure.chart == "line" and figure.unit == "%":
        top = max(top, 100.0)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    count = max(len(values), 1)
    step = plot_width / count
    items = []
    for index, ((label, value), number) in enumerate(zip(figure.series, values, strict=True)):
        height = plot_height * number / top
        items.append(
            {
                "label": str(label),
                "value": value,
                "x": round(LEFT + index * step + step * 0.15, 1),
                "cx": round(LEFT + index * step + step / 2, 1),
                "width": round(step * 0.7, 1),
                "y": round(TOP + plot_height - height, 1),
                "height": round(height, 1),
                "show_label": count <= 12 or index % max(1, count // 12) == 0,
            }
        )
    ticks = [
        {"value": round(top * fraction, 1), "y": round(TOP + plot_height * (1 - fraction), 1)}
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    ]
    points = " ".join(f"{item['cx']},{item['y']}" for item in items)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base": TOP + plot_height,
        "label_y": TOP + plot_height + 18,
        "items": items,
        "ticks": ticks,
        "points": points,
    }
