"""Invitations to represent a company: a signed, single-use link sent by email."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Company,
    Invitation,
    Representative,
)
from .email import email_send

INVITATION_SALT = "members.invitation"


class InvitationError(Exception):
    """The invitation link cannot be used; the message says why."""


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_send(
    *, company: Company, email: str, role: str, invited_by: AbstractBaseUser, site_url: str
) -> Invitation:
    """Record an invitation and email its signed, single-use link (valid for 7 days)."""
    with transaction.atomic():
        invitation = Invitation(company=company, email=email, role=role, invited_by=invited_by)
        invitation.full_clean()
        invitation.save()
        url = site_url.rstrip("/") + reverse(
            "members:accept-invitation", kwargs={"token": invitation_token(invitation)}
        )
        context = {
            "invitation": invitation,
            "url": url,
            "days": settings.CITE_INVITATION_DAYS,
            "inviter": invited_by.get_full_name() or invited_by.get_username(),
        }
        email_send(
            to=[email],
            subject=_("You are invited to keep %(company)s's profile up to date")
            % {"company": company},
            template="members/email/invitation.txt",
            context=context,
            kind="invitation",
            company=company,
        )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """Return the pending invitation a link points to, or raise InvitationError."""
    max_age = timedelta(days=settings.CITE_INVITATION_DAYS)
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvitationError(_("This invitation has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise InvitationError(_("This invitation link is not valid.")) from exc
    invitation = (
        Invitation.objects.select_related("company").filter(pk=data.get("invitation")).first()
    )
    if invitation is None:
        raise InvitationError(_("This invitation was withdrawn."))
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been used. Log in instead."))
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: AbstractBaseUser | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> AbstractBaseUser:
    """Make the invited person a representative; create their account if they have none.

    The invitation is locked, so that a link used twice at once makes one account.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been used. Log in instead."))
    user_model = get_user_model()
    if user is None:
        user = user_model(
            username=invitation.email.lower(),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
    representative, created = Representative.objects.get_or_create(
        user=user, company=invitation.company, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Representative.Role.ADMIN:
        representative.role = Representative.Role.ADMIN
        representative.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
