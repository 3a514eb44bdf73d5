"""SEPA mandates: identifiers checked with python-stdnum, one active mandate per company,
the signed PDF checked like a logo and kept out of public reach, and who may see them."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import ClusterIdentity, Mandate
from tests.cluster.staff import staff_member

from .factories import CompanyFactory
from .sepa_factories import PDF, MandateFactory

pytestmark = pytest.mark.django_db


def upload(content, name="mandat signé.pdf"):
    file = io.BytesIO(content)
    file.name = name
    return file


def mandate_form(company, **changes):
    return {
        "company": company.pk,
        "reference": "RUM-2027-001",
        "signed_on": "05/01/2027",
        "debtor_name": "Studio Canigou SAS",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "AGRIFRPP",
        "status": "active",
        "revoked_on": "",
        "sequence_type": "FRST",
        **changes,
    }


def test_the_creditor_identifier_is_checked_and_stored_compact():
    identity = ClusterIdentity.objects.current()
    identity.sepa_creditor_id = "fr 72 zzz 123456"
    identity.full_clean()
    assert identity.sepa_creditor_id == "FR72ZZZ123456"
    identity.sepa_creditor_id = "FR73ZZZ123456"
    with pytest.raises(ValidationError) as error:
        identity.full_clean()
    [problem] = error.value.error_dict["sepa_creditor_id"]
    assert problem.code == "invalid_creditor_id"


def test_a_mandate_with_a_wrong_iban_or_bic_is_refused():
    mandate = MandateFactory.build(company=CompanyFactory(), iban="FR7630006000011234567890188")
    mandate.bic = "NOTABIC!"
    with pytest.raises(ValidationError) as error:
        mandate.full_clean()
    assert set(error.value.message_dict) >= {"iban", "bic"}


def test_a_company_has_one_active_mandate_at_a_time():
    first = MandateFactory()
    second = MandateFactory.build(company=first.company, reference="RUM-OTHER")
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.messages == [str(Mandate._meta.constraints[0].violation_error_message)]
    first.status, first.revoked_on = Mandate.Status.REVOKED, first.signed_on
    first.save()
    second.full_clean()
    second.save()
    assert first.company.mandates.active().get() == second


def test_a_revoked_mandate_needs_its_date():
    mandate = MandateFactory.build(company=CompanyFactory(), status="revoked")
    with pytest.raises(ValidationError) as error:
        mandate.full_clean()
    assert "revoked_on" in error.value.message_dict


def test_the_accountant_records_a_mandate_with_its_signed_pdf(client):
    client.force_login(staff_member("Comptabilité"))
    company = CompanyFactory(trade_name="Studio Canigou")
    data = mandate_form(company, signed_pdf_upload=upload(PDF))
    response = client.post(reverse("admin:members_mandate_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mandate = Mandate.objects.get()
    assert mandate.iban == "FR7630006000011234567890189"
    assert mandate.signed_pdf_name == "mandat-signe.pdf"
    assert mandate.history.count() == 1
    download = client.get(reverse("admin:members_mandate_pdf", args=[mandate.pk]))
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not_a_pdf"),
        (PDF[:-8], "truncated"),
        (PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction 3 0 R"), "active"),
        (PDF.replace(b"/Root 1 0 R", b"/Root 1 0 R/Encrypt 4 0 R"), "encrypted"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_clean_pdf_is_refused_and_nothing_saved(client, content, code):
    client.force_login(staff_member("Comptabilité"))
    company = CompanyFactory()
    response = client.post(
        reverse("admin:members_mandate_add"),
        mandate_form(company, signed_pdf_upload=upload(content)),
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors.as_data()["signed_pdf_upload"]
    assert error.code == code
    assert not Mandate.objects.exists()


def test_an_invalid_iban_in_the_admin_says_what_is_wrong(client):
    client.force_login(staff_member("Comptabilité"))
    response = client.post(
        reverse("admin:members_mandate_add"),
        mandate_form(CompanyFactory(), iban="FR76 3000 6000 0112 3456 7890 188"),
    )
    [error] = response.context["adminform"].form.errors.as_data()["iban"]
    assert error.code == "invalid_iban"
    assert not Mandate.objects.exists()


@pytest.mark.parametrize("role", ["École", "Incubateur", "Communication"])
def test_other_staff_roles_never_see_a_mandate(client, role):
    mandate = MandateFactory(signed_pdf=PDF, signed_pdf_name="m.pdf")
    client.force_login(staff_member(role))
    assert client.get(reverse("admin:members_mandate_changelist")).status_code == 403
    assert client.get(reverse("admin:members_mandate_pdf", args=[mandate.pk])).status_code == 403


def test_the_mandate_list_is_one_query_per_page(client, django_assert_max_num_queries):
    MandateFactory.create_batch(5)
    client.force_login(staff_member("Comptabilité"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:members_mandate_changelist"))
    assert response.content.decode().count("RUM-") >= 5


def test_a_representative_sees_the_mandate_of_the_company_masked(client):
    from .factories import RepresentativeFactory

    mandate = MandateFactory(iban="FR7630006000011234567890189")
    representative = RepresentativeFactory(company=mandate.company)
    client.force_login(representative.user)
    page = client.get(reverse("members:my-membership", args=[mandate.company.slug]))
    html = page.content.decode()
    assert mandate.reference in html and "0189" in html
    assert mandate.iban not in html


def test_another_companys_representative_sees_nothing_of_a_mandate(client):
    from .factories import RepresentativeFactory

    mandate = MandateFactory(signed_pdf=PDF, signed_pdf_name="m.pdf")
    other = RepresentativeFactory()
    client.force_login(other.user)
    own = client.get(reverse("members:my-membership", args=[other.company.slug]))
    assert mandate.reference not in own.content.decode()
    theirs = client.get(reverse("members:my-membership", args=[mandate.company.slug]))
    assert theirs.status_code == 404
    assert client.get(reverse("admin:members_mandate_pdf", args=[mandate.pk])).status_code == 302
    assert not Mandate.objects.visible_to(other.user).exists()
