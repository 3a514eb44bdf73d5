"""Tickets: the opaque code a registrant shows at the door, its QR code, and the signed
link that cancels a registration."""

import io
import secrets

import segno
from django.core import signing
from django.urls import reverse

from members.services.email import site_url

CANCEL_SALT = "cluster.events.cancel"


def new_ticket_code() -> str:
    """Return a fresh opaque ticket code (unguessable, typeable: letters and digits)."""
    return secrets.token_hex(6).upper()


def ticket_qr_png(code: str) -> bytes:
    """Return a PNG of the QR code carrying the ticket code alone."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def cancel_token(registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "t": registration.ticket_code}, salt=CANCEL_SALT, compress=True
    )


def cancel_url(registration) -> str:
    """Return the absolute address of the link that cancels this registration."""
    return site_url(reverse("events:registration-cancel", args=[cancel_token(registration)]))


def registration_from_token(token: str):
    """Return the registration a cancel link names, or None for a forged or stale link."""
    from ...models import Registration

    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Registration.objects.select_related("event")
        .filter(pk=data.get("r"), ticket_code=data.get("t"))
        .first()
    )
