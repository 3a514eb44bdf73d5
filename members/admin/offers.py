"""Offers in the admin: moderation, one by one or in bulk."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Offer,
)
from ..periods import human_date
from .confirm import Preview, confirmed_action, done
from .review import ReviewAdmin, ReviewForm, messages_of


class OfferReviewForm(ReviewForm):
    approve_label = _("Approve: the offer is published")

    class Meta(ReviewForm.Meta):
        model = Offer


def preview_offers(queryset):
    pending = queryset.filter(status=Offer.Status.PENDING).select_related("company")
    return Preview(
        title=_("Approve offers"),
        intro=_("These offers will be published, and their authors told:"),
        columns=[_("Offer"), _("Company"), _("Open until")],
        rows=[[o.title, o.company, human_date(o.expires_on)] for o in pending],
        refused=[
            (o, _("not waiting for review")) for o in queryset.exclude(status=Offer.Status.PENDING)
        ],
        empty=_("No selected offer is waiting for review."),
        confirm_label=_("Publish"),
    )


def perform_approve_offers(request, queryset, data):
    count, problems = 0, []
    for offer in queryset.filter(status=Offer.Status.PENDING):
        try:
            services.offer_approve(offer=offer, reviewer=request.user)
            count += 1
        except (services.ModerationError, ValidationError) as error:
            problems.append(f"{offer}: {' '.join(messages_of(error))}")
    if problems:
        return messages.WARNING, "; ".join(problems)
    return done(count, _("%(count)d offers approved."), _("These offers were already reviewed."))


approve_offers = confirmed_action(
    description=_("Approve the selected pending offers"),
    preview=preview_offers,
    perform=perform_approve_offers,
)


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

    def approve(self, request, obj, form):
        services.offer_approve(offer=obj, reviewer=request.user)
        return _("The offer “%(title)s” is published.") % {"title": obj.title}

    def reject(self, request, obj, reason):
        services.offer_reject(offer=obj, reviewer=request.user, reason=reason)
