"""A volunteer's shifts and events as an iCalendar feed (RFC 5545), written by ``icalendar``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Signup, SignupStatus

PAST_DAYS = 30


def feed_path(volunteer) -> str:
    return reverse("community:calendar", kwargs={"token": volunteer.calendar_token})


def feed(volunteer, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Ankomst//community//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Ankomst – {volunteer.organisation.name}")
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    signups = (
        Signup.objects.filter(
            volunteer=volunteer, shift__ends_at__gte=since, shift__cancelled=False
        )
        .filter(status__in=[SignupStatus.CONFIRMED, SignupStatus.OFFERED])
        .select_related("shift", "shift__event")
    )
    for signup in signups:
        shift = signup.shift
        item = CalendarEvent()
        item.add("uid", f"shift-{shift.pk}-{volunteer.pk}@{host}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", shift.starts_at)
        item.add("dtend", shift.ends_at)
        item.add("summary", shift.title)
        item.add("location", shift.place)
        if signup.status == SignupStatus.OFFERED:
            item.add("status", "TENTATIVE")
        else:
            item.add("status", "CONFIRMED")
        if shift.event_id:
            item.add("description", shift.event.description)
        cal.add_component(item)
    return cal.to_ical()
