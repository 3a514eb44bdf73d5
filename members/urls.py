from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("directory/", views.company_list, name="company-list"),
    path("directory/<slug:slug>/", views.company_detail, name="company-detail"),
    path("api/companies/", views.api_company_list, name="api-company-list"),
    path("api/companies/<slug:slug>/", views.api_company_detail, name="api-company-detail"),
    path("join/", views.join, name="join"),
]
