"""Cross-site scripting, in a real browser: Chromium loads every public page of a site
whose every public text is a payload (and pages whose query string is one), and no script
of theirs runs: no dialog opens, ``window.__xss`` stays undefined, no injected element or
event handler is in the DOM, and the Content Security Policy reports no blocked attempt.

The Playwright set-up (Debian's Chromium, skipped with a reason when absent, required with
CITE_REQUIRE_BROWSER) is tests/browser/conftest.py's, re-exported by this folder's conftest.
"""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from .support import XSS_PAYLOADS, hostile_site
from .test_xss import public_urls

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
INJECTED = '[onerror], [onload], [onmouseover], [onfocus], img[src="x"], svg'


def reflecting_urls():
    urls = []
    for payload in XSS_PAYLOADS.values():
        urls += [
            reverse("members:company-list") + "?" + urlencode({"q": payload, "city": payload}),
            reverse("members:offer-list") + "?" + urlencode({"city": payload, "start": payload}),
            reverse("startups:office-list") + "?" + urlencode({"start": payload}),
            reverse("login") + "?" + urlencode({"next": payload}),
        ]
    return urls


def test_no_payload_runs_in_the_browser(live_server, page):
    cache.clear()
    site = hostile_site()
    dialogs, console_errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.add_init_script(WATCH_CSP)
    urls = [
        *public_urls(site),
        *reflecting_urls(),
        reverse("members:api-company-list"),
        reverse("members:api-offer-list"),
    ]

    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        if page.locator("h1").count():
            page.locator("h1").first.hover()  # what an onmouseover would wait for
        assert page.evaluate("() => window.__xss === undefined"), url
        assert page.evaluate(f"() => document.querySelectorAll({INJECTED!r}).length") == 0, url
        assert page.evaluate("() => window.__cspViolations") == [], url

    assert dialogs == []
    assert not [text for text in console_errors if "Content Security Policy" in text]
