"""Columns that several admin lists share."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..periods import format_period


@admin.display(description=_("period"), ordering="start")
def period(obj):
    """A ``[start, end)`` period as people read it, its last day included."""
    return format_period(obj.start, obj.end, "SHORT_DATE_FORMAT")
