"""The start-ups' part of the representatives' space: their KPI snapshots."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Company

from .forms import KpiForm


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
        snapshot.save()
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
