"""The cluster's events: registrations, calendars, tickets, emails and figures."""

from .billing import Billing, event_credit, registration_credit, registration_invoice
from .calendar import agenda_ics, event_ics
from .lifecycle import (
    event_approve,
    event_cancel,
    event_duplicate,
    event_propose,
    event_reject,
    registrants_email,
    registration_anonymise,
    registrations_anonymise,
    registrations_remind,
    store_image,
    unique_slug,
)
from .registrations import (
    AlreadyCheckedIn,
    company_of_email,
    infer_category,
    is_member_person,
    registration_cancel,
    registration_check_in,
    registration_create,
)
from .tickets import cancel_url, registration_from_token, ticket_qr_png

__all__ = [
    "AlreadyCheckedIn",
    "Billing",
    "agenda_ics",
    "cancel_url",
    "company_of_email",
    "event_approve",
    "event_credit",
    "event_cancel",
    "event_duplicate",
    "event_ics",
    "event_propose",
    "event_reject",
    "infer_category",
    "is_member_person",
    "registrants_email",
    "registration_anonymise",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registration_credit",
    "registration_from_token",
    "registration_invoice",
    "registrations_anonymise",
    "registrations_remind",
    "store_image",
    "ticket_qr_png",
    "unique_slug",
]
