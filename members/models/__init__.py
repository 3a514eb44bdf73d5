"""The models of the members app, one module per concern; every name is re-exported here."""

from .applications import Application
from .common import (
    MONEY,
    Reviewed,
    localized,
    localized_field,
    validate_not_negative,
    validate_positive,
)
from .emails import EmailAttachment, EmailLog
from .identity import ClusterIdentity
from .invoices import (
    Invoice,
    InvoiceLine,
    InvoiceQuerySet,
    InvoiceSequence,
    Payment,
    PaymentStatus,
    Revenue,
)
from .memberships import Membership, MembershipPlan, OrganisationKind
from .offers import Offer, OfferQuerySet
from .public import PublicDataVersion
from .register import (
    Company,
    CompanyQuerySet,
    Contact,
    ContactQuerySet,
    Country,
    HeadcountBand,
    LegalForm,
    Sector,
    SectorCount,
    current_year,
    validate_year_founded,
)
from .search import SearchWord, SearchWordMove, Synonym
from .self_service import Invitation, ProfileRevision, Representative
from .sepa import DirectDebit, DirectDebitFile, Mandate, SequenceType
from .statements import BankStatement, StatementLine
from .subscriptions import Subscription, SubscriptionQuerySet, Topic

__all__ = [
    "MONEY",
    "Application",
    "ClusterIdentity",
    "Company",
    "CompanyQuerySet",
    "Contact",
    "ContactQuerySet",
    "Country",
    "EmailAttachment",
    "EmailLog",
    "HeadcountBand",
    "Invitation",
    "Invoice",
    "InvoiceLine",
    "InvoiceQuerySet",
    "InvoiceSequence",
    "PaymentStatus",
    "Revenue",
    "LegalForm",
    "Membership",
    "MembershipPlan",
    "Offer",
    "OfferQuerySet",
    "OrganisationKind",
    "Payment",
    "ProfileRevision",
    "PublicDataVersion",
    "Representative",
    "Reviewed",
    "SearchWord",
    "SearchWordMove",
    "Sector",
    "SectorCount",
    "BankStatement",
    "DirectDebit",
    "DirectDebitFile",
    "StatementLine",
    "Mandate",
    "SequenceType",
    "Subscription",
    "SubscriptionQuerySet",
    "Topic",
    "Synonym",
    "current_year",
    "localized",
    "localized_field",
    "validate_not_negative",
    "validate_positive",
    "validate_year_founded",
]
