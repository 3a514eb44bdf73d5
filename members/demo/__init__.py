"""Demo data for the member register: the cluster of the article, and bulk companies.

No Faker here: ``make run`` installs without the dev extras, and the demo must be the
same on every machine, so names come from fixed lists and a seeded random generator.
"""

from .billing import STARTUP_SLUGS, seed_dues
from .data import ARTICLE_COMPANIES, DEMO_SEED
from .direct_debits import seed_direct_debits
from .identity import seed_identity
from .offers import seed_offers
from .register import bulk_generate_companies, seed_cluster

__all__ = [
    "ARTICLE_COMPANIES",
    "DEMO_SEED",
    "STARTUP_SLUGS",
    "bulk_generate_companies",
    "seed_cluster",
    "seed_direct_debits",
    "seed_dues",
    "seed_identity",
    "seed_offers",
]
