"""Many matches: the page reads only the companies it shows (one word walks its buckets;
several words rank the name matches first), and shows the same companies in the same
order as ranking every match."""

import pytest
from django.urls import reverse

from members.models import Company, Synonym
from members.search import Search, ranking, search, staged

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


@pytest.mark.parametrize("walk", [5, 12])  # the bar set by a few companies, or by more
@pytest.mark.parametrize(
    "query, shortcut",
    [("studio cat", True), ("studio perpignan", False), ("jeu vidéo sète", False)],
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
            # A phrase in the name sets a bar that an index reaches; a town's word after
            # a name's is no phrase, and a phrase may hide in any description.
            assert (rows is not None) == shortcut, query
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
