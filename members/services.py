"""Writes on the member register that go beyond saving one form."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import dues
from .images import store_logo
from .models import (
    Application,
    Company,
    Invitation,
    Offer,
    ProfileRevision,
    Representative,
    Sector,
)
from .thumbnails import delete_thumbnails


def company_unique_slug(*, name, exclude_pk=None, taken=None):
    """Return a slug for ``name`` that no other company uses (``acme``, ``acme-2``...).

    ``taken`` is an optional set of slugs already reserved in the same batch.
    """
    base = slugify(name)[:200] or "company"
    existing = Company.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    used = set(existing.values_list("slug", flat=True)) | (taken or set())
    slug, counter = base, 2
    while slug in used:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


# --- Representatives and invitations -----------------------------------------------------

INVITATION_SALT = "members.invitation"


class InvitationError(Exception):
    """The invitation link cannot be used; the message says why."""


def invitation_token(invitation):
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_send(*, company, email, role, invited_by, site_url):
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
        transaction.on_commit(
            lambda: _send(
                "members/email/invitation",
                context,
                to=[email],
                subject=_("You are invited to keep %(company)s's profile up to date")
                % {"company": company},
            )
        )
    return invitation


def invitation_from_token(token):
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
def invitation_accept(*, invitation, user=None, first_name="", last_name="", password=None):
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


# --- Profile changes and moderation -----------------------------------------------------

# What a representative may change: the public profile, never identity or membership.
PROFILE_FIELDS = (
    "trade_name",
    "description_fr",
    "description_en",
    "website",
    "linkedin_url",
    "instagram_url",
    "facebook_url",
    "youtube_url",
    "street",
    "postcode",
    "city",
    "headcount_band",
)


class ModerationError(Exception):
    """The revision cannot be reviewed (already reviewed, or no reason to reject)."""


def _lock_pending(queryset, pk, already_reviewed):
    """Lock the submission and return it, or raise if staff already reviewed it."""
    submission = queryset.select_for_update().get(pk=pk)
    if submission.status != type(submission).Status.PENDING:
        raise ModerationError(already_reviewed)
    return submission


def _rejection_reason(reason, missing):
    """Return the stripped reason for a rejection, or raise: the submitter is told."""
    if not reason.strip():
        raise ModerationError(missing)
    return reason.strip()


def profile_values(company):
    """Return the company's current values of the fields a representative may change."""
    values = {field: getattr(company, field) for field in PROFILE_FIELDS}
    values["sectors"] = sorted(company.sectors.values_list("slug", flat=True))
    values["logo"] = company.logo.name or ""
    return values


def profile_submit(*, company, user, data, logo=None):
    """Submit a representative's profile edit.

    ``data`` holds the form's cleaned values (sectors as Sector objects); ``logo`` is an
    already checked and re-encoded file (members.images.process_logo), or None.
    With moderation on, the change waits in a pending revision (one per company: a new
    edit updates it) and the public page keeps the approved values; with it off, the
    change goes live at once. Return the pending revision, or None when applied or when
    nothing changed.
    """
    stored_logo = (
        store_logo(company.logo.storage, f"logos/{company.slug}-{logo.name}", logo) if logo else ""
    )
    try:
        with transaction.atomic():
            company = Company.objects.select_for_update().get(pk=company.pk)
            current = profile_values(company)
            wanted = {field: data[field] for field in PROFILE_FIELDS}
            wanted["sectors"] = sorted(sector.slug for sector in data["sectors"])
            changes = {key: value for key, value in wanted.items() if value != current[key]}
            if stored_logo:
                changes["logo"] = stored_logo
            if not changes:
                return None
            if not settings.CITE_MODERATE_PROFILES:
                _apply_profile_changes(company, changes)
                return None
            revision = (
                ProfileRevision.objects.select_for_update()
                .filter(company=company, status=ProfileRevision.Status.PENDING)
                .first()
            )
            if revision is None:
                revision = ProfileRevision(company=company)
            elif "logo" in changes and revision.changes.get("logo"):
                _delete_logo_on_commit(revision.changes["logo"], company.logo.storage)
            # Keep what the earlier pending edit changed, unless this edit goes back to
            # the approved value.
            merged = {**revision.changes, **changes}
            for key, value in wanted.items():
                if key in merged and key not in changes and value == current[key]:
                    merged.pop(key)
            revision.changes = merged
            revision.submitted_by = user
            revision.submitted_at = timezone.now()
            revision.save()
            return revision
    except Exception:
        if stored_logo:
            company.logo.storage.delete(stored_logo)
        raise


def pending_values(company):
    """Return the profile as the representative last submitted it (pending or approved)."""
    values = profile_values(company)
    revision = company.revisions.filter(status=ProfileRevision.Status.PENDING).first()
    if revision:
        values.update(revision.changes)
    return values


def _apply_profile_changes(company, changes):
    old_logo = company.logo.name
    for field, value in changes.items():
        if field in PROFILE_FIELDS:
            setattr(company, field, value)
    if "logo" in changes:
        company.logo.name = changes["logo"]
    company.full_clean()
    company.save()
    if "sectors" in changes:
        company.sectors.set(Sector.objects.filter(slug__in=changes["sectors"]))
    if "logo" in changes and old_logo and old_logo != changes["logo"]:
        _delete_logo_on_commit(old_logo, company.logo.storage)


def _delete_logo_on_commit(name, storage):
    def delete():
        storage.delete(name)
        delete_thumbnails(name, storage)

    transaction.on_commit(delete)


@transaction.atomic
def revision_approve(*, revision, reviewer):
    """Apply a pending revision to the company: the change goes live."""
    revision = _lock_pending(
        ProfileRevision.objects, revision.pk, _("This change was already reviewed.")
    )
    company = Company.objects.select_for_update().get(pk=revision.company_id)
    company._change_reason = _("Approved change submitted by %(user)s") % {
        "user": revision.submitted_by
    }
    _apply_profile_changes(company, revision.changes)
    revision.record_review(ProfileRevision.Status.APPROVED, reviewer=reviewer)
    revision.save()
    _notify_submitter(revision, "members/email/revision_approved")
    return revision


@transaction.atomic
def revision_reject(*, revision, reviewer, reason):
    """Reject a pending revision with a reason, emailed to the representative."""
    reason = _rejection_reason(
        reason, _("Say why the change is rejected: the representative is told.")
    )
    revision = _lock_pending(
        ProfileRevision.objects, revision.pk, _("This change was already reviewed.")
    )
    revision.record_review(ProfileRevision.Status.REJECTED, reviewer=reviewer, reason=reason)
    revision.save()
    if revision.changes.get("logo"):
        _delete_logo_on_commit(revision.changes["logo"], revision.company.logo.storage)
    _notify_submitter(revision, "members/email/revision_rejected")
    return revision


def _notify_submitter(revision, template):
    user = revision.submitted_by
    if user is None or not user.email:
        return
    context = {"revision": revision, "company": revision.company, "user": user}
    subject = _("Your change to %(company)s") % {"company": revision.company}
    transaction.on_commit(lambda: _send(template, context, to=[user.email], subject=subject))


# --- Offers ------------------------------------------------------------------------------


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
    return _lock_pending(
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
    reason = _rejection_reason(
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
    transaction.on_commit(lambda: _send(template, context, to=[user.email], subject=subject))


def _send(template, context, *, to, subject):
    body = render_to_string(f"{template}.txt", context)
    send_mail(str(subject), body, None, to)


# --- Applications to join ---------------------------------------------------------------


def application_submit(*, application):
    """Record an application and acknowledge it to the applicant."""
    with transaction.atomic():
        application.full_clean()
        application.save()
        context = {"application": application}
        transaction.on_commit(
            lambda: _send(
                "members/email/application_received",
                context,
                to=[application.contact_email],
                subject=_("We received your application to join the Pôle Action Média"),
            )
        )
    return application


@transaction.atomic
def application_approve(*, application, reviewer, site_url):
    """Approve: create or link the company, create its first membership and invoice, and
    invite the contact as the company's admin representative."""
    application = _lock_pending(
        Application.objects, application.pk, _("This application was already reviewed.")
    )
    company = None
    if application.siret:
        company = Company.objects.filter(siret=application.siret).first()
    if company is None:
        name = application.trade_name or application.legal_name
        company = Company(
            legal_name=application.legal_name,
            trade_name=name,
            siret=application.siret,
            siren=application.siren,
            city=application.city,
            website=application.website,
            slug=company_unique_slug(name=name),
            published=True,
        )
        company.full_clean()
        company.save()
    membership = dues.membership_create(company=company, plan=application.plan)
    dues.invoice_issue(membership=membership, issued_by=reviewer)
    invitation_send(
        company=company,
        email=application.contact_email,
        role=Representative.Role.ADMIN,
        invited_by=reviewer,
        site_url=site_url,
    )
    application.record_review(Application.Status.APPROVED, reviewer=reviewer)
    application.company = company
    application.save()
    context = {"application": application, "company": company}
    transaction.on_commit(
        lambda: _send(
            "members/email/application_approved",
            context,
            to=[application.contact_email],
            subject=_("Welcome to the Pôle Action Média"),
        )
    )
    return company


@transaction.atomic
def application_reject(*, application, reviewer, reason):
    reason = _rejection_reason(
        reason, _("Say why the application is rejected: the applicant is told.")
    )
    application = _lock_pending(
        Application.objects, application.pk, _("This application was already reviewed.")
    )
    application.record_review(Application.Status.REJECTED, reviewer=reviewer, reason=reason)
    application.save()
    context = {"application": application}
    transaction.on_commit(
        lambda: _send(
            "members/email/application_rejected",
            context,
            to=[application.contact_email],
            subject=_("Your application to join the Pôle Action Média"),
        )
    )
    return application
