"""Representatives who keep a company's profile, their invitations, and the profile
changes that wait for staff review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import SingleLineField
from .common import Reviewed


class Representative(models.Model):
    """A user who keeps a company's profile up to date. One person may represent several."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("admin (can invite colleagues)")
        EDITOR = "editor", _("editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("user"),
    )
    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("company"),
    )
    role = SingleLineField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["company", "user__last_name", "user__username"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="members_representative_once_per_company"
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.company})"


class Invitation(models.Model):
    """An invitation to represent a company, sent by email as a signed, single-use link."""

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("company"),
    )
    email = models.EmailField(_("email"))
    role = SingleLineField(
        _("role"),
        max_length=10,
        choices=Representative.Role.choices,
        default=Representative.Role.EDITOR,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"


class ProfileRevision(Reviewed):
    """A representative's change to a company's public profile, awaiting staff review.

    ``changes`` maps each changed field to its new value (sectors as a list of slugs, the
    logo as the name of the already re-encoded file). The company keeps its approved
    values until staff approve, so the public page never shows an unreviewed change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("replaced by a later change")

    company = models.ForeignKey(
        "members.Company",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("company"),
    )
    changes = models.JSONField(_("changes"), default=dict)
    status = SingleLineField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("profile revision")
        verbose_name_plural = _("profile revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(status="pending"),
                name="members_profilerevision_one_pending_per_company",
            )
        ]

    def __str__(self):
        return _("Change to %(company)s of %(date)s") % {
            "company": self.company,
            "date": self.submitted_at.date() if self.submitted_at else "",
        }
