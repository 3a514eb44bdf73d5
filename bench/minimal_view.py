"""WSGI entry point for ``bench/directory.py``: the project as deployed, plus one minimal view.

gunicorn serves ``bench.minimal_view:application``, which is ``cluster.wsgi``'s application
with ``/bench/minimal/`` added in front of the project's URLs. The minimal view runs one
trivial query and returns two bytes, through the same middleware as every other page, so
it is the baseline the directory's throughput is compared with.

Only the benchmark imports this module; the deployed project never has this URL.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from cluster.wsgi import application

__all__ = ["application", "minimal"]

MINIMAL_PATH = "bench/minimal/"


def minimal(request):
    """One trivial query (``SELECT 1``), a tiny plain-text answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def _add_minimal_url():
    # Imported here, after cluster.wsgi has set Django up: the URLs import the models.
    from cluster import urls

    if not any(getattr(p, "name", None) == "bench-minimal" for p in urls.urlpatterns):
        urls.urlpatterns.insert(0, path(MINIMAL_PATH, minimal, name="bench-minimal"))


_add_minimal_url()
