"""Applications to join: submission, and staff approval or rejection."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constraints import constraint_violations_as_errors
from ..models import (
    Application,
    ClusterIdentity,
    Company,
    Invitation,
    Invoice,
    Membership,
    Representative,
)
from ..search.analyzer import name_key
from .email import email_send
from .invitations import invitation_send
from .invoices import invoice_issue
from .memberships import membership_create, membership_year
from .moderation import lock_pending, rejection_reason
from .register import company_unique_slug


def application_submit(*, application: Application) -> Application:
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


NEW_COMPANY = "new"


@dataclass
class Match:
    """A company of the register that may be the applicant, and why."""

    company: Company
    reason: str


@dataclass
class Approval:
    """What an approval did, for staff to see."""

    company: Company
    company_created: bool
    membership: Membership | None
    invoice: Invoice | None
    invitation: Invitation


def application_matches(application: Application) -> list[Match]:
    """Return the companies that may be the applicant, strongest first, each once: the
    same SIRET, then the same SIREN, the same VAT number, the same name."""
    name = name_key(application.trade_name or application.legal_name)
    checks = [
        (Q(siret=application.siret) if application.siret else None, _("same SIRET")),
        (Q(siren=application.siren) if application.siren else None, _("same SIREN")),
        (
            Q(vat_number=application.vat_number) if application.vat_number else None,
            _("same VAT number"),
        ),
        (Q(search_name=name) | Q(legal_name__iexact=application.legal_name), _("same name")),
    ]
    matches, seen = [], set()
    for condition, reason in checks:
        if condition is None:
            continue
        for company in Company.objects.filter(condition).order_by("pk"):
            if company.pk not in seen:
                seen.add(company.pk)
                matches.append(Match(company, str(reason)))
    return matches


def _lock_business(siren: str) -> None:
    """Serialise approvals of one business (its SIREN) until the transaction ends, so that
    two at once never both create it: the second finds the first's company."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"siren:{siren}"])


def _company_for(application, choice):
    """Return ``(company, created)``: the company staff chose, the one with the same
    SIRET, or a new one; refuse to create a second company of a known SIREN, VAT number
    or name unless staff chose to."""
    if choice not in (None, "", NEW_COMPANY):
        return Company.objects.get(pk=choice), False
    matches = application_matches(application)
    if choice != NEW_COMPANY:
        same_siret = [
            m for m in matches if application.siret and m.company.siret == application.siret
        ]
        if same_siret:
            return same_siret[0].company, False
        if matches:
            raise ValidationError(
                _(
                    "The register already holds %(companies)s. Choose the company to link "
                    "this application to, or confirm that it is a new company."
                )
                % {"companies": "; ".join(f"{m.company} ({m.reason})" for m in matches)},
                code="possible_duplicate",
            )
    name = application.trade_name or application.legal_name
    company = Company(
        legal_name=application.legal_name,
        trade_name=name,
        siret=application.siret,
        siren=application.siren,
        vat_number=application.vat_number,
        street=application.street,
        postcode=application.postcode,
        city=application.city,
        country=application.country,
        website=application.website,
        email=application.contact_email,
        slug=company_unique_slug(name=name),
        published=True,
    )
    with constraint_violations_as_errors(company), transaction.atomic():
        company.full_clean()
        company.save()
    return company, True


@transaction.atomic
def application_approve(
    *,
    application: Application,
    reviewer: AbstractBaseUser | None,
    site_url: str,
    company: str | int | None = None,
) -> Approval:
    """Approve an application; return what was done.

    ``company`` is staff's choice: a company's primary key to link the application to,
    ``NEW_COMPANY`` to create one even though the register holds a possible match, or
    None to link to the company with the same SIRET, or create one when nothing matches
    (a possible match by SIREN, VAT number or name is refused: staff choose). The company
    gets a membership and its invoice unless a membership already covers the period, and
    the contact is invited as the company's admin representative.
    """
    if application.siren:
        _lock_business(application.siren)
    application = lock_pending(
        Application.objects, application.pk, _("This application was already reviewed.")
    )
    target, created = _company_for(application, company)
    start = timezone.localdate()
    covered = target.memberships.overlapping(start, membership_year(start)[1]).exists()
    membership = invoice = None
    if not covered:
        membership = membership_create(company=target, plan=application.plan, start=start)
        invoice = invoice_issue(membership=membership, issued_by=reviewer)
    invitation = invitation_send(
        company=target,
        email=application.contact_email,
        role=Representative.Role.ADMIN,
        invited_by=reviewer,
        site_url=site_url,
    )
    application.record_review(Application.Status.APPROVED, reviewer=reviewer)
    application.company = target
    application.save()
    email_send(
        to=[application.contact_email],
        subject=_("Welcome to %(name)s") % {"name": ClusterIdentity.objects.current().display_name},
        template="members/email/application_approved.txt",
        context={"application": application, "company": target},
        kind="application_approved",
        company=target,
    )
    return Approval(target, created, membership, invoice, invitation)


@transaction.atomic
def application_reject(
    *, application: Application, reviewer: AbstractBaseUser | None, reason: str
) -> Application:
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
