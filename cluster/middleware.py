"""The visitor's address behind a reverse proxy, and query strings PostgreSQL cannot read."""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed, SuspiciousOperation
from django.urls import reverse


class NulByteInQuery(SuspiciousOperation):
    """A query string holding a NUL character."""


def refuse_nul_bytes(get_response):
    """Answer 400 to an admin page asked with a NUL character (%00) in its query string.

    PostgreSQL cannot hold NUL in a text value: the admin's search and autocomplete terms,
    which reach the database as typed, would fail there (a 500). The public pages read
    their parameters with forms, which already refuse NUL with a message of their own.
    """

    def middleware(request):
        if request.path.startswith(_admin_prefix()):
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise NulByteInQuery("NUL character in the query string")
        return get_response(request)

    return middleware


@functools.cache
def _admin_prefix():
    return reverse("admin:index")


def _is_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class ReverseProxyMiddleware:
    """Put the visitor's address in REMOTE_ADDR when a trusted proxy forwarded the request.

    Behind nginx every request comes from 127.0.0.1, so the login lockout (django-axes)
    and the rate limit of /join/ would count every visitor as one. With the proxies'
    addresses in CITE_TRUSTED_PROXIES, the last address of X-Forwarded-For that is not a
    trusted proxy becomes REMOTE_ADDR. The header is only read from a trusted proxy: a
    visitor cannot choose their address by sending it.
    """

    def __init__(self, get_response):
        self.trusted = frozenset(settings.CITE_TRUSTED_PROXIES)
        if not self.trusted:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = [
                address.strip()
                for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            ]
            while forwarded and forwarded[-1] in self.trusted:
                forwarded.pop()
            if forwarded and _is_address(forwarded[-1]):
                request.META["REMOTE_ADDR"] = forwarded[-1]
        return self.get_response(request)
