"""Mailing preferences: the one-click unsubscribe (no login) and a representative's own
choice of topics in their space."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..models import Subscription, Topic
from ..services.subscriptions import (
    subscribed_topic_ids,
    subscription_unsubscribe,
    subscriptions_choose,
    unsubscribe_token_read,
)


# A mail client's one-click unsubscribe (RFC 8058) POSTs "List-Unsubscribe=One-Click" with
# no cookie and no CSRF token; the signed token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: ask to confirm (link checkers open links; they must not unsubscribe anyone).
    POST: unsubscribe, from the page's button or from the mail client."""
    found = unsubscribe_token_read(token)
    if found is None:
        return render(request, "members/unsubscribe_invalid.html", status=404)
    email, topic = found
    done = request.method == "POST"
    if done:
        subscription_unsubscribe(email=email, topic=topic)
    return render(
        request, "members/unsubscribe.html", {"email": email, "topic": topic, "done": done}
    )


class SubscriptionsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("The emails I want to receive"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("In"), choices=Subscription.Language.choices, initial="fr"
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_subscriptions(request):
    """Let the signed-in person choose the mailings sent to their account's address."""
    email = request.user.email
    current = Subscription.objects.for_address(email).first() if email else None
    form = SubscriptionsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "topics": list(subscribed_topic_ids(email)) if email else [],
            "language": current.language if current else request.LANGUAGE_CODE[:2],
        },
    )
    if request.method == "POST" and email and form.is_valid():
        subscriptions_choose(
            email=email,
            topics=form.cleaned_data["topics"],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("members:my-subscriptions")
    return render(request, "members/my/subscriptions.html", {"form": form, "email": email})
