"""The week's batch as the agency's distribution office clicks it, in Danish on a tablet,
with the demo's printed login: the waiting households, facts recorded for one, a run with
its progress, one proposal decided otherwise with a reason, the confirmation, and the
arrival at the receiving municipality (Aalborg's quota is used up in the demo).

The run is solved by ``tasks.solve_run`` in the test's own thread while the page polls: the
same function the worker runs."""

from playwright.sync_api import expect

from ankomst.distribution import tasks
from ankomst.distribution.models import DistributionRun, HouseholdFacts
from ankomst.reception.models import Arrival
from tests.browser.conftest import NARROW as WIDTH
from tests.browser.test_danish_walk import RAW_CODE, english_on


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def _clean(page) -> None:
    text = page.locator("main").inner_text()
    assert not english_on(text), english_on(text)
    assert not RAW_CODE.findall(text), RAW_CODE.findall(text)
    _fits(page)


def test_facts_a_run_an_override_and_the_confirmation(demo_committed, danish_tablet):
    page = danish_tablet("fordeling")
    page.get_by_role("link", name="Visitering", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visitering til kommuner")
    rows = page.locator("table.list").last.locator("tbody tr")
    assert rows.count() >= 10
    _clean(page)

    facts_before = HouseholdFacts.objects.count()
    rows.filter(has_text="ingen registreret").first.get_by_role(
        "link", name="Registrér oplysninger"
    ).click()
    page.get_by_label("De voksnes højeste uddannelse").select_option(
        label="Videregående uddannelse"
    )
    page.get_by_label("Nær familie i").select_option(label="Aarhus (Region Midtjylland)")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("main")).to_contain_text("Angiv, hvem af den nære familie")
    _clean(page)
    page.get_by_label("Hvem i familien der bor der").fill("Bror og svigerinde")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".messages")).to_contain_text("Oplysningerne er registreret.")
    assert HouseholdFacts.objects.count() == facts_before + 1

    page.get_by_role("button", name="Foreslå kommuner").click()
    expect(page.locator("#progress")).to_be_visible()
    run = DistributionRun.objects.get()
    assert tasks.solve_run(run.pk) == "done"
    expect(page.get_by_role("heading", name="Pr. kommune")).to_be_visible(timeout=15_000)
    _clean(page)
    expect(page.locator("table.list").last).to_contain_text("Aarhus")  # the family tie

    page.locator("table.list").last.locator("tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Til afgørelsesbrevet")).to_be_visible()
    _clean(page)
    form = page.locator("form[action$='/override/']")
    form.get_by_label("Kommune").select_option(label="Randers (Region Midtjylland)")
    form.get_by_role("button", name="Gem afgørelsen").click()
    expect(page.locator("main")).to_contain_text("Dette felt er påkrævet")  # the reason
    form = page.locator("form[action$='/override/']")
    form.get_by_label("Årsag").fill("Tilbud om praktik i Randers")
    form.get_by_role("button", name="Gem afgørelsen").click()
    expect(page.locator(".messages")).to_contain_text("Afgørelsen er registreret.")

    randers = Arrival.objects.filter(organisation__municipality_code="730")
    arrivals = randers.count()
    page.get_by_role("button", name="Bekræft visiteringen").click()
    expect(page.locator(".messages")).to_contain_text("visiteret")
    _clean(page)
    run.refresh_from_db()
    assert run.confirmed_at is not None
    assert randers.count() == arrivals + 1  # the override: Randers is on Ankomst
