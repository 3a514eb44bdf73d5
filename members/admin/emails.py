"""The log of outgoing emails in the admin: what was sent, and what failed, to send again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import EmailLog
from ..services.email import email_retry


@admin.action(description=_("Retry: send the selected emails again"), permissions=["view"])
def send_again(modeladmin, request, queryset):
    """Put the failed (or still waiting) emails among the selection back in the worker's
    queue, with fresh attempts."""
    queued = email_retry(log_ids=queryset.values_list("pk", flat=True))
    modeladmin.message_user(
        request,
        _("%(count)d emails handed to the worker again.") % {"count": queued},
        messages.SUCCESS,
    )


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "status",
        "kind",
        "company",
        "to",
        "subject",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("to", "subject", "company__trade_name")
    list_select_related = ("company",)
    date_hierarchy = "created_at"
    actions = [send_again]
    readonly_fields = [field.name for field in EmailLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
