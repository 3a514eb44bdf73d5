"""The search index and its vocabulary stay right under every write path: the admin,
/my/ (with and without moderation), the import command, a membership change and a
synonym change. Each step searches through the public API, as a visitor would, after
checking each word's count of public companies against PostgreSQL's own count."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from members import services
from members.models import Company, ProfileRevision, SearchWord, Synonym
from members.search.index import WORD_COMPANIES

from .factories import (
    MembershipPlanFactory,
    RepresentativeFactory,
    SectorFactory,
    profile_data,
)

pytestmark = pytest.mark.django_db

API = reverse("members:api-company-list")


def found(client, query):
    assert_word_counts_right()
    cache.clear()
    return [result["name"] for result in client.get(API, {"q": query}).json()["results"]]


def assert_word_counts_right():
    """Each word's count of public companies is what PostgreSQL counts in the index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM members_company "
            "WHERE listed')"
        )
        expected = dict(cursor.fetchall())
    assert word_counts() == expected


def word_counts():
    """Return {word: public companies} as a search reads them: counts and moves."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.word, {WORD_COMPANIES} FROM members_searchword AS w "  # noqa: S608
            f"WHERE {WORD_COMPANIES} <> 0"
        )
        return dict(cursor.fetchall())


def test_every_write_path_keeps_the_index_and_vocabulary_right(
    client, admin_client, admin_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    sector = SectorFactory(slug="jeu-video", name="Jeu vidéo", name_en="Video games")
    own = RepresentativeFactory(
        role="admin", company__trade_name="Vroom", company__description_fr="Ancien texte."
    )
    company = own.company

    # /my/, without moderation: live at once, new words in the vocabulary.
    settings.CITE_MODERATE_PROFILES = False
    client.force_login(own.user)
    profile = reverse("members:my-profile", args=[company.slug])
    client.post(profile, profile_data(company, description_fr="Casques immersifs."))
    client.logout()
    assert found(client, "casques immersifs") == ["Vroom"]
    assert SearchWord.objects.filter(word="casqu").exists()

    # /my/ with moderation: the index keeps the approved text until staff approve.
    settings.CITE_MODERATE_PROFILES = True
    client.force_login(own.user)
    data = profile_data(company, description_fr="Hologrammes.", sectors=["jeu-video"])
    client.post(profile, data)
    client.logout()
    assert found(client, "hologrammes") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=ProfileRevision.objects.get(), reviewer=admin_user)
    assert found(client, "hologrames") == ["Vroom"]  # with a typo, from the vocabulary
    assert found(client, "jeux vidéos") == ["Vroom"]  # the sector came with the revision

    # The admin: unpublish with the action, and the search drops it.
    changelist = reverse("admin:members_company_changelist")
    admin_client.post(
        changelist, {"action": "unpublish", "_selected_action": [company.pk], "apply": "1"}
    )
    assert found(client, "vroom") == []
    admin_client.post(
        changelist, {"action": "publish", "_selected_action": [company.pk], "apply": "1"}
    )
    assert found(client, "vroom") == ["Vroom"]

    # The import command indexes what it creates.
    path = tmp_path / "companies.csv"
    path.write_text(
        "name,siret,city,postcode,website,email,phone,sectors,description_fr,description_en\n"
        "Tramontane Jeux,73282932000074,Perpignan,66000,,,,jeu-video,Jeux de plateau.,\n",
        encoding="utf-8",
    )
    call_command("import_companies", str(path), stdout=None)
    assert found(client, "tramontanne") == ["Tramontane Jeux"]
    assert found(client, "732 829 320") == ["Tramontane Jeux"]

    # A membership that ends takes the company out of every search.
    plan = MembershipPlanFactory(annual_fee=Decimal("100.00"))
    membership = services.membership_create(company=company, plan=plan)
    services.membership_resign(membership=membership)
    assert "Vroom" not in found(client, "jeu video")

    # A synonym change applies at once.
    assert found(client, "gaming") == []
    Synonym.objects.create(terms="jeu vidéo, gaming")
    assert found(client, "gaming") == ["Tramontane Jeux"]
    assert Company.objects.filter(sectors=sector).count() == 2
