"""SEPA mandates in the admin: the signed PDF is checked on upload and read back here only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import Mandate
from ..pdfs import process_pdf


class MandateForm(forms.ModelForm):
    signed_pdf_upload = forms.FileField(
        label=_("Signed mandate (PDF)"),
        required=False,
        help_text=_("The scanned or signed PDF, at most 5 MB. A new file replaces the old one."),
    )

    class Meta:
        model = Mandate
        fields = [
            "company",
            "reference",
            "signed_on",
            "debtor_name",
            "iban",
            "bic",
            "status",
            "revoked_on",
            "sequence_type",
        ]

    def clean_signed_pdf_upload(self):
        uploaded = self.cleaned_data.get("signed_pdf_upload")
        if not uploaded:
            return None
        return process_pdf(uploaded)

    def save(self, commit=True):
        mandate = super().save(commit=False)
        if self.cleaned_data.get("signed_pdf_upload"):
            mandate.signed_pdf, mandate.signed_pdf_name = self.cleaned_data["signed_pdf_upload"]
        if commit:
            mandate.save()
        return mandate


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    form = MandateForm
    list_display = ("reference", "company", "signed_on", "masked_iban", "status", "sequence_type")
    list_filter = ("status", "sequence_type")
    search_fields = ("reference", "company__trade_name", "company__legal_name", "debtor_name")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    readonly_fields = ("signed_pdf_link",)

    @admin.display(description=_("IBAN"))
    def masked_iban(self, obj):
        return obj.masked_iban

    @admin.display(description=_("signed mandate"))
    def signed_pdf_link(self, obj):
        if not obj.pk or not obj.signed_pdf_name:
            return _("none yet")
        url = reverse("admin:members_mandate_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.signed_pdf_name)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="members_mandate_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        mandate = get_object_or_404(Mandate.objects.exclude(signed_pdf_name=""), pk=pk)
        return pdf_response(mandate)


def pdf_response(mandate):
    """Return the signed mandate as a download (never shown inline: it is untrusted)."""
    response = HttpResponse(bytes(mandate.signed_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{mandate.signed_pdf_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
