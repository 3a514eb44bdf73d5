"""The filters of the directory and of the offers: each FilterSet serves the HTML page and
the JSON API alike."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import kinds, search, towns
from .fields import BoundedDateFormField
from .forms import DateInput
from .models import Company, Offer, Sector


class DateFilter(django_filters.DateFilter):
    """A date of a filter, between the years the models accept (members.fields): a date
    beyond is a form error, and the filter is left out, rather than a query that overflows."""

    field_class = BoundedDateFormField


def has_open_offers():
    """Return an expression true when the outer company has at least one open offer."""
    return Exists(Offer.objects.published().filter(company=OuterRef("pk")))


def _sectors_of(company_field, value):
    """Return the condition "the company (the outer ``company_field``) is in one of the
    sectors ``value``"."""
    return Exists(
        Company.sectors.through.objects.filter(
            company_id=OuterRef(company_field), sector__in=[sector.pk for sector in value]
        )
    )


def _is_set(value):
    """Return whether a filter's cleaned value asks for something (False, for "not hiring",
    does; blanks and an empty choice do not)."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and (isinstance(value, bool) or bool(value))


class SortChoice:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (NAME, _("Name")),
        (NEWEST, _("Newest")),
    ]


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words searched"),
        method="filter_search",
        max_length=search.MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        method="filter_sectors",
        widget=forms.CheckboxSelectMultiple,
    )
    city = django_filters.CharFilter(label=_("City"), method="filter_city", max_length=100)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=kinds.CHOICES, method="filter_kind", empty_label=_("All")
    )
    hiring = django_filters.BooleanFilter(
        label=_("Hiring"), method="filter_hiring", widget=django_filters.widgets.BooleanWidget
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SortChoice.CHOICES,
        method="filter_nothing",
        empty_label=None,
        required=False,
    )

    class Meta:
        model = Company
        fields = ["q", "sector", "city", "kind", "hiring", "sort"]

    def __init__(self, *args, search_run=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The search of this request (members.search.Search), once ``qs`` is built; another
        # filterset of the same request (the facets) may reuse it: it costs a query to make.
        self.search = search_run
        # No sort chosen means relevance with words to search, the name otherwise. The
        # empty choice says which, and that sort is not offered twice: the select shows the
        # order of the list, and a search typed next still gets the default order.
        default = SortChoice.RELEVANCE if (self.data.get("q") or "").strip() else SortChoice.NAME
        labels = dict(SortChoice.CHOICES)
        field = self.form.fields["sort"]
        field.choices = [("", labels[default]), *SortChoice.CHOICES]
        field.widget.choices = [("", labels[default])] + [
            (value, label) for value, label in SortChoice.CHOICES if value != default
        ]

    def _narrowing(self):
        """Return the names of the filters (other than the order) that leave out some
        public companies. Call it on a valid filterset."""
        return {
            name
            for name in self.filters
            if name != "sort" and _is_set(self.form.cleaned_data.get(name))
        }

    def narrows(self):
        """Return whether a filter (other than the order) leaves out some public companies.
        Call it on a valid filterset."""
        return bool(self._narrowing())

    def searches_only(self):
        """Return whether the search is the only filter (other than the order) that leaves
        out public companies. Call it on a valid filterset."""
        return self._narrowing() == {"q"}

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        if self.search is None or self.search.raw != value:
            self.search = search.Search(value, using=queryset.db)
        return self.search.apply(queryset)

    def filter_sectors(self, queryset, name, value):
        return queryset.filter(_sectors_of("pk", value)) if value else queryset

    def filter_city(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(towns.matching("city", value)) if value else queryset

    def filter_kind(self, queryset, name, value):
        return kinds.filter_kind(queryset, value) if value else queryset

    def filter_hiring(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(has_open_offers() if value else ~has_open_offers())

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    @property
    def has_query(self):
        return bool(self.form.cleaned_data.get("q", "").strip())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or (
            SortChoice.RELEVANCE if self.has_query else SortChoice.NAME
        )
        if sort == SortChoice.NEWEST:
            return queryset.order_by("-created_at", "-pk")
        if sort == SortChoice.NAME or not self.has_query:
            return queryset.order_by(Lower("trade_name"), "pk")
        return queryset  # search.search() already ranked it


class OfferFilter(django_filters.FilterSet):
    """The filters of /offers/ and /api/offers/, over open offers."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(value, capfirst(label)) for value, label in Offer.Kind.choices],
        empty_label=_("All"),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        method="filter_sectors",
        widget=forms.CheckboxSelectMultiple,
    )
    city = django_filters.CharFilter(label=_("Town"), method="filter_city", max_length=100)
    start = DateFilter(
        label=_("Starting on or after"),
        field_name="start_date",
        lookup_expr="gte",
        widget=DateInput(),
    )

    class Meta:
        model = Offer
        fields = ["kind", "sector", "city", "start"]

    def filter_sectors(self, queryset, name, value):
        return queryset.filter(_sectors_of("company_id", value)) if value else queryset

    def filter_city(self, queryset, name, value):
        """Match the offer's place, or the company's town for an offer placed elsewhere."""
        value = value.strip()
        if not value:
            return queryset
        place = towns.matching("place", value)
        return queryset.filter(place | towns.matching("company__city", value))
