"""Dates as people read them, in the active language."""

import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# A "j" (day of the month, no leading zero) that a backslash does not escape.
_DAY = re.compile(r"(?<!\\)j")


@register.filter(expects_localtime=True, is_safe=False)
def human_date(value, arg="DATE_FORMAT"):
    """Format a date or datetime like Django's ``date`` filter, but write the first of the
    month as French does: "1er décembre 2026", not "1 décembre 2026".

    ``arg`` is a format name (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``…) or a format string.
    """
    if value in (None, ""):
        return ""
    format_string = formats.get_format(arg)
    if getattr(value, "day", None) == 1 and (get_language() or "").startswith("fr"):
        format_string = _DAY.sub(r"j\\e\\r", format_string)
    return date_filter(value, format_string)
