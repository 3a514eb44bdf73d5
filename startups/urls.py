from django.urls import path

from . import my_views, views

app_name = "startups"

urlpatterns = [
    path("offices/", views.office_list, name="office-list"),
    path("startups/", views.startup_showcase, name="showcase"),
    path("my/<slug:slug>/kpis/", my_views.my_kpis, name="my-kpis"),
    path("my/<slug:slug>/rent/", my_views.my_rent, name="my-rent"),
]
