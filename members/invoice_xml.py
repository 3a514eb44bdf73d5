"""An invoice or credit note as Cross Industry Invoice XML (UN/CEFACT CII D16B), profile
EN 16931 of Factur-X: what ``invoice_pdf`` embeds, and what an approved platform (PDP)
reads.

Built with ``drafthorse`` (pretix's model of the CII schema): its classes keep the order
of the elements the schema imposes and escape every text, so this module only maps an
invoice's copied fields onto the standard's business terms (BT-…). The XML says what the
invoice said when it was issued, from the fields it copied then; payments made since are
not part of it.

A credit note is type 381 with positive amounts and a reference to the invoice it
credits; an invoice without VAT carries the exemption (category E) with the VATEX code
its printed mention names: article 261, 7 of the CGI (a non-profit body's dues) or
article 293 B (the franchise).
"""

import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentMeans, PaymentTerms
from drafthorse.models.tradelines import LineItem

from .invoice_document import penalty_mentions
from .models import ClusterIdentity, Invoice
from .money import money

EN16931 = "urn:cen.eu:en16931:2017"
INVOICE, CREDIT_NOTE = "380", "381"
# UNTDID 4461: 58 is a SEPA credit transfer.
SEPA_TRANSFER = "58"
# ISO 6523 schemes: 0002 is the SIREN, 0009 the SIRET; 0225 the French e-invoicing directory's SIREN
# address (what a PDP routes on).
SIREN_SCHEME, SIRET_SCHEME, ROUTING_SCHEME = "0002", "0009", "0225"
# UN/ECE rec. 20: C62 is "one" (a unit), for lines that bill one thing.
ONE = "C62"
# The exemption mentions French invoices print, and their VATEX codes (CEF list).
EXEMPTIONS = (
    (re.compile(r"293\s*B", re.IGNORECASE), "VATEX-FR-FRANCHISE"),
    (re.compile(r"261[\s,-]*7", re.IGNORECASE), "VATEX-FR-CGI261-7"),
)
DEFAULT_EXEMPTION = "TVA non applicable"


def exemption_code(mention: str) -> str:
    """Return the VATEX code a printed exemption mention names ("" when none matches)."""
    for pattern, code in EXEMPTIONS:
        if pattern.search(mention or ""):
            return code
    return ""


def _address(target, one_line: str, country: str):
    """Fill a postal address from an invoice's one-line copy ("street, postcode city")."""
    parts = [part.strip() for part in one_line.split(",") if part.strip()]
    target.country_id = country or "FR"
    for index in range(len(parts) - 1, -1, -1):
        match = re.fullmatch(r"(\S*\d\S*)\s+(.+)", parts[index])
        if match and index:
            target.line_one = ", ".join(parts[:index])
            target.postcode, target.city_name = match.groups()
            return
    target.line_one = one_line


def _party(party, *, name, address, country, siren, siret, vat_number):
    if siret:
        party.global_id.add((SIRET_SCHEME, siret))
    party.name = name
    if siren:
        party.legal_organization.id = (SIREN_SCHEME, siren)
    _address(party.address, address, country)
    if siren:
        party.electronic_address.uri_ID = (ROUTING_SCHEME, siren)
    if vat_number:
        party.tax_registrations.add(TaxRegistration(id=("VA", vat_number)))


def _tax(target, rate):
    """Standard rate (S) when the line bears VAT, else exempt (E)."""
    target.type_code = "VAT"
    target.category_code = "S" if rate else "E"
    target.rate_applicable_percent = rate


def _exemption(target, mention):
    target.exemption_reason = mention or DEFAULT_EXEMPTION
    code = exemption_code(mention)
    if code:
        target.exemption_reason_code = code


def _lines(invoice):
    """Return ``(description, amount before tax, VAT rate)`` of each line, amounts as the
    buyer reads them (positive on a credit note)."""
    sign = -1 if invoice.kind == Invoice.Kind.CREDIT_NOTE else 1
    lines = list(invoice.lines.all()) or [invoice]
    return [(line.description, sign * line.amount_excl_tax, _rate(line, invoice)) for line in lines]


def _rate(line, invoice):
    """A line's own VAT rate where lines carry one, else the invoice's."""
    rate = getattr(line, "vat_rate", None)
    return money(invoice.vat_rate if rate is None else rate)


def _breakdown(invoice, lines):
    """Return ``{rate: (basis, VAT)}``: the VAT per rate, each line's VAT rounded half up
    as the invoice rounded it; one rate takes the invoice's own VAT total."""
    sign = -1 if invoice.kind == Invoice.Kind.CREDIT_NOTE else 1
    basis, vat = defaultdict(Decimal), defaultdict(Decimal)
    for _text, amount, rate in lines:
        basis[rate] += amount
        vat[rate] += money(amount * rate / 100)
    if len(basis) == 1:
        [rate] = basis
        vat[rate] = sign * invoice.vat_amount
    return {rate: (basis[rate], vat[rate]) for rate in basis}


def invoice_xml(invoice: Invoice) -> bytes:
    """Return the CII XML (EN 16931) of an issued invoice or credit note, UTF-8."""
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    sign = -1 if credit else 1
    identity = ClusterIdentity.objects.current()
    doc = Document()
    doc.context.guideline_parameter.id = EN16931
    doc.header.id = invoice.number
    doc.header.type_code = CREDIT_NOTE if credit else INVOICE
    doc.header.issue_date_time = invoice.issue_date
    _notes(doc.header, invoice)

    agreement = doc.trade.agreement
    _party(
        agreement.seller,
        name=invoice.seller_name,
        address=invoice.seller_address,
        country=identity.country,
        siren=invoice.seller_siren,
        siret=invoice.seller_siret,
        vat_number=invoice.seller_vat_number,
    )
    if not invoice.seller_vat_number and invoice.seller_siren:
        # EN 16931 (BR-E-02) asks an exempt seller for its tax registration: the SIREN.
        agreement.seller.tax_registrations.add(TaxRegistration(id=("FC", invoice.seller_siren)))
    _party(
        agreement.buyer,
        name=invoice.buyer_name,
        address=invoice.buyer_address,
        country=invoice.company.country,
        siren=invoice.buyer_siren,
        siret=invoice.buyer_siret,
        vat_number=invoice.buyer_vat_number,
    )

    lines = _lines(invoice)
    for position, (text, amount, rate) in enumerate(lines, start=1):
        item = LineItem()
        item.document.line_id = str(position)
        item.product.name = text
        item.agreement.net.amount = amount
        item.delivery.billed_quantity = (Decimal("1"), ONE)
        _tax(item.settlement.trade_tax, rate)
        item.settlement.monetary_summation.total_amount = amount
        doc.trade.items.add(item)

    _settlement(doc.trade.settlement, invoice, lines, sign)
    return doc.serialize(schema="FACTUR-X_EN16931")


def _notes(header, invoice):
    """The mentions a French invoice prints, as notes with their UNTDID 4451 subjects, in
    the site's language as the invoice copied its texts."""
    texts = [(invoice.description, "")]
    if invoice.vat_mention:
        texts.append((invoice.vat_mention, "TXD"))
    if invoice.payment_terms:
        texts.append((invoice.payment_terms, "AAB"))
    with translation.override(settings.LANGUAGE_CODE):
        texts += [(text, subject) for subject, text in penalty_mentions(invoice)]
    for text, subject in texts:
        note = IncludedNote()
        note.content = text
        if subject:
            note.subject_code = subject
        header.notes.add(note)


def _settlement(settlement, invoice, lines, sign):
    settlement.payment_reference = invoice.number
    settlement.currency_code = "EUR"
    if invoice.seller_iban:
        means = PaymentMeans()
        means.type_code = SEPA_TRANSFER
        means.payee_account.iban = invoice.seller_iban
        if invoice.seller_bic:
            means.payee_institution.bic = invoice.seller_bic
        settlement.payment_means.add(means)
    for rate, (basis, vat) in sorted(_breakdown(invoice, lines).items()):
        tax = ApplicableTradeTax()
        tax.calculated_amount = vat
        tax.basis_amount = basis
        _tax(tax, rate)
        if not rate:
            _exemption(tax, invoice.vat_mention)
        settlement.trade_tax.add(tax)
    if invoice.period_start and invoice.period_end:
        settlement.period.start = invoice.period_start
        settlement.period.end = invoice.period_end
    terms = PaymentTerms()
    if invoice.payment_terms:
        terms.description = invoice.payment_terms
    terms.due = invoice.due_date
    settlement.terms.add(terms)
    summation = settlement.monetary_summation
    excl = sign * invoice.amount_excl_tax
    summation.line_total = sum((amount for _text, amount, _rate in lines), Decimal("0.00"))
    summation.charge_total = Decimal("0.00")
    summation.allowance_total = Decimal("0.00")
    summation.tax_basis_total = (excl, None)
    summation.tax_total = (sign * invoice.vat_amount, "EUR")
    summation.grand_total = (sign * invoice.amount_incl_tax, None)
    summation.due_amount = sign * invoice.amount_incl_tax
    if invoice.credited_invoice_id:
        reference = settlement.invoice_referenced_document
        reference.issuer_assigned_id = invoice.credited_invoice.number
        reference.issue_date_time = invoice.credited_invoice.issue_date
