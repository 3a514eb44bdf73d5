from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/<str:code>/", views.switch_language, name="switch-language"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/dashboard/", views.staff_dashboard, name="staff-dashboard"),
    path("staff/dashboard/figure.csv", views.staff_dashboard_csv, name="staff-dashboard-csv"),
    path("staff/report/<int:year>/", views.annual_report, name="annual-report"),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("startups.urls")),
]

handler500 = "cluster.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
