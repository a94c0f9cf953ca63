"""Running the reminders as cron does, and reading the emails as people get them."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone


def run(today=None, *options):
    """`manage.py send_reminders` for the day (today by default): what it printed."""
    out = StringIO()
    day = today or timezone.localdate()
    call_command("send_reminders", "--today", day.isoformat(), *options, stdout=out)
    return out.getvalue()


def days(n, today=None):
    return (today or timezone.localdate()) + datetime.timedelta(days=n)


def emails_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


def subjects_to(person):
    return [message.subject for message in emails_to(person)]


def html_of(message):
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return html


def everyone_told():
    return sorted(address for message in mail.outbox for address in message.to)
