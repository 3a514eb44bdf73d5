"""Offers that representatives publish, moderated like profiles."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Offer,
)
from .email import email_send
from .moderation import lock_pending, rejection_reason


@transaction.atomic
def offer_save(*, offer, user):
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
def offer_approve(*, offer, reviewer):
    """Publish a pending offer and tell the representative who created it."""
    offer = _pending_offer(offer)
    offer.record_review(Offer.Status.APPROVED, reviewer=reviewer)
    offer.full_clean()
    offer.save()
    _notify_offer_creator(offer, "members/email/offer_approved")
    return offer


@transaction.atomic
def offer_reject(*, offer, reviewer, reason):
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
    user = offer.created_by
    if user is None or not user.email:
        return
    context = {"offer": offer, "company": offer.company, "user": user}
    subject = _("Your offer “%(title)s”") % {"title": offer.title}
    email_send(
        to=[user.email],
        subject=subject,
        template=f"{template}.txt",
        context=context,
        kind=template.rsplit("/", 1)[-1],
        company=offer.company,
    )
