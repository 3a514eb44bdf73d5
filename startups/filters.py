"""The search for free offices: one FilterSet serves the staff and the public /offices/ page."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.filters import DateFilter
from members.forms import DateInput
from members.periods import validate_period

from .models import Office

DATE_WIDGET = DateInput()


class IntegerFilter(django_filters.NumberFilter):
    # NumberFilter takes decimals; "2.5 desks" should be refused, not silently truncated.
    field_class = forms.IntegerField


class AvailabilityForm(forms.Form):
    today = None  # set by AvailabilityFilter.get_form_class

    def clean(self):
        cleaned_data = super().clean()
        if self.has_error("start"):
            return cleaned_data  # today is no stand-in for a start that was mistyped
        start = cleaned_data.get("start") or self.today
        try:
            validate_period(start, cleaned_data.get("end"))
        except ValidationError as error:
            self.add_error(None, error)  # a dict of errors: the message goes to "end"
        return cleaned_data


class AvailabilityFilter(django_filters.FilterSet):
    """Find the offices free for a whole period ``[start, end)``.

    An empty ``start`` means today; an empty ``end`` means "from ``start`` onward, for
    good". An unbound search (no data at all) is the empty search, not "every office".
    """

    start = DateFilter(
        label=_("Free from"),
        method="filter_period",
        widget=DATE_WIDGET,
        help_text=_("Empty: today."),
    )
    end = DateFilter(
        label=_("Until"),
        method="filter_period",
        widget=DATE_WIDGET,
        help_text=_("The first day you no longer need it. Empty: with no end."),
    )
    min_area = django_filters.NumberFilter(
        label=_("Minimum area (m²)"),
        field_name="area",
        lookup_expr="gte",
        min_value=0,
        max_value=99999,
    )
    min_desks = IntegerFilter(
        label=_("Minimum desks"),
        field_name="desks",
        lookup_expr="gte",
        min_value=0,
        max_value=9999,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Office.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Office
        form = AvailabilityForm
        fields = ["start", "end", "min_area", "min_desks", "kind"]

    def __init__(self, data=None, queryset=None, *, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data if data is not None else {}, queryset, **kwargs)

    def get_form_class(self):
        return type("AvailabilityFilterForm", (super().get_form_class(),), {"today": self.today})

    def filter_period(self, queryset, name, value):
        return queryset  # both dates are applied together, in filter_queryset

    @property
    def period(self):
        """Return the searched ``(start, end)``, with today for an empty start."""
        cleaned_data = self.form.cleaned_data
        return cleaned_data.get("start") or self.today, cleaned_data.get("end")

    def filter_queryset(self, queryset):
        start, end = self.period
        return super().filter_queryset(queryset.free_between(start, end))
