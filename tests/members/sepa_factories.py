"""SEPA mandates and issued invoices to collect, for the direct debit and statement tests."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from members import services
from members.models import Mandate

from .factories import CompanyFactory, MembershipPlanFactory

IBANS = (
    "FR7630006000011234567890189",
    "FR1420041010050500013M02606",
    "DE89370400440532013000",
    "FR7610107001011234567890129",
)

# A minimal but complete PDF, as a scanner writes one.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class MandateFactory(DjangoModelFactory):
    class Meta:
        model = Mandate

    company = factory.SubFactory(CompanyFactory)
    reference = factory.Sequence(lambda n: f"RUM-{n:05d}")
    signed_on = date(2026, 1, 5)
    debtor_name = factory.LazyAttribute(lambda o: o.company.legal_name)
    iban = factory.Sequence(lambda n: IBANS[n % len(IBANS)])
    bic = "AGRIFRPP"


def due_invoice(company=None, *, days_ago=40, fee=None):
    """Return an issued, unpaid dues invoice of ``company``, due ``days_ago - 30`` days ago."""
    today = timezone.localdate()
    plan = MembershipPlanFactory(name="Plan")
    membership = services.membership_create(
        company=company or CompanyFactory(),
        plan=plan,
        start=date(today.year, 1, 1),
        prorate=False,
    )
    if fee is not None:
        membership.fee = fee
        membership.save(update_fields=["fee"])
    return services.invoice_issue(
        membership=membership, issue_date=today - timedelta(days=days_ago)
    )
