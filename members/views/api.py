"""The public JSON API: companies and offers, with the filters of the pages."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from ..caching import cache_public_response
from ..filters import CompanyFilter, OfferFilter
from ..models import Company
from ..search.highlight import snippet
from ..search.query import MAX_QUERY_LENGTH
from ..search.suggest import suggestions
from ..thumbnails import thumbnail_url
from .directory import company_filterset, search_page, search_query
from .offers import offer_filterset
from .pagination import BadPage, paginate


def _company_summary(company, query=None):
    return {
        "name": company.display_name,
        # HTML: the matched words in <mark>, everything else escaped (README, "The API").
        "snippet": snippet(company.description, query) if query else None,
        "slug": company.slug,
        "url": company.get_absolute_url(),
        "city": company.city,
        "sectors": [sector.slug for sector in company.sector_list],
        "website": company.website,
        "logo": thumbnail_url(company.logo, "small"),
    }


def _errors(form_errors):
    return {field: [error["message"] for error in errors] for field, errors in form_errors.items()}


def _page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _api_list(request, filterset, summarize, *, search_page=None):
    """Answer a list API call: a page of the filtered results, each through ``summarize``.

    The shape is ``{"count", "next", "previous", "results"}``; bad parameters get a 400
    and a page past the end a 404, both as ``{"errors": {field: [messages]}}``. With
    ``search_page`` (the directory's), results are counted as on the page: up to
    ``COUNT_CAP``, and ``COUNT_CAP`` + 1 means "more than that".
    """
    if not filterset.is_valid():
        return JsonResponse({"errors": _errors(filterset.errors.get_json_data())}, status=400)
    try:
        if search_page is None:
            page = paginate(filterset.qs, request.GET)
        else:
            _filterset, page = search_page(request, filterset)
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


@cache_public_response(params=[*CompanyFilter.base_filters, "page"])
def api_company_list(request):
    filterset = company_filterset(request.GET)
    # The search exists once the results are fetched, before the first summary.
    return _api_list(
        request,
        filterset,
        lambda company: _company_summary(company, search_query(filterset)),
        search_page=search_page,
    )


@cache_public_response(params=["q"])
def api_company_suggest(request):
    """``{"q", "results": [{"kind", "label", "html", "url"}]}`` (a company's with its
    ``city``): at most 8 suggestions;
    ``html`` is the label with the typed words in ``<mark>``, everything else escaped."""
    raw = request.GET.get("q", "")
    if len(raw) > MAX_QUERY_LENGTH:
        return JsonResponse(
            {"errors": {"q": [_("Type at most %(max)s characters.") % {"max": MAX_QUERY_LENGTH}]}},
            status=400,
        )
    return JsonResponse(
        {"q": raw, "results": suggestions(raw)}, json_dumps_params={"ensure_ascii": False}
    )


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
        "apply_email": offer.apply_email or None,
        "apply_url": offer.apply_url or None,
    }


@cache_public_response(params=[*OfferFilter.base_filters, "page"])
def api_offer_list(request):
    return _api_list(request, offer_filterset(request.GET), _offer_summary)


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
