"""Write CAMT.053 statements as a French bank sends them, for the demo, the tests and the
benchmark (the bank's side of the exchange; Cité itself only reads them)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@dataclass
class Entry:
    booking_date: date
    amount: Decimal  # positive: credit; negative: debit
    name: str = ""
    iban: str = ""
    reference: str = ""
    end_to_end_id: str = ""
    batch_id: str = ""
    return_reason: str = ""
    bank_reference: str = ""


def _entry(entry: Entry) -> str:
    credit = entry.amount >= 0
    party = "Dbtr" if credit else "Cdtr"
    refs = f"<EndToEndId>{escape(entry.end_to_end_id or 'NOTPROVIDED')}</EndToEndId>"
    batch = f"<Btch><MsgId>{escape(entry.batch_id)}</MsgId></Btch>" if entry.batch_id else ""
    related = f"<RltdPties><{party}><Nm>{escape(entry.name)}</Nm></{party}>"
    if entry.iban:
        related += f"<{party}Acct><Id><IBAN>{entry.iban}</IBAN></Id></{party}Acct>"
    related += "</RltdPties>"
    returned = (
        f"<RtrInf><Rsn><Cd>{escape(entry.return_reason)}</Cd></Rsn></RtrInf>"
        if entry.return_reason
        else ""
    )
    bank_ref = (
        f"<AcctSvcrRef>{escape(entry.bank_reference)}</AcctSvcrRef>" if entry.bank_reference else ""
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{abs(entry.amount):.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{entry.booking_date.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{entry.booking_date.isoformat()}</Dt></ValDt>{bank_ref}"
        f"<NtryDtls>{batch}<TxDtls><Refs>{refs}</Refs>{related}"
        f"<RmtInf><Ustrd>{escape(entry.reference)}</Ustrd></RmtInf>{returned}</TxDtls>"
        f"</NtryDtls></Ntry>"
    )


def camt053(account: str, entries: list[Entry], *, statement_id: str = "STMT-1") -> bytes:
    """Return a CAMT.053 statement of ``account`` holding these entries."""
    body = "".join(_entry(entry) for entry in entries)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NAMESPACE}">'
        f"<BkToCstmrStmt><GrpHdr><MsgId>{escape(statement_id)}</MsgId>"
        f"<CreDtTm>2027-01-31T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{escape(statement_id)}</Id><Acct><Id><IBAN>{account}</IBAN></Id></Acct>"
        f"{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()
