"""Rent invoices: one per lease and billing period, issued through the members' billing
core (``members.services.invoicing.drafts_issue``), so that rent shares the year's gapless
numbering, the lock order, the PDF and the email of every other invoice.

Lock order (see ``members.services.invoicing``): the leases first, by primary key; then
the numbering row, which ``drafts_issue`` takes last. A run locks the leases it may bill,
then looks again at what is already invoiced: a concurrent run for the same month waits,
then finds nothing left. The unique constraint on ``RentInvoice`` is the backstop.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Invoice, Revenue
from members.periods import format_period
from members.services.invoicing import InvoiceDraft, buyer_fields, drafts_issue

from ..billing_periods import add_months, billed_period, prorated
from ..models import Lease, RentInvoice, RentRevision
from .indexation import index_table, rent_segments, revision_text, revisions_until


@dataclass
class RentDue:
    """What a run will invoice for one lease: the days ``[start, end)`` and the draft."""

    lease: Lease
    start: date
    end: date
    draft: InvoiceDraft
    revisions: list[RentRevision]

    @property
    def amounts(self):
        """Return ``(before tax, VAT, after tax)``, rounded as the invoice will be."""
        _lines, excl, vat = self.draft.amounts()
        return excl, vat, excl + vat


def leases_billable(month: date):
    """Return the leases a run of ``month`` may bill: those overlapping the quarters
    around it (``billed_period`` decides), tenants in name order."""
    return (
        Lease.objects.overlapping(add_months(month, -3), add_months(month, 4))
        .select_related("office__building", "company", "rent_index")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=RentRevision.objects.select_related("old_index", "new_index"),
            )
        )
        .order_by("company__legal_name", "pk")
    )


def rent_lines(
    lease: Lease, start: date, end: date, revisions: list[RentRevision]
) -> list[tuple[str, object]]:
    """Return the lines billing ``lease`` for ``[start, end)``: the rent (one line per
    rent in force, with the revision's calculation), then the service charges, each
    prorated by day (the draft rounds them), with the ``Revenue`` the accountant's
    export posts them to (rent, service charges)."""
    office = lease.office
    lines = []
    for first, after, rent, revision in rent_segments(lease, start, end, revisions):
        text = _("Rent, office %(office)s (%(building)s), %(period)s") % {
            "office": office.code,
            "building": office.building.name,
            "period": format_period(first, after, "SHORT_DATE_FORMAT"),
        }
        if revision is not None:
            text = f"{text}; {revision_text(revision)}"
        lines.append((text, prorated(rent, first, after), Revenue.RENT))
    if lease.service_charges:
        lines.append(
            (
                _("Service charges, %(period)s")
                % {"period": format_period(start, end, "SHORT_DATE_FORMAT")},
                prorated(lease.service_charges, start, end),
                Revenue.CHARGES,
            )
        )
    return lines


def rent_draft(lease: Lease, start: date, end: date, revisions: list[RentRevision]) -> InvoiceDraft:
    """Return the draft of the invoice billing ``lease`` for ``[start, end)``; raise
    ValidationError when it cannot be issued (the tenant's address is incomplete)."""
    buyer_fields(lease.company)
    lines = rent_lines(lease, start, end, revisions)
    return InvoiceDraft(
        company=lease.company,
        lines=lines,
        vat_rate=lease.office.building.vat_rate,
        period_start=start,
        period_end=end,
        summary=_("Rent, office %(office)s, %(period)s")
        % {"office": lease.office.code, "period": format_period(start, end)},
    )


def rent_due(month: date) -> tuple[list[RentDue], list[tuple[Lease, str]]]:
    """Return what the run of ``month`` would invoice, and the leases it leaves alone with
    the reason (already invoiced, or what is missing to invoice them)."""
    leases = list(leases_billable(month))
    invoiced = set(
        RentInvoice.objects.filter(lease__in=leases).values_list("lease_id", "period_start")
    )
    due, refused = [], []
    indexes = index_table()
    with translation.override(settings.LANGUAGE_CODE):
        for lease in leases:
            period = billed_period(lease, month)
            if period is None:
                continue
            if (lease.pk, period[0]) in invoiced:
                refused.append((lease, _("already invoiced for %s") % format_period(*period)))
                continue
            try:
                revisions = revisions_until(lease, period[1], indexes)
                draft = rent_draft(lease, *period, revisions)
                due.append(RentDue(lease, *period, draft, revisions))
            except ValidationError as error:
                refused.append((lease, " ".join(error.messages)))
    return due, refused


@transaction.atomic
def rent_invoices_issue(
    *,
    month: date,
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> tuple[list[Invoice], list[tuple[Lease, str]]]:
    """Issue the rent invoices of the run of ``month`` (one per lease and period, never
    twice), numbered in the tenants' name order and emailed; return them with the leases
    left alone and why. A second or concurrent run issues nothing more.

    ``issue_date`` (today by default) is for the demo's past year only: numbers follow the
    order of issue, so a date earlier than an issued invoice's would break the chronology.
    """
    ids = list(leases_billable(month).values_list("pk", flat=True))
    list(Lease.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    due, refused = rent_due(month)
    if not due:
        return [], refused
    RentRevision.objects.bulk_create(
        revision for each in due for revision in each.revisions if revision.pk is None
    )
    invoices = drafts_issue(
        drafts=[each.draft for each in due], issued_by=issued_by, issue_date=issue_date
    )
    RentInvoice.objects.bulk_create(
        RentInvoice(invoice=invoice, lease=each.lease, period_start=each.start, period_end=each.end)
        for invoice, each in zip(invoices, due, strict=True)
    )
    return invoices, refused
