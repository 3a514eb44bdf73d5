"""Offers in the admin: moderation, one by one or in bulk."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Offer,
)
from .review import ReviewAdmin, ReviewForm, messages_of


class OfferReviewForm(ReviewForm):
    approve_label = _("Approve: the offer is published")

    class Meta(ReviewForm.Meta):
        model = Offer


@admin.action(description=_("Approve the selected pending offers"), permissions=["change"])
def approve_offers(modeladmin, request, queryset):
    count, problems = 0, []
    for offer in queryset.filter(status=Offer.Status.PENDING):
        try:
            services.offer_approve(offer=offer, reviewer=request.user)
            count += 1
        except (services.ModerationError, ValidationError) as error:
            problems.append(f"{offer}: {' '.join(messages_of(error))}")
    modeladmin.message_user(request, _("%(count)d offers approved.") % {"count": count})
    if problems:
        modeladmin.message_user(request, "; ".join(problems), level=messages.WARNING)


@admin.register(Offer)
class OfferAdmin(ReviewAdmin, SimpleHistoryAdmin):
    """Offers come from representatives; staff review them here (one by one or in bulk)."""

    list_display = (
        "title",
        "company",
        "kind",
        "status",
        "start_date",
        "expires_on",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "company__trade_name", "place")
    list_select_related = ("company", "created_by")
    date_hierarchy = "created_at"
    actions = [approve_offers]
    form = OfferReviewForm
    readonly_fields = (
        "company",
        "title",
        "kind",
        "description_fr",
        "description_en",
        "start_date",
        "duration_months",
        "place",
        "remote",
        "monthly_stipend",
        "expires_on",
        "status",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "reason",
    )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Offer.Status.PENDING:
            return False  # a reviewed offer is read-only; the representative edits it
        return super().has_change_permission(request, obj)

    def approve(self, request, obj):
        services.offer_approve(offer=obj, reviewer=request.user)

    def reject(self, request, obj, reason):
        services.offer_reject(offer=obj, reviewer=request.user, reason=reason)
