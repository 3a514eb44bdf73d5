"""The agenda's main journey on a phone: register, wait, cancel, be promoted, check in."""

import re

import pytest
from playwright.sync_api import expect

from cluster.models import Registration
from members.models import EmailLog
from tests.cluster.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


def register(page, url, name, email):
    page.goto(url)
    page.locator("[name=name]").fill(name)
    page.locator("[name=email]").fill(email)
    page.locator("[name=category]").select_option("public")
    page.locator("[name=consent]").check()
    page.locator("form.stack-form button[type=submit]").click()


def test_register_wait_cancel_promote_and_check_in_on_a_phone(live_server, page, django_user_model):
    page.set_viewport_size(PHONE)
    event = EventFactory(title_fr="Atelier VR chez Vroom", slug="atelier-vr", capacity=1)
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")

    # 1. A visitor finds the event in the agenda and takes the last seat.
    page.goto(live_server.url + "/events/")
    page.get_by_role("link", name="Atelier VR chez Vroom").click()
    expect(page.locator("#remaining-seats")).to_contain_text("1")
    register(page, page.url, "Alex Martin", "alex@example.org")
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text(
        "alex@example.org"
    )
    confirmation = EmailLog.objects.get(kind="event_confirmed", to="alex@example.org")
    attachments = {a.mimetype for a in confirmation.attachments.all()}
    assert attachments == {"text/calendar", "image/png"}

    # 2. A second visitor goes on the waiting list.
    register(page, live_server.url + event.get_absolute_url(), "Bea Puig", "bea@example.org")
    bea = Registration.objects.get(email="bea@example.org")
    assert bea.status == Registration.Status.WAITING

    # 3. The first one cancels through the link of the email; the second is promoted.
    link = re.search(r"https?://\S+/events/registrations/\S+/cancel/", confirmation.body)[0]
    page.goto(live_server.url + "/events/" + link.split("/events/", 1)[1])
    page.locator("main form button[type=submit]").click()
    bea.refresh_from_db()
    assert bea.status == Registration.Status.CONFIRMED
    assert EmailLog.objects.filter(kind="event_promoted", to="bea@example.org").exists()

    # 4. Staff check Bea in on a 360 px screen by typing her code.
    page.goto(live_server.url + f"/accounts/login/?next=/staff/events/{event.slug}/check-in/")
    page.locator("[name=username]").fill("marie")
    page.locator("[name=password]").fill("s3cret-pass!")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.locator("[name=code]").fill(bea.ticket_code)
    page.locator(".check-in-form button[type=submit]").click()
    expect(page.locator("#check-in-figures")).to_contain_text("1")
    bea.refresh_from_db()
    assert bea.checked_in_at is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the check-in page scrolls sideways on a phone"


def test_a_visitor_registers_for_a_paid_event_and_the_invoice_leaves(live_server, page):
    from decimal import Decimal

    page.set_viewport_size(PHONE)
    event = EventFactory(
        title_fr="Masterclass Unreal", fee_member=Decimal("20"), fee_non_member=Decimal("45")
    )
    page.goto(live_server.url + event.get_absolute_url())
    page.locator("[name=name]").fill("Alex Martin")
    page.locator("[name=email]").fill("alex@example.org")
    page.locator("[name=category]").select_option("public")
    page.locator("[name=billing_name]").fill("Alex Martin")
    page.locator("[name=billing_street]").fill("3 rue Foch")
    page.locator("[name=billing_postcode]").fill("66000")
    page.locator("[name=billing_city]").fill("Perpignan")
    page.locator("[name=consent]").check()
    page.locator("form.stack-form button[type=submit]").click()
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text(
        "alex@example.org"
    )
    invoice = Registration.objects.get().invoice
    assert invoice.amount_incl_tax == Decimal("45.00")
    email = EmailLog.objects.get(kind="invoice", to="alex@example.org")
    assert invoice.number in email.subject
