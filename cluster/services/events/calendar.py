"""Calendars (RFC 5545) of the agenda and of each event, with the icalendar library.

Times are written in Europe/Paris with its VTIMEZONE, so that calendar apps show the
right hour on both sides of a daylight-saving change.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from members.models import ClusterIdentity
from members.services.email import site_url

PRODID = "-//Cite//Agenda//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _vevent(event, *, with_link: bool = False) -> VEvent:
    zone = ZoneInfo(settings.TIME_ZONE)
    vevent = VEvent()
    vevent.add("uid", f"event-{event.pk}@{settings.CITE_SITE_URL.split('//')[-1].strip('/')}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    description = event.description
    if with_link and event.online_url:
        description = f"{description}\n\n{event.online_url}"
    vevent.add("description", description)
    vevent.add("location", event.place)
    vevent.add("url", site_url(event.get_absolute_url()))
    vevent.add("status", "CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED")
    return vevent


def _add_timezone(calendar: Calendar, events) -> None:
    starts = [event.starts_at for event in events]
    if not starts:
        starts = [timezone.now()]
    first = min(starts) - timedelta(days=1)
    last = max(event.ends_at for event in events) if events else timezone.now()
    calendar.add_component(
        Timezone.from_tzid(settings.TIME_ZONE, first_date=first.date(), last_date=last.date())
    )


def event_ics(event, *, with_link: bool = False) -> bytes:
    """Return one event's calendar; ``with_link`` adds the online link (registrants only)."""
    calendar = _calendar(event.title)
    _add_timezone(calendar, [event])
    calendar.add_component(_vevent(event, with_link=with_link))
    return calendar.to_ical()


def agenda_ics(events) -> bytes:
    """Return the calendar feed of these events (calendar apps subscribe to it)."""
    events = list(events)
    calendar = _calendar(str(ClusterIdentity.objects.current().display_name))
    _add_timezone(calendar, events)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
