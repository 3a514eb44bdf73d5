"""Paid events: the invoice of a registrant's fee, issued on confirmation, and its credit
note when the registrant cancels in time or the event is cancelled.

Invoices go through the billing core (``members.services.invoicing``): one numbering with
dues and rent, the one email path, the payment instructions every invoice carries. The
lock order is the core's: the event's row and the registration first (the callers lock
them), then the invoices, then the year's numbering row.

The core invoices a ``Company``. A registrant of a known company with a full postal
address is invoiced to it; anyone else gives a billing name and address, kept as an
unpublished company (never in the directory) that only carries that address.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from members.models import Company, Invoice, Revenue
from members.services import InvoiceDraft, credit_note_issue, drafts_issue
from members.services.register import company_unique_slug

from ...models import Event, Registration


@dataclass
class Billing:
    """The billing name and address a registrant without a known company gives."""

    name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""

    def errors(self) -> dict:
        labels = {
            "billing_name": self.name,
            "billing_street": self.street,
            "billing_postcode": self.postcode,
            "billing_city": self.city,
        }
        message = _("Needed for the invoice of this paid event.")
        return {field: message for field, value in labels.items() if not value.strip()}


def _complete(company: Company | None) -> bool:
    return bool(company and company.street and company.postcode and company.city)


def registration_buyer(*, registration: Registration, billing: Billing | None) -> Company | None:
    """Return who a paid registration is invoiced to (``None`` when it costs nothing);
    raise ValidationError on the billing fields when they are needed and missing."""
    if not registration.event.fee_for(registration.category):
        return None
    if _complete(registration.company):
        return registration.company
    billing = billing or Billing()
    errors = billing.errors()
    if errors:
        raise ValidationError(errors, code="billing")
    buyer = Company(
        legal_name=billing.name.strip(),
        trade_name=billing.name.strip(),
        slug=company_unique_slug(name=billing.name),
        street=billing.street.strip(),
        postcode=billing.postcode.strip(),
        city=billing.city.strip(),
        email=registration.email,
        published=False,
    )
    buyer.full_clean()
    buyer.save()
    return buyer


def registration_invoice(*, registration: Registration) -> Invoice | None:
    """Issue the invoice of a confirmed paid registration (once); the caller has locked
    the event and the registration. Return it, or ``None`` for a free seat."""
    event = registration.event
    fee = event.fee_for(registration.category)
    if not fee or registration.buyer_id is None or registration.invoice_id:
        return None
    line = _("Registration to “%(event)s”, %(name)s") % {
        "event": event.title,
        "name": registration.name,
    }
    [invoice] = drafts_issue(
        drafts=[
            InvoiceDraft(
                company=registration.buyer,
                lines=[(line[:300], fee, Revenue.EVENT)],
                vat_rate=Decimal("0.00"),
            )
        ],
        issued_by=registration.registered_by,
    )
    registration.invoice = invoice
    registration.save(update_fields=["invoice"])
    return invoice


def _outstanding(invoices):
    """Return the invoices not fully credited yet."""
    return (
        invoices.invoices()
        .with_balance()
        .exclude(credited__lt=0, amount_incl_tax__lte=-F("credited"))
        .order_by("pk")
    )


def registration_credit(*, registration: Registration, reason: str) -> Invoice | None:
    """Credit what remains of a registration's invoice; return the credit note, if any."""
    if registration.invoice_id is None:
        return None
    invoice = _outstanding(Invoice.objects.filter(pk=registration.invoice_id)).first()
    if invoice is None:
        return None
    return credit_note_issue(invoice=invoice, reason=reason)


def event_credit(*, event: Event) -> list[Invoice]:
    """Credit every invoice of a cancelled event's registrations; return the credit notes."""
    invoices = _outstanding(Invoice.objects.filter(event_registrations__event=event))
    reason = _("Event cancelled: %(event)s") % {"event": event.title}
    return [credit_note_issue(invoice=invoice, reason=reason[:300]) for invoice in invoices]
