"""WSGI entry point for ``bench/directory.py``: the project as deployed, plus one minimal view.

gunicorn serves ``bench.minimal_view:application``, which is ``cluster.wsgi``'s application
with ``/bench/minimal/`` added in front of the project's URLs. The minimal view runs one
trivial query and returns two bytes, through the same middleware as every other page, so
it is the baseline the directory's throughput is compared with. ``/bench/admin-default/``
runs the queries of Django's default admin search, the baseline the search is compared
with (issue 17: at least 40 times slower than the API).

Only the benchmark imports this module; the deployed project never has this URL.
"""

from django.contrib import admin
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path

from cluster.wsgi import application

__all__ = ["admin_default_search", "application", "minimal"]

MINIMAL_PATH = "bench/minimal/"
ADMIN_DEFAULT_PATH = "bench/admin-default/"
# The company admin's search fields before it searched with the directory's engine: what
# Django's admin does by default (every word in one of the fields, ``icontains``).
ADMIN_DEFAULT_FIELDS = ("trade_name", "legal_name", "siren", "siret", "city", "email")


def minimal(request):
    """One trivial query (``SELECT 1``), a tiny plain-text answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def admin_default_search(request):
    """The changelist's queries with Django's default admin search: its ``icontains``
    filter (``ModelAdmin.get_search_results``), the two counts and the first page of 100
    rows by name; the template's rendering is left out, to the default's advantage."""
    from members.models import Company

    class DefaultSearch(admin.ModelAdmin):
        search_fields = ADMIN_DEFAULT_FIELDS

    model_admin = DefaultSearch(Company, admin.site)
    everything = Company.objects.all()
    found, _duplicates = model_admin.get_search_results(
        request, everything, request.GET.get("q", "")
    )
    rows = list(found.order_by("trade_name", "pk")[:100])
    return JsonResponse({"count": found.count(), "all": everything.count(), "page": len(rows)})


def _add_minimal_url():
    # Imported here, after cluster.wsgi has set Django up: the URLs import the models.
    from cluster import urls

    if not any(getattr(p, "name", None) == "bench-minimal" for p in urls.urlpatterns):
        urls.urlpatterns.insert(0, path(MINIMAL_PATH, minimal, name="bench-minimal"))
        urls.urlpatterns.insert(
            0, path(ADMIN_DEFAULT_PATH, admin_default_search, name="bench-admin-default")
        )


_add_minimal_url()
