"""The search in the admin: the synonyms staff manage, and the company search of the
changelist through the directory's engine (``members.search``)."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList

from .. import search
from ..models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("__str__", "updated_at")
    search_fields = ("terms",)
    fields = ("terms",)


class RankedChangeList(ChangeList):
    """A company search keeps the engine's ranking, unless staff choose a column to sort
    by: then the column, the ranking breaking its ties. Django 5.2 orders the change list
    before it searches, so the ranking would undo the column."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        # The columns that the ``o`` parameter names and that can be sorted (none for an
        # unknown or unsortable column, which leaves the ranking alone).
        if self.query and self.params.get(ORDER_VAR) and self.get_ordering_field_columns():
            queryset = queryset.order_by(*self.get_ordering(request, queryset))
        return queryset


class EngineSearchMixin:
    """Search companies with the directory's engine: words, typos, synonyms, and SIREN,
    SIRET or VAT number with or without spaces. An email address is looked up as typed."""

    def get_changelist(self, request, **kwargs):
        return RankedChangeList

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip() or "@" in search_term:
            return super().get_search_results(request, queryset, search_term)
        return search.search(queryset, search_term), False
