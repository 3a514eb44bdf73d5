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
    """Keep the search's ranking when staff search and choose no column to sort by."""

    def get_ordering(self, request, queryset):
        if self.query and ORDER_VAR not in self.params and queryset.query.order_by:
            return list(queryset.query.order_by)
        return super().get_ordering(request, queryset)


class EngineSearchMixin:
    """Search companies with the directory's engine: words, typos, synonyms, and SIREN,
    SIRET or VAT number with or without spaces. An email address is looked up as typed."""

    def get_changelist(self, request, **kwargs):
        return RankedChangeList

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip() or "@" in search_term:
            return super().get_search_results(request, queryset, search_term)
        return search.search(queryset, search_term), False
