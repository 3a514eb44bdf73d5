"""When a SEPA direct debit can be collected.

Two rules meet (SEPA Core rulebook, and the cluster's own terms):

- The debtor is told the amount and the date before the debit: the pre-notification,
  ``CITE_SEPA_PRENOTIFICATION_DAYS`` calendar days ahead (14 by default, the rulebook's
  default when the creditor and debtor agree on nothing shorter).
- The bank must receive the file before the collection date: since November 2016 the
  Core scheme asks for D-1, one TARGET2 business day, for first and recurrent debits
  alike (it was D-5 for a first debit and D-2 for a recurrent one before). Banks often ask
  for more of their customers; ``CITE_SEPA_LEAD_BUSINESS_DAYS`` (2 by default, the safe
  "D-2") is what this cluster's bank asks.

The collection date itself must be a TARGET2 business day: not a Saturday or Sunday, nor
1 January, Good Friday, Easter Monday, 1 May, 25 or 26 December.
"""

from datetime import date, timedelta

from django.conf import settings


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` (Gregorian calendar, the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_business_day(day: date) -> bool:
    """Tell whether TARGET2 settles on ``day``."""
    if day.weekday() >= 5:
        return False
    easter = easter_sunday(day.year)
    closed = {
        date(day.year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        date(day.year, 5, 1),
        date(day.year, 12, 25),
        date(day.year, 12, 26),
    }
    return day not in closed


def next_business_day(day: date) -> date:
    """Return ``day`` when it is a business day, else the next one."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """Return the business day ``count`` business days after ``day``."""
    for _step in range(count):
        day = next_business_day(day + timedelta(days=1))
    return day


def earliest_collection_date(today: date) -> date:
    """Return the first day a file built ``today`` may ask the bank to collect on."""
    notified = today + timedelta(days=settings.CITE_SEPA_PRENOTIFICATION_DAYS)
    lead = add_business_days(today, settings.CITE_SEPA_LEAD_BUSINESS_DAYS)
    return next_business_day(max(notified, lead))
