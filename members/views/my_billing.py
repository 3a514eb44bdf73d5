"""The representatives' memberships and invoices."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ..invoice_document import invoice_document
from ..invoice_pdf import invoice_pdf
from ..models import Company, Invoice, Mandate
from .my_space import is_company_admin, represented_company


@login_required
def my_membership(request, slug):
    company = represented_company(request, slug)
    invoices = list(company.invoices.with_balance().order_by("-issue_date", "-sequence"))
    balance = sum(
        (invoice.balance for invoice in invoices if invoice.kind == Invoice.Kind.INVOICE),
        Decimal("0.00"),
    )
    return render(
        request,
        "members/my/membership.html",
        {
            "company": company,
            "memberships": company.memberships.select_related("plan"),
            "invoices": invoices,
            "balance": balance,
            "is_admin": is_company_admin(company, request.user),
            "mandates": Mandate.objects.visible_to(request.user).filter(company=company),
        },
    )


def _visible_invoices(user):
    """Return the invoices this user may read: all for staff, else their companies'."""
    invoices = Invoice.objects.with_balance().select_related("company", "credited_invoice")
    if user.is_staff and user.has_perm("members.view_invoice"):
        return invoices
    return invoices.filter(company__in=Company.objects.editable_by(user))


@login_required
def invoice_detail(request, number):
    invoice = get_object_or_404(_visible_invoices(request.user), number=number)
    payments = list(invoice.payments.all())
    return render(
        request,
        "members/invoice.html",
        {
            "invoice": invoice,
            "payments": payments,
            "document": invoice_document(invoice, payments),
        },
    )


@login_required
def invoice_download(request, number):
    invoice = get_object_or_404(_visible_invoices(request.user), number=number)
    pdf = invoice_pdf(invoice, list(invoice.payments.all()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response
