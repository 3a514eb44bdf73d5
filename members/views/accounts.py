"""Account pages that members.auth's forms do not cover: the throttled password reset."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponseRedirect

from ..forms import PasswordResetForm
from ..throttle import client_address, hashed, over_limit

logger = logging.getLogger(__name__)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per address asked for and per visitor's address.

    Every valid request answers the same "check your email" page, whether the address has
    an account, was asked for too often, or the visitor asked too often; only the email is
    left out. The email is queued at the commit and the worker sends it.
    """

    form_class = PasswordResetForm

    def form_valid(self, form):
        address = form.cleaned_data["email"]
        # Both counters move on every request, so that one never hides the other.
        too_often_here = over_limit(
            f"password-reset-ip:{client_address(self.request)}",
            limit=settings.CITE_PASSWORD_RESETS_PER_IP,
        )
        too_often_there = over_limit(
            f"password-reset-address:{hashed(address)}",
            limit=settings.CITE_PASSWORD_RESETS_PER_ADDRESS,
        )
        if too_often_here or too_often_there:
            logger.warning("Password reset throttled for %s", client_address(self.request))
            return HttpResponseRedirect(self.get_success_url())
        with transaction.atomic():
            return super().form_valid(form)
