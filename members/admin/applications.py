"""Applications to join in the admin: review, approval and rejection."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import (
    Application,
)
from .review import ReviewAdmin, ReviewForm


class ApplicationReviewForm(ReviewForm):
    approve_label = _("Approve: create the company, its membership and invoice, invite")
    reason_help = _("Required to reject; it is emailed to the applicant.")
    reason_needed = _("Say why: the applicant is told.")

    class Meta(ReviewForm.Meta):
        model = Application


@admin.register(Application)
class ApplicationAdmin(ReviewAdmin):
    list_display = ("__str__", "siret", "city", "plan", "contact_email", "status", "created_at")
    list_filter = ("status", "plan")
    search_fields = ("legal_name", "trade_name", "siret", "contact_email")
    list_select_related = ("plan",)
    form = ApplicationReviewForm
    readonly_fields = (
        "legal_name",
        "trade_name",
        "siret",
        "siren",
        "city",
        "website",
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "contact_phone",
        "contact_role",
        "plan",
        "motivation",
        "consent",
        "status",
        "reason",
        "company",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    )

    def approve(self, request, obj):
        services.application_approve(
            application=obj, reviewer=request.user, site_url=request.build_absolute_uri("/")
        )

    def reject(self, request, obj, reason):
        services.application_reject(application=obj, reviewer=request.user, reason=reason)
