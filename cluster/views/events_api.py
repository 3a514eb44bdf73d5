"""/api/events/: the agenda as JSON, in the shape of the other APIs."""

from django.utils import timezone

from members.caching import cache_public_response
from members.views.api import _api_list

from ..filters import EventFilter
from .events import event_filterset


def _event_summary(event):
    return {
        "title": event.title,
        "slug": event.slug,
        "url": event.get_absolute_url(),
        "ics": event.get_absolute_url().rstrip("/") + ".ics",
        "kind": event.kind,
        "audience": event.audience,
        "status": event.status,
        "starts_at": timezone.localtime(event.starts_at).isoformat(),
        "ends_at": timezone.localtime(event.ends_at).isoformat(),
        "place": event.place,
        "online": bool(event.online_url),
        "organiser": event.organiser.slug if event.organiser else None,
        "organiser_name": event.organiser.display_name if event.organiser else None,
        "capacity": event.capacity,
        "remaining_seats": event.remaining_seats,
        "fee_member": str(event.fee_member),
        "fee_non_member": str(event.fee_non_member),
    }


@cache_public_response(params=[*EventFilter.base_filters, "page"])
def api_event_list(request):
    return _api_list(request, event_filterset(request.GET), _event_summary)
