"""The community's pages as the demo's users meet them, in Danish: the coordinator's desk,
matching the waiting list, the volunteer's own page and calendar, the caseworker's referrals
and bridges; and what each of them must not reach."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from ankomst.accounts.models import User
from ankomst.audit.models import AuditEvent
from ankomst.community import selectors
from ankomst.community.models import Match, Referral, ReferralStatus, Shift, Volunteer

pytestmark = pytest.mark.django_db

COORDINATOR_PAGES = [
    "community:overview",
    "community:volunteers",
    "community:volunteer_create",
    "community:referrals",
    "community:matching",
    "community:matches",
    "community:shifts",
    "community:shift_create",
    "community:childcare",
    "community:template_create",
    "community:events",
    "community:event_create",
    "community:offers",
    "community:offer_create",
    "community:association_create",
    "community:hours",
    "community:figures",
]
RAW = ["contact_person", "network_family", "language_cafe", "childcare", "confirmed", "_", "None"]


@pytest.fixture(autouse=True)
def _danish(client):
    """Every page in Danish, the language the demo's users work in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _visible_text(html: str) -> str:
    import re

    body = html.split("<main", 1)[1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return body


def test_the_coordinator_reaches_every_page_in_danish(demo, client):
    client.force_login(User.objects.get(username="coordinator"))
    for name in COORDINATOR_PAGES:
        html = _get(client, reverse(name))
        assert '<html lang="da"' in html
        text = _visible_text(html)
        for raw in ("contact_person", "network_family", "language_cafe", "None"):
            assert raw not in text, (name, raw)
    volunteer = Volunteer.objects.filter(matches__isnull=False).first()
    match = Match.objects.first()
    shift = Shift.objects.filter(starts_at__gt=timezone.now()).first()
    for url in (
        reverse("community:volunteer_detail", args=[volunteer.pk]),
        reverse("community:volunteer_edit", args=[volunteer.pk]),
        reverse("community:match_detail", args=[match.pk]),
        reverse("community:referral_detail", args=[match.referral_id]),
        reverse("community:shift_detail", args=[shift.pk]),
        reverse("community:event_detail", args=[shift.organisation.community_events.first().pk]),
    ):
        text = _visible_text(_get(client, url))
        assert "None" not in text, url


def test_the_overview_shows_the_figures_and_what_is_urgent(demo, client):
    client.force_login(User.objects.get(username="coordinator"))
    html = _get(client, reverse("community:overview"))
    assert "aktive frivillige" in html
    assert "Børnepasning" not in html or "mangler" in html


def test_the_coordinator_confirms_a_suggested_match(demo, client):
    coordinator = User.objects.get(username="coordinator")
    client.force_login(coordinator)
    organisation = selectors.community_organisations(coordinator).get()
    result = selectors.suggestions(coordinator, organisation)
    pair = result.proposal.pairs[0]
    response = client.post(
        reverse("community:match_confirm"),
        {"referral": pair.household, "volunteer": pair.volunteer},
    )
    assert response.status_code == 302
    match = Match.objects.get(referral_id=pair.household, status="active")
    assert match.volunteer_id == pair.volunteer and match.confirmed_by == coordinator
    assert Referral.objects.get(pk=pair.household).status == ReferralStatus.MATCHED
    assert AuditEvent.objects.filter(object_type="community.match", action="create").exists()
    # A second confirmation of the same household is refused with a message, nothing changes.
    again = client.post(
        reverse("community:match_confirm"),
        {"referral": pair.household, "volunteer": pair.volunteer},
        follow=True,
    )
    assert "venter ikke længere" in again.content.decode()
    assert Match.objects.filter(referral_id=pair.household).exclude(status="ended").count() == 1


def test_the_whole_waiting_list_is_matched_at_once(demo):
    coordinator = User.objects.get(username="coordinator")
    organisation = selectors.community_organisations(coordinator).get()
    result = selectors.suggestions(coordinator, organisation)
    waiting = Referral.objects.filter(status=ReferralStatus.WAITING).count()
    assert len(result.proposal.pairs) + len(result.proposal.unmatched) == waiting
    assert result.proposal.pairs, "the demo's waiting households have volunteers to meet"
    used = {}
    for p in result.proposal.pairs:
        used[p.volunteer] = used.get(p.volunteer, 0) + 1
    for key, n in used.items():
        v = result.volunteers[key]
        assert n <= v.max_matches - v.open_matches


def test_the_volunteer_sees_their_page_and_never_the_register(demo, client):
    volunteer_user = User.objects.get(username="volunteer")
    client.force_login(volunteer_user)
    assert client.get(reverse("community:overview")).status_code == 302
    html = _get(client, reverse("community:mine"))
    assert "Victor Frivillig" in html and "Mine vagter" in html
    for name in ("community:shifts", "community:events", "community:offers"):
        _get(client, reverse(name))
    for name in (
        "people:search",
        "community:volunteers",
        "community:referrals",
        "community:matching",
        "reception:arrivals",
        "community:figures",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    other = Volunteer.objects.exclude(user=volunteer_user).first()
    assert client.get(reverse("community:volunteer_detail", args=[other.pk])).status_code == 404
    someone_elses = Match.objects.exclude(volunteer__user=volunteer_user).first()
    assert client.get(reverse("community:match_detail", args=[someone_elses.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=volunteer_user, action="denied").exists()


def test_the_calendar_feed_lists_the_volunteers_shifts(demo, client):
    volunteer = Volunteer.objects.get(user__username="volunteer")
    response = client.get(reverse("community:calendar", args=[volunteer.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") >= 2
    assert client.get(reverse("community:calendar", args=["not-a-token"])).status_code == 404


def test_the_caseworker_refers_a_household_with_consent(demo, client):
    caseworker = User.objects.get(username="caseworker")
    client.force_login(caseworker)
    _get(client, reverse("community:referrals"))
    _get(client, reverse("community:offers"))
    _get(client, reverse("community:bridges"))
    form = _get(client, reverse("community:referral_create"))
    assert "samtykke" in form.lower()
    household = (
        caseworker.memberships.first()
        .organisation.households.exclude(pk__in=Referral.objects.values("household_id"))
        .filter(members__date_of_birth__lt=dt.date(2000, 1, 1))
        .first()
    )
    group = selectors.partner_volunteer_organisations(caseworker).get()
    data = {
        "household": household.pk,
        "volunteer_organisation": group.pk,
        "kind": "contact_person",
        "contact_name": "Amal",
        "place": "Vejgaard",
        "interests": ["cooking"],
        "consent_on": timezone.localdate().isoformat(),
    }
    refused = client.post(reverse("community:referral_create"), data)
    assert refused.status_code == 200 and not Referral.objects.filter(household=household).exists()
    done = client.post(reverse("community:referral_create"), {**data, "consent": "on"})
    assert done.status_code == 302
    referral = Referral.objects.get(household=household)
    assert referral.consent_by == caseworker and referral.adults >= 1


def test_a_caseworker_of_another_municipality_reaches_nothing(demo, client):
    client.force_login(User.objects.get(username="randers"))
    referral = Referral.objects.first()
    assert client.get(reverse("community:referral_detail", args=[referral.pk])).status_code == 404
    assert (
        client.get(reverse("community:referral_create")).status_code == 200
    )  # no partner: a notice
    assert b"samarbejder" in client.get(reverse("community:referral_create")).content


def test_small_groups_are_not_shown():
    shares = [selectors._share("F|25-49", 4, 3), selectors._share("M|25-49", 5, 3)]
    assert shares[0].total is None and shares[0].percent is None
    assert shares[1].percent == 60
    assert selectors.shown(4) is None and selectors.shown(5) == 5
    with override("da"):
        from ankomst.community.templatetags.community import small_group

        assert small_group(None) != "None"


def test_the_home_pages_of_the_coordinator_and_the_volunteer_are_not_empty(demo, client):
    client.force_login(User.objects.get(username="coordinator"))
    html = _get(client, reverse("home"))
    assert "aktive frivillige" in html
    assert "I dine organisationer" not in html  # no resident figures of 0 for a volunteer group
    client.force_login(User.objects.get(username="volunteer"))
    html = _get(client, reverse("home"))
    assert "Mine næste vagter" in html and reverse("community:mine") in html
