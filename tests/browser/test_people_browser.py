from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_a_caseworker_finds_a_person_by_another_spelling(tablet, transactional_db, alice, person_a):
    page = tablet
    sign_in(page, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.get_by_role("link", name="People").click()
    page.get_by_label("Name, case number or CPR number").fill("MOHAMMED al hassan")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    page.get_by_role("link", name="Muhammad Al-Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Muhammad Al-Hassan")
    expect(page.get_by_text("محمد الحسن").first).to_be_visible()
    expect(page.get_by_text("24-123456")).to_be_visible()


def test_search_never_shows_another_municipalitys_person(
    tablet, transactional_db, alice, person_a, person_b
):
    page = tablet
    sign_in(page, "alice", PASSWORD)
    page.goto("/people/?q=muhammad")
    expect(page.get_by_text("1 person found")).to_be_visible()
    expect(page.get_by_text("Darwish")).to_have_count(0)


def test_repeated_wrong_passwords_lock_the_account(tablet, transactional_db, alice):
    page = tablet
    for _ in range(4):
        sign_in(page, "alice", "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("did not match")
    sign_in(page, "alice", "not-the-password")  # the fifth failure locks
    expect(page.get_by_role("heading", name="Account locked")).to_be_visible()
    sign_in(page, "alice", PASSWORD)  # and then even the right password is refused
    expect(page.get_by_role("heading", name="Account locked")).to_be_visible()


def test_the_interface_switches_to_danish_and_swedish(tablet, transactional_db):
    page = tablet
    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.locator("#language-select").select_option("sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
