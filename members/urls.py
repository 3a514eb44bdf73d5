from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("directory/", views.CompanyListView.as_view(), name="company-list"),
    path("directory/<slug:slug>/", views.CompanyDetailView.as_view(), name="company-detail"),
    path("join/", views.join, name="join"),
]
