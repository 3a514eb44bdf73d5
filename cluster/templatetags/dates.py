"""Dates and periods as people read them, in the active language (members.periods)."""

from django import template

from members import periods

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def human_date(value, arg="DATE_FORMAT"):
    """Format a date like Django's ``date`` filter, "1er" on the first of the month in
    French. ``arg`` is a format name (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``…) or a
    format string."""
    return periods.human_date(value, arg)


@register.filter
def last_day(end):
    """Return the last day of a period that ends (exclusive) on ``end``."""
    return periods.last_day(end) if end else end


@register.filter
def period(value):
    """Show an object's ``[start, end)`` period with its last day included."""
    return periods.format_period(value.start, value.end)
