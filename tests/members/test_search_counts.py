"""Each word of the index knows how many public companies hold it (kept by PostgreSQL
under every write, migration members.0037): a one-word search held by more companies than
the directory counts says "more than" without counting its matches."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.demo.register import bulk_generate_companies
from members.models import Company, SearchWord, SearchWordMove, Synonym
from members.search import Search, query, ranking
from members.search.suggest import suggestions
from members.views import directory

from .factories import CompanyFactory, MembershipPlanFactory, SectorFactory
from .test_search_write_paths import assert_word_counts_right, word_counts

pytestmark = pytest.mark.django_db

API = reverse("members:api-company-list")
PAGE = reverse("members:company-list")


def held(word):
    return word_counts().get(word, 0)


def test_the_counts_follow_inserts_edits_unpublishing_and_deletes():
    first = CompanyFactory(trade_name="Pixel Nord", description_fr="Casques immersifs.")
    CompanyFactory(trade_name="Pixel Sud", published=False)
    assert held("pixel") == 1  # the unpublished company is in the vocabulary, not counted
    assert held("casqu") == 1
    first.description_fr = "Hologrammes."
    first.save()
    assert held("casqu") == 0
    assert held("hologram") == 1
    Company.objects.filter(pk=first.pk).update(published=False)
    assert held("pixel") == 0
    Company.objects.update(published=True)  # one statement, two companies
    assert held("pixel") == 2
    first.delete()
    assert held("pixel") == 1
    assert_word_counts_right()


def test_a_write_appends_moves_that_a_fold_adds_to_the_counts_after_it_commits(
    django_capture_on_commit_callbacks,
):
    CompanyFactory(trade_name="Pixel Nord")
    assert SearchWordMove.objects.filter(word="pixel").exists()  # not folded yet
    assert held("pixel") == 1  # the moves count all the same
    with django_capture_on_commit_callbacks(execute=True):
        CompanyFactory(trade_name="Pixel Sud")
    assert not SearchWordMove.objects.exists()
    assert SearchWord.objects.get(word="pixel").companies == 2
    assert_word_counts_right()


def test_a_membership_that_delists_its_company_folds_its_moves(
    django_capture_on_commit_callbacks,
):
    company = CompanyFactory(trade_name="Pixel Nord")
    membership = services.membership_create(
        company=company, plan=MembershipPlanFactory(annual_fee=Decimal("100.00"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_resign(membership=membership)
    assert not SearchWordMove.objects.exists()
    assert SearchWord.objects.get(word="pixel").companies == 0
    assert_word_counts_right()


def test_the_counts_are_zero_after_a_truncate():
    CompanyFactory(trade_name="Pixel Nord")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_company CASCADE")
    assert word_counts() == {}


def test_the_rebuild_command_recounts_the_words():
    CompanyFactory(trade_name="Pixel Nord")
    SearchWord.objects.filter(word="pixel").update(companies=40)
    SearchWordMove.objects.create(word="pixel", delta=-2)
    SearchWord.objects.create(word="orphelin", companies=3)
    call_command("rebuild_search_index", "--vocabulary-only", stdout=None)
    assert held("pixel") == 1
    assert not SearchWord.objects.filter(word="orphelin").exists()
    assert_word_counts_right()


def count_statements(queries):
    return [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]


@pytest.fixture
def studios(monkeypatch):
    monkeypatch.setattr(directory, "COUNT_CAP", 3)
    for i in range(5):
        CompanyFactory(trade_name=f"Studio {i}", city="Perpignan" if i < 2 else "Céret")


def test_a_word_held_past_the_cap_is_not_counted(client, studios):
    with CaptureQueriesContext(connection) as queries:
        api = client.get(API, {"q": "studio"})
    assert api.json()["count"] == 4  # more than 3
    # The page is whole: it does not end at the count (cap + 1).
    assert [row["name"] for row in api.json()["results"]] == [f"Studio {i}" for i in range(5)]
    assert count_statements(queries) == []
    page = client.get(PAGE, {"q": "studio"})
    assert page.context["page_obj"].paginator.capped
    assert "Plus de 3" in page.content.decode() or "More than 3" in page.content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "studio", "city": "Perpignan"}, 2),  # another filter: counted
        ({"q": "studio perpignan"}, 2),  # several words: no single word tells
        ({"q": "studio", "sort": "name"}, 4),  # the order changes nothing: more than 3
    ],
)
def test_a_search_the_counts_cannot_tell_is_counted(client, studios, params, expected):
    with CaptureQueriesContext(connection) as queries:
        api = client.get(API, params)
    assert api.json()["count"] == expected
    assert bool(count_statements(queries)) == (expected != 4)


def test_the_sector_counts_of_a_word_held_past_the_cap_are_not_counted(client, studios):
    sector = SectorFactory(slug="son", name="Son", name_en="Sound")
    Company.objects.get(trade_name="Studio 0").sectors.add(sector)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PAGE, {"q": "studio", "sector": "son"})
    assert [c.trade_name for c in page.context["page_obj"]] == ["Studio 0"]
    assert page.context["facets"] is None  # the others: more than 3, not counted by sector
    assert len(count_statements(queries)) == 1  # the page's own count, with the sector


def test_a_synonym_of_one_word_tells_for_a_phrase(client, studios):
    Synonym.objects.create(terms="studio, atelier de création")
    assert Search("atelier de création").more_than(3)
    assert not Search("atelier de création").more_than(5)
    with CaptureQueriesContext(connection) as queries:
        api = client.get(API, {"q": "atelier de création"})
    assert api.json()["count"] == 4
    assert count_statements(queries) == []


def test_a_prefix_and_a_typo_tell_through_their_words(studios):
    assert Search("studi").more_than(3)  # typing: the words the prefix starts
    assert Search("studoi").more_than(3)  # a typo: its correction
    assert not Search("studio").more_than(5)
    assert not Search("zzz").more_than(0)


def test_a_prefix_too_common_to_spell_out_tells_through_the_words_it_starts(monkeypatch):
    """``zorg`` starts more vocabulary words than are spelt out: it stays a prefix, and
    the counts of the words read for it still tell (no count of its matches)."""
    for i in range(5):
        CompanyFactory(trade_name=f"Zorga {i}")
    for i in range(query.MAX_PREFIX_WORDS + 2):
        CompanyFactory(trade_name=f"Zorgb{i:02d}")
    run = Search("zorg")
    assert run.query.slots[0].words[0].levels[1] == ["zorg{p}"]  # not spelt out
    assert run.more_than(4)  # "zorga": 5 companies
    assert not run.more_than(5)
    monkeypatch.setattr(ranking, "STAGED_FROM", 4)
    with CaptureQueriesContext(connection) as queries:
        found = suggestions("zorg")
    assert [row["label"] for row in found][:5] == [f"Zorga {i}" for i in range(5)]
    assert count_statements(queries) == []


def test_suggestions_many_matches_read_the_first_rows_without_counting(monkeypatch, studios):
    monkeypatch.setattr(ranking, "STAGED_FROM", 2)
    with CaptureQueriesContext(connection) as queries:
        found = suggestions("studi")
    assert [row["label"] for row in found] == [f"Studio {i}" for i in range(5)]
    assert count_statements(queries) == []


def test_suggestions_of_words_each_held_past_the_bar_are_not_counted(monkeypatch, studios):
    """Each word alone is in more companies than the bar: the staged reading, which gives
    up when the companies with both are few, rather than a count of them."""
    monkeypatch.setattr(ranking, "STAGED_FROM", 2)
    with CaptureQueriesContext(connection) as queries:
        found = suggestions("studio céret")
    assert [row["label"] for row in found] == ["Studio 2", "Studio 3", "Studio 4"]
    assert count_statements(queries) == []
    with CaptureQueriesContext(connection) as queries:
        found = suggestions("studio perpignan")  # 2 companies: not past the bar
    assert [row["label"] for row in found] == ["Studio 0", "Studio 1"]
    assert len(count_statements(queries)) == 1


def test_companies_added_in_bulk_fold_their_moves_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        added = bulk_generate_companies(30, seed=1)
    assert added == 30
    assert not SearchWordMove.objects.exists()
    assert_word_counts_right()
