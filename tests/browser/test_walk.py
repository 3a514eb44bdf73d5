"""The walk (tests/walk.py) in a real browser: every page fits a phone, and axe-core finds
nothing, in French and English, light and dark, on a phone and on a laptop.

One live server and one browser context per language; each page is loaded once, then
resized and switched between colour schemes in place, which keeps the walk quick.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.walk import seed_walk

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["fr", "en"]
PHONE_WIDTHS = [320, 360, 412]
AXE_WIDTHS = [320, 1280]
SCHEMES = ["light", "dark"]
AXE_RUN = "options => axe.run(document, options)"
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {
        "resultTypes": ["violations"],
        "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    },
}


@pytest.fixture
def walk(settings):
    settings.CITE_APPLICATIONS_PER_HOUR = 1000  # the walk sends the join form twice
    return seed_walk()


def walk_pages(browser, base_url, walk, language, *, width, init_script=None):
    """Visit every step of the walk in ``language``; yield each step once its page is up.

    The representative's steps come last, with a session opened by the test client.
    """
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    logged_in = False
    try:
        for step in walk.steps:
            if step.representative and not logged_in:
                client = Client()
                client.force_login(get_user_model().objects.get(username=walk.username))
                session = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies(
                    [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
                )
                logged_in = True
            page.set_viewport_size({"width": width, "height": 800})
            page.emulate_media(color_scheme="light")
            page.goto(base_url + step.path)
            if step.submit is not None:
                form = page.locator("main form[method=post]")
                for name, value in step.submit.items():
                    form.locator(f"[name={name}]").fill(value)
                with page.expect_navigation():
                    form.locator("[type=submit]").click()
                assert page.locator(".form-errors").is_visible(), f"{step.name}: no errors shown"
            yield step, page
    finally:
        context.close()


def describe(violation, where):
    """Return one axe violation as a few readable lines."""
    lines = [f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"]
    for node in violation["nodes"][:5]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def test_the_dark_scheme_changes_colours_only():
    """The premise of the axe walk's shortcut below: in the dark scheme, only rules about
    colour can find something new."""
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", css, re.S).group(1)
    declarations = re.findall(r"([\w-]+)\s*:", re.sub(r"^\s*:root\s*\{", "", dark))
    assert declarations
    assert all(name.startswith("--") for name in declarations), declarations


def test_every_page_fits_a_phone_and_axe_finds_no_violation(live_server, browser, walk):
    """Each page, in each language: no sideways scrolling at 320, 360 and 412 px; axe-core
    at 320 and 1280 px, all rules in the light scheme and the colour rules in the dark one
    (which changes colours only: see the test above), so that the walk stays quick."""
    axe = Axe()
    too_wide, found = [], []
    for language in LANGUAGES:
        pages = walk_pages(
            browser, live_server.url, walk, language, width=320, init_script=axe.axe_script
        )
        for step, page in pages:
            for width in PHONE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                scroll, visible = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                if scroll > visible:
                    too_wide.append(
                        f"{language} {width} px {step.name} ({step.path}): {scroll} px wide"
                    )
            for width in AXE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    results = page.evaluate(AXE_RUN, AXE_OPTIONS[scheme])
                    where = f"{language} {scheme} {width} px {step.name} ({step.path})"
                    found += [describe(violation, where) for violation in results["violations"]]
                page.emulate_media(color_scheme="light")
    report = []
    if too_wide:
        report += ["Pages wider than the screen:", *too_wide]
    if found:
        report += ["axe-core violations:", *found]
    assert not report, "\n".join(report)
