from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from members.auth import LoginForm
from members.views.accounts import PasswordResetView

from . import news, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("legal/", views.legal_notice, name="legal-notice"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links; send them to the
    # SVG icon (its static URL, hashed in production, is looked up at request time).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"))),
    path("language/<str:code>/", views.switch_language, name="switch-language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("news/", news.news_list, name="news-list"),
    path("news/feed.atom", news.NewsFeed(), name="news-feed"),
    path("news/<int:pk>/", news.news_detail, name="news-detail"),
    path("staff/dashboard/", views.staff_dashboard, name="staff-dashboard"),
    path("staff/dashboard/figure.csv", views.staff_dashboard_csv, name="staff-dashboard-csv"),
    path("staff/report/<int:year>/", views.annual_report, name="annual-report"),
    path("staff/preferences/", views.staff_preferences, name="staff-preferences"),
    path("admin/", admin.site.urls),
    path("", include("cluster.event_urls")),
    path("", include("members.urls")),
    path("", include("startups.urls")),
]

handler500 = "cluster.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
