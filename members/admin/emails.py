"""The log of outgoing emails in the admin: what was sent, and what failed, to send again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import EmailLog
from ..services.email import email_deliver


@admin.action(description=_("Send the selected emails again"), permissions=["view"])
def send_again(modeladmin, request, queryset):
    """Try the failed (or still waiting) emails among the selection once more."""
    unsent = list(queryset.exclude(status=EmailLog.Status.SENT).values_list("pk", flat=True))
    sent = sum(email_deliver(log_id=pk) for pk in unsent)
    modeladmin.message_user(
        request,
        _("%(sent)d of %(tried)d emails sent.") % {"sent": sent, "tried": len(unsent)},
        messages.SUCCESS if sent == len(unsent) else messages.WARNING,
    )


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "status", "kind", "company", "to", "subject", "sent_at")
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
