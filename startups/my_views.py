"""The start-ups' part of the representatives' space: their KPI snapshots, and the
tenants' rent."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Company, Invoice
from members.views.my_space import is_company_admin

from .forms import KpiForm
from .models import KpiSnapshot


def _saved(snapshot, form):
    """Save the snapshot; on the same date sent twice at once, tell the second sender as if
    they had sent it after, with a form error."""
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        constraint = next(c for c in KpiSnapshot._meta.constraints if c.name.endswith("per_day"))
        form.add_error(None, constraint.violation_error_message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def my_kpis(request, slug):
    company = get_object_or_404(Company.objects.editable_by(request.user), slug=slug)
    incubation = company.incubations.hosted_on().first() or company.incubations.first()
    if incubation is None:
        return render(request, "startups/my/kpis.html", {"company": company}, status=404)
    form = KpiForm(request.POST or None, incubation=incubation)
    if request.method == "POST" and form.is_valid():
        snapshot = form.save(commit=False)
        snapshot.entered_by = request.user
        if _saved(snapshot, form):
            messages.success(request, _("Figures of %(date)s saved.") % {"date": snapshot.date})
            return redirect("startups:my-kpis", slug=company.slug)
    return render(
        request,
        "startups/my/kpis.html",
        {
            "company": company,
            "incubation": incubation,
            "form": form,
            "kpis": incubation.kpis.all(),
            "milestones": incubation.milestones.all(),
        },
    )


@login_required
def my_rent(request, slug):
    """The tenant's leases, rent invoices and rent balance (each invoice on the members'
    invoice page)."""
    company = get_object_or_404(Company.objects.editable_by(request.user), slug=slug)
    invoices = list(
        Invoice.objects.with_balance()
        .filter(Q(rent__lease__company=company) | Q(credited_invoice__rent__lease__company=company))
        .filter(company=company)
        .order_by("-issue_date", "-sequence")
    )
    balance = sum(
        (invoice.balance for invoice in invoices if invoice.kind == Invoice.Kind.INVOICE),
        Decimal("0.00"),
    )
    return render(
        request,
        "startups/my/rent.html",
        {
            "company": company,
            "leases": company.leases.select_related("office__building"),
            "invoices": invoices,
            "balance": balance,
            "is_admin": is_company_admin(company, request.user),
        },
    )
