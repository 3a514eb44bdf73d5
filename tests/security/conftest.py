"""Fixtures of the security tests: two companies with something behind every URL of the
representatives' space, and the browser set-up of tests/browser for test_xss_browser.py."""

from datetime import date

import pytest
from django.utils import timezone, translation

from members import services
from startups.models import Incubation, KpiSnapshot, Programme
from tests.browser.conftest import (  # noqa: F401 - fixtures and hook re-exported for pytest
    browser_context_args,
    browser_type_launch_args,
    pytest_runtest_makereport,
)
from tests.members.factories import (
    ContactFactory,
    MembershipPlanFactory,
    OfferFactory,
    RepresentativeFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """Run in English so that assertions on messages do not depend on the French catalog."""
    with translation.override("en"):
        yield


def equipped_company(trade_name):
    """Return an admin representative of a new start-up that has something behind every
    URL of /my/<slug>/: a contact, an offer, an incubation with figures, an invoice."""
    representative = RepresentativeFactory(
        role="admin",
        company__trade_name=trade_name,
        company__description_fr=f"Texte d'origine de {trade_name}.",
    )
    company = representative.company
    ContactFactory(company=company, first_name=f"Contact de {trade_name}")
    OfferFactory(company=company, title=f"Stage chez {trade_name}")
    programme, _created = Programme.objects.get_or_create(
        name="Incubation", defaults={"stage": Programme.Stage.INCUBATION}
    )
    today = timezone.localdate()
    incubation = Incubation.objects.create(
        company=company,
        programme=programme,
        cohort="2026-A",
        start=date(today.year - 1, 1, 1),
        planned_end=date(today.year + 1, 1, 1),
    )
    KpiSnapshot.objects.create(
        incubation=incubation,
        date=date(today.year - 1, 12, 31),
        headcount=3,
        revenue="1000.00",
        funds_raised="0.00",
        jobs_created=1,
    )
    start, _end = services.membership_year(today)
    membership = services.membership_create(
        company=company, plan=MembershipPlanFactory(), start=start, prorate=False
    )
    services.invoice_issue(membership=membership, issue_date=start)
    return representative


@pytest.fixture
def own():
    """A representative (admin role) of their own company."""
    return equipped_company("Vroom")


@pytest.fixture
def other():
    """Another company, equipped the same way, with its own representative."""
    return equipped_company("Autre")
