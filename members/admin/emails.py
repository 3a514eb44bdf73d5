"""The log of outgoing emails in the admin."""

from django.contrib import admin

from ..models import (
    EmailLog,
)


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "kind", "company", "to", "subject")
    list_filter = ("kind",)
    search_fields = ("to", "subject", "company__trade_name")
    list_select_related = ("company",)
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
