from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from members.models import Company, Sector


def home(request):
    public = Company.objects.public()
    figures = {
        "companies": public.count(),
        "sectors": Sector.objects.filter(companies__in=public).distinct().count(),
        "cities": public.exclude(city="").values("city").distinct().count(),
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
