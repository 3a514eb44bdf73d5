"""The cluster app's models, one module per concern; every name is re-exported here."""

from .events import Event, EventQuerySet, Registration, RegistrationQuerySet
from .mailings import Mailing, MailingQuerySet, MailingRecipient
from .personal_data import Erasure
from .school import (
    Placement,
    PlacementQuerySet,
    Programme,
    Student,
    check_internship_rules,
    school_year,
)
from .staff import StaffPreferences, StaffPreferencesQuerySet

__all__ = [
    "Erasure",
    "Event",
    "EventQuerySet",
    "Registration",
    "RegistrationQuerySet",
    "Mailing",
    "MailingQuerySet",
    "MailingRecipient",
    "Placement",
    "PlacementQuerySet",
    "Programme",
    "StaffPreferences",
    "StaffPreferencesQuerySet",
    "Student",
    "check_internship_rules",
    "school_year",
]
