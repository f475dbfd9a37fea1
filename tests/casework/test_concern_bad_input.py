"""Bad ids and implausible dates on the concern pages: a 400, 404 or a form error; nothing saved."""

import pytest
from django.utils import timezone

from ankomst.casework import services
from ankomst.casework.models import FollowUp


@pytest.fixture
def concern(staff, operator):
    return services.concern_create(
        user=staff, organisation=operator, category="conflict", severity="low", description="Noise"
    )


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999999"])
def test_a_bad_person_id_on_the_new_concern_page_is_a_400(client_of, staff, value):
    response = client_of(staff).get("/concerns/new/", {"person": value})
    assert response.status_code == 400


def test_a_person_of_another_organisation_on_the_new_concern_page_is_a_404(
    client_of, staff, person_a
):
    assert client_of(staff).get("/concerns/new/", {"person": person_a.pk}).status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999"])
def test_a_bad_follow_up_id_is_a_404(client_of, staff, concern, value):
    response = client_of(staff).post(f"/concerns/{concern.pk}/follow-ups/{value}/done/")
    assert response.status_code == 404


def test_a_follow_up_of_another_concern_is_a_404(client_of, staff, operator, concern, colleague):
    other = services.concern_create(
        user=staff, organisation=operator, category="conflict", severity="low", description="Other"
    )
    follow_up = services.follow_up_add(
        user=staff,
        concern=other,
        description="Talk",
        owner=colleague,
        due_on=timezone.localdate(),
    )
    response = client_of(staff).post(f"/concerns/{concern.pk}/follow-ups/{follow_up.pk}/done/")
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


@pytest.mark.parametrize("due_on", ["1800-01-01", "9999-12-31", "0001-01-01"])
def test_a_follow_up_due_implausibly_is_refused(client_of, staff, colleague, concern, due_on):
    response = client_of(staff).post(
        f"/concerns/{concern.pk}/follow-ups/",
        {
            "follow_up-description": "Talk to the victim",
            "follow_up-owner": colleague.pk,
            "follow_up-due_on": due_on,
        },
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_a_police_report_dated_1800_is_refused(client_of, staff, concern):
    response = client_of(staff).post(
        f"/concerns/{concern.pk}/police-report/",
        {"police-reported_on": "1800-01-01", "police-reference": "4100-1"},
    )
    assert response.status_code == 400
    assert "is not plausible" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_each_action_of_a_concern_is_a_view_of_its_own(client_of, staff, concern):
    """The old form posted every action to the detail page; that page now only shows."""
    response = client_of(staff).post(
        f"/concerns/{concern.pk}/", {"action": "close", "close-outcome": "Resolved"}
    )
    assert response.status_code == 405
    concern.refresh_from_db()
    assert concern.is_open
