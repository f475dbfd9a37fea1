"""The audit log and the user management pages on a tablet (820 px), in Danish and Swedish."""

import pytest
from playwright.sync_api import expect

from ankomst.accounts.roles import Role
from tests.conftest import PASSWORD

# Strings of these pages that must not show untranslated in Danish or Swedish.
ENGLISH = [
    "Audit log",
    "Person (name or case number)",
    "All users",
    "Grant a role",
    "Password and lock",
    "Reset to a temporary password",
    "Lock account",
    "New user",
    "Create user",
    "Last sign-in",
    "Signed in",
]
HEADINGS = {
    "da": ("Logbog", "Brugere", "Tildel en rolle"),
    "sv": ("Granskningslogg", "Användare", "Tilldela en roll"),
}


@pytest.fixture
def narrow_tablet(browser, live_server):
    """A tablet in portrait (820 px wide, like an iPad Air)."""
    contexts = []

    def open_page(language: str):
        context = browser.new_context(
            viewport={"width": 820, "height": 1180},
            base_url=live_server.url,
            locale=language,
            has_touch=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/")


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820, f"{page.url} is {width} px wide"


def _translated(page):
    text = page.locator("main").inner_text()
    leftovers = [s for s in ENGLISH if s in text]
    assert leftovers == [], f"{page.url}: {leftovers}"


@pytest.mark.parametrize("language", ["da", "sv"])
def test_audit_and_user_pages_fit_a_tablet_and_are_translated(
    narrow_tablet, transactional_db, language, make_user, muni_a, alice, person_a
):
    admin = make_user(Role.ADMINISTRATOR, muni_a, username="admin_a")
    page = narrow_tablet(language)
    _sign_in(page, "alice")
    page.goto(f"/people/{person_a.pk}/")
    page.context.clear_cookies()
    # The configured language wins over the browser's; the choice is a cookie for every path.
    root = page.url.split("/people/")[0] + "/"
    page.context.add_cookies([{"name": "django_language", "value": language, "url": root}])
    _sign_in(page, admin.username)
    audit_log, users, grant = HEADINGS[language]
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(audit_log)
    page.locator("#f-name").fill("Muhammad")
    page.locator("form.filters button[type=submit]").click()
    expect(
        page.locator("table.audit-log").get_by_role("link", name="Muhammad Al-Hassan").first
    ).to_be_visible()
    _fits(page)
    _translated(page)
    page.goto("/accounts/users/")
    expect(page.get_by_role("heading", level=1)).to_have_text(users)
    _fits(page)
    _translated(page)
    page.get_by_role("link", name="alice").click()
    expect(page.get_by_role("heading", level=3)).to_have_text(grant)
    _fits(page)
    _translated(page)
    page.goto("/accounts/users/new/")
    _fits(page)
    _translated(page)
