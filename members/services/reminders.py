"""Renewal notices and overdue reminders, each sent once."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    EmailLog,
    Invoice,
    Membership,
    Representative,
)
from .memberships import _move


def _recipients(company):
    emails = list(
        Representative.objects.filter(company=company, role=Representative.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return emails or ([company.email] if company.email else [])


def send_logged(*, key, kind, company, template, context, subject):
    """Send an email once per ``key`` and log it; return False if it was sent before."""
    recipients = _recipients(company)
    if not recipients:
        return False
    body = render_to_string(template, {**context, "company": company})
    try:
        with transaction.atomic():
            EmailLog.objects.create(
                key=key,
                kind=kind,
                to=", ".join(recipients),
                subject=subject,
                body=body,
                company=company,
            )
            # Inside the transaction: if sending fails, no log is kept and the next run
            # tries again.
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today=None):
    """Send renewal notices and overdue reminders, and move unpaid memberships to grace
    then lapsed. Idempotent: each email has a key, sent once. Return counts."""
    today = today or timezone.localdate()
    counts = {"renewal": 0, "overdue": 0, "grace": 0, "lapsed": 0}
    notice = timedelta(days=settings.CITE_RENEWAL_NOTICE_DAYS)
    ending = (
        Membership.objects.filter(
            status__in=Membership.Status.IN_GOOD_STANDING, end__gt=today, end__lte=today + notice
        )
        .exclude(
            Exists(
                Membership.objects.filter(company=OuterRef("company"), start__gte=OuterRef("end"))
            )
        )
        .select_related("company")
    )
    for membership in ending:
        sent = send_logged(
            key=f"renewal:{membership.pk}",
            kind="renewal",
            company=membership.company,
            template="members/email/renewal_notice.txt",
            context={"membership": membership},
            subject=_("Your membership ends on %(date)s") % {"date": membership.end},
        )
        counts["renewal"] += sent

    overdue = (
        Invoice.objects.invoices()
        .with_balance()
        .filter(balance__gt=0, due_date__lt=today)
        .select_related("company", "membership")
    )
    for invoice in overdue:
        days_late = (today - invoice.due_date).days
        steps = [step for step in settings.CITE_OVERDUE_REMINDER_DAYS if days_late >= step]
        if steps:
            sent = send_logged(
                key=f"overdue:{invoice.pk}:{max(steps)}",
                kind="overdue",
                company=invoice.company,
                template="members/email/overdue_reminder.txt",
                context={"invoice": invoice, "days_late": days_late},
                subject=_("Reminder: invoice %(number)s is overdue") % {"number": invoice.number},
            )
            counts["overdue"] += sent
        membership = invoice.membership
        if membership is None:
            continue
        grace_over = days_late > settings.CITE_GRACE_DAYS
        if membership.status == Membership.Status.PENDING and not grace_over:
            counts["grace"] += _move(membership, Membership.Status.GRACE)
        elif membership.status in (Membership.Status.PENDING, Membership.Status.GRACE) and (
            grace_over
        ):
            counts["lapsed"] += _move(membership, Membership.Status.LAPSED)
    return counts
