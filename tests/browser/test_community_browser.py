"""The community as its users click, in Danish on a tablet, with the demo's printed logins:
a volunteer signs up for a childcare shift and cancels it, and the next on the waiting list is
offered the place; the coordinator confirms a suggested match, and the figures move; the
volunteer logs a meeting with their household."""

import datetime as dt

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ankomst.accounts.models import Membership, Organisation, User
from ankomst.accounts.roles import Role
from ankomst.community import services
from ankomst.community.models import (
    Match,
    Meeting,
    Referral,
    Shift,
    Signup,
    SignupStatus,
    Volunteer,
)
from ankomst.demo.organisations import VOLUNTEERS
from ankomst.demo.services import DEMO_PASSWORD
from tests.browser.conftest import sign_in_danish

WIDTH = 820


def _page(browser, live_server):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 1180},
        base_url=live_server.url,
        locale="da-DK",
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def _second_volunteer(group) -> Volunteer:
    user = User.objects.create(username="ingrid")
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.create(user=user, organisation=group, role=Role.VOLUNTEER)
    return Volunteer.objects.create(
        organisation=group,
        user=user,
        name="Ingrid Venteliste",
        email="ingrid@example.org",
        sex="F",
        birth_year=1975,
        place="Vejgaard",
        joined_on=timezone.localdate() - dt.timedelta(days=50),
        certificate_date=timezone.localdate() - dt.timedelta(days=50),
    )


def test_a_volunteer_cancels_and_the_next_on_the_waiting_list_is_offered(
    demo_committed, browser, live_server
):
    group = Organisation.objects.get(name=VOLUNTEERS)
    victor = Volunteer.objects.get(user__username="volunteer")
    # A childcare shift next week with one place left.
    shift = (
        Shift.objects.filter(
            organisation=group,
            kind="childcare",
            starts_at__gt=timezone.now() + dt.timedelta(days=8),
        )
        .exclude(signups__volunteer=victor)
        .order_by("starts_at")
        .first()
    )
    Signup.objects.filter(shift=shift).delete()
    shift.needed = 1
    shift.save()
    ingrid = _second_volunteer(group)

    context, page = _page(browser, live_server)
    sign_in_danish(page, "volunteer", DEMO_PASSWORD)
    page.goto("/community/shifts/?kind=childcare")
    _fits(page)
    page.goto(f"/community/shifts/{shift.pk}/")
    page.locator(f"form[action='/community/shifts/{shift.pk}/sign-up/'] button").click()
    expect(page.locator(".message.success")).to_be_visible()
    signup = Signup.objects.get(shift=shift, volunteer=victor)
    assert signup.status == SignupStatus.CONFIRMED
    _fits(page)

    # Ingrid comes too late: the waiting list.
    assert services.sign_up(user=ingrid.user, shift=shift).status == SignupStatus.WAITING

    mail.outbox.clear()
    page.locator(f"form[action='/community/sign-ups/{signup.pk}/cancel/'] button").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.CANCELLED
    offered = Signup.objects.get(shift=shift, volunteer=ingrid)
    assert offered.status == SignupStatus.OFFERED
    assert any("ingrid@example.org" in m.to for m in mail.outbox)
    context.close()

    # Ingrid accepts the place on her page.
    context, page = _page(browser, live_server)
    sign_in_danish(page, "ingrid", DEMO_PASSWORD)
    page.goto("/community/me/")
    page.locator(f"a[href='/community/shifts/{shift.pk}/']").first.click()
    page.locator(f"form[action='/community/sign-ups/{offered.pk}/accept/'] button").click()
    expect(page.locator(".message.success")).to_be_visible()
    assert Signup.objects.get(pk=offered.pk).status == SignupStatus.CONFIRMED
    context.close()


def test_the_coordinator_confirms_a_match_and_the_volunteer_logs_a_meeting(
    demo_committed, browser, live_server
):
    context, page = _page(browser, live_server)
    sign_in_danish(page, "coordinator", DEMO_PASSWORD)
    page.goto("/community/")
    before = int(page.locator(".figure-card .figure").nth(2).inner_text())
    waiting_before = Referral.objects.filter(status="waiting").count()
    page.goto("/community/matching/")
    _fits(page)
    row = page.locator("table.list tbody tr").filter(has=page.locator("button.primary")).first
    household = row.locator("input[name=referral]").first.get_attribute("value")
    row.locator("button.primary").click()
    expect(page.locator(".message.success")).to_be_visible()
    match = Match.objects.get(referral_id=int(household), status="active")
    page.goto("/community/")
    assert int(page.locator(".figure-card .figure").nth(2).inner_text()) == before + 1
    assert Referral.objects.filter(status="waiting").count() == waiting_before - 1
    context.close()

    # The demo volunteer's own match: a meeting is logged on it.
    victor = Volunteer.objects.get(user__username="volunteer")
    own = Match.objects.filter(volunteer=victor, status="active").first()
    if own is None:
        referral = Referral.objects.filter(
            status="waiting", kind="contact_person", volunteer_sex=""
        ).first()
        own = services.match_confirm(
            user=User.objects.get(username="coordinator"), referral=referral, volunteer=victor
        )
    context, page = _page(browser, live_server)
    sign_in_danish(page, "volunteer", DEMO_PASSWORD)
    page.goto("/community/me/")
    page.locator(f"a[href='/community/matches/{own.pk}/']").click()
    _fits(page)
    form = page.locator(f"form[action='/community/matches/{own.pk}/meetings/']")
    form.locator("input[name=meeting-hours]").fill("2")
    form.locator("input[name=meeting-note]").fill("Kaffe og en tur i byen")
    form.locator("button").click()
    expect(page.locator(".messages")).to_be_visible()
    assert page.locator(".message.success").count() == 1, page.locator(".messages").inner_text()
    assert Meeting.objects.filter(match=own, note="Kaffe og en tur i byen").exists()
    assert match.pk != own.pk or own.volunteer == victor
    context.close()
