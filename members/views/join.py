"""/join/: the application form, with its honeypot and rate limit."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import ApplicationForm
from ..throttle import client_address, hashed, over_limit


@require_http_methods(["GET", "POST"])
def join(request):
    """The public application form, with a honeypot and a rate limit per visitor's address
    and per applicant's email address."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if over_limit(f"join:{client_address(request)}", limit=settings.CITE_APPLICATIONS_PER_HOUR):
            return render(request, "members/join_throttled.html", status=429)
        if form.is_spam:
            return redirect("members:join-thanks")  # say nothing to the robot
        if form.is_valid():
            # The acknowledgment goes to the address typed: one address, however many
            # visitors type it, gets at most as many as one visitor may send.
            if over_limit(
                f"join-address:{hashed(form.cleaned_data['contact_email'])}",
                limit=settings.CITE_APPLICATIONS_PER_HOUR,
            ):
                return render(request, "members/join_throttled.html", status=429)
            services.application_submit(application=form.save(commit=False))
            return redirect("members:join-thanks")
    return render(request, "members/join.html", {"form": form})


def join_thanks(request):
    return render(request, "members/join_thanks.html")
