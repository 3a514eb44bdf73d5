"""/join/: the application form, with its honeypot and rate limit."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import ApplicationForm


def _client_address(request):
    # Behind a reverse proxy, CITE_TRUSTED_PROXIES makes this the visitor's address.
    return request.META.get("REMOTE_ADDR", "unknown")


@require_http_methods(["GET", "POST"])
def join(request):
    """The public application form, with a honeypot and a rate limit per address."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        key = f"join-rate:{_client_address(request)}"
        cache.add(key, 0, 3600)
        # With the cache unreachable, incr answers None: let the application through.
        if (cache.incr(key) or 0) > settings.CITE_APPLICATIONS_PER_HOUR:
            return render(request, "members/join_throttled.html", status=429)
        if form.is_spam:
            return redirect("members:join-thanks")  # say nothing to the robot
        if form.is_valid():
            services.application_submit(application=form.save(commit=False))
            return redirect("members:join-thanks")
    return render(request, "members/join.html", {"form": form})


def join_thanks(request):
    return render(request, "members/join_thanks.html")
