"""Check-in at the door, on a phone: search by name, type or scan a ticket code, add a
walk-in. Staff holding ``cluster.change_registration`` only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import CheckInForm, WalkInForm
from ..models import Event
from ..services import events as services
from ..services.events.figures import event_figures

SEARCH_LIMIT = 30


@permission_required("cluster.change_registration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_in(request, slug):
    event = get_object_or_404(Event.objects.exclude(status=Event.Status.DRAFT), slug=slug)
    code_form, walk_in_form = CheckInForm(), WalkInForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "walk-in":
        walk_in_form = WalkInForm(request.POST)
        if walk_in_form.is_valid():
            try:
                registration = services.registration_create(
                    event=event,
                    **walk_in_form.cleaned_data,
                    walk_in=True,
                    by_staff=True,
                    user=request.user,
                )
            except ValidationError as error:
                walk_in_form.add_error(
                    "email" if hasattr(error, "error_dict") else None, error.messages
                )
            else:
                messages.success(
                    request, _("%(name)s added and checked in.") % {"name": registration.name}
                )
                return redirect("events:check-in", slug=event.slug)
        status = 400
    elif request.method == "POST":
        code_form = CheckInForm(request.POST)
        if code_form.is_valid():
            try:
                registration = services.registration_check_in(
                    event=event, code=code_form.cleaned_data["code"]
                )
            except ValidationError as error:
                code_form.add_error("code", error.messages)
            else:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.name}
                )
                query = request.GET.get("q", "")
                return redirect(
                    f"{request.path}?{urlencode({'q': query})}" if query else request.path
                )
        status = 400
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        found = list(
            event.registrations.confirmed()
            .filter(
                Q(name__icontains=query)
                | Q(organisation__icontains=query)
                | Q(ticket_code__iexact=query)
            )
            .order_by("name")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "cluster/events/check_in.html",
        {
            "event": event,
            "code_form": code_form,
            "walk_in_form": walk_in_form,
            "query": query,
            "found": found,
            "figures": event_figures(event),
        },
        status=status,
    )
