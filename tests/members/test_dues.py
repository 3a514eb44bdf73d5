"""Membership dues: plans, memberships, invoices, payments, reminders and visibility."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import ClusterIdentity, Company, EmailLog, Invoice, Membership
from tests.concurrency import run_concurrently

from .factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return MembershipPlanFactory(name="Petite entreprise", annual_fee=Decimal("300.00"))


@pytest.fixture
def member(plan):
    """A company with an admin representative and an invoiced membership for this year."""
    representative = RepresentativeFactory(role="admin", company__trade_name="Vroom")
    start, _end = services.membership_year(timezone.localdate())
    membership = services.membership_create(
        company=representative.company, plan=plan, start=start, prorate=False
    )
    invoice = services.invoice_issue(membership=membership, issue_date=start)
    return representative, membership, invoice


def test_the_membership_year_is_the_calendar_year_or_september_to_august(settings):
    assert services.membership_year(date(2026, 3, 15)) == (date(2026, 1, 1), date(2027, 1, 1))
    settings.CITE_MEMBERSHIP_YEAR_START_MONTH = 9
    assert services.membership_year(date(2026, 3, 15)) == (date(2025, 9, 1), date(2026, 9, 1))
    assert services.membership_year(date(2026, 9, 1)) == (date(2026, 9, 1), date(2027, 9, 1))


def test_the_first_year_is_prorated_by_the_month_of_joining_when_set(plan, settings):
    settings.CITE_PRORATE_FIRST_YEAR = True
    assert services.first_year_fee(plan, date(2026, 10, 20)) == Decimal("75.00")  # 3 months
    assert services.first_year_fee(plan, date(2026, 1, 1)) == Decimal("300.00")
    settings.CITE_PRORATE_FIRST_YEAR = False
    assert services.first_year_fee(plan, date(2026, 10, 20)) == Decimal("300.00")


def test_memberships_of_one_company_cannot_overlap(member, plan):
    _rep, membership, _invoice = member
    clash = Membership(
        company=membership.company,
        plan=plan,
        start=membership.start + timedelta(days=10),
        end=membership.end + timedelta(days=10),
        fee=Decimal("10.00"),
    )
    with pytest.raises(ValidationError, match="already has a membership for part of this"):
        clash.full_clean()


@pytest.mark.parametrize(
    ("start", "end", "fee", "field"),
    [
        (date(2026, 1, 1), date(2025, 1, 1), "300", "end"),
        (date(2026, 1, 1), date(2026, 1, 1), "300", "end"),
        (date(2026, 1, 1), date(2027, 1, 1), "-1", "fee"),
    ],
)
def test_a_bad_period_or_fee_gets_a_clear_message(plan, start, end, fee, field):
    membership = Membership(
        company=CompanyFactory(), plan=plan, start=start, end=end, fee=Decimal(fee)
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert field in error.value.message_dict


def test_invoices_are_numbered_without_gaps_within_each_year(plan):
    numbers = []
    for issue_date in (date(2026, 2, 1), date(2026, 3, 1), date(2027, 1, 5), date(2026, 12, 31)):
        membership = services.membership_create(
            company=CompanyFactory(), plan=plan, start=date(2026, 1, 1), prorate=False
        )
        numbers.append(services.invoice_issue(membership=membership, issue_date=issue_date).number)
    assert numbers == ["2026-0001", "2026-0002", "2027-0001", "2026-0003"]


def test_an_invoice_copies_what_it_bills_with_the_legal_mentions(member, plan):
    _rep, _membership, invoice = member
    seller = ClusterIdentity.objects.current()
    assert invoice.amount_excl_tax == invoice.amount_incl_tax == Decimal("300.00")
    assert invoice.vat_mention == seller.vat_exemption_mention
    assert invoice.buyer_name == invoice.company.legal_name
    assert invoice.buyer_siren == invoice.company.siren
    assert invoice.seller_name == (seller.legal_name or seller.display_name)
    plan.annual_fee = Decimal("999.00")
    plan.save()
    invoice.refresh_from_db()
    assert invoice.amount_incl_tax == Decimal("300.00")


def test_vat_is_computed_on_plans_that_apply_it(plan):
    taxed = MembershipPlanFactory(name="Entreprise", annual_fee=Decimal("333.33"), vat_applies=True)
    membership = services.membership_create(
        company=CompanyFactory(), plan=taxed, start=date(2026, 1, 1), prorate=False
    )
    invoice = services.invoice_issue(membership=membership, issue_date=date(2026, 1, 2))
    assert (invoice.vat_rate, invoice.vat_amount, invoice.amount_incl_tax) == (
        Decimal("20.00"),
        Decimal("66.67"),
        Decimal("400.00"),
    )
    assert invoice.vat_mention == ""


def test_a_membership_is_invoiced_once_unless_credited(member):
    _rep, membership, invoice = member
    with pytest.raises(ValidationError, match="already invoiced"):
        services.invoice_issue(membership=membership)
    credit = services.credit_note_issue(invoice=invoice, reason="Erreur de formule")
    assert credit.amount_incl_tax == Decimal("-300.00")
    assert credit.number.endswith("0002")
    assert Invoice.objects.with_balance().get(pk=invoice.pk).balance == Decimal("0.00")
    again = services.invoice_issue(membership=membership)
    assert again.number.endswith("0003")


def test_partial_payments_then_paid_and_bad_amounts_are_refused(member):
    _rep, membership, invoice = member
    services.payment_record(
        invoice=invoice, amount=Decimal("100.00"), date=invoice.issue_date, method="cheque"
    )
    state = Invoice.objects.with_balance().get(pk=invoice.pk)
    assert state.balance == Decimal("200.00")
    with pytest.raises(ValidationError) as error:
        services.payment_record(
            invoice=invoice, amount=Decimal("250.00"), date=invoice.issue_date, method="cheque"
        )
    assert "200" in error.value.message_dict["amount"][0]
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.payment_record(
            invoice=invoice, amount=Decimal("1.00"), date=tomorrow, method="cheque"
        )
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.payment_record(
            invoice=invoice, amount=Decimal("0"), date=invoice.issue_date, method="cheque"
        )
    assert "amount" in error.value.message_dict
    services.payment_record(
        invoice=invoice,
        amount=Decimal("200.00"),
        date=invoice.issue_date,
        method="transfer",
        reference="VIR 42",
    )
    assert Invoice.objects.with_balance().get(pk=invoice.pk).payment_status == "paid"
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_a_lapsed_member_leaves_the_directory_and_comes_back_when_it_pays(member, client):
    rep, membership, invoice = member
    company = rep.company
    assert Company.objects.public().filter(pk=company.pk).exists()
    late = invoice.due_date + timedelta(days=400)
    services.reminders_send(today=invoice.due_date + timedelta(days=1))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.GRACE
    assert Company.objects.public().filter(pk=company.pk).exists()
    services.reminders_send(today=late)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LAPSED
    assert not Company.objects.public().filter(pk=company.pk).exists()
    assert client.get(company.get_absolute_url()).status_code == 404
    company.refresh_from_db()
    assert company.published  # the profile is kept

    services.payment_record(
        invoice=invoice, amount=invoice.amount_incl_tax, date=invoice.issue_date, method="transfer"
    )
    assert Company.objects.public().filter(pk=company.pk).exists()
    assert client.get(company.get_absolute_url()).status_code == 200


def test_resigned_members_leave_and_companies_without_membership_follow_their_flag(member):
    rep, membership, _invoice = member
    services.membership_resign(membership=membership)
    school = CompanyFactory(trade_name="Idem")
    hidden = CompanyFactory(published=False)
    public = set(Company.objects.public())
    assert school in public
    assert rep.company not in public and hidden not in public


def test_send_reminders_twice_sends_each_reminder_once(member, settings):
    settings.CITE_OVERDUE_REMINDER_DAYS = [7, 21]
    _rep, membership, invoice = member
    day = invoice.due_date + timedelta(days=8)
    first = services.reminders_send(today=day)
    second = services.reminders_send(today=day)
    assert first["overdue"] == 1 and second["overdue"] == 0
    assert len(mail.outbox) == 1
    assert invoice.number in mail.outbox[0].body
    services.reminders_send(today=invoice.due_date + timedelta(days=22))
    assert len(mail.outbox) == 2
    assert EmailLog.objects.filter(kind="overdue").count() == 2


def test_renewal_notices_go_out_before_the_period_ends_once(member, settings):
    settings.CITE_RENEWAL_NOTICE_DAYS = 30
    _rep, membership, invoice = member
    services.payment_record(
        invoice=invoice, amount=invoice.amount_incl_tax, date=invoice.issue_date, method="transfer"
    )
    assert services.reminders_send(today=membership.end - timedelta(days=40))["renewal"] == 0
    assert services.reminders_send(today=membership.end - timedelta(days=20))["renewal"] == 1
    assert services.reminders_send(today=membership.end - timedelta(days=10))["renewal"] == 0
    assert EmailLog.objects.get(kind="renewal").to == _rep.user.email


def test_send_reminders_command_reports_what_it_did(member):
    out = __import__("io").StringIO()
    call_command("send_reminders", stdout=out)
    assert "0" in out.getvalue()


def test_renewals_are_issued_in_bulk_for_members_in_good_standing(member, plan):
    _rep, membership, invoice = member
    services.payment_record(
        invoice=invoice, amount=invoice.amount_incl_tax, date=invoice.issue_date, method="transfer"
    )
    invoices = services.renewals_issue(year=membership.end.year)
    assert [i.company for i in invoices] == [membership.company]
    assert invoices[0].period_start == membership.end
    assert services.renewals_issue(year=membership.end.year) == []


def test_the_representative_sees_memberships_invoices_and_balance(member, client):
    rep, _membership, invoice = member
    client.force_login(rep.user)
    response = client.get(reverse("members:my-membership", args=[rep.company.slug]))
    assert response.status_code == 200
    assert invoice.number in response.text
    assert response.context["balance"] == Decimal("300.00")
    page = client.get(reverse("members:invoice-detail", args=[invoice.number]))
    assert "TVA non applicable" in page.text
    pdf = client.get(reverse("members:invoice-pdf", args=[invoice.number]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_staff_record_a_payment_and_see_the_summary_and_ledger(member, admin_client):
    _rep, _membership, invoice = member
    url = reverse("admin:members_invoice_pay", args=[invoice.pk])
    response = admin_client.post(
        url, {"amount": "500.00", "date": invoice.issue_date, "method": "cheque"}
    )
    assert response.status_code == 200 and "300" in response.text  # more than the balance
    admin_client.post(url, {"amount": "300.00", "date": invoice.issue_date, "method": "cheque"})
    assert Invoice.objects.with_balance().get(pk=invoice.pk).payment_status == "paid"
    summary = admin_client.get(reverse("admin:members_invoice_summary"))
    assert summary.context["rows"][0]["collected"] == Decimal("300.00")
    ledger = admin_client.get(reverse("admin:members_invoice_ledger")).content.decode()
    assert invoice.number in ledger and "300.00" in ledger
    for name in ("changelist", "change"):
        args = [invoice.pk] if name == "change" else []
        assert (
            admin_client.get(reverse(f"admin:members_invoice_{name}", args=args)).status_code == 200
        )
    listing = admin_client.get(reverse("admin:members_membership_changelist"), {"status": "active"})
    assert listing.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issuers_get_twenty_consecutive_numbers(plan):
    memberships = [
        services.membership_create(company=CompanyFactory(), plan=plan, start=date(2026, 1, 1))
        for _ in range(20)
    ]

    invoices, errors = run_concurrently(
        lambda membership: services.invoice_issue(
            membership=membership, issue_date=date(2026, 6, 1)
        ),
        [(membership,) for membership in memberships],
    )

    assert errors == []
    assert sorted(invoice.number for invoice in invoices) == [f"2026-{n:04d}" for n in range(1, 21)]


@pytest.mark.django_db(transaction=True)
def test_two_staff_issuing_the_same_renewals_at_once_renew_each_member_once(plan):
    for _ in range(5):
        membership = services.membership_create(
            company=CompanyFactory(), plan=plan, start=date(2026, 1, 1), prorate=False
        )
        services.payment_record(
            invoice=services.invoice_issue(membership=membership, issue_date=date(2026, 1, 1)),
            amount=membership.fee,
            date=date(2026, 1, 15),
            method="transfer",
        )

    results, errors = run_concurrently(lambda: services.renewals_issue(year=2027), [(), ()])

    # One run renews the five members; the other is refused, never a database error.
    assert sorted(len(invoices) for invoices in results) in ([0, 5], [5])
    assert all(isinstance(error, ValidationError) for error in errors), errors
    assert Membership.objects.filter(start=date(2027, 1, 1)).count() == 5
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    year = timezone.localdate().year
    assert numbers[5:] == [f"{year}-{n:04d}" for n in range(6, 11)]  # no gap, no repeat
