"""The one rate limit: a counter per key in the shared cache, for an hour by default.

Used by /join/ (applications per address), the password reset (per address asked for and
per visitor's address), invitations (per company) and event registrations (per visitor).
With REDIS_URL the count is shared by every worker and server; without it, each process
counts its own (README, "Rate limits").
"""

import hashlib

from django.core.cache import cache


def client_address(request) -> str:
    """Return the visitor's address. Behind a reverse proxy, CITE_TRUSTED_PROXIES makes
    REMOTE_ADDR the visitor's (cluster.middleware.ReverseProxyMiddleware)."""
    return request.META.get("REMOTE_ADDR", "unknown")


def hashed(value: str) -> str:
    """Return a short digest of a value (an email address) to use in a key, so that the
    cache never holds the address itself."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def over_limit(key: str, *, limit: int, seconds: int = 3600) -> bool:
    """Count one more attempt under ``key``; return True when the count within the window
    that its first attempt opened is beyond ``limit``."""
    key = f"rate:{key}"
    cache.add(key, 0, seconds)
    # With the cache unreachable, incr answers None: let the attempt through.
    try:
        count = cache.incr(key) or 0
    except ValueError:  # the window closed between add and incr
        cache.add(key, 1, seconds)
        count = 1
    return count > limit
