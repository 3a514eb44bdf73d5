from django.urls import path

from . import my_views, views

app_name = "members"

urlpatterns = [
    path("directory/", views.company_list, name="company-list"),
    path("directory/<slug:slug>/", views.company_detail, name="company-detail"),
    path("api/companies/", views.api_company_list, name="api-company-list"),
    path("api/companies/<slug:slug>/", views.api_company_detail, name="api-company-detail"),
    path("offers/", views.offer_list, name="offer-list"),
    path("offers/<int:pk>/", views.offer_detail, name="offer-detail"),
    path("api/offers/", views.api_offer_list, name="api-offer-list"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join-thanks"),
]

urlpatterns += [
    path("my/", my_views.my_companies, name="my-companies"),
    path("invitations/<str:token>/", my_views.accept_invitation, name="accept-invitation"),
    path("my/<slug:slug>/", my_views.my_profile, name="my-profile"),
    path("my/<slug:slug>/contacts/", my_views.my_contacts, name="my-contacts"),
    path("my/<slug:slug>/contacts/add/", my_views.my_contact_edit, name="my-contact-add"),
    path("my/<slug:slug>/contacts/<int:pk>/", my_views.my_contact_edit, name="my-contact-edit"),
    path(
        "my/<slug:slug>/contacts/<int:pk>/delete/",
        my_views.my_contact_delete,
        name="my-contact-delete",
    ),
    path("my/<slug:slug>/offers/", my_views.my_offers, name="my-offers"),
    path("my/<slug:slug>/offers/add/", my_views.my_offer_edit, name="my-offer-add"),
    path("my/<slug:slug>/offers/<int:pk>/", my_views.my_offer_edit, name="my-offer-edit"),
    path(
        "my/<slug:slug>/offers/<int:pk>/delete/",
        my_views.my_offer_delete,
        name="my-offer-delete",
    ),
    path("my/<slug:slug>/team/", my_views.my_team, name="my-team"),
    path("my/<slug:slug>/membership/", my_views.my_membership, name="my-membership"),
    path("invoices/<str:number>/", my_views.invoice_detail, name="invoice-detail"),
    path("invoices/<str:number>/pdf/", my_views.invoice_download, name="invoice-pdf"),
]
