"""Paid events: the fee's invoice on confirmation, credit notes, the deadline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cluster.admin.events import EventAdminForm
from cluster.models import Registration
from cluster.services import events as services
from members.models import EmailLog, Invoice, Revenue
from members.services import invoice_issue, membership_create
from tests.cluster.factories import EventFactory
from tests.members.factories import (
    CompanyFactory,
    MembershipPlanFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

BILLING = {
    "billing_name": "Alex Martin",
    "billing_street": "3 rue Foch",
    "billing_postcode": "66000",
    "billing_city": "Perpignan",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _member():
    company = CompanyFactory()
    membership = membership_create(
        company=company, plan=MembershipPlanFactory(), start=timezone.localdate(), prorate=False
    )
    membership.status = "active"
    membership.save()
    return company, membership


def _register(client, event, email, **extra):
    data = {
        "name": "Alex Martin",
        "email": email,
        "organisation": "",
        "category": "public",
        "consent": "on",
        **extra,
    }
    return client.post(reverse("events:event-register", args=[event.slug]), data)


def _paid(**extra):
    return EventFactory(fee_member=Decimal("20.00"), fee_non_member=Decimal("50.00"), **extra)


def test_a_member_representative_pays_the_member_price_invoiced_to_the_company():
    company, _membership = _member()
    rep = RepresentativeFactory(company=company)
    registration = services.registration_create(
        event=_paid(), name="Rep", email=rep.user.email, category="public"
    )
    invoice = registration.invoice
    assert registration.category == "member" and invoice.company == company
    assert invoice.amount_incl_tax == Decimal("20.00")
    assert [line.revenue for line in invoice.lines.all()] == [Revenue.EVENT]


def test_a_visitor_pays_the_non_member_price_invoiced_to_the_billing_address(client):
    event = _paid()
    response = _register(client, event, "alex@example.org", **BILLING)
    assert response.status_code == 302
    invoice = Registration.objects.get().invoice
    assert invoice.amount_incl_tax == Decimal("50.00")
    assert invoice.buyer_name == "Alex Martin" and "3 rue Foch" in invoice.buyer_address
    assert not invoice.company.published
    email = EmailLog.objects.get(kind="invoice")
    assert email.to == "alex@example.org" and invoice.number in email.subject
    assert invoice.seller_iban in email.body  # how to pay: the usual transfer details


def test_a_visitor_without_billing_address_gets_form_errors_and_nothing_is_saved(client):
    response = _register(client, _paid(), "alex@example.org", billing_name="Alex")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "billing_street" in errors and "billing_city" in errors
    assert "billing_name" not in errors
    assert not Registration.objects.exists() and not Invoice.objects.exists()


def test_event_invoices_continue_the_dues_numbering():
    _company, membership = _member()
    dues = invoice_issue(membership=membership)
    registration = services.registration_create(
        event=_paid(),
        name="A",
        email="a@example.org",
        billing=services.Billing(name="A", street="1 rue", postcode="66000", city="Perpignan"),
    )
    assert registration.invoice.sequence == dues.sequence + 1


def _billing():
    return services.Billing(name="A", street="1 rue", postcode="66000", city="Perpignan")


def test_the_waiting_list_is_invoiced_on_promotion():
    event = _paid(capacity=1)
    first = services.registration_create(
        event=event, name="A", email="a@example.org", billing=_billing()
    )
    waiting = services.registration_create(
        event=event, name="B", email="b@example.org", billing=_billing()
    )
    assert waiting.status == "waiting" and waiting.invoice is None
    services.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.invoice.amount_incl_tax == Decimal("50.00")


def test_cancelling_before_the_deadline_credits_the_invoice():
    event = _paid(cancellation_deadline=timezone.now() + timedelta(days=1))
    registration = services.registration_create(
        event=event, name="A", email="a@example.org", billing=_billing()
    )
    services.registration_cancel(registration=registration)
    credit = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert credit.credited_invoice == registration.invoice
    assert credit.amount_incl_tax == Decimal("-50.00")


def test_cancelling_after_the_deadline_keeps_the_invoice():
    event = _paid()
    registration = services.registration_create(
        event=event, name="A", email="a@example.org", billing=_billing()
    )
    event.cancellation_deadline = timezone.now() - timedelta(hours=1)
    event.save()
    registration.refresh_from_db()
    services.registration_cancel(registration=registration)
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()
    assert Invoice.objects.invoices().count() == 1


def test_cancelling_the_event_credits_every_invoice_and_tells_everyone():
    event = _paid()
    for n in range(2):
        services.registration_create(
            event=event, name=f"P{n}", email=f"p{n}@example.org", billing=_billing()
        )
    assert services.event_cancel(event=event) == 2
    credits = Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE)
    assert credits.count() == 2
    assert set(credits.values_list("credited_invoice", flat=True)) == set(
        Registration.objects.values_list("invoice", flat=True)
    )
    assert EmailLog.objects.filter(kind="event_cancelled").count() == 2


def test_a_free_event_issues_nothing(client):
    assert _register(client, EventFactory(), "alex@example.org").status_code == 302
    assert Registration.objects.get().invoice is None
    assert not Invoice.objects.exists()


def _form(event, **changes):
    data = {
        field: getattr(event, field)
        for field in EventAdminForm.Meta.fields
        if field not in ("partners",)
    }
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
    data.update(changes)
    return EventAdminForm(data=data, instance=event)


def test_a_negative_fee_or_a_deadline_after_the_start_are_form_errors():
    event = EventFactory()
    form = _form(event, fee_member="-5", cancellation_deadline=event.starts_at + timedelta(1))
    assert not form.is_valid()
    assert "fee_member" in form.errors and "cancellation_deadline" in form.errors


def test_another_companys_representative_cannot_see_an_event_invoice(client):
    company, _membership = _member()
    rep = RepresentativeFactory(company=company)
    registration = services.registration_create(event=_paid(), name="Rep", email=rep.user.email)
    other = RepresentativeFactory(company=CompanyFactory())
    client.force_login(other.user)
    url = reverse("members:invoice-detail", args=[registration.invoice.number])
    assert client.get(url).status_code in (403, 404)
    client.force_login(rep.user)
    assert client.get(url).status_code == 200
