"""The members app's admin, one module per concern (importing them registers the models)."""

from . import (
    applications,
    direct_debits,
    emails,
    identity,
    invoices,
    mandates,
    memberships,
    offers,
    register,
    review,
    search,
    self_service,
    statements,
    subscriptions,
)
from .register import AllOrNothingImportAdmin

__all__ = [
    "AllOrNothingImportAdmin",
    "applications",
    "direct_debits",
    "emails",
    "identity",
    "invoices",
    "mandates",
    "memberships",
    "offers",
    "register",
    "review",
    "search",
    "self_service",
    "statements",
    "subscriptions",
]
