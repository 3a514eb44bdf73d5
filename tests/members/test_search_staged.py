"""Many matches: the page ranks the companies with every word in the name first, and
shows the same companies in the same order as ranking every match."""

import pytest
from django.urls import reverse

from members.models import Company
from members.search import Search, search
from members.views import directory

from .factories import CompanyFactory

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
    monkeypatch.setattr(directory, "STAGED_FROM", 0)
    for page in (1, 2) if len(expected) > 20 else (1,):
        api = client.get(reverse("members:api-company-list"), {"q": query, "page": page})
        assert api.status_code == 200
        assert [row["slug"] for row in api.json()["results"]] == expected[(page - 1) * 20 :][:20]
        response = client.get(reverse("members:company-list"), {"q": query, "page": page})
        shown = [company.slug for company in response.context["page_obj"]]
        assert shown == expected[(page - 1) * 20 :][:20]


def test_the_name_matches_alone_are_used_only_when_they_fill_the_page(register):
    run = Search("studio")
    queryset = run.apply(Company.objects.public())
    first = run.first_rows(queryset, 20)
    assert [company.slug for company in first] == ranked("studio")
    # 40 rows reach the descriptions: the name matches cannot tell, so no shortcut.
    assert run.first_rows(queryset, 40) is None
    assert run.first_rows(queryset.order_by("trade_name"), 20) is None
