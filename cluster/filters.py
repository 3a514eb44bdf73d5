"""The agenda's filters: one FilterSet serves /events/ and /api/events/."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import Company

from .models import Event

UPCOMING, PAST = "upcoming", "past"


def _month_start(value: str) -> datetime:
    year, month = (int(part) for part in value.split("-"))
    return datetime.combine(date(year, month, 1), time.min, ZoneInfo(settings.TIME_ZONE))


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        method="filter_when",
        empty_label=None,
        required=False,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(value, capfirst(label)) for value, label in Event.Kind.choices],
        empty_label=_("All"),
    )
    audience = django_filters.ChoiceFilter(
        label=_("Audience"),
        choices=[(value, capfirst(label)) for value, label in Event.Audience.choices],
        empty_label=_("All"),
    )
    month = django_filters.CharFilter(
        label=_("Month"),
        method="filter_month",
        max_length=7,
        validators=[
            RegexValidator(
                r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$",
                _("Give a month as year-month, for example 2027-03."),
            )
        ],
        # A text box, not type="month": that input has no placeholder or maxlength, is a
        # plain text box in several browsers anyway, and a bad value typed by hand must be
        # shown back as typed with its error.
        widget=forms.TextInput(attrs={"placeholder": "2027-03"}),
    )
    organiser = django_filters.ModelChoiceFilter(
        label=_("Organiser"),
        queryset=Company.objects.filter(
            organised_events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
        )
        .distinct()
        .order_by("trade_name"),
        to_field_name="slug",
        method="filter_organiser",
        empty_label=_("All"),
    )

    class Meta:
        model = Event
        fields = ["when", "kind", "audience", "month", "organiser"]

    @property
    def past(self) -> bool:
        return self.is_valid() and self.form.cleaned_data.get("when") == PAST

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.past(now) if value == PAST else queryset.upcoming(now)

    def filter_month(self, queryset, name, value):
        if not value:
            return queryset
        start = _month_start(value)
        end = _month_start(f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}")
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_organiser(self, queryset, name, value):
        return queryset.organised_by(value) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("when"):
            queryset = queryset.upcoming()
        return queryset
