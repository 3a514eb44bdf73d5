"""Benchmark: what Factur-X costs per invoice PDF, and the FEC of the demo's year.

Not a test. Usage (from the repository root, after ``make test`` built .venv):

    .venv/bin/python bench/invoice_pdf.py [--runs 50]
        [--postgres postgres://postgres@127.0.0.1:5432] [--database cite_bench_invoice_pdf]

It creates the database (dropped at the end), migrates, loads the demo cluster
(``seed_demo``: a year of dues invoices), then builds one invoice's PDF ``--runs`` times
three ways: the printed pages alone (ReportLab, what the PDF was before Factur-X), the CII
XML alone, and the whole Factur-X file (pages, output intent, XML, XSD check, embedding).
Each issued invoice is built once to be emailed, so the Factur-X figure is what issuing
costs per invoice. Last, the FEC of the demo's year.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cite_bench_invoice_pdf"


def timed(function, runs):
    values = []
    for _ in range(runs):
        begin = time.perf_counter()
        function()
        values.append((time.perf_counter() - begin) * 1000)
    return statistics.median(values), statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    options = parser.parse_args()
    url = f"{options.postgres}/{options.database}"
    admin = f"{options.postgres}/postgres"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"], check=True
    )
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {options.database}"], check=True)
    try:
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cluster.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from members.invoice_document import invoice_document
        from members.invoice_pdf import _pages, invoice_pdf
        from members.invoice_xml import invoice_xml
        from members.models import Invoice
        from members.services.fec import fec_export, fiscal_year

        invoice = Invoice.objects.select_related("company").order_by("pk").first()
        invoice_pdf(invoice)  # warm-up: fonts, colour profile, schema
        for label, function in (
            ("pages alone (ReportLab)", lambda: _pages(invoice_document(invoice))),
            ("CII XML alone", lambda: invoice_xml(invoice)),
            ("Factur-X PDF", lambda: invoice_pdf(invoice)),
        ):
            p50, p95 = timed(function, options.runs)
            print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({options.runs} runs)")
        year = invoice.issue_date.year
        begin = time.perf_counter()
        content = fec_export(*fiscal_year(year))
        lines = len(content.splitlines()) - 1
        print(
            f"FEC {year}: {Invoice.objects.filter(year=year).count()} invoices, "
            f"{lines} lines, {(time.perf_counter() - begin) * 1000:.0f} ms"
        )
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"])


if __name__ == "__main__":
    main()
