"""Periods ``[start, end)`` with an open end allowed, and dates as people read them: one
helper for memberships, incubations, leases, placements and everything that shows them.

``end`` is the first day *not* covered, so consecutive periods share a boundary day
without overlapping, and a period "2026-01-01 to 2027-01-01" is the calendar year 2026.
People read a period with its last day included (31/12/2026): every page, email, PDF, CSV
and message shows ``format_period`` or ``last_day``, never ``end`` itself.
"""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import date as date_filter
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A "j" (day of the month, no leading zero) that a backslash does not escape.
_DAY = re.compile(r"(?<!\\)j")


class PeriodQuerySet(models.QuerySet):
    def active_on(self, day: date) -> "PeriodQuerySet":
        """Return the periods that cover ``day``."""
        return self.filter(Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day)))

    def overlapping(self, start: date, end: date | None) -> "PeriodQuerySet":
        """Return the periods that share at least one day with ``[start, end)``."""
        condition = Q(end__isnull=True) | Q(end__gt=start)
        if end is not None:
            condition &= Q(start__lt=end)
        return self.filter(condition)


def validate_period(start, end, *, start_field="start", end_field="end"):
    """Raise a ValidationError on the end field when the period ends before it starts."""
    if start and end and end <= start:
        raise ValidationError(
            {
                end_field: _("The end must be after the start (%(start)s).")
                % {"start": human_date(start)}
            },
            code="period_order",
        )


def covers(start, end, day):
    return start <= day and (end is None or day < end)


def last_day(end):
    """Return the last day of a period ending (exclusive) on ``end``; None when open."""
    return None if end is None else end - timedelta(days=1)


def human_date(value, format_name="DATE_FORMAT"):
    """Format a date or datetime in the active language, the first of the month written
    as French does: "1er décembre 2026", not "1 décembre 2026".

    ``format_name`` is a format name (``DATE_FORMAT``, ``SHORT_DATE_FORMAT``…) or a
    format string. Empty values give "".
    """
    if value in (None, ""):
        return ""
    format_string = formats.get_format(format_name)
    if getattr(value, "day", None) == 1 and (get_language() or "").startswith("fr"):
        format_string = _DAY.sub(r"j\\e\\r", format_string)
    return date_filter(value, format_string)


def format_period(start, end, format_name="DATE_FORMAT"):
    """Return a period as people read it, the last day included, in the active language:
    "from 13 August 2026 to 12 March 2027", or "from 13 August 2026, with no end";
    ``format_name`` as in ``human_date`` ("SHORT_DATE_FORMAT" in lists)."""
    if end is None:
        return _("from %(start)s, with no end") % {"start": human_date(start, format_name)}
    return _("from %(start)s to %(end)s") % {
        "start": human_date(start, format_name),
        "end": human_date(last_day(end), format_name),
    }
