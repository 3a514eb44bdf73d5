"""The members app's admin, one module per concern (importing them registers the models)."""

from . import (
    applications,
    emails,
    identity,
    invoices,
    memberships,
    offers,
    register,
    review,
    search,
    self_service,
)
from .register import AllOrNothingImportAdmin

__all__ = [
    "AllOrNothingImportAdmin",
    "applications",
    "emails",
    "identity",
    "invoices",
    "memberships",
    "offers",
    "register",
    "review",
    "search",
    "self_service",
]
