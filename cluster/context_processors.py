"""What every template may show: the cluster's identity."""

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from members.models import ClusterIdentity


def _identity():
    try:
        return ClusterIdentity.objects.current()
    except DatabaseError:
        # The 503 page, while the database is down, still names the cluster as it can.
        return ClusterIdentity()


def identity(request):
    """Give templates ``identity``, read from the database only when a template uses it."""
    return {"identity": SimpleLazyObject(_identity)}
