"""The public agenda: the list, an event's page with its registration form, the calendars,
and the link that cancels a registration."""

import contextlib
import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members import throttle
from members.caching import cache_public_response
from members.models import ClusterIdentity, Company
from members.views.pagination import BadPage, paginate

from ..filters import EventFilter
from ..forms import EventRegistrationForm
from ..models import Event, Registration
from ..services import events as services

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def agenda_queryset():
    return (
        Event.objects.published()
        .with_seats()
        .select_related("organiser", "office__building", "building")
    )


def event_filterset(params):
    return EventFilter(params, queryset=agenda_queryset())


@cache_public_response(params=[*EventFilter.base_filters, "page"])
def event_list(request):
    filterset = event_filterset(request.GET)
    context = {"filterset": filterset, "page_obj": None}
    if not filterset.is_valid():
        return render(request, "cluster/events/event_list.html", context, status=400)
    try:
        page = paginate(filterset.qs, request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    context.update(page_obj=page, past=filterset.past)
    return render(request, "cluster/events/event_list.html", context)


def _json_ld(request, event, remaining):
    site = f"{request.scheme}://{request.get_host()}"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "url": site + event.get_absolute_url(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.status == Event.Status.CANCELLED
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if event.is_online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": site + event.get_absolute_url()}
        if event.is_online
        else {"@type": "Place", "name": event.place, "address": event.address or event.place},
        "organizer": {
            "@type": "Organization",
            "name": event.organiser.display_name
            if event.organiser
            else ClusterIdentity.objects.current().display_name,
        },
        "maximumAttendeeCapacity": event.capacity,
        "remainingAttendeeCapacity": remaining,
        "offers": {
            "@type": "Offer",
            "price": str(event.fee_non_member),
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock"
            if remaining
            else "https://schema.org/SoldOut",
            "url": site + event.get_absolute_url(),
        },
    }
    if event.image:
        data["image"] = site + event.image.url
    payload = json.dumps(data, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def _detail_context(request, event, form):
    confirmed = event.registrations.confirmed().count()
    remaining = max(event.capacity - confirmed, 0)
    return {
        "event": event,
        "form": form,
        "remaining": remaining,
        "registration_open": event.registration_open(),
        "json_ld": _json_ld(request, event, remaining),
        "organisations": Company.objects.public()
        .order_by("trade_name")
        .values_list("trade_name", flat=True),
        "partners": list(event.partners.all()),
    }


def _visible_event(slug):
    return get_object_or_404(
        Event.objects.published().select_related("organiser", "office__building", "building"),
        slug=slug,
    )


@cache_public_response
@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, slug):
    """An event's page; a POST is its registration form."""
    if request.method == "POST":
        return event_register(request, slug)
    event = _visible_event(slug)
    return render(
        request,
        "cluster/events/event_detail.html",
        _detail_context(request, event, EventRegistrationForm(initial=_initial(request))),
    )


def _initial(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name(), "email": user.email}


@require_POST
def event_register(request, slug):
    """Register a visitor, with a honeypot and a rate limit per address, as /join/."""
    event = _visible_event(slug)
    key = f"event:{throttle.client_address(request)}"
    if throttle.over_limit(key, limit=settings.CITE_EVENT_REGISTRATIONS_PER_HOUR):
        return render(request, "members/join_throttled.html", status=429)
    form = EventRegistrationForm(request.POST)
    if form.is_spam:
        return redirect(event)  # say nothing to the robot
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                category=data["category"],
                user=request.user,
                billing=services.Billing(
                    name=data["billing_name"],
                    street=data["billing_street"],
                    postcode=data["billing_postcode"],
                    city=data["billing_city"],
                ),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "You are registered. Your ticket and the calendar file are on their "
                        "way to %(email)s."
                    )
                    % {"email": registration.email},
                )
            else:
                messages.info(
                    request,
                    _(
                        "The event is full: you are on the waiting list. We email %(email)s "
                        "if a seat frees up."
                    )
                    % {"email": registration.email},
                )
            return redirect(event)
    return render(
        request,
        "cluster/events/event_detail.html",
        _detail_context(request, event, form),
        status=400,
    )


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@cache_public_response
def event_ics(request, slug):
    event = _visible_event(slug)
    response = HttpResponse(services.event_ics(event), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


FEED_LIMIT = 500


@cache_public_response
def agenda_ics(request):
    """The feed calendar apps subscribe to: the events of the last 90 days and the next
    ones, ``FEED_LIMIT`` at most (a year of a cluster's agenda is far fewer)."""
    since = timezone.now() - timedelta(days=90)
    events = (
        Event.objects.published()
        .filter(ends_at__gte=since)
        .select_related("office__building", "building")
        .order_by("starts_at")[:FEED_LIMIT]
    )
    return HttpResponse(services.agenda_ics(events), content_type=CALENDAR_TYPE)


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    """The link of the confirmation email: confirm, then cancel (once)."""
    registration = services.registration_from_token(token)
    if registration is None:
        raise Http404(_("This cancellation link is not valid."))
    done = registration.status == Registration.Status.CANCELLED
    if request.method == "POST" and not done:
        with contextlib.suppress(ValidationError):
            services.registration_cancel(registration=registration)
        return render(
            request, "cluster/events/registration_cancelled.html", {"registration": registration}
        )
    return render(
        request,
        "cluster/events/registration_cancel.html",
        {"registration": registration, "event": registration.event, "already": done},
    )
