"""The demo's dues: plans, this year's memberships and invoices, most of them paid."""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .. import search, services
from ..models import (
    Company,
    Membership,
    MembershipPlan,
    OrganisationKind,
    Payment,
)
from .data import ARTICLE_COMPANIES, DEMO_GENERATED_MEMBERS, DEMO_SEED
from .register import generated_company

# (French name, English name, kind, yearly fee, VAT applies)
PLANS = [
    ("Start-up", "Start-up", OrganisationKind.STARTUP, "150.00", False),
    ("Petite entreprise", "Small company", OrganisationKind.SMALL, "300.00", False),
    ("Entreprise", "Company", OrganisationKind.LARGE, "600.00", False),
    ("Partenaire", "Partner", OrganisationKind.PARTNER, "0.00", False),
]


NO_MEMBERSHIP = {
    "pole-action-media",
    "idem",
    "french-tech-barcelona",
    "chambre-de-commerce-francaise-barcelone",
}


STARTUP_SLUGS = {"vroom", "alaxione", "stravvel", "mind-and-go"}


@transaction.atomic
def seed_dues():
    """Give the demo members plans, this year's membership and its invoice; most paid.

    Idempotent: companies that already have a membership are left alone. The school and
    the partners have no membership: they follow their published flag alone. The
    memberships are written in bulk (the demo's data is known to be valid); invoices and
    payments go through the billing services, so statuses follow the one transition table.
    """
    plans = {}
    for name, name_en, kind, fee, vat in PLANS:
        plans[kind], _created = MembershipPlan.objects.update_or_create(
            name=name,
            defaults={"name_en": name_en},
            create_defaults={
                "name_en": name_en,
                "organisation_kind": kind,
                "annual_fee": Decimal(fee),
                "vat_applies": vat,
            },
        )
    today = timezone.localdate()
    year_start, year_end = services.membership_year(today)
    companies = (
        Company.objects.filter(memberships__isnull=True)
        .exclude(slug__in=NO_MEMBERSHIP)
        .filter(slug__in=[c["slug"] for c in ARTICLE_COMPANIES] + _generated_slugs())
    )
    memberships, paid_on = [], {}
    for company in companies:
        rng = random.Random(f"{DEMO_SEED}-dues-{company.slug}")
        kind = (
            OrganisationKind.STARTUP
            if company.slug in STARTUP_SLUGS
            else rng.choice(
                [OrganisationKind.SMALL, OrganisationKind.SMALL, OrganisationKind.LARGE]
            )
        )
        paid = rng.random() < 0.85
        membership = Membership(
            company=company,
            plan=plans[kind],
            start=year_start,
            end=year_end,
            fee=plans[kind].annual_fee,
        )
        memberships.append(membership)
        if paid:
            paid_on[company.pk] = (
                min(today, year_start + timedelta(days=rng.randrange(5, 40))),
                rng.choice(Payment.Method.values),
            )
    if not memberships:
        return 0
    memberships = bulk_create_with_history(memberships, Membership, batch_size=500)
    # bulk_create sends no signal: the memberships may list or delist their companies.
    search.fold_after_commit()
    invoices = services.invoices_issue(memberships=memberships, issue_date=year_start)
    for invoice in invoices:
        if invoice.company_id in paid_on and invoice.amount_incl_tax > 0:
            day, method = paid_on[invoice.company_id]
            services.payment_record(
                invoice=invoice, amount=invoice.amount_incl_tax, date=day, method=method
            )
    return len(memberships)


def _generated_slugs():
    slugs = []
    for number in range(1, DEMO_GENERATED_MEMBERS + 1):
        rng = random.Random(f"{DEMO_SEED}-{number}")
        company, _sectors = generated_company(
            rng, number=number, sectors_by_slug=defaultdict(lambda: None), taken_sirets=set()
        )
        slugs.append(company.slug)
    return slugs
