"""Emails to staff who asked for them: the daily digest of the to-do, and a notice of each
new application.

Both are sent by scheduled commands (``send_staff_digest`` each morning,
``send_application_notices`` every few minutes), in the site's language, through the one
email path, with a key that makes each email go out once: once a day per staff member for
the digest, once per application and staff member for a notice. Running a command again
sends nothing twice.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Application, ClusterIdentity
from members.periods import human_date
from members.services.email import email_send, site_url

from ..models import StaffPreferences
from .todo import TODO, todo_count

# An application older than this gets no notice: on a first run, or after the job stopped
# for a while, the digest tells about it instead of a flood of notices.
APPLICATION_NOTICE_WINDOW = timedelta(days=1)


def _subscribers(flag: str) -> QuerySet:
    return (
        StaffPreferences.objects.reachable()
        .filter(**{flag: True})
        .select_related("user")
        .order_by("user__pk")
    )


def staff_digest_send(*, today: date | None = None) -> dict[str, int]:
    """Send today's digest to each staff member who opted in; return what was done.

    Each one gets the items they may see, with counts and links; nobody gets an email
    when all their counts are zero. ``sent``: queued now; ``nothing_to_do``: skipped;
    ``already_sent``: their digest of the day was already queued.
    """
    today = today or timezone.localdate()
    result = {"sent": 0, "nothing_to_do": 0, "already_sent": 0}
    with translation.override(settings.LANGUAGE_CODE):
        counts = {item.key: item for item in todo_count(TODO, today=today)}
        for preferences in _subscribers("daily_digest"):
            user = preferences.user
            items = [counts[kind.key] for kind in TODO if user.has_perm(kind.permission)]
            total = sum(item.count for item in items)
            if not total:
                result["nothing_to_do"] += 1
                continue
            log = email_send(
                to=[user.email],
                subject=ngettext(
                    "%(site)s: %(count)d thing to do on %(date)s",
                    "%(site)s: %(count)d things to do on %(date)s",
                    total,
                )
                % {
                    "site": ClusterIdentity.objects.current().display_name,
                    "count": total,
                    "date": human_date(today),
                },
                template="cluster/email/staff_digest.txt",
                context={
                    "user": user,
                    "items": [
                        {"label": item.label, "count": item.count, "url": site_url(item.url)}
                        for item in items
                    ],
                    "admin_url": site_url(reverse("admin:index")),
                    "preferences_url": site_url(reverse("staff-preferences")),
                },
                kind="staff_digest",
                key=f"staff-digest:{user.pk}:{today.isoformat()}",
            )
            result["sent" if log else "already_sent"] += 1
    return result


def pending_applications_to_notify(*, now: datetime | None = None) -> QuerySet:
    """Return the applications still to review that were received in the notice window."""
    now = now or timezone.now()
    return Application.objects.filter(
        status=Application.Status.PENDING, created_at__gte=now - APPLICATION_NOTICE_WINDOW
    ).order_by("created_at", "pk")


def application_notice_recipients() -> list[AbstractBaseUser]:
    """Return the staff who asked for a notice of each application and may review them."""
    return [
        preferences.user
        for preferences in _subscribers("application_notice")
        if preferences.user.has_perm("members.change_application")
    ]


def staff_application_notice(
    *, application: Application, recipients: list[AbstractBaseUser] | None = None
) -> int:
    """Tell the staff who asked for it about a new application; return how many emails
    were queued (none twice for one application and one staff member)."""
    if recipients is None:
        recipients = application_notice_recipients()
    url = site_url(reverse("admin:members_application_change", args=[application.pk]))
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in recipients:
            log = email_send(
                to=[user.email],
                subject=_("New application to review: %(company)s") % {"company": application},
                template="cluster/email/application_notice.txt",
                context={"application": application, "url": url, "user": user},
                kind="staff_application_notice",
                key=f"application-notice:{application.pk}:{user.pk}",
            )
            queued += log is not None
    return queued


def staff_application_notices_send(*, now: datetime | None = None) -> int:
    """Send the notices of the applications received lately; return how many were queued."""
    recipients = application_notice_recipients()
    if not recipients:
        return 0
    return sum(
        staff_application_notice(application=application, recipients=recipients)
        for application in pending_applications_to_notify(now=now)
    )
