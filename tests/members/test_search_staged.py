"""Many matches: the page reads only the companies it shows (one word walks its buckets;
several words rank the name matches first), and shows the same companies in the same
order as ranking every match."""

import pytest
from django.core.cache import cache
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.urls import reverse

from members.models import Company, Synonym
from members.search import Search, ranking, search, staged
from members.search.sql import CompanySQL

from .factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db


def ranked(query, count=20):
    return list(search(Company.objects.public(), query).values_list("slug", flat=True)[:count])


@pytest.fixture
def register():
    # 25 names with the word (some exact, some prefixes), 10 descriptions with it.
    for i in range(25):
        CompanyFactory(trade_name=f"Studio {i:02d}" if i % 3 else f"Studios du Sud {i:02d}")
    for i in range(10):
        CompanyFactory(trade_name=f"Atelier {i:02d}", description_fr="Un studio de son.")


@pytest.mark.parametrize("query", ["studio", "studios", "stud", "studio sud"])
def test_the_staged_pages_are_the_ranked_pages(client, register, monkeypatch, query):
    expected = ranked(query, 40)
    monkeypatch.setattr(ranking, "STAGED_FROM", 0)
    for page in (1, 2) if len(expected) > 20 else (1,):
        api = client.get(reverse("members:api-company-list"), {"q": query, "page": page})
        assert api.status_code == 200
        assert [row["slug"] for row in api.json()["results"]] == expected[(page - 1) * 20 :][:20]
        response = client.get(reverse("members:company-list"), {"q": query, "page": page})
        shown = [company.slug for company in response.context["page_obj"]]
        assert shown == expected[(page - 1) * 20 :][:20]


def test_one_word_walks_its_buckets_and_several_words_use_the_names_when_they_fill(register):
    run = Search("studio")
    queryset = run.apply(Company.objects.public())
    assert [company.slug for company in run.first_rows(queryset, 40)] == ranked("studio", 40)
    assert run.first_rows(queryset.order_by("trade_name"), 20) is None
    run = Search("studios du sud")
    queryset = run.apply(Company.objects.public())
    assert [company.slug for company in run.first_rows(queryset, 5)] == ranked("studios du sud", 5)
    # 40 rows reach beyond the names: the name matches cannot tell, so no shortcut.
    assert run.first_rows(queryset, 40) is None


@pytest.fixture
def mixed_register():
    """One word in every place the rules tell apart: the exact name, a name, a prefix of a
    name, a sector, a town, a description, one typo, the synonym of a sector."""
    sound = SectorFactory(slug="son", name="Son et studio", name_en="Sound")
    games = SectorFactory(slug="jeu-video", name="Jeu vidéo", name_en="Video games")
    Synonym.objects.create(terms="jeu vidéo, gaming")
    rows = [
        ("Studio", [], "Perpignan", ""),
        ("Le Studio Catalan", [], "Perpignan", "Un studio."),
        ("Studiolo", [], "Prades", "Petit atelier."),
        ("Atelier Nord", [sound], "Céret", "Prise de son."),
        ("Atelier Sud", [], "Studio-sur-Têt", "Graphisme."),
        ("Atelier Est", [], "Elne", "Notre studio de création."),
        ("Stduio Ouest", [], "Thuir", "Vidéo."),
        ("Gaming Club", [], "Sète", "Tournois."),
        ("Pixel", [games], "Sète", "Consoles."),
        ("Arcade", [], "Sète", "Salle de jeu vidéo."),
    ]
    for name, sectors, city, description in rows * 3:
        CompanyFactory(trade_name=name, sectors=sectors, city=city, description_fr=description)


@pytest.mark.parametrize("walk", [1000, 7])  # read through the indexes, or walked by id
@pytest.mark.parametrize(
    "query", ["studio", "studio ", "studi", "stduio", "studios", "jeu vidéo", "gaming", "atelier"]
)
def test_the_buckets_of_one_word_give_the_full_ranking_at_every_length(
    mixed_register, monkeypatch, query, walk
):
    monkeypatch.setattr(staged, "WALK", walk)
    expected = ranked(query, 100)
    assert expected, query
    run = Search(query)
    queryset = run.apply(Company.objects.public())
    for top in (1, 3, 10, len(expected), len(expected) + 5):
        rows = run.first_rows(queryset, top)
        assert [company.slug for company in rows] == expected[:top], (query, top)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "studio", "city": "Perpignan"},
        {"q": "studio", "sector": "son"},
        {"q": "studio", "hiring": "false"},
        {"q": "atelier son", "sector": "son"},
        {"q": "studio perpignan", "city": "Perpignan", "sort": "relevance"},
        {"q": "jeu vidéo", "city": "Sète"},
    ],
)
def test_a_staged_search_keeps_the_other_filters_of_the_directory(
    client, mixed_register, monkeypatch, params
):
    """The staged statements read the filterset's conditions compiled once, as plain SQL
    (``staged._Plain``): the same companies as ranking every match that passes them."""
    url = reverse("members:api-company-list")
    expected = [row["slug"] for row in client.get(url, params).json()["results"]]
    assert expected
    cache.clear()
    monkeypatch.setattr(ranking, "STAGED_FROM", 0)
    monkeypatch.setattr(staged, "WALK", 4)
    assert [row["slug"] for row in client.get(url, params).json()["results"]] == expected


def test_a_search_joined_to_another_table_is_ranked_whole(mixed_register, monkeypatch):
    """The staged reading reads the company table alone as plain SQL: a QuerySet joined
    to another table (the sectors here) gets None, and is ranked whole instead."""
    monkeypatch.setattr(ranking, "STAGED_FROM", 0)
    joined = Company.objects.public().filter(sectors__slug="son")
    run = Search("atelier")
    queryset = run.apply(joined)
    assert run.first_rows(queryset, 3) is None
    assert [c.slug for c in run.top_rows(queryset, 3)] == [c.slug for c in queryset[:3]]
    assert queryset.exists()


@pytest.mark.parametrize("walk", [5, 12])  # the bar set by a few companies, or by more
@pytest.mark.parametrize(
    "query, shortcut",
    [
        ("studio cat", {5, 12}),
        ("studio perpignan", {5, 12}),
        # "jeu vidéo" or "gaming" before "sète": ways of two widths, no pair can tell.
        ("jeu vidéo sète", set()),
        ("sète jeu vidéo", {12}),
    ],
)
def test_several_words_beyond_the_walk_give_the_full_ranking(
    mixed_register, monkeypatch, query, shortcut, walk
):
    monkeypatch.setattr(staged, "WALK", walk)
    expected = ranked(query, 100)
    assert expected, query
    run = Search(query)
    queryset = run.apply(Company.objects.public())
    for top in (1, 3, len(expected)):
        rows = run.first_rows(queryset, top)
        if top == 1:
            # Every bar here is reached through the indexes: a phrase anywhere through the
            # index of adjacent pairs, the words in the name through the name's. Fewer
            # matches than the rows asked for among the first 5 companies: no shortcut.
            assert (rows is not None) == (walk in shortcut), query
        if rows is not None:  # None: the caller ranks every match
            assert [company.slug for company in rows] == expected[:top], (query, top)


def test_several_words_look_beyond_the_walk_for_the_better_companies(monkeypatch):
    """The first companies by id set the bar (the phrase in a sector); beyond them, a
    company with the phrase in its name comes first, then one with a word in its name
    and the phrase in its sector: each found through the name's and sectors' indexes."""
    sector = SectorFactory(slug="atelier-studio", name="Atelier studio", name_en="Studio")
    early = [
        CompanyFactory(trade_name=name, sectors=[sector]) for name in ["Alpha", "Beta", "Gamma"]
    ]
    in_name = CompanyFactory(trade_name="Atelier Studio Delta")
    split = CompanyFactory(trade_name="Atelier Epsilon", sectors=[sector])
    monkeypatch.setattr(staged, "WALK", 3)
    run = Search("atelier studio")
    queryset = run.apply(Company.objects.public())
    rows = run.first_rows(queryset, 3)
    assert [company.slug for company in rows] == [in_name.slug, split.slug, early[0].slug]
    assert [company.slug for company in rows] == ranked("atelier studio", 3)


def test_a_bar_too_low_to_look_beyond_is_set_again_over_more_companies(monkeypatch):
    """The first 3 companies hold the words apart in their descriptions: more companies
    pass that bar than are ranked. Among the first 12, most hold the phrase in a sector:
    beyond them, only a company with a word in its name as well comes first."""
    sector = SectorFactory(slug="atelier-studio", name="Atelier studio", name_en="Studio")
    for i in range(3):
        CompanyFactory(trade_name=f"Alpha {i}", description_fr="Un atelier, puis un studio.")
    in_sector = [CompanyFactory(trade_name=f"Beta {i}", sectors=[sector]) for i in range(12)]
    named = CompanyFactory(trade_name="Atelier Nord", sectors=[sector])
    monkeypatch.setattr(staged, "WALK", 3)
    monkeypatch.setattr(staged, "PROBE", 4)
    run = Search("atelier studio")
    queryset = run.apply(Company.objects.public())
    expected = [named.slug, in_sector[0].slug, in_sector[1].slug]
    assert ranked("atelier studio", 3) == expected
    monkeypatch.setattr(staged, "WIDEN", 1)  # the same bar again: it gives up at once
    assert run.first_rows(queryset, 3) is None
    monkeypatch.setattr(staged, "WIDEN", 4)
    assert [company.slug for company in run.first_rows(queryset, 3)] == expected


@pytest.mark.parametrize(
    "tsquery, pairs",
    [
        ("studio <-> catalan", ["studio catalan"]),
        ("jeu <-> video", ["jeu video"]),
        (
            "(jeu | gaming) <-> (video | club)",
            ["jeu video", "jeu club", "gaming video", "gaming club"],
        ),
        # None: words in reverse order, and a sector's last word before the town's.
        ("catalan <-> studio", ["catalan studio"]),
        ("video <-> sete", ["video sete"]),
    ],
)
def test_the_index_of_adjacent_pairs_holds_exactly_the_phrases(mixed_register, tsquery, pairs):
    """``members_search_pairs`` (migration 0038) finds a company exactly when ``<->`` does:
    the same positions, whatever the attribute (a name's last word and the sectors' first
    are no phrase)."""
    public = Company.objects.public()
    phrase = RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
    pair = RawSQL(
        "members_search_pairs(search_vector) && %s::text[]", [pairs], output_field=BooleanField()
    )
    by_phrase = set(public.filter(phrase).values_list("pk", flat=True))
    assert set(public.filter(pair).values_list("pk", flat=True)) == by_phrase
    assert bool(by_phrase) == (tsquery not in {"catalan <-> studio", "video <-> sete"})


def test_the_pairs_of_a_query_are_its_neighbouring_words_edges(mixed_register):
    """Each pair of words typed side by side gives the pairs of their terms (a synonym's
    phrase by its first term); words apart (a stop word between) give none."""
    pairs = Search("sète jeu vidéo ").query.adjacent_pairs()
    assert pairs == [["sete gaming", "sete jeu"]]
    # Before a word, a slot of two widths ("jeu vidéo" or "gaming") tells nothing.
    assert Search("jeu vidéo sète ").query.adjacent_pairs() is None
    assert Search("sète jeu vidéo studio ").query.adjacent_pairs() == [["sete gaming", "sete jeu"]]
    assert Search("studio de sète ").query.adjacent_pairs() is None
    assert Search("studio").query.adjacent_pairs() is None


@pytest.mark.django_db(transaction=True)
def test_the_planner_settings_of_a_staged_search_never_outlive_it(register):
    """The walk tells the planner which plan to use with SET LOCAL: gone after its own
    transaction commits, and reset by hand inside a caller's transaction."""
    from django.db import connection, transaction

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                " current_setting('enable_bitmapscan')"
            )
            return cursor.fetchone()

    for caller_transaction in (False, True):
        run = Search("studio")
        queryset = run.apply(Company.objects.public())
        if caller_transaction:
            with transaction.atomic():
                assert run.first_rows(queryset, 5)
                assert settings() == ("on", "on", "on")
        else:
            assert run.first_rows(queryset, 5)
        assert settings() == ("on", "on", "on")


@pytest.mark.parametrize("query", ["studio perpignan", "atelier studio", "jeu vidéo sète"])
def test_the_attribute_bar_finds_every_company_below_it_and_no_more_in_the_name(
    mixed_register, query
):
    """``_attributes_below(total)`` holds every company whose attribute rule is below
    ``total``; the words a split puts all in the name are asked together there."""
    run = Search(query)
    public = Company.objects.public()
    rules = dict(run.apply(public).values_list("pk", "search_attribute"))
    for total in range(1, 3 * len(run.query.slots) + 1):
        condition = staged._attributes_below(run.query, total)
        found = set(
            public.filter(CompanySQL(*condition, BooleanField())).values_list("pk", flat=True)
        )
        assert {pk for pk, attribute in rules.items() if attribute < total} <= found, total
    # Both words in the name: no company of this register has both there.
    both_in_name = staged._attributes_below(Search("atelier studio").query, 1)
    assert not public.filter(CompanySQL(*both_in_name, BooleanField())).exists()


@pytest.mark.parametrize("query", ["réalité virtuelle studio", "vr studio", "jeu vidéo studio"])
def test_a_phrase_after_a_synonym_of_another_length_still_gives_the_full_ranking(
    monkeypatch, query
):
    """PostgreSQL lets the shorter way of a slot (``vr``) end where the longer one would
    (``réalité virtuelle``): "VR en studio" is a phrase of ``vr studio`` in a text that
    also holds "réalité virtuelle", though no pair of its terms is side by side. Such a
    pair of slots tells nothing, and the company still comes first."""
    Synonym.objects.create(terms="réalité virtuelle, vr")
    Synonym.objects.create(terms="jeu vidéo, gaming")
    for i in range(6):
        CompanyFactory(
            trade_name=f"Alpha {i}",
            description_fr="Réalité virtuelle et jeu vidéo, gaming, vr. Un grand studio.",
        )
    target = CompanyFactory(
        trade_name="Omega",
        description_fr="VR en studio. Réalité virtuelle. Gaming en studio. Jeu vidéo.",
    )
    monkeypatch.setattr(staged, "WALK", 3)
    run = Search(query)
    assert run.query.adjacent_pairs() is None
    queryset = run.apply(Company.objects.public())
    expected = ranked(query, 3)
    assert expected[0] == target.slug
    rows = run.first_rows(queryset, 3)
    assert rows is None or [company.slug for company in rows] == expected


def test_two_long_codes_side_by_side_leave_the_company_savable_and_searchable():
    """A GIN entry holds about 2,700 bytes: the index of adjacent pairs leaves out a pair
    longer than ``MAX_PAIR_BYTES``, and a query with such a pair does not ask for it."""
    code = "a1b2c3d4" * 180  # 1,440 letters and digits: one term
    company = CompanyFactory(trade_name="Clés", description_fr=f"Clé {code} {code[::-1]} fin.")
    company.refresh_from_db()
    assert company.search_vector
    run = Search(f"{code} {code[::-1]}")
    assert run.query.adjacent_pairs() is None
    assert ranked(f"{code} {code[::-1]}") == [company.slug]
