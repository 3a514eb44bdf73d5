"""The cluster's identity in the admin: one record, edited in place."""

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import ClusterIdentity


@admin.register(ClusterIdentity)
class ClusterIdentityAdmin(SimpleHistoryAdmin):
    """There is one identity: its list opens it (or the form to fill it in)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "legal_name", "site_name"]}),
        (
            _("Presentation"),
            {"fields": ["tagline_fr", "tagline_en", "presentation_fr", "presentation_en"]},
        ),
        (
            _("Legal identity"),
            {"fields": ["siren", "siret", "vat_number", "vat_exemption_mention"]},
        ),
        (
            _("Address and contact"),
            {"fields": ["street", "postcode", "city", "country", "email", "phone", "website"]},
        ),
        (
            _("Legal notice and privacy"),
            {"fields": ["publication_director", "host", "privacy_email"]},
        ),
        (_("Bank details, printed on invoices"), {"fields": ["bank_name", "iban", "bic"]}),
        (_("SEPA direct debit"), {"fields": ["sepa_creditor_id"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        if ClusterIdentity.objects.filter(pk=ClusterIdentity.SINGLETON).exists():
            return redirect(
                reverse("admin:members_clusteridentity_change", args=[ClusterIdentity.SINGLETON])
            )
        return redirect(reverse("admin:members_clusteridentity_add"))

    def has_add_permission(self, request):
        exists = ClusterIdentity.objects.filter(pk=ClusterIdentity.SINGLETON).exists()
        return not exists and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = ClusterIdentity.SINGLETON
        super().save_model(request, obj, form, change)
