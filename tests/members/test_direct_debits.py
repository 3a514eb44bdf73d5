"""SEPA direct debit: the collection date, the pain.008 file, the pre-notification, the
"being collected" status, building twice, rejections and who may collect."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cluster.services.todo import staff_todo
from members.models import (
    ClusterIdentity,
    DirectDebit,
    DirectDebitFile,
    Invoice,
    Payment,
    PaymentStatus,
    SequenceType,
)
from members.sepa_calendar import earliest_collection_date, is_business_day
from members.services import direct_debits
from tests.cluster.staff import staff_member

from .factories import CompanyFactory, ContactFactory
from .sepa_factories import MandateFactory, due_invoice

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def collection_day():
    return earliest_collection_date(timezone.localdate())


def build(invoice):
    return direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=collection_day()
    )


def status_of(invoice):
    return Invoice.objects.with_balance().get(pk=invoice.pk).payment_status


@pytest.fixture
def mandated():
    """An overdue invoice of a company with an active mandate and a billing contact."""
    company = CompanyFactory(legal_name="Studio Canigou SAS")
    ContactFactory(company=company, email="compta@canigou.example", billing=True)
    mandate = MandateFactory(company=company, debtor_name="Studio Canigou")
    return due_invoice(company), mandate


def test_target2_holidays_and_weekends_are_not_business_days():
    assert not is_business_day(date(2027, 3, 26))  # Good Friday 2027
    assert not is_business_day(date(2027, 3, 29))  # Easter Monday 2027
    assert not is_business_day(date(2027, 5, 1))
    assert not is_business_day(date(2027, 12, 25))
    assert not is_business_day(date(2027, 1, 9))  # a Saturday
    assert is_business_day(date(2027, 3, 25))


def test_the_collection_date_respects_the_notice_and_the_banks_lead_time(settings):
    settings.CITE_SEPA_PRENOTIFICATION_DAYS = 14
    # Thursday 11 March 2027 + 14 days = Thursday 25 March, a business day.
    assert earliest_collection_date(date(2027, 3, 11)) == date(2027, 3, 25)
    # + 14 days = Friday 26 March 2027, Good Friday; then Easter Monday: Tuesday 30.
    assert earliest_collection_date(date(2027, 3, 12)) == date(2027, 3, 30)
    settings.CITE_SEPA_PRENOTIFICATION_DAYS = 0
    # D-2 business days: built on Friday 31 December 2027, 1 January (a Saturday) and
    # the Sunday skipped: Monday 3, Tuesday 4 January 2028.
    assert earliest_collection_date(date(2027, 12, 31)) == date(2028, 1, 4)
    # Built on Thursday 23 December 2026: Thursday 24, then the 25th closed, Monday 28.
    assert earliest_collection_date(date(2026, 12, 23)) == date(2026, 12, 28)


def test_a_collection_date_too_soon_is_refused_with_the_earliest_one(mandated):
    invoice, _mandate = mandated
    with pytest.raises(ValidationError) as error:
        direct_debits.direct_debit_file_build(
            invoices=[invoice], collection_date=timezone.localdate() + timedelta(days=3)
        )
    assert error.value.code == "too_early"
    assert not DirectDebitFile.objects.exists()


def test_the_file_collects_the_invoice_and_tells_the_debtor(
    mandated, django_capture_on_commit_callbacks
):
    invoice, mandate = mandated
    day = collection_day()
    with django_capture_on_commit_callbacks(execute=True):
        file = direct_debits.direct_debit_file_build(invoices=[invoice], collection_date=day)

    root = ET.fromstring(bytes(file.xml))
    info = root.find("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    assert info.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS) == "FRST"
    assert info.findtext("p:ReqdColltnDt", namespaces=NS) == day.isoformat()
    assert "FR72ZZZ123456" in bytes(file.xml).decode()
    tx = info.find("p:DrctDbtTxInf", NS)
    assert tx.findtext("p:InstdAmt", namespaces=NS) == f"{invoice.amount_incl_tax:.2f}"
    assert tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=NS) == mandate.reference
    assert tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == mandate.iban
    assert invoice.number in tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS)
    assert file.total == invoice.amount_incl_tax and file.count == 1

    assert status_of(invoice) == PaymentStatus.COLLECTING
    mandate.refresh_from_db()
    assert mandate.sequence_type == SequenceType.RECURRENT
    [notice] = [m for m in mail.outbox if "compta@canigou.example" in m.to and "€" in m.subject]
    assert notice.to == ["compta@canigou.example"]
    assert f"{invoice.amount_incl_tax:.2f}".replace(".", ",") in notice.body
    assert mandate.reference in notice.body
    assert mandate.iban not in notice.body  # masked


def test_building_twice_never_collects_an_invoice_twice(mandated):
    invoice, _mandate = mandated
    day = collection_day()
    first = direct_debits.direct_debit_file_build(invoices=[invoice], collection_date=day)
    again = direct_debits.direct_debit_file_build(invoices=[invoice], collection_date=day)
    assert first is not None and again is None
    assert DirectDebit.objects.filter(invoice=invoice).count() == 1


def test_the_database_refuses_a_second_pending_debit(mandated):
    invoice, _mandate = mandated
    file = direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=collection_day()
    )
    debit = file.debits.get()
    debit.pk, debit.end_to_end_id = None, "OTHER-1"
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        debit.save()
    assert DirectDebit.objects.count() == 1


def test_without_a_mandate_or_creditor_id_nothing_is_built(mandated):
    invoice, mandate = mandated
    other = due_invoice()  # no mandate
    assert build(other) is None
    ClusterIdentity.objects.update(sepa_creditor_id="")
    with pytest.raises(ValidationError) as error:
        build(invoice)
    assert error.value.code == "identity"
    assert not DirectDebitFile.objects.exists()


def test_a_collected_debit_records_the_payment_and_a_rejection_reopens_the_invoice(mandated):
    invoice, mandate = mandated
    file = direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=collection_day()
    )
    debit = file.debits.get()
    [payment] = direct_debits.direct_debits_collect(debits=[debit], date=timezone.localdate())
    assert payment.method == Payment.Method.DIRECT_DEBIT
    assert status_of(invoice) == PaymentStatus.PAID

    direct_debits.direct_debit_reject(debit=debit, date=timezone.localdate(), reason="AM04")
    assert status_of(invoice) == PaymentStatus.OVERDUE
    assert not Payment.objects.filter(invoice=invoice).exists()
    mandate.refresh_from_db()
    assert mandate.sequence_type == SequenceType.FIRST
    with pytest.raises(ValidationError):
        direct_debits.direct_debit_reject(debit=debit, date=timezone.localdate())
    # The invoice can be collected again, under a new end-to-end id.
    again = direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=collection_day()
    )
    assert again.debits.get().end_to_end_id.endswith("-D2")


def test_a_rejection_waits_in_the_accountants_todo():
    accountant = staff_member("Comptabilité")
    company = CompanyFactory()
    MandateFactory(company=company)
    invoice = due_invoice(company)
    file = direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=collection_day()
    )
    direct_debits.direct_debit_reject(debit=file.debits.get(), date=timezone.localdate())
    counts = {item.key: item.count for item in staff_todo(user=accountant)}
    assert counts["debits"] == 1
    assert "debits" not in {item.key for item in staff_todo(user=staff_member("École"))}


class TestTheCollectTool:
    def test_the_accountant_previews_then_builds_the_file_and_downloads_it(self, client, mandated):
        invoice, _mandate = mandated
        client.force_login(staff_member("Comptabilité"))
        url = reverse("admin:members_directdebitfile_collect")
        day = collection_day().isoformat()
        preview = client.get(url, {"collection_date": day})
        assert invoice.number in preview.content.decode()
        assert not DirectDebitFile.objects.exists()
        response = client.post(url, {"collection_date": day, "apply": "1"})
        assert response.status_code == 302
        file = DirectDebitFile.objects.get()
        download = client.get(reverse("admin:members_directdebitfile_xml", args=[file.pk]))
        assert download.content == bytes(file.xml)
        assert client.post(url, {"collection_date": day, "apply": "1"}).status_code == 302
        assert DirectDebitFile.objects.count() == 1

    def test_a_date_too_soon_gets_a_form_error(self, client, mandated):
        client.force_login(staff_member("Comptabilité"))
        response = client.get(
            reverse("admin:members_directdebitfile_collect"),
            {"collection_date": timezone.localdate().isoformat()},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["collection_date"]

    @pytest.mark.parametrize("role", ["École", "Incubateur", "Communication"])
    def test_other_roles_cannot_collect(self, client, mandated, role):
        client.force_login(staff_member(role))
        url = reverse("admin:members_directdebitfile_collect")
        response = client.post(url, {"collection_date": collection_day().isoformat(), "apply": "1"})
        assert response.status_code == 403
        assert not DirectDebitFile.objects.exists()

    def test_the_invoice_list_action_collects_the_selection(self, client, mandated):
        invoice, _mandate = mandated
        client.force_login(staff_member("Comptabilité"))
        data = {
            "action": "collect",
            "_selected_action": [invoice.pk],
            "collection_date": collection_day().isoformat(),
        }
        preview = client.post(reverse("admin:members_invoice_changelist"), data)
        assert invoice.number in preview.content.decode()
        client.post(reverse("admin:members_invoice_changelist"), {**data, "apply": "1"})
        assert status_of(invoice) == PaymentStatus.COLLECTING

    def test_the_debit_list_pins_its_queries(self, client, django_assert_max_num_queries):
        for _n in range(4):
            company = CompanyFactory()
            MandateFactory(company=company)
            due_invoice(company, fee=Decimal("120.00"))
        direct_debits.direct_debit_file_build(
            invoices=Invoice.objects.all(), collection_date=collection_day()
        )
        client.force_login(staff_member("Comptabilité"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("admin:members_directdebit_changelist"))
        assert response.content.decode().count("-D1") >= 4


@pytest.mark.django_db(transaction=True)
def test_two_staff_building_at_once_collect_each_invoice_once():
    from tests.concurrency import run_concurrently

    invoices = []
    for _n in range(3):
        company = CompanyFactory()
        MandateFactory(company=company)
        invoices.append(due_invoice(company))
    day = collection_day()

    def build():
        return direct_debits.direct_debit_file_build(invoices=invoices, collection_date=day)

    results, errors = run_concurrently(build, [(), ()])
    assert errors == []
    assert sorted(file is None for file in results) == [False, True]
    assert DirectDebit.objects.count() == 3
    assert DirectDebitFile.objects.count() == 1


def test_an_invoice_being_collected_gets_no_overdue_reminder(mandated):
    from members.models import EmailLog
    from members.services import reminders_send

    invoice, _mandate = mandated
    build(invoice)
    counts = reminders_send()
    assert counts["overdue"] == 0 and counts["grace"] == 0
    assert not EmailLog.objects.filter(kind="overdue").exists()


def test_the_file_list_pins_its_queries(client, django_assert_max_num_queries):
    for _n in range(3):
        company = CompanyFactory()
        MandateFactory(company=company)
        build(due_invoice(company))
    client.force_login(staff_member("Comptabilité"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:members_directdebitfile_changelist"))
    assert response.context["cl"].result_count == 3
    assert "Prélever les factures échues" in response.content.decode()
