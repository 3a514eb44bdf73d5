"""The markup of every page of the walk (tests/walk.py), in French and in English.

With CITE_HTML_DIR set (.ci/run sets test-artifacts/html), the pages are also saved there
for the Nu HTML Checker, which .ci/run runs next.
"""

import os
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.text import slugify

from tests.walk import seed_walk

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


class Outline(HTMLParser):
    """Collect a page's heading levels and the elements with role="alert" or autofocus."""

    def __init__(self):
        super().__init__()
        self.levels = []
        self.alerts = []
        self.autofocus = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if dict(attrs).get("role") == "alert":
            self.alerts.append(tag)
        if "autofocus" in dict(attrs):
            self.autofocus.append(tag)


def outline_of(html):
    parser = Outline()
    parser.feed(html)
    return parser


def skipped_levels(levels):
    """Return the headings that come more than one level below the one before."""
    return [(before, after) for before, after in pairwise([0, *levels]) if after > before + 1]


@pytest.fixture
def walk(settings):
    settings.CITE_APPLICATIONS_PER_HOUR = 1000  # the walk sends the join form twice
    return seed_walk()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_one_h1_headings_in_order_and_one_calm_focused_error_summary(
    client, walk, django_user_model, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    saved = Path(os.environ["CITE_HTML_DIR"]) if os.environ.get("CITE_HTML_DIR") else None
    problems = []
    for step in walk.steps:
        if step.representative and "_auth_user_id" not in client.session:
            client.force_login(django_user_model.objects.get(username=walk.username))
        if step.submit is None:
            response = client.get(step.path)
        else:
            response = client.post(step.path, step.submit)
        html = response.content.decode()
        outline = outline_of(html)
        where = f"{language} {step.name} ({step.path})"
        if response.status_code != step.status:
            problems.append(f"{where}: answered {response.status_code}, not {step.status}")
        if outline.levels.count(1) != 1:
            problems.append(f"{where}: {outline.levels.count(1)} h1")
        if skipped := skipped_levels(outline.levels):
            problems.append(f"{where}: headings skip a level {skipped}")
        expected_alerts = ["div"] if step.shows_errors else []
        if outline.alerts != expected_alerts:
            problems.append(f"{where}: role=alert on {outline.alerts}, not {expected_alerts}")
        if len(outline.autofocus) > 1 or (step.shows_errors and outline.autofocus != ["div"]):
            problems.append(f"{where}: autofocus on {outline.autofocus}")
        if saved:
            saved.mkdir(parents=True, exist_ok=True)
            (saved / f"{language}-{slugify(step.name)}.html").write_text(html)
    assert not problems, "\n".join(problems)


def test_the_error_summary_links_to_each_field_and_the_field_to_its_message(client, db):
    html = client.post("/join/", {"contact_email": "not an address"}).content.decode()

    summary = re.search(
        r'<div class="form-errors" role="alert" tabindex="-1" autofocus>.*?</div>', html, re.S
    )
    assert 'href="#id_legal_name"' in summary.group()
    assert 'href="#id_contact_email"' in summary.group()
    field = re.search(r'<input[^>]*id="id_contact_email"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_contact_email_error"' in field
    assert '<ul class="errorlist" id="id_contact_email_error">' in html
    assert html.count('role="alert"') == 1
