"""Personal data: an export lists a person's subscriptions and the mailings they received;
the erasure removes them, and no mailing reaches the address afterwards."""

import pytest

from cluster.models import Mailing, MailingRecipient
from cluster.services.erasure import contact_erase, personal_data_erase_email, user_erase
from cluster.services.mailings import mailing_send
from cluster.services.personal_data import personal_data_by_email, personal_data_export
from members.models import Subscription, Topic
from members.services.subscriptions import subscriptions_choose
from tests.members.factories import CompanyFactory, ContactFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(django_capture_on_commit_callbacks):
    """A contact and a representative who consented to the news and received a mailing."""
    news = Topic.objects.get_or_create(
        slug="news", defaults={"name_fr": "Actualités", "name_en": "News"}
    )[0]
    company = CompanyFactory()
    contact = ContactFactory(company=company, email="ana@example.org")
    user = RepresentativeFactory(company=company, user__username="ben@example.org").user
    for address in ("ana@example.org", "ben@example.org"):
        subscriptions_choose(email=address, topics=[news], language="fr")
    mailing = Mailing.objects.create(
        topic=news, subject_fr="Nouvelles d'octobre", body_fr="Texte", segment="selection"
    )
    mailing.companies.set([company])
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(mailing=mailing)
    return contact, user


def test_an_export_lists_the_subscriptions_and_the_mailings_received(received):
    contact, user = received
    for data in (
        personal_data_export(kind="contact", pk=contact.pk),
        personal_data_by_email(email="ana@example.org"),
    ):
        assert [s["topic"] for s in data["subscriptions"]] == ["news"]
        assert [(m["subject"], m["status"]) for m in data["mailings"]] == [
            ("Nouvelles d'octobre", "sent")
        ]
    data = personal_data_export(kind="user", pk=user.pk)
    assert [s["topic"] for s in data["subscriptions"]] == ["news"]
    assert len(data["mailings"]) == 1


def test_the_erasure_removes_subscriptions_and_mailing_entries(received):
    contact, user = received
    report = contact_erase(pk=contact.pk)
    assert report.changes["subscriptions"] == 1
    assert report.changes["mailing_recipients"] == 1
    report = user_erase(pk=user.pk)
    assert report.changes["subscriptions"] == 1
    assert not Subscription.objects.exists()
    assert not MailingRecipient.objects.exists()


def test_erasing_an_address_removes_its_subscriptions(received):
    personal_data_erase_email(email="ana@example.org")
    assert not Subscription.objects.filter(email="ana@example.org").exists()
    assert not MailingRecipient.objects.filter(address="ana@example.org").exists()
    assert Subscription.objects.filter(email="ben@example.org").exists()
