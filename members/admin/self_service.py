"""Representatives, invitations and profile revisions in the admin."""

from django.contrib import admin
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Company,
    Invitation,
    ProfileRevision,
    Representative,
)
from .review import ReviewAdmin, ReviewForm


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ("user", "company", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "user__last_name", "company__trade_name")
    autocomplete_fields = ("user", "company")
    list_select_related = ("user", "company")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "company", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "company__trade_name")
    list_select_related = ("company", "invited_by")
    readonly_fields = ("company", "email", "role", "invited_by", "created_at", "accepted_at")

    def has_add_permission(self, request):
        return False  # invitations are sent from the company's page, which emails them


class RevisionReviewForm(ReviewForm):
    approve_label = _("Approve: the change goes live")

    class Meta(ReviewForm.Meta):
        model = ProfileRevision


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(ReviewAdmin):
    list_display = ("company", "status", "submitted_by", "submitted_at", "reviewed_by")
    list_filter = ("status",)
    search_fields = ("company__trade_name",)
    list_select_related = ("company", "submitted_by", "reviewed_by")
    readonly_fields = (
        "company",
        "status",
        "submitted_by",
        "submitted_at",
        "comparison",
        "reviewed_by",
        "reviewed_at",
        "reason",
    )
    form = RevisionReviewForm

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=ProfileRevision.Status.SUPERSEDED)

    @admin.display(description=_("Before and after"))
    def comparison(self, obj):
        """Show each changed field with the public value and the proposed one."""
        current = services.profile_values(obj.company)
        rows = []
        for field, new in obj.changes.items():
            label = _("logo") if field == "logo" else Company._meta.get_field(field).verbose_name
            rows.append(
                format_html(
                    "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
                    capfirst(label),
                    _render_value(field, current.get(field)),
                    _render_value(field, new),
                )
            )
        return format_html(
            "<table class='revision-diff'><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("Field"),
            _("Public now"),
            _("Proposed"),
            format_html_join("", "{}", ((row,) for row in rows)),
        )

    def approve(self, request, obj, form):
        services.revision_approve(revision=obj, reviewer=request.user)
        return _("The change to %(company)s is live.") % {"company": obj.company}

    def reject(self, request, obj, reason):
        services.revision_reject(revision=obj, reviewer=request.user, reason=reason)


def _render_value(field, value):
    if field == "logo":
        if not value:
            return "—"
        url = default_storage.url(value)
        return format_html('<img src="{}" alt="" style="max-width:128px;max-height:128px">', url)
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return value or "—"
