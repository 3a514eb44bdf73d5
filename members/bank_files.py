"""Read bank statements: CAMT.053 (ISO 20022 XML) and OFX.

The files come from staff, who download them from the bank, but are still untrusted: the
XML is parsed with defusedxml (no entities, no external references, no DTD), and OFX by
ofxparse, which reads it as HTML (never expanding entities). Whatever is wrong, the
caller gets one ``StatementError`` saying what and where, and nothing is saved.
"""

import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import iban as stdnum_iban

from .money import money

MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class StatementError(ValidationError):
    """The file cannot be read as a statement; the message says why."""


@dataclass
class ParsedLine:
    booking_date: date
    amount: Decimal  # positive: money in; negative: money out
    name: str = ""
    iban: str = ""
    reference: str = ""
    end_to_end_id: str = ""
    batch_id: str = ""
    return_reason: str = ""
    bank_reference: str = ""
    key: str = field(default="", repr=False)


@dataclass
class ParsedStatement:
    format: str
    account: str
    lines: list[ParsedLine]


def read_statement(data: bytes) -> ParsedStatement:
    """Parse a CAMT.053 or OFX file (told apart by content); raise StatementError."""
    if not data.strip():
        raise StatementError(_("The file is empty."), code="empty")
    if len(data) > MAX_STATEMENT_BYTES:
        raise StatementError(_("The file is larger than 20 MB."), code="too_large")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"OFXHEADER" in head or b"<OFX>" in head.upper():
        statement = _read_ofx(data)
    elif head.startswith(b"<"):
        statement = _read_camt(data)
    else:
        raise StatementError(
            _("This file is neither a CAMT.053 nor an OFX statement."), code="format"
        )
    if not statement.lines:
        raise StatementError(_("This statement has no booked entry."), code="no_lines")
    _give_keys(statement)
    return statement


def _give_keys(statement):
    """Give each line its unique key: the bank's reference for the entry when it has one,
    else its content and its rank among identical lines."""
    seen = Counter()
    for line in statement.lines:
        if line.bank_reference:
            raw = f"{statement.account}|ref|{line.bank_reference}"
        else:
            content = "|".join(
                str(part)
                for part in (
                    line.booking_date,
                    line.amount,
                    line.name,
                    line.iban,
                    line.reference,
                    line.end_to_end_id,
                )
            )
            seen[content] += 1
            raw = f"{statement.account}|{content}|{seen[content]}"
        line.key = hashlib.sha256(raw.encode()).hexdigest()


def _checked_iban(value, where):
    if not value:
        return ""
    try:
        return stdnum_iban.validate(value)
    except stdnum_exceptions.ValidationError as error:
        raise StatementError(
            _("The IBAN %(iban)s (%(where)s) is not valid: the file looks damaged.")
            % {"iban": value, "where": where},
            code="iban",
        ) from error


def _amount(text, where):
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation as error:
        raise StatementError(
            _("The amount of %(where)s is not a number.") % {"where": where}, code="amount"
        ) from error
    if not value.is_finite():
        raise StatementError(
            _("The amount of %(where)s is not a number.") % {"where": where}, code="amount"
        )
    return money(value)


def _date(text, where):
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError as error:
        raise StatementError(
            _("The date of %(where)s is missing or not a date.") % {"where": where}, code="date"
        ) from error


def _read_camt(data):
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise StatementError(
            _("This XML file cannot be read (%(error)s).") % {"error": error}, code="xml"
        ) from error
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1]
    statements = root.findall("BkToCstmrStmt/Stmt")
    if root.tag != "Document" or not statements:
        raise StatementError(_("This XML file is not a CAMT.053 bank statement."), code="not_camt")
    lines, account = [], ""
    for statement in statements:
        account = _checked_iban(statement.findtext("Acct/Id/IBAN", ""), _("the account"))
        for rank, entry in enumerate(statement.findall("Ntry"), start=1):
            status = entry.findtext("Sts/Cd") or entry.findtext("Sts") or "BOOK"
            if status.strip() != "BOOK":
                continue  # pending or information only: not on the account yet
            lines.append(_camt_line(entry, _("entry %(rank)d") % {"rank": rank}))
    return ParsedStatement("camt053", account, lines)


def _camt_line(entry, where):
    amount = _amount(entry.findtext("Amt"), where)
    credit = (entry.findtext("CdtDbtInd") or "").strip() == "CRDT"
    details = entry.find("NtryDtls/TxDtls")

    def text(path):
        return (details.findtext(path) or "").strip() if details is not None else ""

    # Money in: the payer is the debtor; money out (a returned debit), the creditor.
    party = "Dbtr" if credit else "Cdtr"
    name = text(f"RltdPties/{party}/Nm") or text(f"RltdPties/{party}/Pty/Nm")
    iban = text(f"RltdPties/{party}Acct/Id/IBAN")
    reference = " ".join(
        part
        for part in (
            " ".join(u.text or "" for u in details.findall("RmtInf/Ustrd"))
            if details is not None
            else "",
            text("RmtInf/Strd/CdtrRefInf/Ref"),
            (entry.findtext("AddtlNtryInf") or "").strip(),
        )
        if part.strip()
    )
    return ParsedLine(
        booking_date=_date(entry.findtext("BookgDt/Dt") or entry.findtext("BookgDt/DtTm"), where),
        amount=amount if credit else -amount,
        name=name[:140],
        iban=_checked_iban(iban, where),
        reference=reference[:500],
        end_to_end_id=text("Refs/EndToEndId")[:35].replace("NOTPROVIDED", ""),
        batch_id=((entry.findtext("NtryDtls/Btch/MsgId") or "").strip() or text("Refs/MsgId"))[:35],
        return_reason=text("RtrInf/Rsn/Cd")[:35],
        bank_reference=(entry.findtext("AcctSvcrRef") or "").strip()[:100],
    )


def _read_ofx(data):
    import ofxparse  # only when an OFX file comes: it pulls BeautifulSoup in

    # ofxparse reads through html.parser, which expands no entity; still refuse a DTD.
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise StatementError(_("This OFX file declares a DTD, which is refused."), code="dtd")
    try:
        ofx = ofxparse.OfxParser.parse(io.BytesIO(data))
        account = ofx.account
        transactions = account.statement.transactions
    except Exception as error:  # noqa: BLE001 - ofxparse raises anything on a damaged file
        raise StatementError(
            _("This OFX file cannot be read (%(error)s).") % {"error": type(error).__name__},
            code="ofx",
        ) from error
    lines = []
    for rank, transaction in enumerate(transactions, start=1):
        where = _("transaction %(rank)d") % {"rank": rank}
        if transaction.date is None:
            raise StatementError(
                _("The date of %(where)s is missing or not a date.") % {"where": where},
                code="date",
            )
        lines.append(
            ParsedLine(
                booking_date=transaction.date.date(),
                amount=_amount(str(transaction.amount), where),
                name=(transaction.payee or "")[:140],
                reference=(transaction.memo or "")[:500],
                bank_reference=(transaction.id or "")[:100],
            )
        )
    return ParsedStatement("ofx", str(getattr(account, "account_id", "") or "")[:34], lines)
