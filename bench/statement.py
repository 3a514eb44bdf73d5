"""Benchmark: import and match a bank statement of 5,000 lines (issue 20). Target: 10 s.

Not a test. Usage (from the repository root, after ``make test`` built .venv):

    .venv/bin/python bench/statement.py [--lines 5000] [--runs 3]
        [--postgres postgres://postgres@127.0.0.1:5432] [--database cite_bench_statement]

It creates the database (dropped at the end unless --keep-db), migrates, writes as many
open invoices as lines (bulk, with their companies; a tenth with a SEPA mandate), then
builds a CAMT.053 statement whose lines pay them: 40 % quote the invoice number, 30 % only
the amount and the payer's name, 10 % the amount and the mandate's IBAN, 20 % match
nothing. It measures ``statement_import`` (parse, de-duplicate, match, save) end to end,
each run on a fresh copy of the lines, and checks how many were matched.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cite_bench_statement"
IBANS = ["FR7630006000011234567890189", "FR1420041010050500013M02606"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a profile of one run")
    options = parser.parse_args()

    url = f"{options.postgres}/{options.database}"
    admin = f"{options.postgres}/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"], check=True
    )
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {options.database}"], check=True)
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run(options)
    finally:
        if not options.keep_db:
            from django.db import connections

            connections.close_all()
            subprocess.run(
                ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"], check=True
            )


def run(options):
    from django.db import transaction
    from django.utils import timezone

    from members.demo.bank import Entry, camt053
    from members.models import Company, Invoice, Mandate, StatementLine
    from members.services import statements

    today = timezone.localdate()
    count = options.lines
    companies = Company.objects.bulk_create(
        Company(
            trade_name=f"Bench {n}",
            legal_name=f"Studio Numéro {n} SAS",
            slug=f"bench-{n}",
            city="Perpignan",
        )
        for n in range(count)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            number=f"{today.year}-{n + 1:05d}",
            year=today.year,
            sequence=n + 1,
            company=company,
            issue_date=today - timedelta(days=40),
            due_date=today - timedelta(days=10),
            description="Cotisation",
            seller_name="Pôle",
            seller_address="Perpignan",
            buyer_name=company.legal_name,
            amount_excl_tax=Decimal(100 + n),
            vat_rate=Decimal("0"),
            vat_amount=Decimal("0"),
            amount_incl_tax=Decimal(100 + n),
        )
        for n, company in enumerate(companies)
    )
    Mandate.objects.bulk_create(
        Mandate(
            company=company,
            reference=f"RUM-{n}",
            signed_on=today,
            debtor_name=company.legal_name,
            iban=IBANS[n % 2],
            bic="AGRIFRPP",
        )
        for n, company in enumerate(companies)
        if n % 10 == 7
    )
    entries = []
    for n, invoice in enumerate(invoices):
        kind = n % 10
        day = today - timedelta(days=1)
        if kind < 4:
            entries.append(Entry(day, invoice.amount_incl_tax, "VIR", reference=invoice.number))
        elif kind < 7:
            entries.append(Entry(day, invoice.amount_incl_tax, invoice.buyer_name.upper()))
        elif kind == 7:  # the companies with a mandate
            entries.append(Entry(day, invoice.amount_incl_tax, "PAYEUR", iban=IBANS[n % 2]))
        else:
            entries.append(Entry(day, Decimal("1.23") + n, "INCONNU", reference=f"DON {n}"))
    data = camt053("FR7630006000011234567890189", entries)
    print(f"data: {count:,} open invoices, a statement of {len(entries):,} lines")
    timings = []
    if options.profile:
        import cProfile

        with transaction.atomic():
            cProfile.runctx(
                "statements.statement_import(data=data, filename='p')",
                globals(),
                {"statements": statements, "data": data},
                sort="cumulative",
            )
            transaction.set_rollback(True)
    for run_number in range(options.runs):
        with transaction.atomic():  # rolled back: each run imports the same lines afresh
            begin = time.perf_counter()
            statement, added = statements.statement_import(data=data, filename="bench.xml")
            timings.append(time.perf_counter() - begin)
            matched = statement.lines.exclude(status=StatementLine.Status.UNMATCHED).count()
            print(
                f"run {run_number + 1}: {added:,} lines imported, {matched:,} matched, "
                f"{timings[-1]:.2f} s"
            )
            transaction.set_rollback(True)
    print(f"best {min(timings):.2f} s, worst {max(timings):.2f} s (target: under 10 s)")


if __name__ == "__main__":
    main()
