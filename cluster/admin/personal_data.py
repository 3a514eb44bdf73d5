"""The log of erasures of personal data, read-only: proof that each one was done."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Erasure
from ..services.erasure import CHANGES


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ("erased_at", "kind", "object_id", "reason", "erased_by", "changes_done")
    list_filter = ("kind", "reason")
    list_select_related = ("erased_by",)
    search_fields = ("=object_id",)
    fields = ("erased_at", "kind", "object_id", "reason", "erased_by", "changes_done")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # erase_personal_data and the retention jobs write it

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what was changed"))
    def changes_done(self, obj):
        return (
            ", ".join(f"{CHANGES.get(key, key)}: {count}" for key, count in obj.changes.items())
            or "—"
        )
