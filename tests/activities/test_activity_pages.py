"""The activity pages: schedule, class list with one tap per mark, contracts."""

from ankomst.activities.models import Activity, Attendance, Session
from ankomst.audit.models import AuditEvent


def test_a_teacher_sees_only_their_own_sessions_in_the_schedule(
    client_of, teacher, session, other_session
):
    body = client_of(teacher).get("/activities/").content.decode()
    assert "Danish module 1" in body
    assert "English evening class" not in body


def test_a_teacher_gets_404_for_a_colleagues_session(client_of, teacher, other_session):
    assert client_of(teacher).get(f"/activities/sessions/{other_session.pk}/").status_code == 404
    response = client_of(teacher).post(
        f"/activities/sessions/{other_session.pk}/mark/", {"person": 1, "status": "present"}
    )
    assert response.status_code == 404


def test_another_organisation_gets_404(client_of, bob, session, danish):
    client = client_of(bob)
    assert client.get(f"/activities/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/activities/{danish.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor=bob, action="denied").exists()


def test_the_class_list_shows_the_learners_and_is_audited(client_of, teacher, session, learners):
    body = client_of(teacher).get(f"/activities/sessions/{session.pk}/").content.decode()
    for person in learners:
        assert person.name_latin in body
    assert "Not marked: 3" in body
    assert AuditEvent.objects.filter(action="view", object_type="activities.session").exists()


def test_a_tap_with_htmx_returns_the_row_and_the_counts(client_of, teacher, session, learners):
    response = client_of(teacher).post(
        f"/activities/sessions/{session.pk}/mark/",
        {"person": learners[0].pk, "status": "present"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="person-{learners[0].pk}"' in body
    assert 'hx-swap-oob="true"' in body and "Present: 1" in body
    assert Attendance.objects.get().status == "present"


def test_a_tap_without_javascript_redirects_back_to_the_row(client_of, teacher, session, learners):
    response = client_of(teacher).post(
        f"/activities/sessions/{session.pk}/mark/", {"person": learners[1].pk, "status": "absent"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/activities/sessions/{session.pk}/#person-{learners[1].pk}"
    )


def test_an_excuse_without_reason_shows_an_error_in_the_row(client_of, teacher, session, learners):
    response = client_of(teacher).post(
        f"/activities/sessions/{session.pk}/mark/",
        {"person": learners[0].pk, "status": "excused", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Write the reason for the excused absence." in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_schedule_activities_and_enrol(
    client_of, staff, operator, teacher, make_person, today
):
    client = client_of(staff)
    response = client.post(
        "/activities/new/",
        {
            "organisation": operator.pk,
            "kind": "leisure",
            "name": "Football",
            "place": "Field",
            "teacher": teacher.pk,
            "active": "on",
        },
    )
    activity = Activity.objects.get(name="Football")
    assert response.status_code == 302
    response = client.post(
        f"/activities/{activity.pk}/sessions/new/",
        {"date": today.isoformat(), "starts_at": "16:00", "ends_at": "17:30"},
    )
    assert response.status_code == 302
    assert Session.objects.get(activity=activity).place == "Field"
    person = make_person(operator, "Yonas Tesfay")
    body = client.get(f"/activities/{activity.pk}/", {"q": "yonas"}).content.decode()
    assert "Yonas Tesfay" in body
    client.post(f"/activities/{activity.pk}/enrol/", {"person": person.pk})
    assert activity.enrolments.filter(person=person).exists()


def test_the_session_form_explains_a_wrong_time(client_of, staff, danish, today):
    response = client_of(staff).post(
        f"/activities/{danish.pk}/sessions/new/",
        {"date": today.isoformat(), "starts_at": "12:00", "ends_at": "11:00"},
    )
    assert "The session must end after it starts." in response.content.decode()


def test_the_contract_dashboard_shows_breaches(client_of, staff, centre, make_person, operator):
    from tests.activities.test_contracts import resident

    resident(staff, centre, make_person(operator, "Late Adult"), 12)
    body = client_of(staff).get("/activities/contracts/").content.decode()
    assert "Late Adult" in body
    # Applied 12 days ago, due after 7: missing for the 5 days since the deadline.
    assert "Breach: contract missing since 5 days" in body


def test_a_contract_is_recorded_with_clear_messages(client_of, staff, make_person, operator, today):
    person = make_person(operator)
    client = client_of(staff)
    body = client.post(f"/activities/contracts/{person.pk}/", {"status": "signed"}).content.decode()
    assert "Give the date the contract was signed." in body
    response = client.post(
        f"/activities/contracts/{person.pk}/",
        {
            "status": "signed",
            "signed_on": today.isoformat(),
            "hours_per_week": "20",
            "covers": "Danish 3 x 3 hours",
            "sanctions": "Allowance reduced",
        },
    )
    assert response.status_code == 302
    assert person.residence_contract.hours_per_week == 20
