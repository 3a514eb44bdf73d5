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

from . import incubator, members, money, offices, school
from .figures import Column, Figure, KeyFigure
from .periods import Period

__all__ = ["Column", "Figure", "KeyFigure", "Period", "YearFigures", "available_years", "dashboard"]


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


def dashboard(year):
    """Return the key figures and every figure of ``year``, in the dashboard's order."""
    member_tiles, member_figures = members.figures(year)
    dues_tiles, dues_figures = money.figures(year)
    incubator_tiles, incubator_figures = incubator.figures(year)
    office_tiles, office_figures = offices.figures(year)
    school_tiles, school_figures = school.figures(year)
    return YearFigures(
        year=year,
        key_figures=[
            *member_tiles,
            *dues_tiles,
            *incubator_tiles,
            *office_tiles,
            *school_tiles,
        ],
        figures=[
            *member_figures,
            *dues_figures,
            *incubator_figures,
            *office_figures,
            *school_figures,
        ],
    )
