"""The housing department's day as its caseworker clicks it, in Danish on a tablet, with the
demo's printed login: import units, start a run and watch its progress, override one proposal
with a reason, accept the rest, make an offer, record the reply and the move-in, and see the
arrival's "housing ready" task close.

The run is solved by ``tasks.solve_run`` in the test's own thread while the page polls: the
database of a browser test lives in this process. A real worker process, killed mid-run, is
tested on its own (tests/housing/test_housing_worker.py)."""

import re

from playwright.sync_api import expect

from ankomst.housing import tasks
from ankomst.housing.models import HousingUnit, PlacementRun, Proposal, ProposalStatus, Tenancy
from ankomst.reception.models import TaskStatus
from tests.browser.conftest import NARROW as WIDTH
from tests.browser.test_danish_walk import RAW_CODE, english_on

ROWS = """reference,address,area,kind,rooms,max_persons,rent,accessible,floor,disadvantaged,school_km,daycare_km,transport_km,shops_km,landlord_kind,landlord
NY-1,Fjordvej 3,vestbyen,permanent,3,5,5400,no,1,no,0.6,0.4,0.2,0.3,association,Alabu Bolig
NY-2,Fjordvej 5,vestbyen,permanent,2,3,4300,ja,0,nej,0.6,0.4,0.2,0.3,association,Alabu Bolig
"""


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def test_import_run_override_accept_offer_and_move_in(demo_committed, danish_tablet):
    page = danish_tablet("bolig")

    # the stock: two units from a spreadsheet, checked first
    page.get_by_role("link", name="Bolig", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("i Aalborg Kommune")
    _fits(page)
    page.get_by_role("link", name="Boligmasse").click()
    page.get_by_role("link", name="Importér boliger").first.click()
    page.get_by_label("…eller indsæt rækkerne").fill(ROWS)
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("status")).to_contain_text("Filen er gyldig: 2 boliger.")
    page.get_by_role("button", name="Importér nu").click()
    expect(page.locator(".messages")).to_contain_text("2 boliger er tilføjet boligmassen.")
    assert HousingUnit.objects.filter(reference__in=["NY-1", "NY-2"]).count() == 2
    _fits(page)

    # a run: queued, solved while the page polls, then shown for review
    page.get_by_role("link", name="Placeringskørsler").click()
    page.get_by_role("button", name="Start en placeringskørsel").click()
    expect(page.locator("#progress")).to_contain_text("Venter på en baggrundsproces")
    run = PlacementRun.objects.get()
    assert tasks.solve_run(run.pk) == "done"
    expect(page.get_by_role("heading", name="Forslaget i tal")).to_be_visible()
    _fits(page)

    # one proposal overridden with a reason
    page.locator("table.list tbody tr a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forslag for husstand")
    _fits(page)
    override = page.locator("form[action$='/override/']")
    choice = override.get_by_label("Bolig i stedet")
    choice.select_option(index=1)
    override.get_by_label("Årsag").fill("Tæt på familiens netværk")
    override.get_by_role("button", name="Tilsidesæt").click()
    expect(page.locator(".messages")).to_contain_text("Husstanden har fået den bolig, du valgte.")
    overridden = Proposal.objects.get(run=run, decision_reason="Tæt på familiens netværk")
    assert overridden.overridden and overridden.status == ProposalStatus.ACCEPTED

    # the rest accepted at once
    page.get_by_role("link", name=re.compile("Kørslen")).click()
    page.get_by_role("button", name=re.compile(r"Acceptér de \d+ åbne forslag")).click()
    expect(page.locator(".messages")).to_contain_text("forslag er accepteret")
    # only a proposal whose unit the override took stays open, and the page says so
    left = run.proposals.filter(status=ProposalStatus.PROPOSED, unit__isnull=False)
    assert all(p.unit_id == overridden.unit_id for p in left)
    if left:
        expect(page.locator(".messages")).to_contain_text("bliver stående åbent")

    # the offer, the reply and the move-in
    page.goto(f"/housing/proposals/{overridden.pk}/")
    page.get_by_role("button", name="Giv tilbuddet").click()
    expect(page.locator(".messages")).to_contain_text("Tilbuddet er givet.")
    _fits(page)
    page.get_by_role("button", name="Accepteret").click()
    expect(page.locator(".messages")).to_contain_text("Husstanden har accepteret tilbuddet.")
    page.get_by_role("button", name="Registrér indflytningen").click()
    expect(page.locator(".messages")).to_contain_text("Indflytningen er registreret")
    tenancy = Tenancy.objects.get(offer__proposal=overridden)
    assert tenancy.unit == overridden.unit

    # the reception sees the arrival's housing task done
    arrival = overridden.need.arrival
    task = arrival.tasks.get(code="housing_ready")
    assert task.status == TaskStatus.DONE
    page.goto(f"/reception/arrivals/{arrival.pk}/")
    row = page.locator("li, tr").filter(has_text="Bolig klar og nøgler udleveret").first
    expect(row).to_contain_text("Udført")
    _fits(page)

    # every page of the journey in Danish: no English of the catalogue, no internal code
    unplaced = run.proposals.filter(engine_unit__isnull=True).first()
    pages = [
        f"/housing/runs/{run.pk}/",
        f"/housing/runs/{run.pk}/?show=unplaced",
        f"/housing/proposals/{overridden.pk}/",
        f"/housing/households/{overridden.need_id}/",
        f"/housing/units/{overridden.unit_id}/",
        f"/housing/offers/{tenancy.offer_id}/",
        f"/housing/runs/{run.pk}/map/",
        "/housing/rates/",
        "/housing/units/import/",
    ]
    if unplaced is not None:
        pages.append(f"/housing/proposals/{unplaced.pk}/")
    problems = []
    for path in pages:
        page.goto(path)
        # a file's column names are its format: shown as code on purpose
        text = page.evaluate(
            """() => { const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('code').forEach(e => e.remove());
            document.body.appendChild(main); const text = main.innerText; main.remove();
            return text; }"""
        )
        if english := english_on(text):
            problems.append(f"{path}: English {english[:5]}")
        if codes := sorted(set(RAW_CODE.findall(text)) - {"housing_ready"})[:5]:
            problems.append(f"{path}: codes {codes}")
        if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
            problems.append(f"{path}: wider than {WIDTH} px")
    assert not problems, "\n".join(problems)


def test_the_map_reads_as_a_map_with_a_table_beside_it(demo_committed, danish_tablet):
    page = danish_tablet("bolig")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/housing/map/")
    expect(page.locator(".leaflet-interactive").first).to_be_visible()
    assert page.locator("path.leaflet-interactive").count() >= 23  # every area's polygon
    expect(page.locator(".housing-map-legend")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Nørresundby")
    _fits(page)
    assert errors == []
