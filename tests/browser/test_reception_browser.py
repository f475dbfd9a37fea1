"""An arrival from the centre's granted phase to the municipality's goals, as its users click."""

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from ankomst.accounts.models import UnitKind
from ankomst.centres.models import Bed, CheckOutReason, Stay
from ankomst.reception import calendar
from ankomst.reception.models import Arrival, ChildStart, HandOff, IntegrationPlan, Task
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.reception.conftest import department_user, departments, family  # noqa: F401


def short(day: dt.date) -> str:
    with translation.override("en"):
        return date_format(day, "SHORT_DATE_FORMAT")


def sign_out(page) -> None:
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_an_arrival_flows_from_the_centre_to_the_goals(
    tablet,
    transactional_db,
    staff,
    centre,
    alice,
    muni_a,
    family,  # noqa: F811
    department_user,  # noqa: F811
):
    household, members = family
    father, _mother, girl, _boy = members
    beds = Bed.objects.filter(room__building__centre=centre, room__kind="family")[:4]
    for person, bed in zip(members, beds, strict=True):
        Stay.objects.create(
            person=person,
            bed=bed,
            organisation=centre.organisation,
            start=timezone.now() - dt.timedelta(days=200),
            created_by=staff,
        )
    jobcenter = department_user(UnitKind.JOB_CENTRE)
    today = timezone.localdate()
    # The decision was recorded late: the household has been the municipality's for a while.
    decision = today - dt.timedelta(days=75)
    page = tablet

    # The centre records the agency's assignment decision: granted, to Municipality A.
    sign_in(page, "staff", PASSWORD)
    page.goto(f"/people/{father.pk}/")
    page.get_by_text("Register a new phase").click()
    page.get_by_role("combobox", name="Phase").select_option(
        label="Granted, awaiting transfer to a municipality"
    )
    page.get_by_label("From").fill(decision.isoformat())
    page.get_by_role("combobox", name="Receiving municipality").select_option(
        label="Municipality A"
    )
    page.get_by_role("button", name="Save").click()
    handover = calendar.handover_date(decision)
    expect(page.get_by_text(f"handover {short(handover)}")).to_be_visible()
    sign_out(page)

    # The municipality sees the household in its arrivals, with the computed handover date.
    sign_in(page, "alice", PASSWORD)
    page.get_by_role("link", name="Reception").first.click()
    arrival = Arrival.objects.get(organisation=muni_a)
    assert arrival.handover_date == handover and arrival.persons == 4
    row = page.get_by_role("row").filter(has_text=arrival.household.reference)
    expect(row).to_contain_text(short(handover))
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(arrival.household.reference)

    # Its checklist is there; citizen service hands the CPR registration to the job centre.
    cpr = Task.objects.get(arrival=arrival, code="cpr")
    tasks = page.get_by_role("table").filter(has_text=cpr.title)
    cpr_row = tasks.get_by_role("row").filter(has_text=cpr.title)
    expect(cpr_row).to_contain_text(short(cpr.due_on))
    cpr_row.get_by_role("link", name="Hand off").click()
    page.get_by_role("combobox", name="Hand off to").select_option(label="Job centre")
    page.get_by_label("What they need to know").fill(
        "The father asks about work as an electrician."
    )
    page.get_by_role("button", name="Hand off").click()
    expect(page.get_by_text("The task was handed off.")).to_be_visible()
    expect(page.get_by_text("not yet acknowledged").first).to_be_visible()
    sign_out(page)

    # The job centre acknowledges it from its queue.
    sign_in(page, jobcenter.username, PASSWORD)
    page.goto("/reception/queue/")
    waiting = page.get_by_role("listitem").filter(has_text="electrician")
    waiting.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("The hand-off was acknowledged.")).to_be_visible()
    assert HandOff.objects.get(task=cpr).acknowledged_by == jobcenter

    # The father's integration plan: programme, contract, language school, a first status.
    page.goto(f"/reception/arrivals/{arrival.pk}/")
    page.get_by_role("link", name=father.name_latin).click()
    page.get_by_label("Integration contract signed").fill(today.isoformat())
    page.get_by_label("Danish language school module").fill("2")
    page.get_by_label("Work experience").fill("Electrician, 12 years")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan was saved.")).to_be_visible()
    page.get_by_text("Add a status").click()
    page.get_by_role("combobox", name="Status").select_option(label="Danish language school")
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("The status was added to the plan.")).to_be_visible()
    plan = IntegrationPlan.objects.get(person__name_latin=father.name_latin, organisation=muni_a)
    assert plan.language_module == 2 and plan.statuses.get().status == "language_school"

    # The girl of 8 starts school.
    page.goto(f"/reception/arrivals/{arrival.pk}/")
    page.get_by_role("link", name=girl.name_latin).click()
    page.get_by_role("combobox", name="Offer").select_option(label="School")
    page.get_by_label("Institution").fill("Vestbjerg Skole")
    page.get_by_label("Started on").fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The child's start was saved.")).to_be_visible()
    start = ChildStart.objects.get(person__name_latin=girl.name_latin, organisation=muni_a)
    assert start.started_on == today and start.place == "Vestbjerg Skole"

    # The goals page: charts with their tables; one family is too small a group to show.
    page.goto("/reception/goals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The reception strategy's goals")
    expect(page.get_by_role("img").first).to_be_visible()
    expect(page.get_by_role("table").first).to_be_attached()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024, f"the goals page scrolls sideways: {width}px"
    sign_out(page)

    # The centre is told the handover is due and confirms the check-out on its date.
    sign_in(page, "staff", PASSWORD)
    page.get_by_role("link", name="Centres").first.click()
    page.get_by_role("link", name="Handovers to municipalities").click()
    row = page.get_by_role("row").filter(has_text=father.name_latin)
    expect(row).to_contain_text("Municipality A")
    row.get_by_role("button", name="Confirm check-out").click()
    expect(
        page.get_by_text(f"{father.name_latin} was checked out to the municipality.")
    ).to_be_visible()
    stay = Stay.objects.get(person=father)
    assert stay.end_reason == CheckOutReason.MUNICIPALITY
    assert timezone.localtime(stay.end).date() == handover
