import sys

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members.csv_export import csv_response, variant_of
from members.models import Company, Sector
from startups.models import Incubation

from .. import dashboard
from ..forms import StaffPreferencesForm
from ..models import Event, StaffPreferences


def home(request):
    public = Company.objects.public()
    figures = {
        "members": public.members().count(),
        "startups": Incubation.companies_hosted(public).count(),
        "sectors": Sector.objects.filter(companies__in=public).distinct().count(),
    }
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .upcoming()
        .select_related("office__building", "building", "organiser")[:3]
    )
    return render(request, "cluster/home.html", {"figures": figures, "events": events})


def legal_notice(request):
    """The legal notice (mentions légales): who publishes the site and who hosts it."""
    return render(request, "cluster/legal_notice.html")


def privacy(request):
    """The privacy policy: what is kept, for how long, and how to see or erase it."""
    retention = {
        "application_days": settings.CITE_APPLICATION_RETENTION_DAYS,
        "approved_application_days": settings.CITE_APPROVED_APPLICATION_RETENTION_DAYS,
        "student_years": settings.CITE_STUDENT_RETENTION_YEARS,
        "lockout_hours": settings.AXES_COOLOFF_TIME,
        "language_cookie_days": settings.LANGUAGE_COOKIE_AGE // (24 * 3600),
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 3600),
    }
    return render(request, "cluster/privacy.html", {"retention": retention})


def contact(request):
    """How to reach the cluster: address, email and phone from its identity."""
    return render(request, "cluster/contact.html")


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


def server_error(request):
    """The 500 page, or 503 with Retry-After when the database is unreachable.

    A PostgreSQL restart or failover lasts seconds: 503 tells visitors and the load
    balancer to try again. The pages read neither the user nor the session.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


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


def _chosen_year(request, year=None):
    """Return the year asked for (``?year=``), the current one by default; 404 if absurd."""
    raw = year if year is not None else request.GET.get("year", "")
    if raw in ("", None):
        return timezone.localdate().year
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise Http404("Bad year") from exc
    if not 2000 <= value <= 2100:
        raise Http404("Year out of range")
    return value


def _year_context(year, user):
    """Return what the dashboard and the annual report show this user for ``year``: the
    sections of their role only."""
    figures = dashboard.dashboard(year, sections=dashboard.sections_for(user))
    return {
        "year": year,
        "key_figures": figures.key_figures,
        "figures": figures.figures,
        "periods": {
            "membership": dashboard.Period.membership(year),
            "calendar": dashboard.Period.calendar(year),
            "school": dashboard.Period.school(year),
        },
    }


@staff_member_required
@permission_required("cluster.view_dashboard", raise_exception=True)
def staff_dashboard(request):
    year = _chosen_year(request)
    return render(
        request,
        "cluster/dashboard.html",
        {
            **admin.site.each_context(request),
            **_year_context(year, request.user),
            "title": _("Dashboard"),
            "years": dashboard.available_years(),
            "csv_url": reverse("staff-dashboard-csv"),
        },
    )


@staff_member_required
@permission_required("cluster.view_dashboard", raise_exception=True)
def staff_dashboard_csv(request):
    year = _chosen_year(request)
    wanted = request.GET.get("figure", "")
    figures = dashboard.dashboard(year, sections=dashboard.sections_for(request.user)).figures
    figure = next((f for f in figures if f.key == wanted), None)
    if figure is None:
        raise Http404("Unknown figure")
    return csv_response(f"{figure.key}-{year}.csv", figure.as_csv_rows(), variant_of(request))


@staff_member_required
@permission_required("cluster.view_dashboard", raise_exception=True)
def annual_report(request, year):
    year = _chosen_year(request, year)
    return render(
        request,
        "cluster/annual_report.html",
        {
            **_year_context(year, request.user),
            "today": timezone.localdate(),
        },
    )


@staff_member_required
def staff_preferences(request):
    """Let a staff member choose the emails they receive: the daily digest of the to-do
    and, for those who review applications, a notice of each new one."""
    preferences = StaffPreferences.objects.filter(user=request.user).first() or StaffPreferences(
        user=request.user
    )
    form = StaffPreferencesForm(
        # Not ``request.POST or None``: unticking every box posts nothing, and must save.
        request.POST if request.method == "POST" else None,
        instance=preferences,
        may_review_applications=request.user.has_perm("members.change_application"),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice of emails is saved."))
        return HttpResponseRedirect(reverse("admin:index"))
    return render(
        request,
        "cluster/staff_preferences.html",
        {
            **admin.site.each_context(request),
            "title": _("Emails about the to-do"),
            "form": form,
        },
    )
