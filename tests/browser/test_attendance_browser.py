"""A teacher takes attendance on a tablet: one tap per learner, saved at once, kept on reload."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ankomst.accounts.roles import Role
from ankomst.activities.models import Activity, ActivityKind, Attendance, Enrolment, Session
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


@pytest.fixture
def class_of_30(transactional_db, make_user, make_person, operator):
    teacher = make_user(Role.TEACHER, operator, username="teacher")
    teacher.first_name, teacher.last_name = "Lærke", "Underviser"
    teacher.save()
    activity = Activity.objects.create(
        organisation=operator,
        kind=ActivityKind.DANISH,
        name="Danish module 2",
        place="Classroom 2",
        teacher=teacher,
    )
    today = timezone.localdate()
    session = Session.objects.create(
        activity=activity,
        date=today,
        starts_at=dt.time(9),
        ends_at=dt.time(12),
        place="Classroom 2",
        teacher=teacher,
    )
    learners = []
    for i in range(30):
        person = make_person(operator, f"Learner {i + 1:02d}", name_document=f"طالب {i + 1}")
        Enrolment.objects.create(
            activity=activity, person=person, enrolled_on=today - dt.timedelta(days=7)
        )
        learners.append(person)
    return session, learners


def _row(page, name):
    return page.locator(".attendance-row", has_text=name)


def _take_attendance(page, session, learners):
    sign_in(page, "teacher", PASSWORD)
    page.get_by_role("link", name="Activities").click()
    page.get_by_role("link", name="Danish module 2").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("30 learners")
    expect(page.locator(".attendance-row")).to_have_count(30)
    expect(page.get_by_text("Not marked: 30")).to_be_visible()

    first, second, third, last = (
        _row(page, n) for n in ("Learner 01", "Learner 02", "Learner 03", "Learner 30")
    )
    first.get_by_role("button", name="Present").tap()
    expect(_row(page, "Learner 01").get_by_role("button", name="Present")).to_have_attribute(
        "aria-pressed", "true"
    )
    second.get_by_role("button", name="Absent").tap()
    expect(_row(page, "Learner 02").get_by_role("button", name="Absent")).to_have_attribute(
        "aria-pressed", "true"
    )
    # Excused without a reason is refused in the row, with a message.
    third.get_by_role("button", name="Excused").tap()
    expect(_row(page, "Learner 03").get_by_role("alert")).to_contain_text("Write the reason")
    _row(page, "Learner 03").get_by_label("Reason why Learner 03 is excused").fill(
        "Doctor or hospital appointment"
    )
    _row(page, "Learner 03").get_by_role("button", name="Excused").tap()
    expect(_row(page, "Learner 03").get_by_role("button", name="Excused")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The last learner needs scrolling on a tablet; the tap still lands.
    last.get_by_role("button", name="Present").tap()
    expect(_row(page, "Learner 30")).to_contain_text("Present")
    expect(page.get_by_text("Present: 2")).to_be_visible()
    expect(page.get_by_text("Not marked: 26")).to_be_visible()
    # A second tap changes the mark instead of adding one.
    _row(page, "Learner 01").get_by_role("button", name="Absent").tap()
    expect(_row(page, "Learner 01").get_by_role("button", name="Absent")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.reload()
    expect(_row(page, "Learner 01").get_by_role("button", name="Absent")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(_row(page, "Learner 02").get_by_role("button", name="Absent")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(_row(page, "Learner 03")).to_contain_text("Excused: Doctor or hospital appointment")
    expect(_row(page, "Learner 30").get_by_role("button", name="Present")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_text("Absent: 2")).to_be_visible()
    marks = dict(
        Attendance.objects.filter(session=session).values_list("person__name_latin", "status")
    )
    assert marks == {
        "Learner 01": "absent",
        "Learner 02": "absent",
        "Learner 03": "excused",
        "Learner 30": "present",
    }


def _tap_targets_are_big_enough(page):
    sizes = page.locator(".attendance-row button.mark").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(sizes) == 90
    assert all(w >= 44 and h >= 44 for w, h in sizes), sizes[:3]


def test_a_teacher_takes_attendance_on_a_landscape_tablet(tablet, class_of_30):
    session, learners = class_of_30
    _take_attendance(tablet, session, learners)
    _tap_targets_are_big_enough(tablet)


def test_a_teacher_takes_attendance_on_a_portrait_tablet(browser, live_server, class_of_30):
    context = browser.new_context(
        viewport={"width": 768, "height": 1024},
        base_url=live_server.url,
        locale="en-GB",
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        session, learners = class_of_30
        _take_attendance(page, session, learners)
        _tap_targets_are_big_enough(page)
        # Nothing sticks out sideways in portrait.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
