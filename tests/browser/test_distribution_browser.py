"""The national agency's quotas as its distribution office clicks them, in Danish on a tablet,
with the demo's printed login: the year's quotas by region and municipality, an exchange
across regions refused in Danish, one within a region recorded."""

from playwright.sync_api import expect

from ankomst.distribution.models import QuotaExchange
from tests.browser.conftest import NARROW as WIDTH
from tests.browser.test_danish_walk import RAW_CODE, english_on


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def test_the_quotas_an_exchange_refused_and_one_recorded(demo_committed, danish_tablet):
    page = danish_tablet("fordeling")
    page.get_by_role("link", name="Kvoter", exact=True).click()
    page.locator("table.list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kvoter")
    expect(page.locator("figure.chart svg")).to_be_visible()
    expect(page.locator("table.list").first).to_contain_text("Region Nordjylland")
    text = page.locator("main").inner_text()
    assert not english_on(text) and not RAW_CODE.findall(text)
    _fits(page)

    before = QuotaExchange.objects.count()
    form = page.locator("form[action$='/exchanges/']")
    form.get_by_label("Fra").select_option(label="Hjørring (Region Nordjylland)")
    form.get_by_label("Til").select_option(label="København (Region Hovedstaden)")
    form.get_by_label("Personer").fill("3")
    form.get_by_label("Aftale").fill("Aftalt pr. telefon")
    form.get_by_role("button").click()
    expect(page.locator("main")).to_contain_text("inden for én region")
    assert QuotaExchange.objects.count() == before

    form = page.locator("form[action$='/exchanges/']")
    form.get_by_label("Til").select_option(label="Frederikshavn (Region Nordjylland)")
    form.get_by_role("button").click()
    expect(page.locator(".messages")).to_be_visible()
    assert QuotaExchange.objects.count() == before + 1
    _fits(page)
