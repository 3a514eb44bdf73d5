"""Periods ``[start, end)`` with an open end allowed: one helper for memberships,
incubations, leases and placements.

``end`` is the first day *not* covered, so consecutive periods share a boundary day
without overlapping, and a period "2026-01-01 to 2027-01-01" is the calendar year 2026.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class PeriodQuerySet(models.QuerySet):
    def active_on(self, day):
        """Return the periods that cover ``day``."""
        return self.filter(Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day)))

    def overlapping(self, start, end):
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
                % {"start": date_format(start)}
            },
            code="period_order",
        )


def covers(start, end, day):
    return start <= day and (end is None or day < end)


def last_day(end):
    """Return the last day of a period ending (exclusive) on ``end``; None when open."""
    return None if end is None else end - timedelta(days=1)


def format_period(start, end):
    """Return a period as people read it, the last day included, in the active language:
    "from 13 August 2026 to 12 March 2027", or "from 13 August 2026, with no end"."""
    if end is None:
        return _("from %(start)s, with no end") % {"start": date_format(start)}
    return _("from %(start)s to %(end)s") % {
        "start": date_format(start),
        "end": date_format(last_day(end)),
    }
