"""Playwright against Debian's Chromium; never downloads a browser."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ANKOMST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous, which Django must be told is fine here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("ANKOMST_REQUIRE_BROWSER", "").lower() == "true":
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip(
            f"no Chromium at {CHROMIUM} (apt-get install chromium); CI installs it and requires it"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tablet(browser, live_server):
    """A page in a tablet-sized window (iPad landscape)."""
    context = browser.new_context(
        viewport={"width": 1024, "height": 768},
        base_url=live_server.url,
        locale="en-GB",
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


NARROW = 820  # a tablet upright: no page may be wider


@pytest.fixture
def danish_tablet(browser, live_server):
    """``open_as(username)``: a page signed in with the demo password, in Danish, in a window
    as narrow as an upright tablet; one window per call, all closed at the end."""
    from ankomst.demo.services import DEMO_PASSWORD

    contexts = []

    def open_as(username: str):
        context = browser.new_context(
            viewport={"width": NARROW, "height": 1180},
            base_url=live_server.url,
            locale="da-DK",
            has_touch=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        sign_in_danish(page, username, DEMO_PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_danish(page, username: str, password: str) -> None:
    """Sign in after choosing Danish on the login page (the interface never follows the
    browser's language)."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("#language-select").select_option("da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".user-menu summary")).to_be_visible()
