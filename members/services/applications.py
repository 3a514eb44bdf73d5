"""Applications to join: submission, and staff approval or rejection."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Application,
    ClusterIdentity,
    Company,
    Representative,
)
from .email import email_send
from .invitations import invitation_send
from .invoices import invoice_issue
from .memberships import membership_create
from .moderation import lock_pending, rejection_reason
from .register import company_unique_slug


def application_submit(*, application):
    """Record an application and acknowledge it to the applicant."""
    with transaction.atomic():
        application.full_clean()
        application.save()
        email_send(
            to=[application.contact_email],
            subject=_("We received your application to join %(name)s")
            % {"name": ClusterIdentity.objects.current().display_name},
            template="members/email/application_received.txt",
            context={"application": application},
            kind="application_received",
        )
    return application


@transaction.atomic
def application_approve(*, application, reviewer, site_url):
    """Approve: create or link the company, create its first membership and invoice, and
    invite the contact as the company's admin representative."""
    application = lock_pending(
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
    membership = membership_create(company=company, plan=application.plan)
    invoice_issue(membership=membership, issued_by=reviewer)
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
    email_send(
        to=[application.contact_email],
        subject=_("Welcome to %(name)s") % {"name": ClusterIdentity.objects.current().display_name},
        template="members/email/application_approved.txt",
        context={"application": application, "company": company},
        kind="application_approved",
        company=company,
    )
    return company


@transaction.atomic
def application_reject(*, application, reviewer, reason):
    reason = rejection_reason(
        reason, _("Say why the application is rejected: the applicant is told.")
    )
    application = lock_pending(
        Application.objects, application.pk, _("This application was already reviewed.")
    )
    application.record_review(Application.Status.REJECTED, reviewer=reviewer, reason=reason)
    application.save()
    email_send(
        to=[application.contact_email],
        subject=_("Your application to join %(name)s")
        % {"name": ClusterIdentity.objects.current().display_name},
        template="members/email/application_rejected.txt",
        context={"application": application},
        kind="application_rejected",
    )
    return application
