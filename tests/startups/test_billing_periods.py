"""Which days of a lease each monthly run invoices, and rent prorated by day."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.core.exceptions import ValidationError

from members.money import money
from startups.billing_periods import billed_period, parse_month, prorated
from startups.models import Building, Lease

from .factories import LeaseFactory

D = Decimal
ADVANCE, ARREARS = Lease.BillingTiming.ADVANCE, Lease.BillingTiming.ARREARS
MONTHLY, QUARTERLY = Lease.BillingPeriod.MONTHLY, Lease.BillingPeriod.QUARTERLY


def lease(start, end=None, period=MONTHLY, timing=ADVANCE):
    return Lease(start=start, end=end, billing_period=period, billing_timing=timing)


def test_parse_month_reads_year_and_month_and_refuses_the_rest():
    assert parse_month("2027-01") == date(2027, 1, 1)
    for bad in ("2027-13", "2027-1", "janvier", "", "1999-12"):
        with pytest.raises(ValidationError, match="2027-01"):
            parse_month(bad)


def test_monthly_in_advance_bills_the_month_of_the_run():
    assert billed_period(lease(date(2026, 3, 1)), date(2027, 1, 1)) == (
        date(2027, 1, 1),
        date(2027, 2, 1),
    )


def test_monthly_in_arrears_bills_the_month_before_the_run():
    assert billed_period(lease(date(2026, 3, 1), timing=ARREARS), date(2027, 1, 1)) == (
        date(2026, 12, 1),
        date(2027, 1, 1),
    )


def test_first_and_last_partial_months_cover_only_the_leased_days():
    partial = lease(date(2027, 1, 16), end=date(2027, 3, 10))
    assert billed_period(partial, date(2027, 1, 1)) == (date(2027, 1, 16), date(2027, 2, 1))
    assert billed_period(partial, date(2027, 3, 1)) == (date(2027, 3, 1), date(2027, 3, 10))
    assert billed_period(partial, date(2027, 4, 1)) is None
    assert billed_period(partial, date(2026, 12, 1)) is None


def test_quarterly_in_advance_bills_in_the_quarters_first_month_only():
    quarterly = lease(date(2026, 1, 1), period=QUARTERLY)
    assert billed_period(quarterly, date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 4, 1))
    assert billed_period(quarterly, date(2027, 2, 1)) is None


def test_quarterly_lease_starting_mid_quarter_bills_its_first_part_at_once():
    quarterly = lease(date(2027, 2, 15), period=QUARTERLY)
    assert billed_period(quarterly, date(2027, 2, 1)) == (date(2027, 2, 15), date(2027, 4, 1))
    assert billed_period(quarterly, date(2027, 4, 1)) == (date(2027, 4, 1), date(2027, 7, 1))


def test_quarterly_in_arrears_bills_after_the_last_leased_day():
    quarterly = lease(date(2026, 1, 1), end=date(2027, 2, 15), period=QUARTERLY, timing=ARREARS)
    assert billed_period(quarterly, date(2027, 3, 1)) == (date(2027, 1, 1), date(2027, 2, 15))
    assert billed_period(quarterly, date(2027, 4, 1)) is None


def test_prorated_counts_each_months_days():
    assert prorated(D("310.00"), date(2027, 1, 1), date(2027, 2, 1)) == D("310.00")
    assert prorated(D("310.00"), date(2027, 1, 22), date(2027, 2, 1)) == D("100")
    # Half of February (28 days) and all of March.
    assert prorated(D("280.00"), date(2027, 2, 15), date(2027, 4, 1)) == D("140") + D("280.00")


def test_a_tie_is_rounded_half_up_not_half_even():
    # 100.05 € for 15 of April's 30 days is 50.025 €: half up gives 50.03, half even 50.02.
    exact = prorated(D("100.05"), date(2027, 4, 16), date(2027, 5, 1))
    assert exact == D("50.025")
    assert money(exact) == D("50.03")
    assert exact.quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("50.02")


@pytest.mark.django_db
def test_new_terms_default_to_monthly_in_advance_and_buildings_to_20_percent():
    saved = LeaseFactory()
    saved.refresh_from_db()
    assert (saved.billing_period, saved.billing_timing) == (MONTHLY, ADVANCE)
    assert saved.service_charges == D("0.00")
    assert saved.office.building.vat_rate == D("20.00")
    building = Building(name="Exempt", vat_rate=D("120"))
    with pytest.raises(ValidationError) as error:
        building.full_clean()
    assert "vat_rate" in error.value.message_dict
