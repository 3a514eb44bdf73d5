"""Benchmark: a mailing to 10,000 recipients, the worker's sending rate to a local SMTP
sink, and a worker killed halfway through a 2,000-recipient mailing.

Not a test. Usage (from the repository root, after ``make test`` built .venv):

    .venv/bin/python bench/mailings.py [--recipients 10000] [--kill-recipients 2000]
        [--postgres postgres://postgres@127.0.0.1:5432] [--database cite_bench_mailings]

It creates the database (dropped at the end), migrates, then writes companies in two
towns with 20 contacts each, every contact consenting to the "news" topic (half in
French, half in English). It starts an SMTP sink (aiosmtpd) on 127.0.0.1 that counts the
messages each address receives, and measures:

1. enqueue: ``mailing_dispatch`` of a mailing to the first town (10,000 recipients): the
   time to render, log and queue one email each (target: 5 s at most);
2. sending: one worker (``manage.py run_worker``) sends them over SMTP to the sink; the
   rate from the first message received to the last (target: 50 a second at least);
3. reliability: a mailing to the second town (2,000 recipients); the worker is killed
   (SIGKILL) once half are received, then started again; every address must receive
   exactly one message.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "cite_bench_mailings"
PER_COMPANY = 20


class Sink:
    """aiosmtpd handler: count the messages each address receives."""

    def __init__(self):
        self.received = Counter()
        self.first = self.last = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            for address in envelope.rcpt_tos:
                self.received[address.lower()] += 1
        return "250 OK"

    def reset(self):
        with self.lock:
            self.received.clear()
            self.first = self.last = None

    def total(self):
        with self.lock:
            return sum(self.received.values())


def manage(*args, env):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def populate(town, count, news, domain):
    from members.models import Company, Contact, Subscription

    companies = Company.objects.bulk_create(
        Company(
            legal_name=f"{town} {n}",
            trade_name=f"{town} {n}",
            slug=f"{town.lower()}-{n}",
            city=town,
        )
        for n in range(count // PER_COMPANY)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            company=company, first_name="P", last_name=f"{n}", email=f"p{company.pk}-{n}@{domain}"
        )
        for company in companies
        for n in range(PER_COMPANY)
    )
    Subscription.objects.bulk_create(
        Subscription(
            email=contact.email,
            topic=news,
            language="en" if index % 2 else "fr",
            source=Subscription.Source.STAFF,
        )
        for index, contact in enumerate(contacts)
    )
    return [contact.email for contact in contacts]


def mailing_to(town, news):
    from cluster.models import Mailing
    from cluster.services.mailings import mailing_send

    mailing = Mailing.objects.create(
        topic=news,
        subject_fr=f"Nouvelles de {town}",
        subject_en=f"News from {town}",
        body_fr="Bonjour,\n\n**Le programme** : [le site](https://example.org).\n\n- un\n- deux",
        body_en="Hello,\n\n**This month**: [the site](https://example.org).",
        segment="town",
        city=town,
    )
    return mailing_send(mailing=mailing)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--kill-recipients", type=int, default=2_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--smtp-port", type=int, default=8025)
    options = parser.parse_args()

    url = f"{options.postgres}/{options.database}"
    admin = f"{options.postgres}/postgres"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="cluster.settings.dev",
        DJANGO_DEBUG="false",
        EMAIL_URL=f"smtp://127.0.0.1:{options.smtp_port}",
    )
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"], check=True
    )
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {options.database}"], check=True)
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=options.smtp_port)
    controller.start()
    workers = []
    try:
        manage("migrate", "--noinput", env=env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from cluster.services.mailings import mailing_dispatch
        from members.models import EmailLog, Topic

        news = Topic.objects.get(slug="news")
        first_town = populate("Benchville", options.recipients, news, "bench.example")
        second_town = populate("Killville", options.kill_recipients, news, "kill.example")

        # 1. Enqueue: the worker's dispatch, run here to time it alone.
        mailing = mailing_to("Benchville", news)
        started = time.perf_counter()
        queued = mailing_dispatch(mailing_id=mailing.pk)
        enqueue_s = time.perf_counter() - started
        print(f"enqueue: {queued:,} recipients in {enqueue_s:.2f} s")

        # 2. Sending rate of one worker to the local sink.
        workers.append(start_worker(env))
        if not wait_for(lambda: sink.total() >= queued, 1800):
            sys.exit(f"only {sink.total()} of {queued} received")
        rate = (queued - 1) / (sink.last - sink.first)
        print(f"sending: {queued:,} messages, {rate:.0f} a second (one worker)")
        assert set(sink.received) == set(first_town) and max(sink.received.values()) == 1

        # 3. Kill the worker halfway through a mailing, start it again.
        sink.reset()
        mailing = mailing_to("Killville", news)
        if not wait_for(lambda: sink.total() >= options.kill_recipients // 2, 600):
            sys.exit("the second mailing did not start")
        workers[-1].send_signal(signal.SIGKILL)
        workers[-1].wait()
        at_kill = sink.total()
        time.sleep(1)
        workers.append(start_worker(env))
        wait_for(lambda: not EmailLog.objects.exclude(status=EmailLog.Status.SENT).exists(), 600)
        wait_for(lambda: sink.total() >= options.kill_recipients, 30)
        duplicates = sum(1 for count in sink.received.values() if count > 1)
        missing = len(set(second_town) - set(sink.received))
        print(
            f"kill: worker killed at {at_kill:,} of {options.kill_recipients:,} received; after "
            f"the restart {sink.total():,} messages to {len(sink.received):,} addresses, "
            f"{duplicates} received twice, {missing} missing"
        )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        controller.stop()
        from django.db import connections

        connections.close_all()
        subprocess.run(
            ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {options.database}"], check=False
        )


if __name__ == "__main__":
    main()
