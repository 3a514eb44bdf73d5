"""The incubator (programmes, incubations, KPIs, milestones) and office space (buildings,
offices, leases). What a company is (start-up, alumnus) and how full a building is are
derived from these relations, never stored on the company or the office.
"""

from .incubator import (
    Incubation,
    IncubationQuerySet,
    KpiSnapshot,
    Milestone,
    Programme,
    months_between,
)
from .offices import Building, Lease, LeaseQuerySet, Office, OfficeQuerySet
from .rent import RentIndex, RentInvoice, RentRevision

__all__ = [
    "Building",
    "Incubation",
    "IncubationQuerySet",
    "KpiSnapshot",
    "Lease",
    "LeaseQuerySet",
    "Milestone",
    "Office",
    "OfficeQuerySet",
    "Programme",
    "RentIndex",
    "RentInvoice",
    "RentRevision",
    "months_between",
]
