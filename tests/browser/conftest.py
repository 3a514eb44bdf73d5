"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium).

Never ``playwright install``: that downloads a browser, which this network refuses.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that the
# tests make to set up data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        if os.environ.get("CITE_REQUIRE_BROWSER"):
            pytest.fail("CITE_REQUIRE_BROWSER is set but no chromium is installed.")
        pytest.skip("No chromium on this machine: apt-get install chromium to run browser tests.")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{item.name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"\nScreenshot of the failure: {path}")
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the failure
            print(f"\nNo screenshot: {exc}")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Browse as the cluster's visitors mostly do: in French."""
    return {**browser_context_args, "locale": "fr-FR"}
