"""Applications to join in the admin: the possible matches in the register, approval
(saying what it created, with links) and rejection."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Application
from .review import ReviewAdmin, ReviewForm


class ApplicationReviewForm(ReviewForm):
    approve_label = _("Approve: create or link the company, its membership and invoice, invite")
    reason_help = _("Required to reject; it is emailed to the applicant.")
    reason_needed = _("Say why: the applicant is told.")

    company_choice = forms.ChoiceField(label=_("Company"), required=False)

    class Meta(ReviewForm.Meta):
        model = Application

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        matches = services.application_matches(self.instance) if self.instance.pk else []
        self.fields["company_choice"].choices = [
            ("", _("Link to the company with the same SIRET, or create it")),
            *(
                (
                    str(match.company.pk),
                    _("Link to %(company)s (%(reason)s)")
                    % {"company": match.company, "reason": match.reason},
                )
                for match in matches
            ),
            (services.NEW_COMPANY, _("Create a new company all the same")),
        ]
        self.fields["company_choice"].help_text = _(
            "The register's companies that may be this applicant are listed above."
        )


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
        "vat_number",
        "street",
        "postcode",
        "city",
        "country",
        "website",
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "contact_phone",
        "contact_role",
        "plan",
        "motivation",
        "consent",
        "possible_matches",
        "status",
        "reason",
        "company",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj and obj.status == Application.Status.PENDING:
            fields.insert(fields.index("decision") + 1, "company_choice")
        return fields

    @admin.display(description=_("Possible matches in the register"))
    def possible_matches(self, obj):
        matches = services.application_matches(obj)
        if not matches:
            return _("None: approving creates a new company.")
        return format_html_join(
            format_html("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (reverse("admin:members_company_change", args=[m.company.pk]), m.company, m.reason)
                for m in matches
            ),
        )

    def approve(self, request, obj, form):
        approval = services.application_approve(
            application=obj,
            reviewer=request.user,
            site_url=request.build_absolute_uri("/"),
            company=form.cleaned_data.get("company_choice") or None,
        )
        return approval_message(approval)

    def reject(self, request, obj, reason):
        services.application_reject(application=obj, reviewer=request.user, reason=reason)


def approval_message(approval):
    """Tell staff what an approval created or linked, each with a link."""
    company_url = reverse("admin:members_company_change", args=[approval.company.pk])
    parts = [
        format_html(
            _('company <a href="{}">{}</a> created')
            if approval.company_created
            else _('linked to the company <a href="{}">{}</a>'),
            company_url,
            approval.company,
        )
    ]
    if approval.membership:
        parts.append(
            format_html(
                _('membership <a href="{}">{}</a>'),
                reverse("admin:members_membership_change", args=[approval.membership.pk]),
                approval.membership,
            )
        )
        parts.append(
            format_html(
                _('invoice <a href="{}">{}</a> issued and emailed'),
                reverse("admin:members_invoice_change", args=[approval.invoice.pk]),
                approval.invoice.number,
            )
        )
    else:
        parts.append(_("no new membership: one already covers this period"))
    parts.append(format_html(_("invitation sent to {}"), approval.invitation.email))
    return format_html(
        "{} {}.", _("Application approved:"), format_html_join(", ", "{}", ((p,) for p in parts))
    )
