"""The directory's filters: one FilterSet serves the HTML page and the JSON API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from . import kinds, search
from .models import Company, Sector


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
        label=_("Search"),
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
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SortChoice.CHOICES,
        method="filter_nothing",
        empty_label=None,
        required=False,
    )

    class Meta:
        model = Company
        fields = ["q", "sector", "city", "kind", "sort"]

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value) if value.strip() else queryset

    def filter_sectors(self, queryset, name, value):
        if not value:
            return queryset
        links = Company.sectors.through.objects.filter(
            company_id=OuterRef("pk"), sector__in=[sector.pk for sector in value]
        )
        return queryset.filter(Exists(links))

    def filter_city(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(city__iexact=value) if value else queryset

    def filter_kind(self, queryset, name, value):
        return kinds.filter_kind(queryset, value) if value else queryset

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
