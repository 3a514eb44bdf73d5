from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from members.models import Company, Sector
from startups.models import Incubation


def home(request):
    public = Company.objects.public()
    figures = {
        "members": public.members().count(),
        "startups": Incubation.companies_hosted(public).count(),
        "sectors": Sector.objects.filter(companies__in=public).distinct().count(),
    }
    return render(request, "cluster/home.html", {"figures": figures})


@never_cache
def healthz(request):
    """Answer 200 "ok" after a database round trip, 503 when the database is unreachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def switch_language(request, code):
    """Remember the visitor's language in a cookie and go back to the page they were on.

    A plain link, so that public pages carry no form or CSRF token and can be cached.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
