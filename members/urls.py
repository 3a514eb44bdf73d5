from django.urls import path

from .views import api, directory, join, my_billing, my_offers, my_space, offers, subscriptions

app_name = "members"

urlpatterns = [
    path("directory/", directory.company_list, name="company-list"),
    path("directory/<slug:slug>/", directory.company_detail, name="company-detail"),
    path("api/companies/", api.api_company_list, name="api-company-list"),
    path("api/companies/suggest", api.api_company_suggest, name="api-company-suggest"),
    path("api/companies/<slug:slug>/", api.api_company_detail, name="api-company-detail"),
    path("offers/", offers.offer_list, name="offer-list"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer-detail"),
    path("api/offers/", api.api_offer_list, name="api-offer-list"),
    path("join/", join.join, name="join"),
    path("join/thanks/", join.join_thanks, name="join-thanks"),
]

urlpatterns += [
    path("my/", my_space.my_companies, name="my-companies"),
    # Before my/<slug>/: "subscriptions" is therefore never a company's slug there.
    path("my/subscriptions/", subscriptions.my_subscriptions, name="my-subscriptions"),
    path("unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("invitations/<str:token>/", my_space.accept_invitation, name="accept-invitation"),
    path("my/<slug:slug>/", my_space.my_profile, name="my-profile"),
    path("my/<slug:slug>/contacts/", my_space.my_contacts, name="my-contacts"),
    path("my/<slug:slug>/contacts/add/", my_space.my_contact_edit, name="my-contact-add"),
    path("my/<slug:slug>/contacts/<int:pk>/", my_space.my_contact_edit, name="my-contact-edit"),
    path(
        "my/<slug:slug>/contacts/<int:pk>/delete/",
        my_space.my_contact_delete,
        name="my-contact-delete",
    ),
    path("my/<slug:slug>/offers/", my_offers.my_offers, name="my-offers"),
    path("my/<slug:slug>/offers/add/", my_offers.my_offer_edit, name="my-offer-add"),
    path("my/<slug:slug>/offers/<int:pk>/", my_offers.my_offer_edit, name="my-offer-edit"),
    path(
        "my/<slug:slug>/offers/<int:pk>/delete/",
        my_offers.my_offer_delete,
        name="my-offer-delete",
    ),
    path("my/<slug:slug>/team/", my_space.my_team, name="my-team"),
    path("my/<slug:slug>/membership/", my_billing.my_membership, name="my-membership"),
    path("invoices/<str:number>/", my_billing.invoice_detail, name="invoice-detail"),
    path("invoices/<str:number>/pdf/", my_billing.invoice_download, name="invoice-pdf"),
]
