import sys

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .caching import cache_public_response
from .filters import CompanyFilter, OfferFilter
from .forms import ApplicationForm
from .models import Company, Offer, Sector
from .thumbnails import thumbnail_url

PAGE_SIZE = 20


class BadPage(Exception):
    """The ``page`` parameter is not a page number."""


def _filterset(params):
    return CompanyFilter(params, queryset=Company.objects.public().with_listing_data())


def _offer_filterset(params):
    """Filter the open offers, the newest first."""
    offers = Offer.objects.open().select_related("company").order_by("-created_at", "-pk")
    return OfferFilter(params, queryset=offers)


def _page(queryset, params):
    """Return the requested page of ``queryset`` (BadPage or Http404 if there is none)."""
    raw = params.get("page", "1")
    try:
        # ASCII digits only: isdigit() also accepts "²", which int() refuses.
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
    except ValueError:  # over 4,300 digits, more than int() converts: past the last page
        number = sys.maxsize
    if number < 1:
        raise BadPage(_("The page must be a whole number from 1."))
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404(_("There is no page %(page)s.") % {"page": raw}) from exc


def _sector_facets(params):
    """Count the companies of each sector among the results of every filter but sector."""
    without_sector = params.copy()
    without_sector.pop("sector", None)
    filterset = _filterset(without_sector)
    if not filterset.is_valid():
        return []
    matching = filterset.qs.order_by().values("pk")
    return list(
        Sector.objects.filter(companies__in=matching)
        .annotate(count=Count("companies"))
        .order_by("-count", "name")
    )


def _cities():
    return list(
        Company.objects.public()
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )


@cache_public_response
def company_list(request):
    filterset = _filterset(request.GET)
    context = {"filterset": filterset, "cities": _cities(), "page_obj": None, "facets": []}
    if not filterset.is_valid():
        return render(request, "members/company_list.html", context, status=400)
    try:
        page = _page(filterset.qs, request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    context.update(page_obj=page, companies=page.object_list, facets=_sector_facets(request.GET))
    return render(request, "members/company_list.html", context)


@cache_public_response
def company_detail(request, slug):
    company = get_object_or_404(Company.objects.public().prefetch_related("sectors"), slug=slug)
    contacts = company.contacts.public()
    offers = company.offers.open().order_by("start_date", "pk")
    return render(
        request,
        "members/company_detail.html",
        {"company": company, "contacts": contacts, "offers": offers},
    )


def _offer_places():
    """Return the places of the open offers, suggested by the town field."""
    return list(Offer.objects.open().order_by("place").values_list("place", flat=True).distinct())


@cache_public_response
def offer_list(request):
    filterset = _offer_filterset(request.GET)
    context = {"filterset": filterset, "places": _offer_places(), "page_obj": None}
    if not filterset.is_valid():
        return render(request, "members/offer_list.html", context, status=400)
    try:
        page = _page(filterset.qs, request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    context.update(page_obj=page, offers=page.object_list)
    return render(request, "members/offer_list.html", context)


@cache_public_response
def offer_detail(request, pk):
    offer = get_object_or_404(Offer.objects.open().select_related("company"), pk=pk)
    return render(request, "members/offer_detail.html", {"offer": offer})


def _client_address(request):
    # Behind a reverse proxy, CITE_TRUSTED_PROXIES makes this the visitor's address.
    return request.META.get("REMOTE_ADDR", "unknown")


@require_http_methods(["GET", "POST"])
def join(request):
    """The public application form, with a honeypot and a rate limit per address."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        key = f"join-rate:{_client_address(request)}"
        cache.add(key, 0, 3600)
        # With the cache unreachable, incr answers None: let the application through.
        if (cache.incr(key) or 0) > settings.CITE_APPLICATIONS_PER_HOUR:
            return render(request, "members/join_throttled.html", status=429)
        if form.is_spam:
            return redirect("members:join-thanks")  # say nothing to the robot
        if form.is_valid():
            services.application_submit(application=form.save(commit=False))
            return redirect("members:join-thanks")
    return render(request, "members/join.html", {"form": form})


def join_thanks(request):
    return render(request, "members/join_thanks.html")


# --- JSON API ---------------------------------------------------------------------------


def _company_summary(company):
    return {
        "name": company.display_name,
        "slug": company.slug,
        "url": company.get_absolute_url(),
        "city": company.city,
        "sectors": [sector.slug for sector in company.sectors.all()],
        "website": company.website,
        "logo": thumbnail_url(company.logo, "small"),
    }


def _errors(form_errors):
    return {field: [error["message"] for error in errors] for field, errors in form_errors.items()}


def _page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _api_list(request, filterset, summarize):
    """Answer a list API call: a page of the filtered results, each through ``summarize``.

    The shape is ``{"count", "next", "previous", "results"}``; bad parameters get a 400
    and a page past the end a 404, both as ``{"errors": {field: [messages]}}``.
    """
    if not filterset.is_valid():
        return JsonResponse({"errors": _errors(filterset.errors.get_json_data())}, status=400)
    try:
        page = _page(filterset.qs, request.GET)
    except BadPage as exc:
        return JsonResponse({"errors": {"page": [str(exc)]}}, status=400)
    except Http404 as exc:
        return JsonResponse({"errors": {"page": [str(exc)]}}, status=404)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                _page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": [summarize(item) for item in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@cache_public_response
def api_company_list(request):
    return _api_list(request, _filterset(request.GET), _company_summary)


def _offer_summary(offer):
    return {
        "title": offer.title,
        "id": offer.pk,
        "url": offer.get_absolute_url(),
        "kind": offer.kind,
        "company": offer.company.slug,
        "company_name": offer.company.display_name,
        "city": offer.place,
        "start_date": offer.start_date.isoformat(),
        "duration_months": offer.duration_months,
        "remote": offer.remote,
        "monthly_stipend": None if offer.monthly_stipend is None else str(offer.monthly_stipend),
        "expires_on": offer.expires_on.isoformat(),
    }


@cache_public_response
def api_offer_list(request):
    return _api_list(request, _offer_filterset(request.GET), _offer_summary)


@cache_public_response
def api_company_detail(request, slug):
    company = Company.objects.public().prefetch_related("sectors").filter(slug=slug).first()
    if company is None:
        return JsonResponse(
            {"errors": {"slug": [_("No public company has this slug.")]}}, status=404
        )
    data = _company_summary(company)
    data.update(
        legal_name=company.legal_name,
        postcode=company.postcode,
        country=company.country,
        email=company.email,
        phone=company.phone,
        description_fr=company.description_fr,
        description_en=company.description_en,
        year_founded=company.year_founded,
        headcount_band=company.headcount_band,
        logo_large=thumbnail_url(company.logo, "large"),
        contacts=[
            {
                "name": str(contact),
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            }
            for contact in company.contacts.public()
        ],
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
