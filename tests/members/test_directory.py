"""The public directory page, company pages and the JSON API."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Company, Membership
from members.search import ranking
from members.views import directory as directory_views
from members.views import pagination

from .factories import (
    CompanyFactory,
    ContactFactory,
    MembershipPlanFactory,
    OfferFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("members:company-list")
API = reverse("members:api-company-list")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def sectors():
    return SectorFactory(slug="jeu-video", name="Jeu vidéo"), SectorFactory(
        slug="e-sante", name="E-santé"
    )


@pytest.fixture
def directory(sectors):
    games, health = sectors
    CompanyFactory(trade_name="Vroom", city="Le Soler", sectors=[games])
    CompanyFactory(trade_name="Alaxione", city="Perpignan", sectors=[health])
    CompanyFactory(trade_name="Arcade Perpignan", city="Perpignan", sectors=[games, health])
    CompanyFactory(trade_name="Caché", published=False, sectors=[games])


def test_directory_lists_published_companies_by_name_with_the_total(client, directory):
    response = client.get(LIST)
    assert response.status_code == 200
    assert [c.trade_name for c in response.context["page_obj"]] == [
        "Alaxione",
        "Arcade Perpignan",
        "Vroom",
    ]
    assert "3 entreprises" in response.text or "3 companies" in response.text
    assert "Caché" not in response.text


def test_cards_and_api_show_each_companys_sectors_by_name_in_the_visitors_language(
    client, directory, sectors
):
    """The sectors come with the rows (``with_listing_data``): the same sectors, in the
    same order, as the company's own relation, and their English names in English."""
    games, health = sectors
    health.name_en = "E-health"
    health.save()
    arcade = Company.objects.get(trade_name="Arcade Perpignan")
    assert [sector.slug for sector in arcade.sector_list] == ["e-sante", "jeu-video"]
    page = client.get(LIST, {"q": "arcade"})
    assert re.search(r'<li class="chip">E-santé</li>\s*<li class="chip">Jeu vidéo</li>', page.text)
    english = client.get(LIST, {"q": "arcade"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<li class="chip">E-health</li>' in english.text
    api = client.get(API, {"q": "arcade"}).json()
    assert api["results"][0]["sectors"] == ["e-sante", "jeu-video"]
    listed = Company.objects.public().with_listing_data().get(pk=arcade.pk)
    assert [(s.pk, s.label) for s in listed.sector_list] == [
        (s.pk, s.label) for s in arcade.sectors.order_by("name")
    ]


def test_directory_filters_by_several_sectors_and_by_city(client, directory):
    both = client.get(LIST, {"sector": ["jeu-video", "e-sante"]})
    assert both.context["page_obj"].paginator.count == 3
    city = client.get(LIST, {"city": "perpignan", "sector": "jeu-video"})
    assert [c.trade_name for c in city.context["page_obj"]] == ["Arcade Perpignan"]


def test_sector_facets_count_the_current_search_ignoring_the_sector_filter(client, directory):
    response = client.get(LIST, {"city": "Perpignan", "sector": "jeu-video"})
    facets = {sector.slug: sector.count for sector in response.context["facets"]}
    assert facets == {"e-sante": 2, "jeu-video": 1}


def test_kind_member_lists_members_and_unregistered_kinds_list_nobody_yet(client, directory):
    plan = MembershipPlanFactory()
    for name in ("Vroom", "Alaxione"):
        membership = services.membership_create(
            company=Company.objects.get(trade_name=name), plan=plan, start=date(2026, 1, 1)
        )
        membership.status = Membership.Status.ACTIVE
        membership.save()
    members = client.get(LIST, {"kind": "member", "sort": "name"}).context["page_obj"]
    assert [c.trade_name for c in members] == ["Alaxione", "Vroom"]
    response = client.get(API, {"kind": "alumni"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_sort_by_newest_and_relevance(client, directory):
    newest = client.get(LIST, {"sort": "newest"}).context["page_obj"]
    assert newest[0].trade_name == "Arcade Perpignan"
    relevance = client.get(LIST, {"q": "perpignan"}).context["page_obj"]
    assert relevance[0].trade_name == "Arcade Perpignan"  # name beats city
    by_name = client.get(LIST, {"q": "perpignan", "sort": "name"}).context["page_obj"]
    assert [c.trade_name for c in by_name] == ["Alaxione", "Arcade Perpignan"]


def test_the_page_state_lives_in_the_url(client, directory):
    CompanyFactory.create_batch(25, city="Perpignan")
    response = client.get(LIST, {"city": "Perpignan", "sort": "name"})
    assert "city=Perpignan&amp;sort=name&amp;page=2" in response.text
    second = client.get(LIST, {"city": "Perpignan", "sort": "name", "page": 2})
    assert len(second.context["page_obj"]) == 7


def test_empty_search_shows_a_helpful_empty_state(client, directory):
    response = client.get(LIST, {"q": "xylophone"})
    assert response.status_code == 200
    assert 'class="empty-state"' in response.text
    assert f'href="{LIST}"' in response.text


def test_each_filter_that_empties_the_list_is_offered_for_removal_with_its_count(client, directory):
    response = client.get(
        LIST, {"q": "vroom", "city": "Perpignan", "sector": "jeu-video", "sort": "name"}
    )
    assert response.context["page_obj"].paginator.count == 0
    offered = {f["query"]: f["count"] for f in response.context["filters_to_remove"]}
    assert offered == {
        "city=Perpignan&sector=jeu-video&sort=name": 1,  # Arcade Perpignan
        "q=vroom&sector=jeu-video&sort=name": 1,  # Vroom, in Le Soler
        "q=vroom&city=Perpignan&sort=name": 0,
    }
    without_city = r'href="\?q=vroom&amp;sector=jeu-video&amp;sort=name">[^<]*Perpignan[^<]*</a>'
    assert re.search(without_city + r' <span class="facet-count">\(1\)', response.text)
    found = client.get(LIST, {"q": "vroom", "sector": "jeu-video"})
    assert "filters_to_remove" not in found.context  # results: nothing to offer


def test_a_search_that_finds_nothing_offers_the_nearest_spelling_with_its_count(client, directory):
    # "vrom": 4 letters, too short for the search to correct by itself.
    response = client.get(LIST, {"q": "vrom", "city": "Le Soler", "page": "1"})
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["did_you_mean"] == {
        "text": "Vroom",  # as the company writes it
        "query": "q=Vroom&city=Le+Soler",  # the other filters kept, the first page
        "count": 1,
        "capped": False,
    }
    assert re.search(r'<a href="\?q=Vroom&amp;city=Le\+Soler">Vroom</a>', response.text)


def test_a_search_that_found_some_of_its_words_offers_the_spelling_that_finds_all(
    client, directory
):
    response = client.get(LIST, {"q": "vrom soler"})
    assert response.context["search_partial"]  # "soler" alone: Vroom, in Le Soler
    assert response.context["did_you_mean"]["text"] == "Vroom soler"
    assert response.context["did_you_mean"]["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "vroom",  # found: nothing to correct
        "zzyzx",  # no word near it
        "vrom perpignan",  # the nearest spelling finds nothing either
        "412345678",  # a number: another company's is no spelling of it
    ],
)
def test_no_spelling_is_offered_when_it_would_not_find_more(client, directory, query):
    CompanyFactory(trade_name="Numéro 412345679", siret="41234567900018")
    assert client.get(LIST, {"q": query}).context["did_you_mean"] is None


def test_no_spelling_is_offered_for_words_the_search_found_another_way(client, directory):
    response = client.get(LIST, {"q": "alaxone soler"})
    assert response.context["search_partial"]  # no company with both: some words, then
    assert response.context["did_you_mean"] is None  # "alaxone" corrected, "soler" whole


def test_a_word_longer_than_levenshtein_reads_is_never_compared(client, directory):
    """PostgreSQL's levenshtein() refuses words over 255 characters (a 500), and anyone
    who edits a description may paste one."""
    pasted = "abcdefghijklmnopqrstuvwxy" * 12  # 300 letters
    CompanyFactory(trade_name="Longue", description_fr=pasted)
    response = client.get(LIST, {"q": "z" + pasted[1:200]})  # near it, in trigrams
    assert response.status_code == 200
    assert response.context["did_you_mean"] is None


def test_each_removal_counts_what_its_page_shows_after_a_search_settled_for_some_words(
    client, sectors
):
    games, health = sectors
    for name in ("Vroom Studio", "Vroom", "Studio Pixel"):
        CompanyFactory(trade_name=name, sectors=[games])
    response = client.get(LIST, {"q": "vroom studio", "sector": "e-sante"})
    assert response.context["page_obj"].paginator.count == 0
    offered = {f["query"]: f["count"] for f in response.context["filters_to_remove"]}
    assert offered == {"sector=e-sante": 0, "q=vroom+studio": 1}
    linked = client.get(LIST, {"q": "vroom studio"}).context["page_obj"]
    assert [company.trade_name for company in linked] == ["Vroom Studio"]


def test_one_filter_alone_is_not_offered_for_removal_nor_counted(
    client, directory, django_assert_num_queries
):
    # The version, the towns, the typo lookup, the page's count, the nearest spelling of
    # "xylophone" (none), the cluster's identity, the sectors to list: nothing counted
    # for the empty state's filters, nor by sector.
    with django_assert_num_queries(7):
        response = client.get(LIST, {"q": "xylophone"})
    assert response.context["filters_to_remove"] == []


def test_a_chosen_sector_none_of_the_results_is_in_stays_listed_to_untick(client, directory):
    response = client.get(LIST, {"q": "alaxione", "sector": "jeu-video"})
    facets = {sector.slug: sector.count for sector in response.context["facets"]}
    assert facets == {"e-sante": 1, "jeu-video": 0}
    checked = r'value="jeu-video" checked> Jeu vidéo <span class="facet-count">\(0\)'
    assert re.search(checked, response.text)


def test_directory_query_count_does_not_grow_with_the_number_of_results(
    client, sectors, django_assert_max_num_queries
):
    CompanyFactory.create_batch(3, sectors=list(sectors))
    with django_assert_max_num_queries(9) as few:
        client.get(LIST, {"q": "sas"})
    cache.clear()
    CompanyFactory.create_batch(40, sectors=list(sectors))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"q": "sas"})
    assert len(response.context["page_obj"]) == 20


def test_api_returns_the_documented_shape(client, directory):
    response = client.get(API, {"city": "Perpignan"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 2
    assert data["next"] is None and data["previous"] is None
    first = data["results"][0]
    assert set(first) == {"name", "snippet", "slug", "url", "city", "sectors", "website", "logo"}
    assert first["snippet"] is None  # HTML with <mark> when the call searches (q)
    assert first["name"] == "Alaxione"
    assert first["url"] == Company.objects.get(trade_name="Alaxione").get_absolute_url()
    assert first["sectors"] == ["e-sante"]
    assert first["logo"] is None


def test_api_pages_link_to_each_other(client, directory):
    CompanyFactory.create_batch(25)
    first = client.get(API).json()
    assert first["count"] == 28
    assert first["next"].endswith("?page=2")
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"].endswith("?page=1")
    assert len(second["results"]) == 8


@pytest.fixture
def past_the_cap(monkeypatch):
    """Seven companies, counted up to 3, two a page: pages 1 and 2 are known from the
    count, pages 3 and 4 are past it."""
    monkeypatch.setattr(directory_views, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(ranking, "STAGED_FROM", 0)  # the search's pages read staged
    for i in range(7):
        CompanyFactory(trade_name=f"Atelier {i}", description_fr="Graphisme et mise en page.")
    return [f"Atelier {i}" for i in range(7)]


@pytest.mark.parametrize("params", [{}, {"q": "atelier"}])
def test_api_pages_lead_on_past_the_cap_to_the_last_result(client, past_the_cap, params):
    names, url, asked = [], API, params
    while url:
        answer = client.get(url, asked).json()
        assert answer["count"] == 4  # "more than 3"
        names += [row["name"] for row in answer["results"]]
        url, asked = answer["next"], None  # the next URL holds the parameters
    assert names == past_the_cap
    assert client.get(API, {**params, "page": 5}).status_code == 404


def test_a_search_reads_staged_only_the_pages_its_count_covers(client, past_the_cap, monkeypatch):
    """Past them, PostgreSQL ranks every match: reading staged every row before page
    1,500 of a common word would cost more."""
    tops = []
    first_rows = ranking.Search.first_rows

    def recorded(run, queryset, top):
        tops.append(top)
        return first_rows(run, queryset, top)

    monkeypatch.setattr(ranking.Search, "first_rows", recorded)
    names = [
        [row["name"] for row in client.get(API, {"q": "atelier", "page": n}).json()["results"]]
        for n in (1, 2, 3, 4)
    ]
    assert names == [past_the_cap[i : i + 2] for i in (0, 2, 4, 6)]
    assert tops == [2, 4]  # the cap (3) and a page: rows 1 to 5


@pytest.mark.parametrize("params", [{}, {"q": "atelier"}])
def test_directory_pages_go_on_past_the_cap_and_say_no_last_page(client, past_the_cap, params):
    third = client.get(LIST, {**params, "page": 3})
    assert [c.trade_name for c in third.context["page_obj"]] == ["Atelier 4", "Atelier 5"]
    assert 'rel="next"' in third.text and "Page 3<" in third.text  # no "of 2"
    last = client.get(LIST, {**params, "page": 4})
    assert [c.trade_name for c in last.context["page_obj"]] == ["Atelier 6"]
    assert 'rel="next"' not in last.text and 'rel="prev"' in last.text
    assert client.get(LIST, {**params, "page": 5}).status_code == 404
    assert client.get(LIST, {**params, "page": 2**62}).status_code == 404


def test_api_uses_the_same_ranking_as_the_page(client, directory):
    api = [r["name"] for r in client.get(API, {"q": "perpignan"}).json()["results"]]
    page = [c.trade_name for c in client.get(LIST, {"q": "perpignan"}).context["page_obj"]]
    assert api == page == ["Arcade Perpignan", "Alaxione"]


def test_api_detail_returns_public_fields_and_only_consenting_contacts(client, directory):
    company = Company.objects.get(trade_name="Vroom")
    ContactFactory(company=company, first_name="Anna", public_consent=True)
    ContactFactory(company=company, first_name="Secret", public_consent=False)
    data = client.get(reverse("members:api-company-detail", args=[company.slug])).json()
    assert data["name"] == "Vroom"
    assert data["sectors"] == ["jeu-video"]
    assert [contact["name"].split()[0] for contact in data["contacts"]] == ["Anna"]
    assert "siren" not in data and "search_vector" not in data
    hidden = Company.objects.get(trade_name="Caché")
    assert client.get(reverse("members:api-company-detail", args=[hidden.slug])).status_code == 404


BAD_INPUTS = [
    ({"q": "x" * 10_000}, 400, "q"),
    ({"q": "a\x00b"}, 400, "q"),
    ({"sector": "no-such-sector"}, 400, "sector"),
    ({"kind": "robot"}, 400, "kind"),
    ({"sort": "price"}, 400, "sort"),
    ({"page": "0"}, 400, "page"),
    ({"page": "-1"}, 400, "page"),
    ({"page": "abc"}, 400, "page"),
    ({"page": "1.5"}, 400, "page"),
    ({"page": str(10**9)}, 404, "page"),
]


@pytest.mark.parametrize(("params", "status", "field"), BAD_INPUTS)
def test_api_bad_parameters_get_a_clear_error_never_a_500(client, directory, params, status, field):
    response = client.get(API, params)
    assert response.status_code == status
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    "query",
    ['"', "'", "' OR 1=1 --", "a & b", "a | b", "!a", "a:*", "(a)", "((", ")", "\\", "%", "_", "*"],
)
def test_search_operators_and_quotes_are_plain_text(client, directory, query):
    assert client.get(API, {"q": query}).status_code == 200
    assert client.get(LIST, {"q": query}).status_code == 200


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 10_000}, 400),
        ({"q": "a\x00b"}, 400),
        ({"sector": "no-such-sector"}, 400),
        ({"page": "0"}, 404),
        ({"page": "-1"}, 404),
        ({"page": "abc"}, 404),
        ({"page": str(10**9)}, 404),
    ],
)
def test_directory_page_bad_parameters_never_give_a_500(client, directory, params, status):
    response = client.get(LIST, params)
    assert response.status_code == status
    if status == 400:
        assert 'class="errorlist"' in response.text


def test_company_page_shows_description_in_the_visitors_language_with_fallback(client):
    both = CompanyFactory(description_fr="Studio français.", description_en="French studio.")
    only_fr = CompanyFactory(description_fr="Seulement en français.", description_en="")
    assert "Studio français." in client.get(both.get_absolute_url()).text
    english = {"headers": {"accept-language": "en"}}
    assert "French studio." in client.get(both.get_absolute_url(), **english).text
    assert "Seulement en français." in client.get(only_fr.get_absolute_url(), **english).text


def test_company_page_has_json_ld_open_graph_and_canonical(client):
    company = CompanyFactory(trade_name="Vroom </script><b>", website="https://vroom.example")
    text = client.get(company.get_absolute_url()).text
    assert '<script type="application/ld+json">' in text
    payload = text.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(payload)
    assert data["@type"] == "Organization"
    assert data["name"] == "Vroom </script><b>"
    assert data["sameAs"] == ["https://vroom.example"]
    assert '<meta property="og:title"' in text
    assert f'<link rel="canonical" href="http://testserver{company.get_absolute_url()}">' in text


def test_company_page_lists_only_contacts_who_consented(client):
    company = CompanyFactory()
    ContactFactory(company=company, first_name="Publique", public_consent=True)
    ContactFactory(company=company, first_name="Privée", public_consent=False)
    text = client.get(company.get_absolute_url()).text
    assert "Publique" in text
    assert "Privée" not in text


def test_logo_thumbnails_are_made_once_at_two_sizes(client, png_bytes, settings):
    from django.core.files.base import ContentFile

    company = CompanyFactory()
    company.logo.save("vroom.png", ContentFile(png_bytes))
    text = client.get(company.get_absolute_url()).text
    assert "/media/thumbs/large/logos/vroom" in text
    api = client.get(API).json()["results"][0]["logo"]
    assert api.startswith("/media/thumbs/small/logos/vroom")
    small = settings.MEDIA_ROOT / api.removeprefix("/media/")
    made_at = small.stat().st_mtime_ns
    cache.clear()
    client.get(API, {"sort": "newest"})
    assert small.stat().st_mtime_ns == made_at


def test_an_edit_is_visible_at_once_despite_the_cache(client, directory):
    first = client.get(LIST)
    assert first["X-Cache"] == "miss"
    assert client.get(LIST)["X-Cache"] == "hit"
    company = Company.objects.get(trade_name="Vroom")
    company.trade_name = "Vroom Studio"
    company.save()
    response = client.get(LIST)
    assert response["X-Cache"] == "miss"
    assert "Vroom Studio" in response.text
    ContactFactory(company=company, first_name="Nouvelle", public_consent=True)
    assert "Nouvelle" in client.get(company.get_absolute_url()).text


def test_logged_in_users_are_never_served_a_cached_page(admin_client, directory):
    admin_client.get(LIST)
    assert "X-Cache" not in admin_client.get(LIST)


def sort_options(html):
    """Return the sort select's options as (value, label, selected) tuples."""
    select = re.search(r'<select name="sort".*?</select>', html, re.S).group()
    return [
        (value, label.strip(), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def test_the_kind_select_keeps_the_chosen_kind_and_ties_a_bad_one_to_its_error(client, directory):
    html = client.get(LIST, {"kind": "startup"}, headers={"accept-language": "en"}).text
    select = re.search(r'<select name="kind".*?</select>', html, re.S).group()
    assert re.findall(r'<option value="([^"]*)" selected>', select) == ["startup"]
    bad = client.get(LIST, {"kind": "robot"}, headers={"accept-language": "en"})
    assert bad.status_code == 400
    select = re.search(r'<select name="kind"[^>]*>', bad.text).group()
    assert 'aria-invalid="true"' in select and 'aria-describedby="id_kind_error"' in select
    assert 'id="id_kind_error"' in bad.text


def test_the_hiring_badge_goes_the_day_after_the_last_offer_closes(client, directory, monkeypatch):
    """The listing's query is built once a day (``_listed``): the next day gets its own."""
    today = timezone.localdate()
    OfferFactory(company=Company.objects.get(trade_name="Vroom"), start_date=today)

    def hiring():
        cache.clear()
        return [c.trade_name for c in client.get(LIST).context["companies"] if c.hiring]

    assert hiring() == ["Vroom"]
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert hiring() == []


def test_the_sort_select_shows_the_order_of_the_list(client, directory):
    browsing = client.get(LIST, headers={"accept-language": "en"}).text
    assert sort_options(browsing) == [
        ("", "Name", True),
        ("relevance", "Relevance", False),
        ("newest", "Newest", False),
    ]
    searching = client.get(LIST, {"q": "perpignan"}, headers={"accept-language": "en"}).text
    assert sort_options(searching)[0] == ("", "Relevance", True)
    newest = client.get(LIST, {"sort": "newest"}, headers={"accept-language": "en"}).text
    assert ("newest", "Newest", True) in sort_options(newest)


def test_a_search_typed_while_browsing_by_name_is_ranked_by_relevance(client, directory):
    # The form sends the select's empty choice ("Name" while browsing) with the new words.
    response = client.get(LIST, {"q": "Arcade Perpignan", "sort": ""})
    names = [company.trade_name for company in response.context["companies"]]
    assert names[0] == "Arcade Perpignan"
    assert client.get(API, {"sort": "name"}).status_code == 200


def test_the_filters_fold_below_the_search_box_on_phones_until_one_is_set(client, directory):
    folded, opened = '<details class="filters-panel">', '<details class="filters-panel" open>'
    for params in ({}, {"page": "1"}, {"q": "vroom"}):  # the results right below the box
        page = client.get(LIST, params).text
        assert folded in page
        assert page.index('name="q"') < page.index(folded)  # the search box above, in sight
    assert opened in client.get(LIST, {"city": "Perpignan"}).text
    assert opened in client.get(LIST, {"q": "vroom", "sort": "name"}).text
