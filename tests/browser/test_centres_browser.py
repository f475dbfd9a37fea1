import datetime as dt

from playwright.sync_api import expect

from ankomst.centres.models import Stay
from ankomst.people.models import Household
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


def test_staff_check_in_a_household_and_transfer_it(
    tablet, transactional_db, staff, centre, make_person, operator
):
    household = Household.objects.create(organisation=operator, reference="H-7")
    make_person(operator, "Khaled Haddad", born=dt.date(1985, 1, 1), household=household)
    make_person(
        operator,
        "Reem Haddad",
        born=dt.date(1988, 1, 1),
        sex="F",
        household=household,
        relation="spouse",
    )
    make_person(
        operator, "Omar Haddad", born=dt.date(2018, 1, 1), household=household, relation="child"
    )
    page = tablet
    sign_in(page, "staff", PASSWORD)
    page.get_by_role("link", name="Centres").click()
    page.get_by_role("link", name="Residence North").click()
    expect(page.get_by_text("0 of 40 places occupied, 40 free, 0 closed.")).to_be_visible()
    page.get_by_role("link", name="Check in a household").click()
    page.get_by_label("Find the person or a member of the household").fill("khalid hadad")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Khaled Haddad").click()
    # The suggestion keeps the family in one room and says why.
    expect(page.get_by_text("Family kept together in one room")).to_be_visible()
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Saved: 3 persons in their new beds.")).to_be_visible()
    expect(page.get_by_role("heading", name="Khaled Haddad")).to_be_visible()
    first_room = {
        s.bed.room_id for s in Stay.objects.filter(end__isnull=True).select_related("bed")
    }
    assert len(first_room) == 1

    # Transfer the household to another room; the history keeps both stays.
    page.get_by_role("link", name="Transfer household").click()
    selects = page.locator("select[name^=bed_]").all()
    for i, select in enumerate(selects):
        option = select.locator("option", has_text="· A101 (").nth(i)
        select.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="Transfer").click()
    expect(page.get_by_text("Saved: 3 persons in their new beds.")).to_be_visible()
    history = page.get_by_role("table").filter(has_text="History")
    expect(history.get_by_text("Transferred")).to_be_visible()
    assert {
        s.bed.room.number for s in Stay.objects.filter(end__isnull=True).select_related("bed__room")
    } == {"A101"}
    assert Stay.objects.filter(is_transfer_out=True).count() == 3
