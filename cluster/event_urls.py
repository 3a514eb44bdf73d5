"""The agenda's addresses: /events/, /events/<slug>/, /api/events/, the calendars, the
cancel links, check-in and the representatives' events."""

from django.urls import path

from .views import check_in, events, events_api, my_events

app_name = "events"

urlpatterns = [
    path("events/", events.event_list, name="event-list"),
    path("events.ics", events.agenda_ics, name="agenda-ics"),
    path(
        "events/registrations/<str:token>/cancel/",
        events.registration_cancel,
        name="registration-cancel",
    ),
    path("events/<slug:slug>/", events.event_detail, name="event-detail"),
    path("events/<slug:slug>.ics", events.event_ics, name="event-ics"),
    path("events/<slug:slug>/register/", events.event_register, name="event-register"),
    path("api/events/", events_api.api_event_list, name="api-event-list"),
    path("staff/events/<slug:slug>/check-in/", check_in.check_in, name="check-in"),
    path("my/<slug:slug>/events/", my_events.my_events, name="my-events"),
    path("my/<slug:slug>/events/propose/", my_events.my_event_edit, name="my-event-add"),
    path("my/<slug:slug>/events/<int:pk>/", my_events.my_event_edit, name="my-event-edit"),
    path("my/<slug:slug>/events/register/", my_events.my_register, name="my-event-register"),
]
