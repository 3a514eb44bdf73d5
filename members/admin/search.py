"""The search in the admin: the synonyms staff manage, and the company search of the
changelist through the directory's engine (``members.search``)."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR

from .. import search
from ..models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("__str__", "updated_at")
    search_fields = ("terms",)
    fields = ("terms",)


class EngineSearchMixin:
    """Search companies with the directory's engine: words, typos, synonyms, and SIREN,
    SIRET or VAT number with or without spaces. An email address is looked up as typed.

    The results keep the search's ranking, unless staff choose a column to sort by: Django
    orders the change list by it before it searches, and the ranking would undo that."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip() or "@" in search_term:
            return super().get_search_results(request, queryset, search_term)
        found = search.search(queryset, search_term)
        if request.GET.get(ORDER_VAR):
            found = found.order_by(*queryset.query.order_by)
        return found, False
