"""The representatives' events in /my/: the events their company organises or proposed,
their colleagues' registrations, a proposal form and registering a colleague."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.views.my_space import represented_company

from ..forms import EventProposalForm, EventRegistrationForm
from ..models import Event, Registration
from ..services import events as services

EDITABLE = (Event.Status.PROPOSED, Event.Status.REJECTED)


@login_required
def my_events(request, slug):
    company = represented_company(request, slug)
    return render(
        request,
        "cluster/events/my_events.html",
        {
            "company": company,
            "events": company.organised_events.order_by("-starts_at", "-pk"),
            "registrations": Registration.objects.of_company(company)
            .active()
            .select_related("event")
            .order_by("-event__starts_at", "name"),
            "upcoming": Event.objects.published()
            .filter(status=Event.Status.PUBLISHED)
            .upcoming()[:20],
            "form": EventRegistrationForm(initial={"category": Registration.Category.MEMBER}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_event_edit(request, slug, pk=None):
    """Propose an event, or change a proposal staff have not published (yet)."""
    company = represented_company(request, slug)
    if pk:
        event = get_object_or_404(company.organised_events.filter(status__in=EDITABLE), pk=pk)
    else:
        event = Event(organiser=company)
    form = EventProposalForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_propose(
                event=form.save(commit=False),
                user=request.user,
                image=form.cleaned_data.get("new_image"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. Your event is pending review by the cluster's staff.")
            )
            return redirect("events:my-events", slug=company.slug)
    return render(
        request,
        "cluster/events/my_event_form.html",
        {"company": company, "form": form, "event": event if event.pk else None},
    )


@login_required
@require_POST
def my_register(request, slug):
    """Register a colleague for a published event, on behalf of the company."""
    company = represented_company(request, slug)
    event = get_object_or_404(
        Event.objects.filter(status=Event.Status.PUBLISHED), pk=request.POST.get("event") or 0
    )
    form = EventRegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                organisation=company.display_name,
                category=data["category"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is registered (%(status)s).")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
    else:
        messages.error(request, _("Give the colleague's name, email and consent."))
    return redirect("events:my-events", slug=company.slug)
