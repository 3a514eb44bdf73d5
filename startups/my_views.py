"""The start-ups' part of the representatives' space: their KPI snapshots."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Company

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
