"""Consent to mailings: who agreed to which topic, and the one-click unsubscribe.

The unsubscribe link carries a signed token (the address and the topic), so that it works
without logging in and cannot be forged for someone else's address. Unsubscribing keeps
the subscription row, marked: later mailings skip the address for that topic whatever
segment staff choose, until the person subscribes again themselves.
"""

import base64
import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Subscription, Topic
from .email import site_url

_SALT = "members.unsubscribe"


def normalize_address(address: str) -> str:
    return (address or "").strip().lower()


def _key() -> bytes:
    return hashlib.sha256(f"{_SALT}:{settings.SECRET_KEY}".encode()).digest()


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _token(key: bytes, email: str, topic_id: int) -> str:
    payload = signing.b64_encode(f"{topic_id}:{email}".encode()).decode()
    return f"{payload}.{_signature(key, payload)}"


def unsubscribe_token(*, email: str, topic_id: int) -> str:
    """Return the signed token of one address's unsubscription from one topic: the topic
    and the address in URL-safe base64, and their HMAC-SHA256 under a key derived from
    SECRET_KEY (computed once per mailing, not once per recipient)."""
    return _token(_key(), normalize_address(email), topic_id)


def unsubscribe_url(*, email: str, topic_id: int) -> str:
    """Return the absolute unsubscribe link for a mailing's footer and headers."""
    return unsubscribe_links(topic_id)(email)


def unsubscribe_links(topic_id: int):
    """Return a function of an address that gives its unsubscribe link from the topic:
    the address part is worked out once, for mailings to thousands."""
    marker = "TOKEN"
    pattern = site_url(reverse("members:unsubscribe", kwargs={"token": marker}))
    head, tail = pattern.split(marker)
    key = _key()
    return lambda email: f"{head}{_token(key, normalize_address(email), topic_id)}{tail}"


def unsubscribe_token_read(token: str) -> tuple[str, Topic] | None:
    """Return the address and topic a token names, or None when it is forged, damaged or
    names a topic that no longer exists."""
    payload, _dot, signature = token.partition(".")
    if not hmac.compare_digest(signature.encode(), _signature(_key(), payload).encode()):
        return None
    try:
        topic_id, email = signing.b64_decode(payload.encode()).decode().split(":", 1)
        topic = Topic.objects.filter(pk=int(topic_id)).first()
    except (ValueError, UnicodeDecodeError):
        return None
    return (email, topic) if topic else None


@transaction.atomic
def subscription_unsubscribe(*, email: str, topic: Topic) -> Subscription:
    """Record that the address wants no more mailings about the topic (idempotent)."""
    email = normalize_address(email)
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        email=email,
        topic=topic,
        defaults={"source": Subscription.Source.LINK, "unsubscribed_at": timezone.now()},
    )
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.source = Subscription.Source.LINK
        subscription.save(update_fields=["unsubscribed_at", "source"])
    return subscription


@transaction.atomic
def subscriptions_choose(
    *, email: str, topics, language: str, source: str = Subscription.Source.SELF, by=None
) -> list[Subscription]:
    """Set the person's own choice: subscribed to exactly ``topics``, in ``language``.

    The person may subscribe again to a topic they left; staff may not (``subscriptions_record``).
    """
    email = normalize_address(email)
    now = timezone.now()
    wanted = {topic.pk for topic in topics}
    existing = {s.topic_id: s for s in Subscription.objects.select_for_update().filter(email=email)}
    for topic_id, subscription in existing.items():
        if topic_id not in wanted and subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = now
            subscription.source = source
            subscription.save(update_fields=["unsubscribed_at", "source"])
    for topic_id in wanted:
        subscription = existing.get(topic_id) or Subscription(email=email, topic_id=topic_id)
        subscription.unsubscribed_at = None
        subscription.consented_at = now
        subscription.source = source
        subscription.recorded_by = by
        subscription.language = language
        subscription.full_clean(validate_unique=False)
        subscription.save()
    Subscription.objects.filter(email=email).update(language=language)
    return list(Subscription.objects.filter(email=email))


def subscribed_topic_ids(email: str) -> set[int]:
    return set(
        Subscription.objects.for_address(email).consenting().values_list("topic_id", flat=True)
    )


def consenting_addresses(*, topic: Topic, emails) -> dict[str, str]:
    """Return, among ``emails``, the addresses that consent to the topic, with their
    language."""
    return dict(
        Subscription.objects.consenting()
        .filter(topic=topic, email__in={normalize_address(e) for e in emails})
        .values_list("email", "language")
    )


def unsubscribed_addresses(*, topic: Topic, emails) -> set[str]:
    """Return, among ``emails``, the addresses that left the topic."""
    return set(
        Subscription.objects.filter(
            topic=topic,
            unsubscribed_at__isnull=False,
            email__in={normalize_address(e) for e in emails},
        ).values_list("email", flat=True)
    )
