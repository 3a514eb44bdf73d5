"""Mailings: segments, consent, the count before sending, a test to oneself, sending now or
later through the worker, one message per person in their language, RFC 8058
unsubscribe, and who may send."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cluster import roles
from cluster.models import Mailing, MailingRecipient
from cluster.services.mailings import mailing_dispatch, mailing_send, markdown_html
from members.models import EmailLog, Subscription, Topic
from members.services.subscriptions import subscriptions_choose, unsubscribe_token
from startups.models import Incubation, Programme
from tests.members.factories import (
    CompanyFactory,
    ContactFactory,
    RepresentativeFactory,
    SectorFactory,
)

from .staff import staff_member

pytestmark = pytest.mark.django_db


def consent(email, topic, language="fr"):
    return Subscription.objects.create(
        email=email.lower(),
        topic=topic,
        language=language,
        source=Subscription.Source.STAFF,
        consented_at=timezone.now(),
    )


def hosted(company):
    Incubation.objects.create(
        company=company,
        programme=Programme.objects.get_or_create(name="Incubation", stage="incubation")[0],
        cohort="2026-A",
        start=timezone.localdate() - timedelta(days=30),
        planned_end=timezone.localdate() + timedelta(days=300),
    )
    return company


@pytest.fixture
def news():
    return Topic.objects.get_or_create(
        slug="news", defaults={"name_fr": "Actualités", "name_en": "News"}
    )[0]


@pytest.fixture
def startup_people(news):
    """A hosted start-up with three people: two consented (French, English), one not."""
    company = hosted(CompanyFactory(trade_name="Tramontane Games"))
    ana = ContactFactory(company=company, email="ana@tramontane.example", first_name="Ana")
    ben = RepresentativeFactory(company=company, user__username="ben@tramontane.example").user
    ContactFactory(company=company, email="carla@tramontane.example")
    consent(ana.email, news, "fr")
    consent(ben.email, news, "en")
    ContactFactory(company=CompanyFactory(), email="outsider@example.org")
    consent("outsider@example.org", news)
    return company


def mailing(topic, **fields):
    values = {
        "topic": topic,
        "subject_fr": "Les nouvelles",
        "subject_en": "The news",
        "body_fr": "Bonjour **à tous**.\n\n<script>alert(1)</script>[site](https://pole.example)",
        "body_en": "Hello **everyone**.",
        "segment": "startups",
    }
    return Mailing.objects.create(**(values | fields))


def test_markdown_becomes_html_without_anything_unsafe():
    html = markdown_html(
        '**gras** <script>x()</script> <a href="javascript:x()">a</a> <img src=x onerror=y>'
    )
    assert "<strong>gras</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_a_mailing_reaches_each_consenting_person_of_the_segment_once_in_their_language(
    startup_people, news, django_capture_on_commit_callbacks
):
    item = mailing(news)
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=item)
    item.refresh_from_db()
    assert item.status == Mailing.Status.SENT
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ana@tramontane.example", "ben@tramontane.example"}
    assert by_address["ana@tramontane.example"].subject == "Les nouvelles"
    assert by_address["ben@tramontane.example"].subject == "The news"
    french = by_address["ana@tramontane.example"]
    html = french.alternatives[0][0]
    assert "<strong>à tous</strong>" in html and "<script" not in html
    assert "Bonjour **à tous**" in french.body  # the text part
    assert french.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = french.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and "/unsubscribe/" in link
    assert link in french.body and link in html
    states = {r.address: r.status for r in MailingRecipient.objects.select_related("email")}
    assert states == {"ana@tramontane.example": "sent", "ben@tramontane.example": "sent"}


def test_the_dispatch_runs_once(startup_people, news, django_capture_on_commit_callbacks):
    item = mailing(news)
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=item)
    assert mailing_dispatch(mailing_id=item.pk) == 0
    assert EmailLog.objects.filter(kind="mailing").count() == 2


def test_an_unsubscribed_address_is_skipped_even_when_staff_put_it_back_in_a_segment(
    startup_people, news, client, django_capture_on_commit_callbacks
):
    token = unsubscribe_token(email="ana@tramontane.example", topic_id=news.pk)
    # One click from the mail client (RFC 8058): a POST without cookie or CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("members:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    item = mailing(news, segment="selection")
    item.companies.set([startup_people])
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=item)
    assert [m.to[0] for m in mail.outbox] == ["ben@tramontane.example"]
    skipped = MailingRecipient.objects.get(address="ana@tramontane.example")
    assert skipped.status == "unsubscribed" and skipped.email is None


def test_opening_the_unsubscribe_link_asks_before_unsubscribing(startup_people, news, client):
    token = unsubscribe_token(email="ana@tramontane.example", topic_id=news.pk)
    response = client.get(reverse("members:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "ana@tramontane.example" in response.text
    assert Subscription.objects.get(email="ana@tramontane.example").unsubscribed_at is None


def test_a_forged_unsubscribe_link_is_refused(client, news):
    token = unsubscribe_token(email="ana@tramontane.example", topic_id=news.pk)
    forged = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
    response = client.post(reverse("members:unsubscribe", args=[forged]))
    assert response.status_code == 404
    assert not Subscription.objects.filter(unsubscribed_at__isnull=False).exists()


def test_a_representative_chooses_their_topics_and_may_come_back(client, news):
    representative = RepresentativeFactory(user__username="dan@example.org")
    events = Topic.objects.get_or_create(slug="events", defaults={"name_fr": "Événements"})[0]
    client.force_login(representative.user)
    url = reverse("members:my-subscriptions")
    response = client.post(url, {"topics": [news.pk, events.pk], "language": "en"})
    assert response.status_code == 302
    subscriptions_choose(email="dan@example.org", topics=[events], language="en")
    subscriptions = {s.topic.slug: s for s in Subscription.objects.select_related("topic")}
    assert subscriptions["news"].unsubscribed_at is not None
    assert subscriptions["events"].unsubscribed_at is None
    assert subscriptions["events"].language == "en"
    response = client.post(url, {"topics": [news.pk], "language": "fr"})
    assert Subscription.objects.get(topic=news).unsubscribed_at is None


def test_segments_by_sector_town_members_and_alumni(news):
    sector = SectorFactory()
    in_sector = CompanyFactory(city="Perpignan")
    in_sector.sectors.set([sector])
    ContactFactory(company=in_sector, email="s@example.org")
    elsewhere = CompanyFactory(city="Céret")
    ContactFactory(company=elsewhere, email="c@example.org")
    for address in ("s@example.org", "c@example.org"):
        consent(address, news)
    from cluster.services.mailings import mailing_audience

    assert set(mailing_audience(mailing(news, segment="sector", sector=sector)).consenting) == {
        "s@example.org"
    }
    assert set(mailing_audience(mailing(news, segment="town", city="céret")).consenting) == {
        "c@example.org"
    }
    assert mailing_audience(mailing(news, segment="members")).count == 0
    assert mailing_audience(mailing(news, segment="alumni")).count == 0


def test_the_registrants_segment_reaches_the_confirmed_registrants_of_that_event_only(news):
    from cluster.services.mailings import mailing_audience
    from tests.cluster.factories import EventFactory, RegistrationFactory

    event, other = EventFactory(), EventFactory()
    RegistrationFactory(event=event, email="Here@example.org")
    RegistrationFactory(event=event, email="waiting@example.org", status="waiting")
    RegistrationFactory(event=other, email="other@example.org")
    for address in ("here@example.org", "waiting@example.org", "other@example.org"):
        consent(address, news)

    audience = mailing_audience(mailing(news, segment="event", event=event))
    assert set(audience.consenting) == {"here@example.org"}
    assert mailing_audience(mailing(news, segment="event")).count == 0


def test_a_scheduled_mailing_waits_for_its_time(
    startup_people, news, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    item = mailing(news)
    when = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=item, when=when)
    item.refresh_from_db()
    assert item.status == Mailing.Status.SCHEDULED and item.scheduled_for == when
    [result] = default_task_backend.results
    assert result.task.run_after == when
    # The worker runs it at that time, not before.
    assert mailing_dispatch(mailing_id=item.pk) == 0
    assert mailing_dispatch(mailing_id=item.pk, now=when + timedelta(seconds=1)) == 2


def test_staff_see_the_count_send_a_test_to_themselves_then_send(
    client, startup_people, news, django_capture_on_commit_callbacks
):
    staff = staff_member(roles.COMMUNICATION, email="com@pole.example")
    client.force_login(staff)
    item = mailing(news)
    response = client.get(reverse("admin:cluster_mailing_send", args=[item.pk]))
    assert response.status_code == 200
    assert "2 people" in response.text or "2 personnes" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:cluster_mailing_test", args=[item.pk]))
    assert [m.to for m in mail.outbox] == [["com@pole.example"]]
    assert mail.outbox[0].subject.startswith("[TEST]")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:cluster_mailing_send", args=[item.pk]), {})
    assert response.status_code == 302, response.context["form"].errors
    assert len(mail.outbox) == 3


def test_a_role_without_the_mailing_permission_cannot_send(client, startup_people, news):
    accountant = staff_member(roles.ACCOUNTING)
    client.force_login(accountant)
    item = mailing(news)
    response = client.post(reverse("admin:cluster_mailing_send", args=[item.pk]), {})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Mailing.Status.DRAFT
    assert client.get(reverse("admin:cluster_mailing_changelist")).status_code == 403


def test_a_send_time_in_the_past_is_refused_with_a_clear_error(client, startup_people, news):
    client.force_login(staff_member(roles.COMMUNICATION))
    item = mailing(news)
    response = client.post(
        reverse("admin:cluster_mailing_send", args=[item.pk]),
        {"when_0": "2020-01-01", "when_1": "10:00"},
    )
    assert response.status_code == 200
    assert "errornote" in response.text
    item.refresh_from_db()
    assert item.status == Mailing.Status.DRAFT


def test_the_company_list_action_opens_a_mailing_to_the_selection(admin_client):
    companies = [CompanyFactory(), CompanyFactory()]
    response = admin_client.post(
        reverse("admin:members_company_changelist"),
        {"action": "write_mailing", "_selected_action": [c.pk for c in companies]},
    )
    assert response.status_code == 302
    form = admin_client.get(response.url)
    assert form.status_code == 200
    initial = form.context["adminform"].form.initial
    assert initial["segment"] == "selection"
    assert sorted(int(pk) for pk in initial["companies"]) == sorted(c.pk for c in companies)


def test_the_mailing_list_counts_deliveries_in_a_fixed_number_of_queries(
    admin_client,
    startup_people,
    news,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    for _ in range(3):
        item = mailing(news)
        with django_capture_on_commit_callbacks(execute=True):
            mailing_send(mailing=item)
    EmailLog.objects.filter(to="ben@tramontane.example").update(status=EmailLog.Status.FAILED)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:cluster_mailing_changelist"))
    assert response.status_code == 200
    first = Mailing.objects.with_delivery_counts().first()
    assert (first.sent_count, first.failed_count, first.queued_count) == (1, 1, 0)


def test_service_emails_reach_an_address_that_unsubscribed_from_every_topic(
    news, django_capture_on_commit_callbacks
):
    from members.services.email import email_send
    from members.services.subscriptions import subscription_unsubscribe

    subscription_unsubscribe(email="ana@example.org", topic=news)
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["ana@example.org"],
            subject="Votre facture",
            template="members/email/invitation.txt",
            context={"invitation": None, "url": "", "days": 7, "inviter": "x"},
            kind="invoice",
        )
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_a_test_send_without_an_address_says_so(client, news):
    staff = staff_member(roles.COMMUNICATION)
    staff.email = ""
    staff.save()
    client.force_login(staff)
    item = mailing(news)
    response = client.post(reverse("admin:cluster_mailing_test", args=[item.pk]), follow=True)
    assert response.status_code == 200
    assert "no email address" in response.text or "adresse" in response.text
    assert mail.outbox == []


def test_the_recipient_log_and_the_subscriptions_list_in_a_fixed_number_of_queries(
    admin_client,
    startup_people,
    news,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    for address in ("d@example.org", "e@example.org", "f@example.org"):
        consent(address, news)
    item = mailing(news)
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=item)
    with django_assert_max_num_queries(12):
        response = admin_client.get(
            reverse("admin:cluster_mailingrecipient_changelist"), {"mailing__id__exact": item.pk}
        )
    assert response.status_code == 200
    assert "ana@tramontane.example" in response.text
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:members_subscription_changelist"))
    assert "f@example.org" in response.text


def test_staff_cannot_subscribe_again_an_address_that_unsubscribed(client, news):
    from members.services.subscriptions import subscription_unsubscribe

    left = subscription_unsubscribe(email="ana@example.org", topic=news)
    client.force_login(staff_member(roles.COMMUNICATION))
    url = reverse("admin:members_subscription_change", args=[left.pk])
    response = client.post(url, {"language": "fr"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:members_subscription_add"),
        {"email": "Ana@Example.org", "topic": news.pk, "language": "fr"},
    )
    assert response.status_code == 200  # the form, with its error
    assert "errornote" in response.text
    left.refresh_from_db()
    assert left.unsubscribed_at is not None
