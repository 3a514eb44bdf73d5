"""Who a mailing goes to: the audience segments, a small registry.

A segment is a function ``(mailing) -> iterable of Recipient``, registered under a key with
``@segment(key, label)``. Staff pick one on the mailing; the mailing's own fields give it
its parameter (a sector, a town, a selection of companies). Consent is not a segment's
business: ``cluster.services.mailings`` keeps only the addresses that consented to the
mailing's topic. Another concern adds a segment with one decorated function.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from members import kinds
from members.models import Company, Contact

SEGMENTS: dict[str, "Segment"] = {}


@dataclass(frozen=True)
class Recipient:
    """One person a mailing may reach."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Segment:
    key: str
    label: object
    people: Callable[[object], Iterable[Recipient]]


def segment(key: str, label) -> Callable:
    """Register the decorated function as the segment ``key``."""

    def register(function):
        SEGMENTS[key] = Segment(key, label, function)
        return function

    return register


def segment_choices() -> list[tuple[str, object]]:
    """Return the segments for the mailing's choice field (a callable: read at run time)."""
    return [(key, item.label) for key, item in SEGMENTS.items()]


def company_people(companies) -> list[Recipient]:
    """Return the contacts and the representatives of these companies that have an
    address, in two queries."""
    company_ids = companies.values("pk")
    contacts = (
        Contact.objects.filter(company__in=company_ids)
        .exclude(email="")
        .values_list("email", "first_name", "last_name")
    )
    users = (
        get_user_model()
        .objects.filter(representations__company__in=company_ids, is_active=True)
        .exclude(email="")
        .values_list("email", "first_name", "last_name")
        .distinct()
    )
    return [
        Recipient(email, f"{first} {last}".strip()) for email, first, last in [*contacts, *users]
    ]


@segment("members", _("Active members' contacts and representatives"))
def active_members(mailing):
    return company_people(Company.objects.members())


@segment("startups", _("Hosted start-ups"))
def hosted_startups(mailing):
    return company_people(kinds.filter_kind(Company.objects.all(), kinds.STARTUP))


@segment("alumni", _("Alumni start-ups"))
def alumni(mailing):
    return company_people(kinds.filter_kind(Company.objects.all(), kinds.ALUMNI))


@segment("sector", _("Companies in a sector"))
def sector(mailing):
    if mailing.sector_id is None:
        return []
    return company_people(Company.objects.filter(sectors=mailing.sector_id))


@segment("town", _("Companies in a town"))
def town(mailing):
    if not mailing.city.strip():
        return []
    return company_people(Company.objects.filter(city__iexact=mailing.city.strip()))


@segment("event", _("Registrants of an event"))
def event_registrants(mailing):
    if mailing.event_id is None:
        return []
    from cluster.models import Registration  # the models import this module's choices

    registrations = Registration.objects.for_event(mailing.event).confirmed()
    return [Recipient(email, name) for email, name in registrations.values_list("email", "name")]


@segment("selection", _("A selection of companies (action on the company list)"))
def selection(mailing):
    if mailing.pk is None:
        return []
    return company_people(mailing.companies.all())


def segment_people(mailing) -> list[Recipient]:
    """Return the segment's people, one per address (lower case), first name kept."""
    found = SEGMENTS.get(mailing.segment)
    people = {}
    for person in found.people(mailing) if found else []:
        address = person.email.strip().lower()
        if address and address not in people:
            people[address] = Recipient(address, person.name)
    return list(people.values())
