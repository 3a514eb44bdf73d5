"""The staff's to-do on the admin's home, its daily digest and the notice of new
applications."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cluster import roles
from cluster.models import StaffPreferences
from cluster.services import staff_notices
from members.models import EmailLog

from .staff import application, staff_member, work_waiting

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr class="todo__item[^"]*" id="todo-(?P<key>\w+)">\s*<th scope="row">'
    r'<a href="(?P<url>[^"]+)">(?P<label>[^<]+)</a></th>\s*'
    r'<td class="todo__count">(?P<count>\d+)</td>'
)


def todo_rows(response):
    """Return {key: (count, url)} of the to-do shown on the admin's home."""
    html = response.content.decode()
    return {
        match["key"]: (int(match["count"]), match["url"].replace("&amp;", "&"))
        for match in ROW.finditer(html)
    }


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_admin_home_counts_what_waits_and_links_to_it(admin_client):
    expected = work_waiting(times=2)

    rows = todo_rows(admin_client.get(reverse("admin:index")))

    assert {key: count for key, (count, _url) in rows.items()} == expected
    assert rows["invoices"][1] == "/admin/members/invoice/?payment_status=overdue"
    assert rows["leases"][1] == "/admin/startups/lease/?ending=90"
    assert rows["applications"][1] == "/admin/members/application/?status__exact=pending"


def test_each_link_lists_exactly_what_the_to_do_counts(admin_client):
    work_waiting(times=2)

    for key, (count, url) in todo_rows(admin_client.get(reverse("admin:index"))).items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        changelist = response.context["cl"]
        assert changelist.result_count == count == 2, key
        assert changelist.full_result_count > count, f"{key}: the link shows everything"


def test_the_admin_home_costs_the_same_few_queries_however_much_waits(
    admin_client, django_assert_max_num_queries
):
    work_waiting(times=1)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("admin:index"))
    work_waiting(times=4)

    # The session, the user, the cluster's identity, the nine counts, the recent actions.
    with django_assert_max_num_queries(14) as many:
        response = admin_client.get(reverse("admin:index"))

    assert len(todo_rows(response)) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_staff_see_only_the_items_of_their_permissions(client):
    user = staff_member()
    user.user_permissions.add(Permission.objects.get(codename="view_lease"))
    client.force_login(user)
    work_waiting()

    rows = todo_rows(client.get(reverse("admin:index")))

    assert list(rows) == ["leases"]


def test_staff_without_any_of_the_permissions_get_no_to_do(client):
    client.force_login(staff_member())

    html = client.get(reverse("admin:index")).content.decode()

    assert 'id="cite-todo"' not in html


# --- Choosing the emails ------------------------------------------------------------------


def test_a_staff_member_asks_for_the_daily_digest_and_it_is_kept_in_the_history(client):
    user = staff_member(roles.ACCOUNTING)
    client.force_login(user)

    page = client.get(reverse("staff-preferences"))
    assert page.status_code == 200
    assert 'name="daily_digest"' in page.content.decode()
    # Only those who review applications are offered their notice.
    assert 'name="application_notice"' not in page.content.decode()

    response = client.post(
        reverse("staff-preferences"), {"daily_digest": "on", "application_notice": "on"}
    )

    assert response.status_code == 302
    preferences = StaffPreferences.objects.get(user=user)
    assert preferences.daily_digest is True
    assert preferences.application_notice is False  # not theirs to ask for
    [row] = preferences.history.all()
    assert row.history_user == user

    client.post(reverse("staff-preferences"), {})
    assert StaffPreferences.objects.get(user=user).daily_digest is False
    assert preferences.history.count() == 2


def test_managers_may_ask_for_a_notice_of_each_application(client):
    user = staff_member(roles.MANAGEMENT)
    client.force_login(user)

    client.post(reverse("staff-preferences"), {"application_notice": "on"})

    assert StaffPreferences.objects.get(user=user).application_notice is True


def test_the_choice_of_emails_is_for_staff_only(client):
    url = reverse("staff-preferences")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff_member(is_staff=False))
    assert client.get(url).status_code == 302
    assert not StaffPreferences.objects.exists()


# --- The daily digest ----------------------------------------------------------------------


def digest_for(*roles_, username=None, **preferences):
    user = staff_member(*roles_, username=username)
    StaffPreferences.objects.create(user=user, daily_digest=True, **preferences)
    return user


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a sending function and deliver what it queued, as its transaction's commit does."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_the_digest_lists_each_count_with_its_link_in_the_sites_language(settings, send):
    settings.CITE_SITE_URL = "https://annuaire.pole.example"
    manager = digest_for(roles.MANAGEMENT)
    staff_member(roles.MANAGEMENT, username="no-digest@pole.example")  # did not ask
    work_waiting(times=2)

    with translation.override("en"):
        result = send(staff_notices.staff_digest_send)

    assert result == {"sent": 1, "nothing_to_do": 0, "already_sent": 0}
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject.startswith("Pôle Image Test : 18 choses à faire le ")
    assert "Candidatures à examiner : 2" in message.body
    assert (
        "https://annuaire.pole.example/admin/members/invoice/?payment_status=overdue"
        in message.body
    )
    assert "https://annuaire.pole.example/staff/preferences/" in message.body


def test_the_digest_goes_once_a_day(mailoutbox, send):
    digest_for(roles.MANAGEMENT)
    work_waiting()

    first = send(staff_notices.staff_digest_send)
    again = send(staff_notices.staff_digest_send)
    tomorrow = send(staff_notices.staff_digest_send, today=timezone.localdate() + timedelta(days=1))

    assert (first["sent"], again["sent"], again["already_sent"], tomorrow["sent"]) == (1, 0, 1, 1)
    assert len(mailoutbox) == 2
    assert EmailLog.objects.filter(kind="staff_digest").count() == 2


def test_each_role_gets_only_its_items_and_nothing_when_all_is_done(mailoutbox, send):
    accountant = digest_for(roles.ACCOUNTING)
    incubator = digest_for(roles.INCUBATOR)
    school = digest_for(roles.SCHOOL)  # nothing of the to-do is theirs
    work_waiting()

    result = send(staff_notices.staff_digest_send)

    assert result == {"sent": 2, "nothing_to_do": 1, "already_sent": 0}
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert school.email not in bodies
    assert "Factures en retard : 1" in bodies[accountant.email]
    assert "E-mails en échec : 1" in bodies[accountant.email]
    assert "Candidatures" not in bodies[accountant.email]
    assert "Baux" not in bodies[accountant.email]
    assert "Baux se terminant dans les 90 jours : 1" in bodies[incubator.email]
    assert "Factures" not in bodies[incubator.email]


def test_the_digest_skips_staff_without_an_address_or_no_longer_staff(mailoutbox, send):
    no_address = digest_for(roles.MANAGEMENT, username="no-address")
    no_address.email = ""
    no_address.save()
    former = digest_for(roles.MANAGEMENT, username="former@pole.example")
    former.is_staff = False
    former.save()
    work_waiting()

    assert send(staff_notices.staff_digest_send)["sent"] == 0
    assert mailoutbox == []


def test_the_digest_command_says_what_it_did(mailoutbox):
    digest_for(roles.MANAGEMENT)
    work_waiting()
    out = io.StringIO()

    call_command("send_staff_digest", stdout=out)

    assert "1 sent, 0 with nothing to do, 0 already sent today" in out.getvalue()


# --- The notice of each new application -------------------------------------------------------


def test_staff_who_asked_are_told_of_each_new_application_once(mailoutbox, settings, send):
    settings.CITE_SITE_URL = "https://annuaire.pole.example"
    manager = staff_member(roles.MANAGEMENT)
    StaffPreferences.objects.create(user=manager, application_notice=True)
    accountant = staff_member(roles.ACCOUNTING)  # asked, but does not review applications
    StaffPreferences.objects.create(user=accountant, application_notice=True)
    staff_member(roles.MANAGEMENT, username="quiet@pole.example")  # did not ask
    received = application(trade_name="Studio Tramontane")
    old = application(trade_name="Studio Ancien")
    old.__class__.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    first = send(staff_notices.staff_application_notices_send)
    again = send(staff_notices.staff_application_notices_send)

    assert (first, again) == (1, 0)
    [message] = mailoutbox
    assert message.to == [manager.email]
    assert message.subject == "Nouvelle candidature à examiner : Studio Tramontane"
    assert f"https://annuaire.pole.example/admin/members/application/{received.pk}/change/" in (
        message.body
    )


def test_a_reviewed_application_gets_no_notice(mailoutbox):
    manager = staff_member(roles.MANAGEMENT)
    StaffPreferences.objects.create(user=manager, application_notice=True)
    application(status="approved")

    assert staff_notices.staff_application_notices_send() == 0
