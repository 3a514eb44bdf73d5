"""Writes that touch several models or have side effects, one module per concern.

Each function takes keyword-only arguments, runs in one transaction and checks what it
saves with ``full_clean()``; emails leave through ``email`` after the commit. The public
names are re-exported here.
"""

from .applications import (
    NEW_COMPANY,
    application_approve,
    application_matches,
    application_reject,
    application_submit,
)
from .direct_debits import (
    direct_debit_file_build,
    direct_debit_reject,
    direct_debits_collect,
)
from .invitations import (
    InvitationError,
    invitation_accept,
    invitation_from_token,
    invitation_send,
    invitation_token,
)
from .invoices import dues_amounts, invoice_issue, invoiced_memberships, invoices_issue
from .invoicing import InvoiceDraft, billing_recipients, drafts_issue
from .memberships import first_year_fee, membership_create, membership_resign, membership_year
from .moderation import (
    PROFILE_FIELDS,
    ModerationError,
    pending_values,
    profile_submit,
    profile_values,
    revision_approve,
    revision_reject,
)
from .offers import offer_approve, offer_reject, offer_save
from .payments import credit_note_issue, payment_record
from .register import company_unique_slug
from .reminders import reminders_send
from .renewals import renewals_issue
from .reports import ledger_csv, ledger_rows, yearly_summary
from .statements import statement_import, statement_lines_confirm

__all__ = [
    "InvoiceDraft",
    "billing_recipients",
    "drafts_issue",
    "NEW_COMPANY",
    "PROFILE_FIELDS",
    "InvitationError",
    "ModerationError",
    "application_approve",
    "application_matches",
    "application_reject",
    "application_submit",
    "company_unique_slug",
    "credit_note_issue",
    "direct_debit_file_build",
    "direct_debit_reject",
    "direct_debits_collect",
    "dues_amounts",
    "first_year_fee",
    "invitation_accept",
    "invitation_from_token",
    "invitation_send",
    "invitation_token",
    "invoice_issue",
    "invoiced_memberships",
    "invoices_issue",
    "ledger_csv",
    "ledger_rows",
    "membership_create",
    "membership_resign",
    "membership_year",
    "offer_approve",
    "offer_reject",
    "offer_save",
    "payment_record",
    "pending_values",
    "profile_submit",
    "profile_values",
    "reminders_send",
    "renewals_issue",
    "revision_approve",
    "revision_reject",
    "statement_import",
    "statement_lines_confirm",
    "yearly_summary",
]
