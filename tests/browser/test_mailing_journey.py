"""The mailing journey: staff write a mailing to the hosted start-ups, see how many it
reaches, send a test to themselves, then send it; a recipient unsubscribes through the
link in the email, and the next mailing skips them.

The live server runs the tests' immediate task backend: the worker's tasks (dispatch,
then one delivery per email) run in the server's thread, to the local test mail backend
(``mail.outbox``)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cluster import roles
from cluster.models import Mailing
from cluster.services.mailings import mailing_send
from members.models import Subscription, Topic
from startups.models import Incubation, Programme
from tests.cluster.staff import staff_member
from tests.members.factories import CompanyFactory, ContactFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def hosted_startup_with_two_subscribers(news):
    company = CompanyFactory(trade_name="Tramontane Games")
    Incubation.objects.create(
        company=company,
        programme=Programme.objects.create(name="Incubation", stage="incubation"),
        cohort="2026-A",
        start=timezone.localdate() - timedelta(days=30),
        planned_end=timezone.localdate() + timedelta(days=300),
    )
    ContactFactory(company=company, email="ana@tramontane.example")
    RepresentativeFactory(company=company, user__username="ben@tramontane.example")
    for address in ("ana@tramontane.example", "ben@tramontane.example"):
        Subscription.objects.create(
            email=address, topic=news, source="staff", consented_at=timezone.now()
        )


def test_staff_send_a_mailing_and_a_recipient_unsubscribes_through_the_link(live_server, page):
    news = Topic.objects.get_or_create(
        slug="news", defaults={"name_fr": "Actualités", "name_en": "News"}
    )[0]
    hosted_startup_with_two_subscribers(news)
    staff_member(roles.COMMUNICATION, username="com@pole.example")

    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill("com@pole.example")
    page.locator("#id_password").fill("s3cret-pass!")
    page.locator("#login-form [type=submit]").click()

    page.goto(live_server.url + "/admin/cluster/mailing/add/")
    page.locator("#id_topic").select_option(label="Actualités")
    page.locator("#id_subject_fr").fill("Les nouvelles d'octobre")
    page.locator("#id_body_fr").fill("Bonjour,\n\n**Demo day** jeudi.")
    page.locator("#id_segment").select_option("startups")
    page.locator("[name=_continue]").click()

    expect(page.locator(".field-audience")).to_contain_text(re.compile(r"\b2\b"))
    page.locator("form[action$='/test/'] button").click()
    expect(page.locator(".messagelist")).to_contain_text("com@pole.example")
    assert [message.to for message in mail.outbox] == [["com@pole.example"]]

    page.locator("a[href$='/send/']").click()
    expect(page.locator(".mailing-count")).to_contain_text("2")
    page.locator("input[type=submit].default").click()
    expect(page.locator(".messagelist")).to_be_visible()
    delivered = {message.to[0]: message for message in mail.outbox[1:]}
    assert set(delivered) == {"ana@tramontane.example", "ben@tramontane.example"}

    # Ana opens the link of her email, without logging in, and confirms.
    link = re.search(r"http\S+/unsubscribe/\S+/", delivered["ana@tramontane.example"].body)[0]
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[role=status]")).to_contain_text("ana@tramontane.example")

    following = Mailing.objects.create(
        topic=news, subject_fr="Suite", body_fr="La suite.", segment="startups"
    )
    outbox_before = len(mail.outbox)
    mailing_send(mailing=following)
    assert [message.to for message in mail.outbox[outbox_before:]] == [["ben@tramontane.example"]]
