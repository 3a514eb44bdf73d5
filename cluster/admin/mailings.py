"""Mailings in the admin: write, see who it reaches, test to oneself, send now or later,
then follow each recipient's state."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.admin.register import register_company_action

from ..models import Mailing, MailingRecipient
from ..services.mailings import (
    mailing_audience,
    mailing_cancel,
    mailing_send,
    mailing_test_send,
)

SEND_PERMISSION = "cluster.send_mailing"


class SendForm(forms.Form):
    when = forms.SplitDateTimeField(
        label=gettext_lazy("Send at"),
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text=gettext_lazy("Empty: send now."),
    )


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = (
        "subject_fr",
        "topic",
        "segment",
        "status",
        "scheduled_for",
        "sent_at",
        "queued_count",
        "sent_count",
        "failed_count",
        "unsubscribed_count",
    )
    list_filter = ("status", "topic", "segment", "public")
    search_fields = ("subject_fr", "subject_en")
    list_select_related = ("topic",)
    autocomplete_fields = ("companies", "event", "sector")
    readonly_fields = ("audience", "status", "scheduled_for", "sent_at", "created_by")
    fieldsets = (
        (None, {"fields": ("topic", "subject_fr", "subject_en", "body_fr", "body_en", "public")}),
        (
            gettext_lazy("Audience"),
            {"fields": ("segment", "sector", "city", "event", "companies", "audience")},
        ),
        (gettext_lazy("Sending"), {"fields": ("status", "scheduled_for", "sent_at", "created_by")}),
    )
    change_form_template = "admin/cluster/mailing/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_delivery_counts()

    def has_change_permission(self, request, obj=None):
        # Only a draft can change: what was sent stays as it was sent.
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("queued"), ordering="queued_count")
    def queued_count(self, obj):
        return obj.queued_count

    @admin.display(description=gettext_lazy("sent"), ordering="sent_count")
    def sent_count(self, obj):
        return obj.sent_count

    @admin.display(description=gettext_lazy("failed"), ordering="failed_count")
    def failed_count(self, obj):
        return obj.failed_count

    @admin.display(description=gettext_lazy("unsubscribed"), ordering="unsubscribed_count")
    def unsubscribed_count(self, obj):
        return obj.unsubscribed_count

    @admin.display(description=gettext_lazy("recipients"))
    def audience(self, obj):
        if obj.pk is None:
            return _("Save the mailing to see how many people it reaches.")
        if obj.status == Mailing.Status.SENT:
            url = reverse("admin:cluster_mailingrecipient_changelist")
            return format_html(
                '<a href="{}?{}">{}</a>',
                url,
                urlencode({"mailing__id__exact": obj.pk}),
                _("Each recipient's state"),
            )
        audience = mailing_audience(obj)
        return _(
            "%(count)d recipients (of %(people)d people in the audience: %(left)d unsubscribed "
            "from this topic, %(none)d never agreed to it)."
        ) % {
            "count": audience.count,
            "people": len(audience.people),
            "left": len(audience.unsubscribed),
            "none": audience.without_consent,
        }

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/test/", view(self.test_view), name="cluster_mailing_test"),
            path("<int:pk>/send/", view(self.send_view), name="cluster_mailing_send"),
            path("<int:pk>/cancel/", view(self.cancel_view), name="cluster_mailing_cancel"),
            *super().get_urls(),
        ]

    def _mailing(self, request, pk, permission):
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(Mailing.objects.select_related("topic"), pk=pk)

    def _back(self, mailing):
        return HttpResponseRedirect(reverse("admin:cluster_mailing_change", args=[mailing.pk]))

    def test_view(self, request, pk):
        mailing = self._mailing(request, pk, "cluster.change_mailing")
        if request.method != "POST":
            return self._back(mailing)
        try:
            mailing_test_send(mailing=mailing, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
            )
        return self._back(mailing)

    def send_view(self, request, pk):
        mailing = self._mailing(request, pk, SEND_PERMISSION)
        form = SendForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                mailing_send(mailing=mailing, when=form.cleaned_data["when"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if form.cleaned_data["when"]:
                    self.message_user(request, _("The mailing is scheduled."))
                else:
                    self.message_user(request, _("The mailing is on its way."))
                return self._back(mailing)
        audience = mailing_audience(mailing)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": mailing,
            "title": _("Send “%(subject)s”") % {"subject": mailing.subject_fr},
            "audience": audience,
            "form": form,
        }
        return TemplateResponse(request, "admin/cluster/mailing/send.html", context)

    def cancel_view(self, request, pk):
        mailing = self._mailing(request, pk, SEND_PERMISSION)
        if request.method == "POST":
            try:
                mailing_cancel(mailing=mailing)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("The mailing is back to draft."))
        return self._back(mailing)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_send"] = request.user.has_perm(SEND_PERMISSION)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(MailingRecipient)
class MailingRecipientAdmin(admin.ModelAdmin):
    """The per-recipient log of each mailing, read-only."""

    list_display = ("address", "name", "language", "mailing", "state", "sent_at")
    list_filter = ("mailing", "unsubscribed", "email__status")
    search_fields = ("address", "name")
    list_select_related = ("mailing", "email")
    fields = ("mailing", "address", "name", "language", "state", "sent_at", "error")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return MailingRecipient.Status(obj.status).label

    @admin.display(description=gettext_lazy("sent"))
    def sent_at(self, obj):
        return obj.email.sent_at if obj.email_id else None

    @admin.display(description=gettext_lazy("error"))
    def error(self, obj):
        return obj.email.error if obj.email_id else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@register_company_action
@admin.action(description=gettext_lazy("Write a mailing to the selected companies"))
def write_mailing(modeladmin, request, queryset):
    """Open a new mailing whose audience is the selected companies."""
    if not request.user.has_perm("cluster.add_mailing"):
        modeladmin.message_user(request, _("You may not write mailings."), messages.ERROR)
        return None
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    url = reverse("admin:cluster_mailing_add")
    return HttpResponseRedirect(f"{url}?{urlencode({'segment': 'selection', 'companies': ids})}")
