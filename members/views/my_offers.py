"""The representatives' offers: list, edit and withdraw."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import OfferForm
from ..models import Offer
from .my_space import represented_company


@login_required
def my_offers(request, slug):
    company = represented_company(request, slug)
    return render(
        request,
        "members/my/offers.html",
        {
            "company": company,
            "offers": company.offers.order_by("-created_at", "-pk"),
            "today": timezone.localdate(),
            "moderated": settings.CITE_MODERATE_PROFILES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_offer_edit(request, slug, pk=None):
    company = represented_company(request, slug)
    offer = get_object_or_404(company.offers, pk=pk) if pk else Offer(company=company)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        if offer.pk and not form.has_changed():
            messages.info(request, _("Nothing changed."))
            return redirect("members:my-offers", slug=company.slug)
        try:
            offer = services.offer_save(offer=form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if offer.status == Offer.Status.PENDING:
                messages.success(
                    request, _("Thank you. Your offer is pending review by the cluster's staff.")
                )
            else:
                messages.success(request, _("Your offer is online."))
            return redirect("members:my-offers", slug=company.slug)
    return render(
        request,
        "members/my/offer_form.html",
        {
            "company": company,
            "form": form,
            "offer": offer if offer.pk else None,
            "moderated": settings.CITE_MODERATE_PROFILES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_offer_delete(request, slug, pk):
    company = represented_company(request, slug)
    offer = get_object_or_404(company.offers, pk=pk)
    if request.method == "POST":
        offer.delete()
        messages.success(request, _("Offer “%(title)s” deleted.") % {"title": offer.title})
        return redirect("members:my-offers", slug=company.slug)
    return render(request, "members/my/offer_delete.html", {"company": company, "offer": offer})
