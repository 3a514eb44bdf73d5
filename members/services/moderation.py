"""Representatives' profile changes, and staff review of what is submitted to them."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..images import store_logo
from ..models import (
    Company,
    ProfileRevision,
    Sector,
)
from ..thumbnails import delete_thumbnails
from .email import email_send

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


def lock_pending(queryset: QuerySet, pk: int, already_reviewed: str):
    """Lock the submission and return it, or raise if staff already reviewed it."""
    submission = queryset.select_for_update().get(pk=pk)
    if submission.status != type(submission).Status.PENDING:
        raise ModerationError(already_reviewed)
    return submission


def rejection_reason(reason: str, missing: str) -> str:
    """Return the stripped reason for a rejection, or raise: the submitter is told."""
    if not reason.strip():
        raise ModerationError(missing)
    return reason.strip()


def profile_values(company: Company) -> dict:
    """Return the company's current values of the fields a representative may change."""
    values = {field: getattr(company, field) for field in PROFILE_FIELDS}
    values["sectors"] = sorted(company.sectors.values_list("slug", flat=True))
    values["logo"] = company.logo.name or ""
    return values


def profile_submit(
    *, company: Company, user: AbstractBaseUser, data: dict, logo: File | None = None
) -> ProfileRevision | None:
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


def pending_values(company: Company) -> dict:
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
def revision_approve(*, revision: ProfileRevision, reviewer: AbstractBaseUser) -> ProfileRevision:
    """Apply a pending revision to the company: the change goes live."""
    revision = lock_pending(
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
def revision_reject(
    *, revision: ProfileRevision, reviewer: AbstractBaseUser, reason: str
) -> ProfileRevision:
    """Reject a pending revision with a reason, emailed to the representative."""
    reason = rejection_reason(
        reason, _("Say why the change is rejected: the representative is told.")
    )
    revision = lock_pending(
        ProfileRevision.objects, revision.pk, _("This change was already reviewed.")
    )
    revision.record_review(ProfileRevision.Status.REJECTED, reviewer=reviewer, reason=reason)
    revision.save()
    if revision.changes.get("logo"):
        _delete_logo_on_commit(revision.changes["logo"], revision.company.logo.storage)
    _notify_submitter(revision, "members/email/revision_rejected")
    return revision


def _notify_submitter(revision, template):
    notify_submitter(
        revision.submitted_by,
        subject=_("Your change to %(company)s") % {"company": revision.company},
        template=template,
        context={"revision": revision},
        company=revision.company,
    )


def notify_submitter(user, *, subject, template, context, company):
    """Tell the representative who submitted something how staff decided, if they have an
    email address; ``template`` is the email's name under members/email/."""
    if user is None or not user.email:
        return
    email_send(
        to=[user.email],
        subject=subject,
        template=f"{template}.txt",
        context={**context, "company": company, "user": user},
        kind=template.rsplit("/", 1)[-1],
        company=company,
    )
