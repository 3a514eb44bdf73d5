"""The cluster's numbers for one year, for the staff dashboard and the annual report.

Every figure is an aggregate computed by the database, in a number of queries that does
not depend on the amount of data. Each ``Figure`` has a title, the period it counts over
(see ``periods``), a table that is also downloadable as CSV, the data of its chart and the
definitions of what it counts. ``KeyFigure`` tiles sum the year up, each beside the same
figure a year earlier.
"""

from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from members.models import Membership

from . import collection, events, incubator, members, money, offices, rent, school
from .figures import Column, Figure, KeyFigure
from .periods import Period

__all__ = [
    "SECTIONS",
    "Column",
    "Figure",
    "KeyFigure",
    "Period",
    "YearFigures",
    "available_years",
    "dashboard",
    "sections_for",
]


@dataclass
class YearFigures:
    year: int
    key_figures: list
    figures: list

    def __iter__(self):
        """Walk the figures, as the CSV export does."""
        return iter(self.figures)


def available_years():
    """Return the years that have memberships, and the current one, newest first."""
    first = Membership.objects.aggregate(first=Min("start"))["first"]
    today = timezone.localdate()
    start = first.year if first else today.year
    return list(range(today.year + 1, start - 1, -1))


# Each section of the dashboard, and the permission that shows it: the dashboard and the
# annual report show each staff role only the figures of what it may touch.
SECTIONS = (
    ("members", members.figures, "members.view_membership"),
    ("dues", money.figures, "members.view_invoice"),
    ("collection", collection.figures, "members.view_invoice"),
    ("incubator", incubator.figures, "startups.view_incubation"),
    ("offices", offices.figures, "startups.view_lease"),
    ("rent", rent.figures, "members.view_invoice"),
    ("school", school.figures, "cluster.view_student"),
    ("events", events.figures, "cluster.view_event"),
)


def sections_for(user):
    """Return the keys of the sections this user may see."""
    return [key for key, _figures, permission in SECTIONS if user.has_perm(permission)]


def dashboard(year, *, sections=None):
    """Return the key figures and every figure of ``year``, in the dashboard's order.

    ``sections``: the keys of the sections to compute (see ``SECTIONS``), all by default.
    """
    tiles, figures = [], []
    for key, section_figures, _permission in SECTIONS:
        if sections is None or key in sections:
            section_tiles, section_charts = section_figures(year)
            tiles += section_tiles
            figures += section_charts
    return YearFigures(year=year, key_figures=tiles, figures=figures)
