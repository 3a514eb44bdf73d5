"""Offers that representatives publish, moderated like profiles."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Offer,
)
from .moderation import lock_pending, notify_submitter, rejection_reason


@transaction.atomic
def offer_save(*, offer: Offer, user: AbstractBaseUser) -> Offer:
    """Save a representative's new or edited offer.

    With moderation on, the offer waits for review and is not public meanwhile (an edit
    of a published offer takes it offline until staff approve it again); with it off,
    the offer is published at once.
    """
    if offer.pk is None:
        offer.created_by = user
    moderated = settings.CITE_MODERATE_PROFILES
    offer.status = Offer.Status.PENDING if moderated else Offer.Status.APPROVED
    offer.reason = ""
    offer.reviewed_by = None
    offer.reviewed_at = None
    offer.full_clean()
    offer.save()
    return offer


def _pending_offer(offer):
    return lock_pending(
        Offer.objects.select_related("company"), offer.pk, _("This offer was already reviewed.")
    )


@transaction.atomic
def offer_approve(*, offer: Offer, reviewer: AbstractBaseUser) -> Offer:
    """Publish a pending offer and tell the representative who created it."""
    offer = _pending_offer(offer)
    offer.record_review(Offer.Status.APPROVED, reviewer=reviewer)
    offer.full_clean()
    offer.save()
    _notify_offer_creator(offer, "members/email/offer_approved")
    return offer


@transaction.atomic
def offer_reject(*, offer: Offer, reviewer: AbstractBaseUser, reason: str) -> Offer:
    """Reject a pending offer with a reason, emailed to the representative who created it."""
    reason = rejection_reason(
        reason, _("Say why the offer is rejected: the representative is told.")
    )
    offer = _pending_offer(offer)
    offer.record_review(Offer.Status.REJECTED, reviewer=reviewer, reason=reason)
    offer.full_clean()
    offer.save()
    _notify_offer_creator(offer, "members/email/offer_rejected")
    return offer


def _notify_offer_creator(offer, template):
    notify_submitter(
        offer.created_by,
        subject=_("Your offer “%(title)s”") % {"title": offer.title},
        template=template,
        context={"offer": offer},
        company=offer.company,
    )
