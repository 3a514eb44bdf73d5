"""/news/: the public archive of the mailings staff marked public, and its Atom feed."""

import pytest
from django.utils import timezone

from cluster.models import Mailing
from members.models import Topic

pytestmark = pytest.mark.django_db


def make(subject, *, public=True, status=Mailing.Status.SENT):
    return Mailing.objects.create(
        topic=Topic.objects.get_or_create(
            slug="news", defaults={"name_fr": "Actualités", "name_en": "News"}
        )[0],
        subject_fr=subject,
        subject_en=f"{subject} (en)",
        body_fr="Le **programme** <script>x()</script>",
        segment="members",
        public=public,
        status=status,
        sent_at=timezone.now() if status == Mailing.Status.SENT else None,
    )


def test_the_archive_lists_only_public_sent_mailings_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(25):
        make(f"Lettre {number}")
    make("Interne", public=False)
    make("Brouillon public", status=Mailing.Status.DRAFT)
    with django_assert_max_num_queries(8):
        response = client.get("/news/")
    assert response.status_code == 200
    assert "Lettre 24" in response.text
    assert "Interne" not in response.text and "Brouillon public" not in response.text
    assert client.get("/news/?page=2").status_code == 200
    assert client.get("/news/?page=x").status_code == 404


def test_a_public_mailing_has_its_page_with_sanitised_content(client):
    public = make("Lettre d'octobre")
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert "<strong>programme</strong>" in response.text
    assert "<script>x()" not in response.text
    assert client.get(make("Interne", public=False).get_absolute_url()).status_code == 404


def test_the_atom_feed_carries_the_public_mailings(client):
    make("Lettre d'octobre")
    make("Interne", public=False)
    response = client.get("/news/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Lettre d&#x27;octobre" in response.text or "Lettre d'octobre" in response.text
    assert "Interne" not in response.text
