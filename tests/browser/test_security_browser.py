"""Two-factor authentication in a real browser, pages under the Content Security Policy,
and the security pages at tablet width."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def app_code(secret_shown: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    key = "".join(secret_shown.split())
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{TOTP(key, drift=steps_ahead).token():06d}"


@pytest.fixture
def csp_violations(tablet):
    violations = []
    tablet.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_a_caseworker_sets_up_two_factor_and_signs_in_with_a_code(
    tablet, transactional_db, alice, csp_violations
):
    page = tablet
    sign_in(page, "alice", PASSWORD)
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()

    page.get_by_label("Code from the app").fill("12ab")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("alert")).to_contain_text("has only digits")

    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    recovery = page.get_by_test_id("recovery-codes").locator("li").first.inner_text()

    page.get_by_role("link", name="Continue").click()
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "alice", PASSWORD)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto("/people/")  # nothing opens before the code
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is wrong")
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("must wait a moment")
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    # The code of setup was used; the app's next code is accepted (one step of drift).
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Name, case number or CPR number")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "alice", PASSWORD)
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_text("You used a recovery code. 9 are left.")).to_be_visible()
    assert csp_violations == []


def test_an_administrator_must_set_up_two_factor_when_required(
    tablet, transactional_db, admin_a, settings
):
    settings.REQUIRE_2FA = True
    page = tablet
    sign_in(page, "admin_a", PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Set up two-factor authentication"
    )


def test_pages_run_without_csp_violations(
    tablet, transactional_db, alice, person_a, csp_violations
):
    page = tablet
    try:
        page.goto("/accounts/login/")
    except PlaywrightError:
        # A navigation still settling in a fresh context can abort the first request.
        page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("da")  # the switch's script is a file
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.get_by_label("Sprog").select_option("en")
    # The switch submits a form; let that navigation finish before the next one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in(page, "alice", PASSWORD)
    for path in ("/", "/people/?q=muhammad", f"/people/{person_a.pk}/"):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
    assert csp_violations == []


@pytest.mark.parametrize(
    "path", ["/accounts/two-factor/", "/accounts/two-factor/setup/", "/people/?q=muhammad"]
)
def test_security_pages_fit_a_tablet_in_portrait(
    browser, live_server, transactional_db, alice, person_a, path
):
    context = browser.new_context(
        viewport={"width": 820, "height": 1180}, base_url=live_server.url, locale="en-GB"
    )
    page = context.new_page()
    try:
        sign_in(page, "alice", PASSWORD)
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 820, f"{path} scrolls sideways: {width}px"
    finally:
        context.close()
