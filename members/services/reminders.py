"""The daily dues job: lapses, grace, overdue reminders and renewal notices.

Run once a day (``manage.py send_reminders``); running it again the same day changes and
sends nothing more. In each run, in this order:

1. memberships whose grace is over (``CITE_GRACE_DAYS`` after they entered it) lapse, and
   unpaid ones whose period has ended lapse too; never one that changed today;
2. pending memberships whose invoice is past due enter grace;
3. each overdue invoice gets at most one reminder, the latest of the steps
   (``CITE_OVERDUE_REMINDER_DAYS`` after the due date) it has reached, once per step;
4. members whose membership ends within ``CITE_RENEWAL_NOTICE_DAYS`` and who have none
   for the next period get a renewal notice, once per end date.

So a membership never lapses in the run that sends its first reminder.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Invoice, Membership, PaymentStatus
from ..periods import human_date, last_day
from .email import email_send, site_url
from .invoicing import billing_recipients
from .memberships import Trigger, membership_transition

Status = Membership.Status


def grace_end(membership: Membership) -> date:
    """Return the day a membership in grace lapses if still unpaid."""
    return membership.status_since + timedelta(days=settings.CITE_GRACE_DAYS)


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Run the daily dues job (see the module's docstring); return what it did, counted:
    ``lapsed``, ``grace``, ``overdue`` (reminders queued), ``renewal`` (notices queued).

    The emails are written in the site's language (``LANGUAGE_CODE``), whoever runs it.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _run(today or timezone.localdate())


def _run(today):
    counts = {"lapsed": 0, "grace": 0, "overdue": 0, "renewal": 0}

    grace_over = Membership.objects.filter(
        status=Status.GRACE,
        status_since__lt=today,
        status_since__lte=today - timedelta(days=settings.CITE_GRACE_DAYS),
    )
    for membership in grace_over:
        membership_transition(membership=membership, trigger=Trigger.GRACE_ENDED, on=today)
        counts["lapsed"] += 1
    period_over = Membership.objects.filter(
        status__in=(Status.PENDING, Status.GRACE), end__lte=today, status_since__lt=today
    )
    for membership in period_over:
        membership_transition(membership=membership, trigger=Trigger.PERIOD_ENDED, on=today)
        counts["lapsed"] += 1

    overdue = (
        Invoice.objects.invoices()
        .with_balance()
        .filter(balance__gt=0, due_date__lt=today)
        # The bank is debiting it: no reminder to pay, no grace meanwhile.
        .exclude(payment_status=PaymentStatus.COLLECTING)
        .select_related("company", "membership")
        .order_by("pk")
    )
    for invoice in overdue:
        membership = invoice.membership
        if membership is not None and membership.status == Status.PENDING:
            membership = membership_transition(
                membership=membership, trigger=Trigger.DUE_DATE_PASSED, on=today
            )
            counts["grace"] += 1
        counts["overdue"] += _overdue_reminder(invoice, membership, today)

    counts["renewal"] += _renewal_notices(today)
    return counts


def _overdue_reminder(invoice, membership, today) -> int:
    days_late = (today - invoice.due_date).days
    steps = [step for step in settings.CITE_OVERDUE_REMINDER_DAYS if days_late >= step]
    if not steps:
        return 0
    in_grace = membership is not None and membership.status == Status.GRACE
    sent = email_send(
        to=billing_recipients(invoice.company),
        subject=_("Reminder: invoice %(number)s is overdue") % {"number": invoice.number},
        template="members/email/overdue_reminder.txt",
        context={
            "invoice": invoice,
            "company": invoice.company,
            "days_late": days_late,
            "lapses_on": grace_end(membership) if in_grace else None,
            "url": site_url(invoice.get_absolute_url()),
        },
        kind="overdue",
        key=f"overdue:{invoice.number}:{invoice.due_date}:{max(steps)}",
        company=invoice.company,
    )
    return int(sent is not None)


def _renewal_notices(today) -> int:
    notice = timedelta(days=settings.CITE_RENEWAL_NOTICE_DAYS)
    renewed = Membership.objects.filter(company=OuterRef("company"), start__gte=OuterRef("end"))
    ending = (
        Membership.objects.filter(
            status__in=Status.IN_GOOD_STANDING, end__gt=today, end__lte=today + notice
        )
        .exclude(Exists(renewed))
        .select_related("company")
        .order_by("pk")
    )
    queued = 0
    for membership in ending:
        sent = email_send(
            to=billing_recipients(membership.company),
            subject=_("Your membership ends on %(date)s")
            % {"date": human_date(last_day(membership.end))},
            template="members/email/renewal_notice.txt",
            context={"membership": membership, "company": membership.company},
            kind="renewal",
            key=f"renewal:{membership.pk}:{membership.end}",
            company=membership.company,
        )
        queued += sent is not None
    return queued
