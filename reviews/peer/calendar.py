"""A visit's agreed date as a calendar file (.ics), for the visit page and the email that says
the date: the whole day, or from the timetable's first start to its last end, in local time."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def visit_filename(visit):
    return f"visit-{visit.cycle.service.slug}.ics"


def visit_calendar(visit, timetable=None):
    """The .ics file of the visit's agreed date, as bytes (the visit must have a date). Its UID
    stays the same for the visit, so a calendar replaces the event when the date changes."""
    service = visit.cycle.service
    link = settings.SITE_URL + reverse("reviews:visit", args=[visit.cycle_id])
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Relational Assurance//Peer-review visits//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"visit-{visit.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("summary", _("Peer-review visit: %(service)s") % {"service": service.name})
    event.add("location", service.name)
    event.add("description", _("The visit plan, its timetable and the review team: %(link)s") % {"link": link})
    event.add("url", link)
    starts, ends = _span(visit, list(visit.timetable.all()) if timetable is None else timetable)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _span(visit, timetable):
    """(start, end) of the visit: the whole day, or the timetable's first start to its last end."""
    if not timetable:
        return visit.date, visit.date + datetime.timedelta(days=1)
    zone = ZoneInfo(settings.TIME_ZONE)
    first = min(item.starts_at for item in timetable)
    last = max(item.ends_at or item.starts_at for item in timetable)
    starts = datetime.datetime.combine(visit.date, first, tzinfo=zone)
    ends = datetime.datetime.combine(visit.date, last, tzinfo=zone)
    return starts, max(ends, starts + datetime.timedelta(hours=1))


def _host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"
