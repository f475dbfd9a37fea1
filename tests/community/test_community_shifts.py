"""Childcare shifts: generated from the class schedule, places handed out once, a waiting
list that moves up when someone cancels, and no shift with children without a certificate."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankomst.community import services
from ankomst.community.models import Shift, Signup, SignupStatus

pytestmark = pytest.mark.django_db


def test_the_first_places_are_confirmed_then_the_waiting_list(shift, make_volunteer):
    a, b, c = (make_volunteer(n) for n in ("Anna", "Bo", "Cai"))
    assert services.sign_up(user=a.user, shift=shift).status == SignupStatus.CONFIRMED
    assert services.sign_up(user=b.user, shift=shift).status == SignupStatus.CONFIRMED
    assert services.sign_up(user=c.user, shift=shift).status == SignupStatus.WAITING
    with pytest.raises(ValidationError):
        services.sign_up(user=a.user, shift=shift)


def test_a_cancellation_offers_the_place_to_the_next_and_tells_the_coordinator(
    shift, make_volunteer, coordinator, django_capture_on_commit_callbacks
):
    a, b, c, d = (make_volunteer(n) for n in ("Anna", "Bo", "Cai", "Dan"))
    first = services.sign_up(user=a.user, shift=shift)
    services.sign_up(user=b.user, shift=shift)
    services.sign_up(user=c.user, shift=shift)
    services.sign_up(user=d.user, shift=shift)
    with django_capture_on_commit_callbacks(execute=True):
        offered = services.cancel(user=a.user, signup=first)
    assert offered.volunteer == c
    assert Signup.objects.get(pk=offered.pk).status == SignupStatus.OFFERED
    recipients = {r for m in mail.outbox for r in m.to}
    assert {"cai@example.org", "coordinator@example.org"} <= recipients
    # Cai declines: the place goes on to Dan.
    services.answer_offer(user=c.user, signup=offered, accept=False)
    assert Signup.objects.get(volunteer=d, shift=shift).status == SignupStatus.OFFERED
    services.answer_offer(
        user=d.user, signup=Signup.objects.get(volunteer=d, shift=shift), accept=True
    )
    assert shift.signups.filter(status=SignupStatus.CONFIRMED).count() == 2


def test_no_shift_with_children_without_a_valid_certificate(shift, make_volunteer):
    none = make_volunteer("None", certificate=False)
    old = make_volunteer("Old", certificate_date=timezone.localdate() - dt.timedelta(days=800))
    for volunteer in (none, old):
        with pytest.raises(ValidationError, match="certificate"):
            services.sign_up(user=volunteer.user, shift=shift)
    shift.with_children = False
    shift.save()
    assert services.sign_up(user=none.user, shift=shift).status == SignupStatus.CONFIRMED


def test_the_waiting_list_skips_who_has_no_certificate(shift, make_volunteer):
    a, b = make_volunteer("Anna"), make_volunteer("Bo")
    c = make_volunteer("Cai")
    first = services.sign_up(user=a.user, shift=shift)
    services.sign_up(user=b.user, shift=shift)
    waiting = services.sign_up(user=c.user, shift=shift)
    c.certificate_date = None
    c.save()
    assert services.cancel(user=a.user, signup=first) is None
    assert Signup.objects.get(pk=waiting.pk).status == SignupStatus.WAITING


def test_cover_is_asked_and_taken_over(shift, make_volunteer, django_capture_on_commit_callbacks):
    a, b = make_volunteer("Anna"), make_volunteer("Bo")
    signup = services.sign_up(user=a.user, shift=shift)
    services.ask_cover(user=a.user, signup=signup)
    with pytest.raises(ValidationError):
        services.take_over(user=a.user, signup=signup)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.take_over(user=b.user, signup=signup)
    assert new.volunteer == b and new.status == SignupStatus.CONFIRMED
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.CANCELLED
    assert any("anna@example.org" in m.to for m in mail.outbox)


def test_a_volunteer_cannot_touch_another_volunteers_sign_up(shift, make_volunteer):
    a, b = make_volunteer("Anna"), make_volunteer("Bo")
    signup = services.sign_up(user=a.user, shift=shift)
    with pytest.raises(Exception) as caught:
        services.cancel(user=b.user, signup=signup)
    assert caught.typename in {"Http404", "PermissionDenied"}
    assert Signup.objects.get(pk=signup.pk).status == SignupStatus.CONFIRMED


def test_a_volunteer_of_another_group_cannot_sign_up(shift, make_volunteer, other_group):
    stranger = make_volunteer("Stranger", organisation=other_group)
    with pytest.raises(Exception) as caught:
        services.sign_up(user=stranger.user, shift=shift)
    assert caught.typename == "PermissionDenied"
    assert not shift.signups.exists()


def test_childcare_is_generated_from_the_class_and_its_parents_young_children(
    partnered, coordinator, template, language_class
):
    activity, session = language_class
    today = timezone.localdate()
    done = services.generate_childcare(
        user=coordinator,
        organisation=partnered,
        template=template,
        start=today,
        end=today + dt.timedelta(days=14),
    )
    assert done == {"created": 1, "updated": 0, "cancelled": 0}
    shift = Shift.objects.get(session=session)
    # Children under 6 of the enrolled parents: 2, 4 (household 1, counted once) and the baby.
    assert shift.children == 3
    assert shift.needed == 1 and shift.with_children
    assert timezone.localtime(shift.starts_at).time() == dt.time(8, 45)
    # Again: nothing new. A fourth child, and the shift is updated; the session cancelled, too.
    again = services.generate_childcare(
        user=coordinator,
        organisation=partnered,
        template=template,
        start=today,
        end=today + dt.timedelta(days=14),
    )
    assert again == {"created": 0, "updated": 0, "cancelled": 0}
    session.cancelled = True
    session.save()
    done = services.generate_childcare(
        user=coordinator,
        organisation=partnered,
        template=template,
        start=today,
        end=today + dt.timedelta(days=14),
    )
    assert done["cancelled"] == 1 and Shift.objects.get(session=session).cancelled


def test_no_childcare_for_classes_of_organisations_the_group_does_not_work_with(
    group, coordinator, template, language_class
):
    today = timezone.localdate()
    done = services.generate_childcare(
        user=coordinator,
        organisation=group,
        template=template,
        start=today,
        end=today + dt.timedelta(days=14),
    )
    assert done["created"] == 0


def test_a_volunteer_cannot_generate_shifts(partnered, template, make_volunteer, language_class):
    volunteer = make_volunteer("Vera")
    today = timezone.localdate()
    with pytest.raises(Exception) as caught:
        services.generate_childcare(
            user=volunteer.user, organisation=partnered, template=template, start=today, end=today
        )
    assert caught.typename == "PermissionDenied"


def test_a_coordinator_of_another_group_reaches_none_of_this_groups_records(
    client, make_user, other_group, shift, make_volunteer, partnered, muni_a, make_person
):
    from django.urls import reverse

    from ankomst.accounts.roles import Role
    from ankomst.community.models import Referral
    from ankomst.people.models import Household

    volunteer = make_volunteer("Anna")
    signup = services.sign_up(user=volunteer.user, shift=shift)
    household = Household.objects.create(organisation=muni_a, reference="R-1")
    make_person(muni_a, "Amal Hassan", household=household)
    caseworker = make_user(Role.CASEWORKER, muni_a)
    referral = services.referral_create(
        user=caseworker,
        household=household,
        volunteer_organisation=partnered,
        kind="contact_person",
        consent_on=timezone.localdate(),
        contact_name="Amal",
        place="Vejgaard",
        interests=[],
    )
    stranger = make_user(Role.VOLUNTEER_COORDINATOR, other_group)
    client.force_login(stranger)
    for url in (
        reverse("community:volunteer_detail", args=[volunteer.pk]),
        reverse("community:shift_detail", args=[shift.pk]),
        reverse("community:referral_detail", args=[referral.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert volunteer.name not in client.get(reverse("community:volunteers")).content.decode()
    assert "Amal" not in client.get(reverse("community:referrals")).content.decode()
    assert client.post(reverse("community:signup_cancel", args=[signup.pk])).status_code == 404
    response = client.post(
        reverse("community:match_confirm"), {"referral": referral.pk, "volunteer": volunteer.pk}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == "waiting"


def test_a_certificate_running_out_is_reminded_once(
    make_volunteer, coordinator, django_capture_on_commit_callbacks
):
    from ankomst.cli import main

    today = timezone.localdate()
    soon = make_volunteer("Soon", certificate_date=today - dt.timedelta(days=720))
    make_volunteer("Fresh", certificate_date=today - dt.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_certificate_reminders(today) == 1
    assert {r for m in mail.outbox for r in m.to} == {"soon@example.org", "coordinator@example.org"}
    assert services.send_certificate_reminders(today) == 0
    soon.certificate_date = today - dt.timedelta(days=1)  # a new certificate: nothing to remind
    soon.save()
    assert services.send_certificate_reminders(today) == 0
    assert main(["community", "remind"]) == 0


def test_more_children_in_the_class_offer_a_place_to_the_waiting_list(
    partnered, coordinator, template, language_class, make_volunteer, make_person
):
    from ankomst.people.models import Household, Relation

    activity, session = language_class
    today = timezone.localdate()
    window = {"start": today, "end": today + dt.timedelta(days=14)}
    services.generate_childcare(
        user=coordinator, organisation=partnered, template=template, **window
    )
    shift = Shift.objects.get(session=session)
    assert shift.needed == 1
    first, second = make_volunteer("Anna"), make_volunteer("Bo")
    services.sign_up(user=first.user, shift=shift)
    waiting = services.sign_up(user=second.user, shift=shift)
    assert waiting.status == SignupStatus.WAITING
    household = Household.objects.get(reference="H2")
    for years in (1, 2, 3):
        make_person(
            household.organisation,
            "Child",
            household=household,
            relation=Relation.CHILD,
            born=today - dt.timedelta(days=365 * years + 30),
        )
    services.generate_childcare(
        user=coordinator, organisation=partnered, template=template, **window
    )
    shift.refresh_from_db()
    assert shift.children == 6 and shift.needed == 2
    assert Signup.objects.get(pk=waiting.pk).status == SignupStatus.OFFERED


def test_the_night_the_clocks_move_forward_gives_a_message_not_an_error(partnered, coordinator):
    spring = dt.date(2027, 3, 28)  # 02:00 becomes 03:00 in Denmark and Sweden
    with pytest.raises(ValidationError, match="02:30"):
        services.shift_create(
            user=coordinator,
            organisation=partnered,
            kind="other",
            title="Night",
            place="Hall",
            date=spring,
            starts_at=dt.time(2, 30),
            ends_at=dt.time(3, 30),
            needed=1,
        )
    with pytest.raises(ValidationError):
        services.event_create(
            user=coordinator,
            organisation=partnered,
            kind="other",
            title="Night",
            place="Hall",
            date=spring,
            starts_at=dt.time(2, 40),
            ends_at=dt.time(2, 50),
            capacity=5,
            helpers=2,
        )
    assert not Shift.objects.filter(title="Night").exists()


def test_a_follow_up_once_recorded_is_not_overwritten(partnered, muni_a, make_person, make_user):
    from ankomst.accounts.roles import Role
    from ankomst.community.models import Association, Bridge, BridgeCheck, Offer

    caseworker = make_user(Role.CASEWORKER, muni_a)
    person = make_person(muni_a, "Amal Hassan")
    offer = Offer.objects.create(
        association=Association.objects.create(organisation=partnered, name="Club"),
        title="Football",
        kind="sport",
        place="Park",
    )
    start = timezone.localdate() - dt.timedelta(days=200)
    bridge = Bridge.objects.create(
        organisation=muni_a,
        person=person,
        offer=offer,
        started_on=start,
        consent_on=start,
        created_by=caseworker,
    )
    with pytest.raises(ValidationError, match="earlier"):
        services.bridge_check(user=caseworker, bridge=bridge, month=3, taking_part=True)
    services.bridge_check(user=caseworker, bridge=bridge, month=1, taking_part=True)
    with pytest.raises(ValidationError, match="already"):
        services.bridge_check(user=caseworker, bridge=bridge, month=1, taking_part=False)
    services.bridge_check(user=caseworker, bridge=bridge, month=3, taking_part=False)
    with pytest.raises(ValidationError, match="no longer"):
        services.bridge_check(user=caseworker, bridge=bridge, month=6, taking_part=True)
    assert list(BridgeCheck.objects.filter(bridge=bridge).values_list("month", "taking_part")) == [
        (1, True),
        (3, False),
    ]


def test_saving_a_volunteer_unchanged_keeps_a_native_language(make_volunteer, coordinator):
    from ankomst.community.forms import VolunteerForm

    volunteer = make_volunteer("Anna", languages={"da": "native", "ar": "fluent"})
    initial = VolunteerForm.initial_for(volunteer)
    data = {k: v for k, v in initial.items() if v not in (None, "") and k != "login"}
    data["certificate_date"] = volunteer.certificate_date.isoformat()
    data["joined_on"] = volunteer.joined_on.isoformat()
    form = VolunteerForm(data, previous_languages=volunteer.languages, logins=None)
    form.fields["login"].queryset = type(volunteer.user).objects.none()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["languages"] == {"da": "native", "ar": "fluent"}


def test_implausible_values_are_refused(make_volunteer, coordinator, group):
    today = timezone.localdate()
    for fields in ({"birth_year": today.year}, {"certificate_date": today + dt.timedelta(days=30)}):
        base = dict(name="X", sex="F", birth_year=1980, place="Y", joined_on=today)
        with pytest.raises(ValidationError):
            services.volunteer_create(user=coordinator, organisation=group, **{**base, **fields})


def test_a_template_is_saved_once_by_name(client, coordinator, group):
    from django.urls import reverse

    from ankomst.community.models import ShiftTemplate

    client.force_login(coordinator)
    data = {
        "name": "Mornings",
        "children_per_volunteer": 4,
        "min_volunteers": 2,
        "child_age_below": 6,
        "minutes_before": 15,
        "minutes_after": 15,
    }
    assert client.post(reverse("community:template_create"), data).status_code == 302
    again = client.post(reverse("community:template_create"), data)
    assert again.status_code == 200 and "exists already" in again.content.decode()
    assert ShiftTemplate.objects.filter(organisation=group, name="Mornings").count() == 1
