"""The three kinds of year the figures count in, each named in words on every figure.

- the membership year, which starts on the first day of CITE_MEMBERSHIP_YEAR_START_MONTH
  (January by default, so that it is the calendar year);
- the calendar year, for money (invoices are numbered and paid by calendar year), the
  incubator and the offices;
- the school year, September to August.

"Year Y" on the dashboard means the year of each kind that starts in Y: the membership
year starting in Y, the calendar year Y and the school year Y–Y+1.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from members.periods import human_date


@dataclass(frozen=True)
class Period:
    """A year of one kind: ``[start, end)``, ``end`` being the first day not covered."""

    MEMBERSHIP = "membership"
    CALENDAR = "calendar"
    SCHOOL = "school"

    kind: str
    year: int
    start: date
    end: date

    @classmethod
    def membership(cls, year):
        month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
        end = date(year + 1, month, 1)
        return cls(cls.MEMBERSHIP, year, date(year, month, 1), end)

    @classmethod
    def calendar(cls, year):
        return cls(cls.CALENDAR, year, date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def school(cls, year):
        return cls(cls.SCHOOL, year, date(year, 9, 1), date(year + 1, 9, 1))

    def previous(self):
        return getattr(Period, self.kind)(self.year - 1)

    @property
    def last_day(self):
        return self.end - timedelta(days=1)

    @property
    def label(self):
        """Return "2026", or "2026–2027" for a year that does not start in January."""
        if self.start.month == 1:
            return str(self.year)
        return f"{self.year}–{self.year + 1}"

    @property
    def name(self):
        """Return the period's name: "membership year 2026", "school year 2026–2027"."""
        names = {
            self.MEMBERSHIP: _("membership year %(label)s"),
            self.CALENDAR: _("calendar year %(label)s"),
            self.SCHOOL: _("school year %(label)s"),
        }
        return names[self.kind] % {"label": self.label}

    @property
    def dates(self):
        """Return the first and last days in words: "1 September 2026 to 31 August 2027"."""
        return _("%(start)s to %(end)s") % {
            "start": human_date(self.start),
            "end": human_date(self.last_day),
        }

    @property
    def described(self):
        """Return "membership year 2026 (1 January 2026 to 31 December 2026)"."""
        return f"{self.name} ({self.dates})"

    def __str__(self):
        return self.described[:1].upper() + self.described[1:]
